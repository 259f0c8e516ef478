// Lead create and edit forms: role-adaptive assignee field, optimistic locking, assignment mail.
import type { Request, RequestHandler } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import { can } from '../access/policy.ts';
import type { ScopedClient } from '../access/scope.ts';
import { formCompany, type FormCompany } from '../company/choices.ts';
import { renderCompanyChoice } from '../company/choices.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { isPickerSearch } from '../picker/queries.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, renderInvalid, type FieldErrors } from '../web/forms.ts';
import { leadViewHelpers } from './handlers.ts';
import { mailLeadAssignee, mailLeadReassigned } from './notify.ts';
import { belongsToCompany, canAssignLeads } from '../access/policy.ts';
import { blankValues, conflictRows, postedValues, savedValues } from '../fields/form.ts';
import { LEAD_FIELDS } from './fields.ts';
import {
  assigneeOptions,
  customerOptions,
  findLead,
  checkLeadForm,
  leadDuplicateCandidate,
  type LoadedLead,
} from './queries.ts';
import { formDuplicates } from '../duplicate/detect.ts';
import { leadForms } from './schema.ts';
import { createLead, updateLead } from './writes.ts';

/** Select options for the form: assignees only for those who assign, customers only for those who see them. */
async function formOptions(
  scoped: ScopedClient,
  user: CurrentUser,
  companyId: number,
  lead?: LoadedLead,
  customerId?: unknown,
  body?: unknown,
) {
  const chosen = customerId ?? lead?.customerId;
  const [assignees, customers] = await Promise.all([
    canAssignLeads(user) ? assigneeOptions(scoped, companyId, lead?.assignee) : Promise.resolve(null),
    can(user, 'customer.view') ? customerOptions(scoped, companyId, chosen, body) : Promise.resolve(null),
  ]);
  return { assignees, customers, ...leadViewHelpers };
}

const single = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');

export function leadFormHandlers(deps: AppDeps) {
  /** GET /leads/new — the form (superusers first choose the company). */
  const newForm: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const company = await formCompany(scoped, user, req.query.companyId);
    if (!company) {
      return renderCompanyChoice(res, scoped, {
        action: '/leads/new',
        noun: 'lead',
        error: req.query.companyId !== undefined ? 'Choose an active company.' : null,
      });
    }
    const customerId = /^\d{1,9}$/.test(single(req, 'customerId')) ? single(req, 'customerId') : '';
    const values = {
      ...blankValues(LEAD_FIELDS),
      customerId,
      assigneeId: belongsToCompany(user) ? String(user.id) : '',
    };
    res.render('lead/new', {
      title: 'New lead',
      company,
      values,
      ...(await formOptions(scoped, user, company.id, undefined, customerId ? Number(customerId) : null)),
    });
  };

  /** POST /leads — creates the lead; staff's leads are their own, others pick an active company user. */
  const create: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const company: FormCompany | null = await formCompany(scoped, user, req.body?.companyId);
    if (!company)
      return renderCompanyChoice(res, scoped, {
        action: '/leads/new',
        noun: 'lead',
        error: 'Choose an active company.',
      });
    if (isPickerSearch(req.body)) {
      const values = postedValues(LEAD_FIELDS, req.body);
      const options = await formOptions(scoped, user, company.id, undefined, values.customerId, req.body);
      return res.render('lead/new', { title: 'New lead', company, values, ...options });
    }
    const parsed = parseForm(leadForms.create(user), req.body);
    let errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const data = parsed.ok ? parsed.data : null;
    const checked = data ? await checkLeadForm(scoped, user, company.id, data) : null;
    if (checked) errors = checked.errors;
    if (!data || !checked || Object.keys(errors).length) {
      const values = postedValues(LEAD_FIELDS, req.body);
      const options = await formOptions(scoped, user, company.id, undefined, values.customerId, req.body);
      return renderInvalid(res, 'lead/new', { title: 'New lead', company, values, ...options }, errors);
    }
    // Every field of the form, as the update saves them: a field added to fields.ts is saved by both.
    const { assigneeId: _assignee, customerId: _customer, ...fields } = data;
    // A possible duplicate among the leads the user sees: the form again (422), unless "Save anyway".
    const duplicates = await formDuplicates(
      scoped,
      user,
      'lead',
      req.body,
      leadDuplicateCandidate(fields, company.id),
      company,
    );
    if (duplicates.length) {
      const values = postedValues(LEAD_FIELDS, req.body);
      const options = await formOptions(scoped, user, company.id, undefined, values.customerId, req.body);
      return res.status(422).render('lead/new', { title: 'New lead', company, values, duplicates, ...options });
    }
    const lead = await createLead(scoped, user, company.id, { ...fields, ...checked.lost }, checked.links, (tx, row) =>
      mailLeadAssignee(deps, req, tx, row, row.assignee),
    );
    flash(req, 'success', `Lead "${lead.title}" created.`);
    res.redirect(303, `/leads/${lead.id}`);
  };

  /** GET /leads/:id/edit — the form with the saved values and version. */
  const edit: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const lead = load.lead.of(req);
    res.render('lead/edit', {
      title: `Edit ${lead.title}`,
      lead,
      values: savedValues(LEAD_FIELDS, lead),
      ...(await formOptions(scoped, user, lead.companyId, lead)),
    });
  };

  /** POST /leads/:id — saves the edit; stale version → 409; a new assignee's email is enqueued with the save. */
  const update: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const lead = load.lead.of(req);
    const values = postedValues(LEAD_FIELDS, req.body);
    if (!canAssignLeads(user)) values.assigneeId = String(lead.assigneeId);
    const options = await formOptions(scoped, user, lead.companyId, lead, values.customerId, req.body);
    const locals = { title: `Edit ${lead.title}`, lead, values, ...options };
    if (isPickerSearch(req.body)) return res.render('lead/edit', locals);
    const parsed = parseForm(leadForms.update(user), req.body);
    if (!parsed.ok) return renderInvalid(res, 'lead/edit', locals, parsed.errors);
    const { version, assigneeId: _assignee, customerId: _customer, ...fields } = parsed.data;
    const { errors, links, lost } = await checkLeadForm(scoped, user, lead.companyId, parsed.data, lead);
    const { assigneeId } = links;
    if (Object.keys(errors).length) return renderInvalid(res, 'lead/edit', locals, errors);
    const duplicates = await formDuplicates(
      scoped,
      user,
      'lead',
      req.body,
      leadDuplicateCandidate(fields, lead.companyId),
      {
        currency: lead.company.currency,
        excludeId: lead.id,
      },
    );
    if (duplicates.length) return res.status(422).render('lead/edit', { ...locals, duplicates });
    const data = { ...fields, ...lost, ...links };
    const reassigned = assigneeId !== lead.assigneeId;
    // A new assignee is mailed in the same transaction (the outbox): only if the save commits.
    const saved = await updateLead(scoped, user, lead, version, data, async (tx) => {
      if (reassigned) await mailLeadReassigned(deps, req, tx, { id: lead.id, title: fields.title }, assigneeId);
    });
    if (!saved) {
      const current = await findLead(scoped, lead.id);
      if (!current) throw new NotFound();
      return res.status(409).render('lead/edit', {
        ...locals,
        ...(await formOptions(scoped, user, current.companyId, current)),
        lead: current,
        values: { ...values, version: String(current.version) },
        conflict: conflictRows(LEAD_FIELDS, current),
      });
    }
    flash(req, 'success', `Lead "${fields.title}" saved.`);
    // A staff user never reassigns, so the lead stays visible to whoever saved it.
    res.redirect(303, `/leads/${lead.id}`);
  };

  return { newForm, create, edit, update };
}

// The API's lead writes: create, partial update and delete, with the lead forms' own schemas (from the field
// descriptors, through src/fields/json.ts) and checks (checkLeadForm: assignee and customer of the company, the
// lost reason rules, a converted lead staying won), the forms' duplicate check, and the same writes
// (src/lead/writes.ts: the change and its audit entry, which names the token, in one transaction; the new
// assignee's mail enqueued in it). The conversion: src/api/leadConvert.ts.
import type { RequestHandler } from 'express';
import { belongsToCompany, choosesCompany } from '../access/policy.ts';
import { changedFields } from '../audit/record.ts';
import { formCompany } from '../company/choices.ts';
import { formDuplicates } from '../duplicate/detect.ts';
import { blankValues, savedValues } from '../fields/form.ts';
import { jsonFormValues } from '../fields/json.ts';
import { LEAD_AUDIT, LEAD_FIELDS } from '../lead/fields.ts';
import { mailLeadAssignee, mailLeadReassigned } from '../lead/notify.ts';
import { checkLeadForm, findLead, leadDuplicateCandidate } from '../lead/queries.ts';
import { leadForms } from '../lead/schema.ts';
import { createLead, deleteLead, updateLead } from '../lead/writes.ts';
import { load } from '../loaders.ts';
import { NotFound } from '../web/errors.ts';
import { parseForm } from '../web/forms.ts';
import { apiDeps } from './deps.ts';
import { allowDuplicateProblem, refuseDuplicates, saveAnywayBody } from './duplicates.ts';
import { presentLead } from './leads.ts';
import { ApiInvalid } from './problem.ts';
import { expectedVersion, sendVersioned, staleVersion } from './version.ts';

const EXTRA = ['allowDuplicate'];

/** POST /api/v1/leads — staff's leads are their own; others name the assignee (default: themselves). */
export const createLeadApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const start = { ...blankValues(LEAD_FIELDS), assigneeId: belongsToCompany(user) ? String(user.id) : '' };
  const { values, errors } = jsonFormValues(LEAD_FIELDS, user, req.body, start, [...EXTRA, 'companyId']);
  const allow = allowDuplicateProblem(req.body);
  if (allow) errors.allowDuplicate = allow;
  const company = await formCompany(req.db, user, (req.body as { companyId?: unknown } | undefined)?.companyId);
  if (!company) errors.companyId = choosesCompany(user) ? 'Name an active company by its id.' : 'Unexpected.';
  const parsed = parseForm(leadForms.create(user), values);
  if (!parsed.ok) Object.assign(errors, parsed.errors);
  const checked = parsed.ok && company ? await checkLeadForm(req.db, user, company.id, parsed.data) : null;
  if (checked) Object.assign(errors, checked.errors);
  if (Object.keys(errors).length || !parsed.ok || !company || !checked) throw new ApiInvalid(errors);
  const { assigneeId: _a, customerId: _c, ...fields } = parsed.data;
  const candidate = leadDuplicateCandidate(fields, company.id);
  refuseDuplicates(await formDuplicates(req.db, user, 'lead', saveAnywayBody(req.body), candidate, company));
  const deps = apiDeps(res);
  const created = await createLead(req.db, user, company.id, { ...fields, ...checked.lost }, checked.links, (tx, row) =>
    mailLeadAssignee(deps, req, tx, row, row.assignee),
  );
  // Whoever creates a lead sees it: staff's leads are their own, those who assign see the company's.
  const fresh = await findLead(req.db, created.id);
  res.location(`/api/v1/leads/${created.id}`);
  sendVersioned(res, 201, presentLead(fresh!));
};

/** PATCH /api/v1/leads/:id — the fields sent change (status moves with the lost reason rules); the rest stay. */
export const updateLeadApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const lead = load.lead.of(req);
  const expected = expectedVersion(req, lead.version);
  const start = savedValues(LEAD_FIELDS, lead);
  const { values, errors } = jsonFormValues(LEAD_FIELDS, user, req.body, start, [...EXTRA, 'version']);
  const allow = allowDuplicateProblem(req.body);
  if (allow) errors.allowDuplicate = allow;
  const parsed = parseForm(leadForms.update(user), { ...values, version: String(expected.version) });
  if (!parsed.ok) Object.assign(errors, parsed.errors);
  const checked = parsed.ok ? await checkLeadForm(req.db, user, lead.companyId, parsed.data, lead) : null;
  if (checked) Object.assign(errors, checked.errors);
  if (Object.keys(errors).length || !parsed.ok || !checked) throw new ApiInvalid(errors);
  if (expected.version !== lead.version) throw staleVersion('lead', expected);
  const { version, assigneeId: _a, customerId: _c, ...fields } = parsed.data;
  const data = { ...fields, ...checked.lost, ...checked.links };
  // Nothing to change: answered as saved, without a new version or an empty audit entry.
  if (!Object.keys(changedFields(lead, data, LEAD_AUDIT.names)).length)
    return sendVersioned(res, 200, presentLead(lead));
  const candidate = leadDuplicateCandidate(fields, lead.companyId);
  const company = { currency: lead.company.currency, excludeId: lead.id };
  refuseDuplicates(await formDuplicates(req.db, user, 'lead', saveAnywayBody(req.body), candidate, company));
  const deps = apiDeps(res);
  const reassigned = data.assigneeId !== lead.assigneeId;
  const saved = await updateLead(req.db, user, lead, version, data, async (tx) => {
    if (reassigned) await mailLeadReassigned(deps, req, tx, { id: lead.id, title: fields.title }, data.assigneeId);
  });
  if (!saved) throw staleVersion('lead', expected);
  const fresh = await findLead(req.db, lead.id);
  if (!fresh) throw new NotFound();
  sendVersioned(res, 200, presentLead(fresh));
};

/** DELETE /api/v1/leads/:id — with its activities about it alone, as the page deletes it. */
export const deleteLeadApi: RequestHandler = async (req, res) => {
  await deleteLead(req.db, req.user!, load.lead.of(req));
  res.status(204).end();
};

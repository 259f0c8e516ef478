// The activity form: new (prefilled from ?leadId=&customerId=&kind=), create (also from a timeline's quick-log,
// which returns to the lead's or customer's page), edit, update (version-checked), and the delete confirmation.
import type { Request, RequestHandler, Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import { can, canDeleteActivity, canEditActivity, choosesCompany, seesLeadOf } from '../access/policy.ts';
import type { ScopedClient } from '../access/scope.ts';
import { formCompany, renderCompanyChoice, type FormCompany } from '../company/choices.ts';
import { conflictRows } from '../fields/form.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { isPickerSearch } from '../picker/queries.ts';
import { Forbidden, NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { optionalQueryId, parseForm, type FieldErrors } from '../web/forms.ts';
import { formatDateTime, toLocalInput } from '../web/time.ts';
import { ACTIVITY_FIELDS, KIND_LABELS, KINDS, OUTCOME_LABELS, type ActivityKind } from './fields.ts';
import {
  activityFormOptions,
  checkActivityReferences,
  findActivity,
  prefillReferences,
  type ActivityFormOptions,
  type ActivityRecord,
  withVisibleLead,
} from './queries.ts';
import { activityCreateForm, activityUpdateForm, returnPathOf, typedActivityValues } from './schema.ts';
import {
  callOnlyErrors,
  createActivity,
  deleteActivity,
  plannedFollowUp,
  updateActivity,
  type FollowUp,
} from './writes.ts';

/** The view helpers every activity page reads. */
export const activityViewHelpers = { KIND_LABELS, OUTCOME_LABELS, activityFields: ACTIVITY_FIELDS };

function valuesOf(a: ActivityRecord, timeZone: string): Record<string, string> {
  return {
    kind: a.kind,
    summary: a.summary,
    details: a.details,
    occurredAt: toLocalInput(a.occurredAt, timeZone),
    callOutcome: a.callOutcome ?? '',
    durationMinutes: a.durationMinutes === null ? '' : String(a.durationMinutes),
    leadId: a.leadId ? String(a.leadId) : '',
    customerId: a.customerId ? String(a.customerId) : '',
    version: String(a.version),
  };
}

/** The newer saved values above a 409 form: the editable descriptors' values, and when it happened. */
function conflictPairs(a: ActivityRecord, timeZone: string): [string, string][] {
  const editable = ACTIVITY_FIELDS.filter((f) => f.kind !== 'reference');
  return [...conflictRows(editable, a), ['When', formatDateTime(a.occurredAt, timeZone)]];
}

const chooseCompany = (res: Response, scoped: ScopedClient, error?: string) =>
  renderCompanyChoice(res, scoped, { action: '/activities/new', noun: 'activity', listLabel: 'Activities', error });

function renderNew(
  res: Response,
  status: number,
  locals: {
    company: FormCompany;
    values: Record<string, string>;
    options: ActivityFormOptions;
    fieldErrors?: FieldErrors;
  },
) {
  const returnTo = returnPathOf(locals.values.returnTo);
  res.status(status).render('activity/new', {
    title: 'Log an activity',
    ...activityViewHelpers,
    ...locals,
    returnTo,
    fieldErrors: locals.fieldErrors ?? {},
  });
}

/** Where a deleted activity's page sends the user: its lead, its customer, or the list. */
function afterDelete(user: CurrentUser, a: ActivityRecord): string {
  if (a.lead && seesLeadOf(user, a.lead)) return `/leads/${a.lead.id}`;
  if (a.customer && can(user, 'customer.view')) return `/customers/${a.customer.id}`;
  return '/activities';
}

export function activityFormHandlers(_deps: AppDeps) {
  /** GET /activities/new — the empty form; ?leadId= ?customerId= ?kind= preset it (a lead brings its customer). */
  const newForm: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const { lead, customer } = await prefillReferences(
      s,
      optionalQueryId(req.query.leadId),
      optionalQueryId(req.query.customerId),
    );
    const company = await formCompany(
      s,
      user,
      optionalQueryId(req.query.companyId) ?? lead?.companyId ?? customer?.companyId ?? null,
    );
    if (!company) return chooseCompany(res, s);
    const keptLead = lead?.companyId === company.id ? lead : null;
    const keptCustomerId = keptLead?.customerId ?? (customer?.companyId === company.id ? customer.id : null);
    const kind = typeof req.query.kind === 'string' && (KINDS as readonly string[]).includes(req.query.kind);
    const values: Record<string, string> = {
      kind: kind ? (req.query.kind as ActivityKind) : 'CALL',
      summary: '',
      details: '',
      occurredAt: '',
      callOutcome: '',
      durationMinutes: '',
      leadId: keptLead ? String(keptLead.id) : '',
      customerId: keptCustomerId ? String(keptCustomerId) : '',
      followUpTitle: '',
      followUpDue: '',
      companyId: String(company.id),
      returnTo: '',
    };
    const options = await activityFormOptions(s, company.id, values);
    renderNew(res, 200, { company, values, options });
  };

  /** POST /activities — logs the activity (and its follow-up task); back to returnTo or to the activity's page. */
  const create: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const values = typedActivityValues(req.body);
    const hint = choosesCompany(user) ? optionalQueryId(values.companyId) : user.companyId;
    const parsed = parseForm(activityCreateForm(user.timeZone), req.body);
    const ids = parsed.ok
      ? { leadId: parsed.data.leadId, customerId: parsed.data.customerId }
      : { leadId: optionalQueryId(values.leadId), customerId: optionalQueryId(values.customerId) };
    const refs = await checkActivityReferences(s, hint, ids);
    const company = refs.companyId === null ? null : await formCompany(s, user, refs.companyId);
    if (!company) {
      if (choosesCompany(user)) return chooseCompany(res, s, 'Choose a company, then the lead or customer.');
      throw new NotFound();
    }
    values.companyId = String(company.id);
    const rerender = async (status: number, errors: FieldErrors) => {
      const options = await activityFormOptions(s, company.id, { ...values, body: req.body });
      renderNew(res, status, { company, values, options, fieldErrors: errors });
    };
    if (isPickerSearch(req.body)) return rerender(200, {});
    const errors: FieldErrors = { ...(parsed.ok ? {} : parsed.errors), ...refs.errors };
    let followUp: FollowUp | null = null;
    if (parsed.ok) {
      const planned = plannedFollowUp(user, parsed.data, refs.leadAssigneeId);
      Object.assign(errors, callOnlyErrors(parsed.data), planned.errors);
      followUp = planned.followUp;
    }
    if (!parsed.ok || Object.keys(errors).length) return rerender(422, errors);
    const d = parsed.data;
    const { activity, task } = await createActivity(
      s,
      user,
      company.id,
      { ...d, leadId: refs.leadId, customerId: refs.customerId },
      followUp,
    );
    const planned = task ? ` Follow-up task "${task.title}" created.` : '';
    flash(req, 'success', `${KIND_LABELS[activity.kind]} "${activity.summary}" logged.${planned}`);
    res.redirect(303, returnPathOf(values.returnTo) ?? `/activities/${activity.id}`);
  };

  const mayEdit = (req: Request) => {
    const a = load.activity.of(req);
    if (!canEditActivity(req.user, a)) throw new Forbidden('Only its author and account managers edit an activity.');
    return withVisibleLead(req.user!, a);
  };
  const mayDelete = (req: Request) => {
    const a = load.activity.of(req);
    if (!canDeleteActivity(req.user, a))
      throw new Forbidden('Only its author and account managers delete an activity.');
    return withVisibleLead(req.user!, a);
  };

  const renderEdit = (
    res: Response,
    status: number,
    activity: ActivityRecord,
    values: Record<string, string>,
    extra: { fieldErrors?: FieldErrors; conflict?: [string, string][] } = {},
  ) =>
    res.status(status).render('activity/edit', {
      title: `Edit ${activity.summary}`,
      ...activityViewHelpers,
      activity,
      values,
      fieldErrors: extra.fieldErrors ?? {},
      conflict: extra.conflict ?? null,
    });

  /** GET /activities/:id/edit — the form with the saved values and the version it is based on. */
  const edit: RequestHandler = async (req, res) => {
    const activity = mayEdit(req);
    renderEdit(res, 200, activity, valuesOf(activity, req.user!.timeZone));
  };

  /** POST /activities/:id — saves if the version is current, else 409 with the newer values shown. */
  const update: RequestHandler = async (req, res) => {
    const user = req.user!;
    const activity = mayEdit(req);
    const values = typedActivityValues(req.body);
    const parsed = parseForm(activityUpdateForm(user.timeZone), req.body);
    const errors = parsed.ok ? callOnlyErrors(parsed.data) : parsed.errors;
    if (!parsed.ok || Object.keys(errors).length)
      return renderEdit(res, 422, activity, values, { fieldErrors: errors });
    const saved = await updateActivity(req.db, user, activity.id, parsed.data);
    if (!saved) {
      const current = await findActivity(req.db, activity.id);
      if (!current) throw new NotFound();
      values.version = String(current.version);
      return renderEdit(res, 409, current, values, { conflict: conflictPairs(current, user.timeZone) });
    }
    flash(req, 'success', `${KIND_LABELS[parsed.data.kind]} "${parsed.data.summary}" saved.`);
    res.redirect(303, `/activities/${activity.id}`);
  };

  /** GET /activities/:id/delete — asks before deleting. */
  const confirmDelete: RequestHandler = async (req, res) => {
    const activity = mayDelete(req);
    res.render('activity/confirm-delete', { title: `Delete ${activity.summary}`, activity, ...activityViewHelpers });
  };

  /** POST /activities/:id/delete — deletes it with its audit entry, back to its lead or customer. */
  const remove: RequestHandler = async (req, res) => {
    const activity = mayDelete(req);
    await deleteActivity(req.db, req.user!, activity.id);
    flash(req, 'success', `${KIND_LABELS[activity.kind]} "${activity.summary}" deleted.`);
    res.redirect(303, afterDelete(req.user!, activity));
  };

  return { newForm, create, edit, update, confirmDelete, remove };
}

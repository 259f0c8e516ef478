// The API's activity writes: log one on a lead or customer in scope (with the form's follow-up task), correct it
// (PATCH, version-checked) and delete it, with the page's rules and checks (src/activity: schema.ts, queries.ts,
// writes.ts: the change and its audit entry, which names the token, in one transaction; the database's triggers
// keep the lead's lastActivityAt and the figure cache's version). Only its author and account managers edit or
// delete an activity (403 for others who see it); what it is about does not change once logged.
import type { Request, RequestHandler, Response } from 'express';
import { canDeleteActivity, canEditActivity, choosesCompany } from '../access/policy.ts';
import { ACTIVITY_AUDIT, ACTIVITY_FIELDS } from '../activity/fields.ts';
import { checkActivityReferences, findActivity, type ActivityRecord } from '../activity/queries.ts';
import { activityCreateForm, activityUpdateForm } from '../activity/schema.ts';
import { callOnlyErrors, createActivity, deleteActivity, plannedFollowUp, updateActivity } from '../activity/writes.ts';
import { changedFields } from '../audit/record.ts';
import { formCompany } from '../company/choices.ts';
import { blankValues, savedValues } from '../fields/form.ts';
import { jsonFormValues } from '../fields/json.ts';
import { load } from '../loaders.ts';
import { Forbidden, NotFound } from '../web/errors.ts';
import { optionalQueryId, parseForm } from '../web/forms.ts';
import { presentActivity } from './activities.ts';
import { readOccurredAt } from './activityInput.ts';
import { expectedVersion, staleVersion } from './version.ts';
import { ApiInvalid } from './problem.ts';

/** What a PATCH may change: what happened, not what it is about. */
export const ACTIVITY_EDITABLE = ACTIVITY_FIELDS.filter((f) => f.kind !== 'reference');
const FOLLOW_UP = ['followUpTitle', 'followUpDue'] as const;

/** Sets the answer's status and ETag; returns the activity as the API shows it to the caller. */
function withEtag(req: Request, res: Response, status: number, a: ActivityRecord) {
  res.status(status).set('ETag', `"${a.version}"`);
  return presentActivity(req.user!, a);
}

/** POST /api/v1/activities — about `leadId` and/or `customerId` (in scope, else 422); optional follow-up task. */
export const createActivityApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const start = { ...blankValues(ACTIVITY_FIELDS), kind: '' };
  const { values, errors } = jsonFormValues(ACTIVITY_FIELDS, user, req.body, start, ['occurredAt', ...FOLLOW_UP]);
  if (errors._body) throw new ApiInvalid(errors);
  const body = req.body as Record<string, unknown>;
  const when = readOccurredAt(body);
  if (when.problem) errors.occurredAt = when.problem;
  for (const name of FOLLOW_UP) {
    const v = body[name];
    if (v === undefined || v === null) values[name] = '';
    else if (typeof v === 'string') values[name] = v;
    else errors[name] = 'Must be a string or null.';
  }
  const parsed = parseForm(activityCreateForm(user.timeZone), { ...values, occurredAt: '' });
  if (!parsed.ok) Object.assign(errors, parsed.errors, errors);
  const ids = parsed.ok
    ? { leadId: parsed.data.leadId, customerId: parsed.data.customerId }
    : { leadId: optionalQueryId(values.leadId), customerId: optionalQueryId(values.customerId) };
  const refs = await checkActivityReferences(req.db, choosesCompany(user) ? null : user.companyId, ids);
  Object.assign(errors, refs.errors, errors);
  if (refs.unknownLead) errors.leadId = 'Unknown lead.';
  if (refs.unknownCustomer) errors.customerId = 'Unknown customer.';
  const company = refs.companyId === null ? null : await formCompany(req.db, user, refs.companyId);
  if (parsed.ok && !company && !Object.keys(errors).length) errors.leadId = 'Its company is not active.';
  if (!parsed.ok || !company || Object.keys(errors).length) throw new ApiInvalid(errors);
  const planned = plannedFollowUp(user, parsed.data, refs.leadAssigneeId);
  Object.assign(errors, callOnlyErrors(parsed.data), planned.errors);
  if (Object.keys(errors).length) throw new ApiInvalid(errors);
  const data = { ...parsed.data, occurredAt: when.at ?? null, leadId: refs.leadId, customerId: refs.customerId };
  const { activity, task } = await createActivity(req.db, user, company.id, data, planned.followUp);
  const fresh = await findActivity(req.db, activity.id);
  if (!fresh) throw new NotFound();
  res.location(`/api/v1/activities/${activity.id}`);
  res.json({ ...withEtag(req, res, 201, fresh), followUpTask: task });
};

/** PATCH /api/v1/activities/:id — the fields sent change; the others keep their saved values. */
export const updateActivityApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const a = load.activity.of(req);
  if (!canEditActivity(user, a)) throw new Forbidden('Only its author and account managers edit an activity.');
  const expected = expectedVersion(req, a.version);
  const { version } = expected;
  const saved = savedValues(ACTIVITY_EDITABLE, a);
  const { values, errors } = jsonFormValues(ACTIVITY_EDITABLE, user, req.body, saved, ['version', 'occurredAt']);
  if (errors._body) throw new ApiInvalid(errors);
  const body = req.body as Record<string, unknown>;
  for (const name of ['leadId', 'customerId'])
    if (name in body) errors[name] = 'What an activity is about does not change: log a new one.';
  const when = readOccurredAt(body);
  if (when.problem) errors.occurredAt = when.problem;
  const parsed = parseForm(activityUpdateForm(user.timeZone), { ...values, occurredAt: '', version: String(version) });
  if (!parsed.ok) Object.assign(errors, parsed.errors, errors);
  else Object.assign(errors, callOnlyErrors(parsed.data));
  if (!parsed.ok || Object.keys(errors).length) throw new ApiInvalid(errors);
  if (version !== a.version) throw staleVersion('activity', expected);
  const d = { ...parsed.data, occurredAt: when.at ?? null };
  const call = d.kind === 'CALL';
  const after = {
    ...d,
    occurredAt: d.occurredAt ?? a.occurredAt,
    callOutcome: call ? d.callOutcome : null,
    durationMinutes: call ? d.durationMinutes : null,
  };
  // Nothing to change: answered as saved, without a new version or an empty audit entry.
  if (!Object.keys(changedFields(a, after, ACTIVITY_AUDIT.names)).length)
    return void res.json(withEtag(req, res, 200, a));
  if (!(await updateActivity(req.db, user, a.id, d))) throw staleVersion('activity', expected);
  const fresh = await findActivity(req.db, a.id);
  if (!fresh) throw new NotFound();
  res.json(withEtag(req, res, 200, fresh));
};

/** DELETE /api/v1/activities/:id — its author or an account manager (with activity.delete). */
export const deleteActivityApi: RequestHandler = async (req, res) => {
  const a = load.activity.of(req);
  if (!canDeleteActivity(req.user, a)) throw new Forbidden('Only its author and account managers delete an activity.');
  await deleteActivity(req.db, req.user!, a.id);
  res.status(204).end();
};

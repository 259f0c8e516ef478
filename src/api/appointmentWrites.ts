// The API's appointment writes: create, partial update (a move, attendees added or removed) and delete, with the
// form's own schema (appointmentForm, times read in UTC from the JSON's ISO 8601 moments through the field
// descriptors), the same reference checks, the same overlap warning (here a 409 to confirm with
// `"confirmOverlap": true`) and the same writes and mail as the pages (src/appointment/notifiedWrites.ts:
// the change, its audit entry naming the token, and the attendees' invitations or cancellations with their
// calendar files, in one transaction).
import type { Request, RequestHandler, Response } from 'express';
import { choosesCompany } from '../access/policy.ts';
import { APPOINTMENT_FIELDS } from '../appointment/fields.ts';
import { appointmentNotifiedWrites, type CheckedAppointment } from '../appointment/notifiedWrites.ts';
import type { Overlap } from '../appointment/overlap.ts';
import { ATTENDEES_NOT_IN_COMPANY, checkAppointmentReferences, findAppointment } from '../appointment/queries.ts';
import { appointmentForm, appointmentUpdateForm } from '../appointment/schema.ts';
import { AUDITED_FIELDS } from '../appointment/writes.ts';
import { changedFields } from '../audit/record.ts';
import { formCompany } from '../company/choices.ts';
import { blankValues, savedValues } from '../fields/form.ts';
import { jsonFormValues } from '../fields/json.ts';
import { load } from '../loaders.ts';
import { NotFound } from '../web/errors.ts';
import { parseForm } from '../web/forms.ts';
import { expectedVersion, staleVersion } from './version.ts';
import { presentAppointment } from './appointments.ts';
import { apiDeps } from './deps.ts';
import { ApiInvalid, ApiProblemWith } from './problem.ts';

/** The keys a body may hold beside the fields: read by these handlers themselves. */
const EXTRA = ['attendeeIds', 'confirmOverlap', 'companyId', 'version'];
const UNKNOWN_USER = 'Unknown user: attendees are active users of this company, named by their ids.';
const MAX_ID = 2_147_483_647;

type Body = { attendeeIds?: unknown; confirmOverlap?: unknown; companyId?: unknown };
const bodyOf = (req: Request): Body => (req.body && typeof req.body === 'object' ? req.body : {}) as Body;

/** The body's attendee ids as the form's checkbox values (undefined: not sent), or its problem. */
function readAttendeeIds(body: Body, errors: Record<string, string>): string[] | undefined {
  const ids = body.attendeeIds;
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids) || ids.length > 100) errors.attendeeIds = 'Must be a list of at most 100 user ids.';
  else if (!ids.every((id) => Number.isSafeInteger(id) && id > 0)) errors.attendeeIds = 'Must be user ids.';
  else if (ids.some((id) => id > MAX_ID)) errors.attendeeIds = UNKNOWN_USER;
  else return ids.map(String);
  return undefined;
}

/** The form's values from the body, checked like the form's, or a 422 with every field's problem. */
async function checkedBody(req: Request, companyId: number | null, start: Record<string, string>, saved?: Saved) {
  const user = req.user!;
  const body = bodyOf(req);
  const { values, errors } = jsonFormValues(APPOINTMENT_FIELDS, user, req.body, start, EXTRA);
  const ids = readAttendeeIds(body, errors) ?? saved?.attendees.map((x) => String(x.user.id)) ?? [];
  if (body.confirmOverlap !== undefined && typeof body.confirmOverlap !== 'boolean')
    errors.confirmOverlap = 'Must be true or false.';
  if (saved && body.companyId !== undefined) errors.companyId = 'An appointment stays in its company.';
  if (!companyId) errors.companyId = choosesCompany(user) ? 'Name an active company by its id.' : 'Unexpected.';
  const form = saved ? appointmentUpdateForm('UTC') : appointmentForm('UTC');
  const parsed = parseForm(form, { ...values, attendeeIds: ids });
  // A JSON problem (a wrong type) says more than the form's reading of what it became.
  if (!parsed.ok) for (const [k, problem] of Object.entries(parsed.errors)) errors[k] ??= problem;
  if (!parsed.ok || !companyId || Object.keys(errors).length) throw new ApiInvalid(errors);
  const existing = saved && {
    attendeeIds: saved.attendees.map((x) => x.user.id),
    customerId: saved.customerId,
    leadId: saved.leadId,
  };
  const refs = await checkAppointmentReferences(req.db, user, companyId, parsed.data, existing);
  if (refs.errors.attendeeIds === ATTENDEES_NOT_IN_COMPANY) refs.errors.attendeeIds = UNKNOWN_USER;
  if (Object.keys(refs.errors).length) throw new ApiInvalid(refs.errors);
  const d: CheckedAppointment = { ...parsed.data, leadId: refs.leadId, customerId: refs.customerId };
  return { d, attendeeIds: refs.attendeeIds, confirmed: body.confirmOverlap === true };
}
type Saved = ReturnType<typeof load.appointment.of>;

/** The attendees' other appointments at that time: the form's warning, as a 409 the caller confirms. */
function overlapProblem(overlaps: Overlap[]) {
  return new ApiProblemWith(
    409,
    'Overlapping appointments',
    'Attendees have other appointments at that time: send it again with "confirmOverlap": true to save anyway.',
    {
      overlaps: overlaps.map((o) => ({
        user: { id: o.userId, name: o.name },
        // null: busy, in an appointment the caller may not see.
        appointments:
          o.appointments?.map((a) => ({
            id: a.id,
            title: a.title,
            startsAt: a.startsAt.toISOString(),
            endsAt: a.endsAt.toISOString(),
          })) ?? null,
      })),
    },
  );
}

async function sendAppointment(req: Request, res: Response, status: number, id: number) {
  const fresh = await findAppointment(req.db, id);
  if (!fresh) throw new NotFound();
  res.status(status).set('ETag', `"${fresh.version}"`).json(presentAppointment(req.user!, fresh));
}

/** POST /api/v1/appointments — organised by the token's user; a superuser names the company with `companyId`. */
export const createAppointmentApi: RequestHandler = async (req, res) => {
  const writes = appointmentNotifiedWrites(apiDeps(res));
  const company = await formCompany(req.db, req.user!, bodyOf(req).companyId);
  const { d, attendeeIds, confirmed } = await checkedBody(req, company?.id ?? null, blankValues(APPOINTMENT_FIELDS));
  const companyId = company!.id;
  if (!confirmed) {
    const overlaps = await writes.overlapsToConfirm(req, companyId, d, attendeeIds);
    if (overlaps.length) throw overlapProblem(overlaps);
  }
  const created = await writes.create(req, companyId, d, attendeeIds);
  res.location(`/api/v1/appointments/${created.id}`);
  await sendAppointment(req, res, 201, created.id);
};

/** PATCH /api/v1/appointments/:id — the fields sent change (`attendeeIds`: the whole new list); others stay. */
export const updateAppointmentApi: RequestHandler = async (req, res) => {
  const writes = appointmentNotifiedWrites(apiDeps(res));
  const appt = load.appointment.of(req);
  const expected = expectedVersion(req, appt.version);
  const { version } = expected;
  const start = savedValues(APPOINTMENT_FIELDS, appt);
  const { d, attendeeIds, confirmed } = await checkedBody(req, appt.companyId, start, appt);
  if (version !== appt.version) throw staleVersion('appointment', expected);
  const sorted = (ids: number[]) => [...ids].sort((x, y) => x - y);
  const before = { ...appt, attendeeIds: sorted(appt.attendees.map((x) => x.user.id)) };
  // Nothing to change: answered as saved, without a new version, an audit entry or mail.
  if (!Object.keys(changedFields(before, { ...d, attendeeIds: sorted(attendeeIds) }, AUDITED_FIELDS)).length)
    return sendAppointment(req, res, 200, appt.id);
  if (!confirmed) {
    const overlaps = await writes.overlapsToConfirm(req, appt.companyId, d, attendeeIds, appt);
    if (overlaps.length) throw overlapProblem(overlaps);
  }
  if (!(await writes.update(req, appt, { ...d, version }, attendeeIds))) throw staleVersion('appointment', expected);
  await sendAppointment(req, res, 200, appt.id);
};

/** DELETE /api/v1/appointments/:id — deletes (cancels) it, as the page: its attendees get the cancellation. */
export const deleteAppointmentApi: RequestHandler = async (req, res) => {
  await appointmentNotifiedWrites(apiDeps(res)).cancel(req, load.appointment.of(req));
  res.status(204).end();
};

// The appointment form: new, create, edit, update, and delete (which tells the attendees). Overlaps
// with an attendee's other appointments are shown as a warning with a "Save anyway" button
// (confirmOverlap=1); attendees are emailed after the change is committed.
import type { RequestHandler, Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { attendsOwnAppointments, belongsToCompany } from '../access/policy.ts';
import { formCompany, renderCompanyChoice } from '../company/choices.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { isPickerSearch } from '../picker/queries.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { followUpPreset, leadLabel, recordReturnPath } from '../web/followUp.ts';
import { optionalQueryId, parseForm, type FieldErrors } from '../web/forms.ts';
import { formatDateTime, parseLocalInput, toLocalInput } from '../web/time.ts';
import { appointmentNotifiedWrites } from './notifiedWrites.ts';
import {
  appointmentFormOptions,
  checkAppointmentReferences,
  findAppointment,
  type AppointmentFormOptions,
  type LoadedAppointment,
} from './queries.ts';
import { appointmentForm, appointmentUpdateForm, typedAppointmentValues, type AppointmentValues } from './schema.ts';

function valuesOf(a: LoadedAppointment, tz: string): AppointmentValues {
  return {
    title: a.title,
    customerId: a.customerId ? String(a.customerId) : '',
    leadId: a.leadId ? String(a.leadId) : '',
    companyId: String(a.companyId),
    startsAt: toLocalInput(a.startsAt, tz),
    endsAt: toLocalInput(a.endsAt, tz),
    location: a.location,
    notes: a.notes,
    attendeeIds: a.attendees.map((x) => String(x.user.id)),
    version: String(a.version),
    returnTo: '',
  };
}

function conflictPairs(a: LoadedAppointment, user: CurrentUser): [string, string][] {
  const tz = user.timeZone;
  return [
    ['Title', a.title],
    ['Start', formatDateTime(a.startsAt, tz)],
    ['End', formatDateTime(a.endsAt, tz)],
    ['Location', a.location],
    ['Customer', a.customer?.name ?? ''],
    ['Lead', leadLabel(user, a.lead)],
    ['Attendees', a.attendees.map((x) => x.user.name).join(', ')],
    ['Notes', a.notes],
  ];
}

const chooseCompany = (res: Response, scoped: ScopedClient, error?: string) =>
  renderCompanyChoice(res, scoped, { action: '/appointments/new', noun: 'appointment', error });

export function appointmentFormHandlers(deps: AppDeps) {
  const locals = (user: CurrentUser, company: { id: number; name: string }, options: AppointmentFormOptions) => ({
    company,
    options,
    isStaff: attendsOwnAppointments(user),
    overlaps: [],
    fieldErrors: {} as FieldErrors,
  });
  const writes = appointmentNotifiedWrites(deps);

  /**
   * GET /appointments/new — the empty form (?date=YYYY-MM-DD proposes 09:00–10:00 that day; a superuser picks the
   * company first). Opened from a record ("Schedule meeting"): ?leadId= and ?customerId= preset the lead and
   * customer when the user may see them (else they are ignored), the lead's assignee is proposed as an attendee,
   * and ?returnTo= (that record's page) is kept for after saving.
   */
  const newForm: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const { company, lead, customerId } = await followUpPreset(s, user, req.query);
    if (!company) return chooseCompany(res, s);
    const day = typeof req.query.date === 'string' ? parseLocalInput(req.query.date, user.timeZone) : null;
    const at = (hour: number) => (day ? toLocalInput(new Date(day.getTime() + hour * 3600_000), user.timeZone) : '');
    const attendees = new Set(belongsToCompany(user) ? [String(user.id)] : []);
    if (lead) attendees.add(String(lead.assigneeId));
    const values: AppointmentValues = {
      title: '',
      customerId: customerId ? String(customerId) : '',
      leadId: lead ? String(lead.id) : '',
      companyId: String(company.id),
      startsAt: at(9),
      endsAt: at(10),
      location: '',
      notes: '',
      attendeeIds: [...attendees],
      version: '',
      returnTo: recordReturnPath(req.query.returnTo) ?? '',
    };
    const options = await appointmentFormOptions(s, user, company.id, { customerId, leadId: lead?.id });
    res.render('appointment/new', { title: 'New appointment', values, ...locals(user, company, options) });
  };

  /** POST /appointments — creates the appointment (after an overlap warning, if any) and invites the attendees. */
  const create: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const values = typedAppointmentValues(req.body);
    const company = await formCompany(s, user, optionalQueryId(values.companyId));
    if (!company) return chooseCompany(res, s, 'Choose a company.');
    const formOptions = () =>
      appointmentFormOptions(s, user, company.id, {
        customerId: values.customerId,
        leadId: values.leadId,
        body: req.body,
      });
    const render = async (status: number, extra: Record<string, unknown>) => {
      const options = await formOptions();
      res
        .status(status)
        .render('appointment/new', { title: 'New appointment', values, ...locals(user, company, options), ...extra });
    };
    if (isPickerSearch(req.body)) return render(200, {});
    const parsed = parseForm(appointmentForm(user.timeZone), req.body);
    if (!parsed.ok) return render(422, { fieldErrors: parsed.errors });
    const refs = await checkAppointmentReferences(s, user, company.id, parsed.data);
    if (Object.keys(refs.errors).length) return render(422, { fieldErrors: refs.errors });
    const d = { ...parsed.data, leadId: refs.leadId, customerId: refs.customerId };
    if (req.body?.confirmOverlap !== '1') {
      const overlaps = await writes.overlapsToConfirm(req, company.id, d, refs.attendeeIds);
      if (overlaps.length) return render(200, { overlaps });
    }
    const appt = await writes.create(req, company.id, d, refs.attendeeIds);
    flash(req, 'success', `Appointment "${appt.title}" created.`);
    // Opened from a lead's or customer's page: back to it; any other address is not followed.
    res.redirect(303, recordReturnPath(values.returnTo) ?? `/appointments/${appt.id}`);
  };

  /** GET /appointments/:id/edit — the form with the saved values and the version it is based on. */
  const edit: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const appt = load.appointment.of(req);
    const keep = {
      attendees: appt.attendees,
      customerId: appt.customerId,
      leadId: appt.leadId,
      savedLeadId: appt.leadId,
    };
    const options = await appointmentFormOptions(s, user, appt.companyId, keep);
    res.render('appointment/edit', {
      title: `Edit ${appt.title}`,
      appointment: appt,
      values: valuesOf(appt, user.timeZone),
      ...locals(user, appt.company, options),
    });
  };

  /**
   * POST /appointments/:id — saves if the version is current (else 409); mails invited, moved and removed attendees.
   */
  const update: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const appt = load.appointment.of(req);
    const id = appt.id;
    const values = typedAppointmentValues(req.body);
    const render = async (status: number, shown: LoadedAppointment, extra: Record<string, unknown>) => {
      const keep = {
        attendees: shown.attendees,
        customerId: values.customerId,
        leadId: values.leadId,
        savedLeadId: shown.leadId,
        body: req.body,
      };
      const options = await appointmentFormOptions(s, user, shown.companyId, keep);
      res.status(status).render('appointment/edit', {
        title: `Edit ${shown.title}`,
        appointment: shown,
        values,
        ...locals(user, shown.company, options),
        ...extra,
      });
    };
    if (isPickerSearch(req.body)) return render(200, appt, {});
    const parsed = parseForm(appointmentUpdateForm(user.timeZone), req.body);
    if (!parsed.ok) return render(422, appt, { fieldErrors: parsed.errors });
    const beforeIds = appt.attendees.map((x) => x.user.id);
    const refs = await checkAppointmentReferences(s, user, appt.companyId, parsed.data, {
      attendeeIds: beforeIds,
      customerId: appt.customerId,
      leadId: appt.leadId,
    });
    if (Object.keys(refs.errors).length) return render(422, appt, { fieldErrors: refs.errors });
    const d = { ...parsed.data, leadId: refs.leadId, customerId: refs.customerId };
    if (req.body?.confirmOverlap !== '1') {
      const overlaps = await writes.overlapsToConfirm(req, appt.companyId, d, refs.attendeeIds, appt);
      if (overlaps.length) return render(200, appt, { overlaps });
    }
    const saved = await writes.update(req, appt, d, refs.attendeeIds);
    if (!saved) {
      const current = await findAppointment(s, id);
      if (!current) throw new NotFound();
      values.version = String(current.version);
      return render(409, current, { conflict: conflictPairs(current, user) });
    }
    flash(req, 'success', `Appointment "${d.title}" saved.`);
    res.redirect(303, `/appointments/${id}`);
  };

  /** GET /appointments/:id/delete — asks before cancelling, naming who will be told. */
  const confirmDelete: RequestHandler = async (req, res) => {
    const appt = load.appointment.of(req);
    res.render('appointment/confirm-delete', { title: `Delete ${appt.title}`, appointment: appt });
  };

  /** POST /appointments/:id/delete — deletes (cancels) the appointment and emails its attendees. */
  const remove: RequestHandler = async (req, res) => {
    const user = req.user!;
    const appt = load.appointment.of(req);
    await writes.cancel(req, appt);
    const told = appt.attendees.some((x) => x.user.id !== user.id)
      ? ' Its attendees are emailed that it is cancelled.'
      : '';
    flash(req, 'success', `Appointment "${appt.title}" deleted.${told}`);
    res.redirect(303, '/appointments');
  };

  return { newForm, create, edit, update, confirmDelete, remove };
}

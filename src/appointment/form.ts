// The appointment form: new, create, edit, update, and delete (which tells the attendees). Overlaps
// with an attendee's other appointments are shown as a warning with a "Save anyway" button
// (confirmOverlap=1); attendees are emailed after the change is committed.
import type { RequestHandler, Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient, ScopedTx } from '../access/scope.ts';
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
import { notifyAttendees, type Recipient } from './notify.ts';
import { findOverlaps } from './overlap.ts';
import {
  appointmentFormOptions,
  checkAppointmentReferences,
  findAppointment,
  type AppointmentFormOptions,
  type LoadedAppointment,
} from './queries.ts';
import { createAppointment, deleteAppointment, updateAppointment } from './writes.ts';
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

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

export function appointmentFormHandlers(deps: AppDeps) {
  const locals = (user: CurrentUser, company: { id: number; name: string }, options: AppointmentFormOptions) => ({
    company,
    options,
    isStaff: attendsOwnAppointments(user),
    overlaps: [],
    fieldErrors: {} as FieldErrors,
  });
  const recipients = (s: ScopedClient | ScopedTx, ids: number[]): Promise<Recipient[]> =>
    ids.length
      ? s.user.findMany({
          where: { id: { in: ids } },
          select: { id: true, email: true, name: true, timeZone: true, role: true },
        })
      : Promise.resolve([]);

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
      const options = await formOptions();
      const names = new Map(options.people.map((p) => [p.id, p.name]));
      const overlaps = await findOverlaps(
        deps,
        s,
        user,
        { companyId: company.id, startsAt: d.startsAt!, endsAt: d.endsAt!, attendeeIds: refs.attendeeIds },
        names,
      );
      if (overlaps.length)
        return res.render('appointment/new', {
          title: 'New appointment',
          values,
          ...locals(user, company, options),
          overlaps,
        });
    }
    const appt = await createAppointment(s, user, company.id, d, refs.attendeeIds, async (tx, a) => {
      const invited = await recipients(tx, refs.attendeeIds);
      await notifyAttendees(deps, req, tx, { ...a, organiser: user, attendees: invited }, { invited });
    });
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
    const moved = d.startsAt!.getTime() !== appt.startsAt.getTime() || d.endsAt!.getTime() !== appt.endsAt.getTime();
    if (req.body?.confirmOverlap !== '1' && (moved || !sameSet(refs.attendeeIds, beforeIds))) {
      const names = new Map(
        (await appointmentFormOptions(s, user, appt.companyId, { attendees: appt.attendees })).people.map((p) => [
          p.id,
          p.name,
        ]),
      );
      const overlaps = await findOverlaps(
        deps,
        s,
        user,
        {
          companyId: appt.companyId,
          startsAt: d.startsAt!,
          endsAt: d.endsAt!,
          attendeeIds: refs.attendeeIds,
          excludeId: id,
        },
        names,
      );
      if (overlaps.length) return render(200, appt, { overlaps });
    }
    const saved = await updateAppointment(s, user, id, d, refs.attendeeIds, async (tx, saved) => {
      const people = await recipients(tx, [...new Set([...refs.attendeeIds, ...saved.removed])]);
      const pick = (ids: number[]) => people.filter((p) => ids.includes(p.id));
      await notifyAttendees(
        deps,
        req,
        tx,
        {
          id,
          title: d.title,
          startsAt: d.startsAt!,
          endsAt: d.endsAt!,
          location: d.location,
          notes: d.notes,
          // The saved version: the calendar files' SEQUENCE grows with it.
          version: d.version + 1,
          // An invitation needs an organiser (RFC 5546): when the organiser's account is gone, whoever changes it.
          organiser: appt.organiser ?? user,
          attendees: pick(refs.attendeeIds),
        },
        {
          invited: pick(saved.added),
          moved: saved.moved ? pick(refs.attendeeIds.filter((u) => saved.oldIds.includes(u))) : [],
          // Removed attendees are told the time they no longer need to keep free.
          removed: pick(saved.removed),
          previous: saved.previous,
        },
      );
    });
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
    const s = req.db;
    const appt = load.appointment.of(req);
    const id = appt.id;
    const attendees = appt.attendees.map((x) => x.user);
    const cancelled = { ...appt, version: appt.version + 1, organiser: appt.organiser ?? user, attendees };
    await deleteAppointment(
      s,
      user,
      id,
      appt.attendees.map((x) => x.user.id),
      // The cancellation is one more change: its SEQUENCE is above the last invitation's.
      (tx) => notifyAttendees(deps, req, tx, cancelled, { cancelled: attendees }),
    );
    const told = appt.attendees.some((x) => x.user.id !== user.id)
      ? ' Its attendees are emailed that it is cancelled.'
      : '';
    flash(req, 'success', `Appointment "${appt.title}" deleted.${told}`);
    res.redirect(303, '/appointments');
  };

  return { newForm, create, edit, update, confirmDelete, remove };
}

// Appointment list (upcoming / past), CSV export, detail and delete (which tells the attendees).
import type { Request, RequestHandler } from 'express';
import { recordAudit, removedFields } from '../audit/record.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { activeCompanyUsers, type UserOption } from '../user/options.ts';
import { NotFound } from '../web/errors.ts';
import { flash, redirectAfterSave } from '../web/flash.ts';
import { companyFilterOptions } from '../company/choices.ts';
import { CSV_MAX_ROWS, exportHref, fetchListPage, listHref, pageWindow, parseListQuery, sendCsv, sortLink } from '../web/list.ts';
import { notifyAttendees } from './notify.ts';
import {
  AUDITED_FIELDS, appointmentListSelect, appointmentListWhere, appointmentOrderBy, seesOthersAppointments, whenOf,
} from './queries.ts';
import { appointmentListSpec, WHEN_CHOICES, WHEN_LABELS } from './schema.ts';

const BASE = '/appointments';

/** The list query; past appointments read newest first unless the user chose a direction. */
function listQuery(req: Request) {
  const query = parseListQuery(req.query, appointmentListSpec);
  if (req.query.dir === undefined && whenOf(query) === 'past') query.dir = 'desc';
  return query;
}

export function appointmentHandlers(deps: AppDeps) {

  /** GET /appointments — upcoming (or past, or all) appointments in scope: search, filters, sort, pages. */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const query = listQuery(req);
    const where = appointmentListWhere(user, query, new Date());
    const { rows: appointments, pagination } = await fetchListPage(BASE, query, () => s.appointment.count({ where }),
      (page) => s.appointment.findMany({ where, select: appointmentListSelect, orderBy: appointmentOrderBy(query), ...pageWindow({ ...query, page }) }));
    const filterCompanyId = user.role === 'SUPERUSER' ? (query.filters.companyId ? Number(query.filters.companyId) : null) : user.companyId;
    let people: UserOption[] = [];
    let companies: { id: number; name: string }[] = [];
    if (seesOthersAppointments(user) && filterCompanyId) people = await activeCompanyUsers(s, filterCompanyId);
    if (user.role === 'SUPERUSER') companies = await companyFilterOptions(s);
    res.render('appointment/index', {
      title: 'Appointments', appointments, query, when: whenOf(query), people, companies,
      showCompany: user.role === 'SUPERUSER', seesOthers: seesOthersAppointments(user),
      pagination,
      sort: Object.fromEntries(appointmentListSpec.sorts.map((c) => [c, sortLink(BASE, query, c)])),
      whenTabs: WHEN_CHOICES.map((w) => ({ label: WHEN_LABELS[w], href: listHref(BASE, query, { when: w === 'upcoming' ? null : w, page: null, dir: null }), active: whenOf(query) === w })),
      exportHref: exportHref(BASE, query),
    });
  };

  /** GET /appointments/export.csv — exactly the filtered rows of the list, times in the user's zone. */
  const exportCsv: RequestHandler = async (req, res) => {
    const user = req.user!;
    const query = listQuery(req);
    const rows = await req.db.appointment.findMany({
      where: appointmentListWhere(user, query, new Date()), select: appointmentListSelect, orderBy: appointmentOrderBy(query), take: CSV_MAX_ROWS,
    });
    const superuser = user.role === 'SUPERUSER';
    sendCsv(res, {
      filename: 'appointments.csv', timeZone: user.timeZone,
      columns: ['id', 'title', { time: 'start' }, { time: 'end' }, 'location', 'customer', 'attendees', 'organiser', ...(superuser ? ['company'] : [])],
      rows: rows.map((a) => [a.id, a.title, a.startsAt, a.endsAt, a.location, a.customer?.name,
        a.attendees.map((x) => x.user.name).join('; '), a.organiser?.name, ...(superuser ? [a.company.name] : [])]),
    });
  };

  /** GET /appointments/:id — the appointment with its attendees, customer and organiser. */
  const show: RequestHandler = async (req, res) => {
    const appt = load.appointment.of(req);
    res.render('appointment/show', { title: appt.title, appointment: appt });
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
    await s.$transaction(async (tx) => {
      const before = await tx.appointment.findUnique({ where: { id } });
      if (!before) throw new NotFound();
      await tx.appointment.delete({ where: { id } });
      await recordAudit(tx, user, {
        action: 'delete', model: 'Appointment', recordId: id, companyId: before.companyId,
        changes: removedFields({ ...before, attendeeIds: appt.attendees.map((x) => x.user.id) }, AUDITED_FIELDS),
      });
    });
    const told = appt.attendees.some((x) => x.user.id !== user.id) ? ' Its attendees are emailed that it is cancelled.' : '';
    flash(req, 'success', `Appointment "${appt.title}" deleted.${told}`);
    await notifyAttendees(deps, req, appt, { cancelled: appt.attendees.map((x) => x.user) });
    await redirectAfterSave(req, res, BASE);
  };

  return { list, exportCsv, show, confirmDelete, remove };
}

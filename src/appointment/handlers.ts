// Appointment list (upcoming / past), CSV export and detail.
import { seesOthersRows, spansCompanies } from '../access/policy.ts';
import type { Request, RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { CSV_MAX_ROWS, exportHref, fetchListPage, listHref, parseListQuery, sendCsv } from '../web/list.ts';
import { HIDDEN_LEAD, leadLabel, shownLead } from '../web/followUp.ts';
import { peopleAndCompanyFilters, sortLinks } from '../web/listFilters.ts';
import { appointmentListSelect, appointmentListWhere, appointmentOrderBy, whenOf } from './queries.ts';
import { appointmentListReaders } from './readSql.ts';
import { appointmentListSpec, appointmentListSpecFor, WHEN_CHOICES, WHEN_LABELS } from './schema.ts';

const BASE = '/appointments';

/** The list query; past appointments read newest first unless the user chose a direction. */
const listQuery = (req: Request) => parseListQuery(req.query, appointmentListSpecFor(req.query.when));

export function appointmentHandlers(deps: AppDeps) {
  /** GET /appointments — upcoming (or past, or all) appointments in scope: search, filters, sort, pages. */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const query = listQuery(req);
    const where = appointmentListWhere(user, query, new Date());
    const readers = appointmentListReaders(req.sql, req.db, where, query);
    // The page and the filter choices side by side.
    const [{ rows, pagination }, { people, companies }] = await Promise.all([
      fetchListPage(BASE, query, readers.count, readers.page),
      peopleAndCompanyFilters(req, deps.db, user, query),
    ]);
    // A row's lead only if the user may see it (a staff user's appointment may point at a colleague's lead).
    const appointments = rows.map((a) => ({ ...a, lead: shownLead(user, a.lead) }));
    res.render('appointment/index', {
      title: 'Appointments',
      appointments,
      query,
      when: whenOf(query),
      people,
      companies,
      showCompany: spansCompanies(user),
      seesOthers: seesOthersRows(user),
      pagination,
      sort: sortLinks(BASE, query, appointmentListSpec.sorts),
      whenTabs: WHEN_CHOICES.map((w) => ({
        label: WHEN_LABELS[w],
        href: listHref(BASE, query, { when: w === 'upcoming' ? null : w, page: null, dir: null }),
        active: whenOf(query) === w,
      })),
      exportHref: exportHref(BASE, query),
    });
  };

  /** GET /appointments/export.csv — exactly the filtered rows of the list, times in the user's zone. */
  const exportCsv: RequestHandler = async (req, res) => {
    const user = req.user!;
    const query = listQuery(req);
    const rows = await req.db.appointment.findMany({
      where: appointmentListWhere(user, query, new Date()),
      select: appointmentListSelect,
      orderBy: appointmentOrderBy(query),
      take: CSV_MAX_ROWS,
    });
    const superuser = spansCompanies(user);
    sendCsv(res, {
      filename: 'appointments.csv',
      timeZone: user.timeZone,
      columns: [
        'id',
        'title',
        { time: 'start' },
        { time: 'end' },
        'location',
        'customer',
        'lead',
        'attendees',
        'organiser',
        ...(superuser ? ['company'] : []),
      ],
      rows: rows.map((a) => [
        a.id,
        a.title,
        a.startsAt,
        a.endsAt,
        a.location,
        a.customer?.name,
        leadLabel(user, a.lead),
        a.attendees.map((x) => x.user.name).join('; '),
        a.organiser?.name,
        ...(superuser ? [a.company.name] : []),
      ]),
    });
  };

  /** GET /appointments/:id — the appointment with its attendees, customer, lead (if the user may see it), organiser. */
  const show: RequestHandler = async (req, res) => {
    const appt = load.appointment.of(req);
    const lead = shownLead(req.user!, appt.lead);
    res.render('appointment/show', {
      title: appt.title,
      appointment: appt,
      lead,
      // A lead the user may not see (a colleague's, for staff): said, never named.
      hiddenLead: appt.lead && !lead ? HIDDEN_LEAD : null,
    });
  };

  return { list, exportCsv, show };
}

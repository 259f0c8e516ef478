// The appointment reads of the pages opened all day, in SQL through req.sql (src/access/scopedSql.ts says why):
// the list's page and total, the week's cells and the dashboards' lists of the next appointments with their
// attendees' names. Each is the Prisma query it replaced, written from the same `where` and `select`
// (src/db/selectSql.ts translates them and refuses shapes it does not know); staff's rule (the appointments they
// attend) is the access core's, as an EXISTS (readScopeSql). tests/appointment/readSql.test.ts compares every read
// with Prisma's for every role.
import type { ScopedSql } from '../access/scopedSql.ts';
import type { ScopedClient } from '../access/scope.ts';
import { orderSql, selection, type TableSql, whereSql } from '../db/selectSql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { type ListQuery, pageWindow } from '../web/list.ts';
import { appointmentListSelect, type appointmentListWhere, appointmentOrderBy } from './queries.ts';

const ATTENDEE_TABLE: TableSql = {
  table: 'AppointmentAttendee',
  relations: {},
  times: new Set(),
  days: new Set(),
  amounts: new Set(),
};

export const APPOINTMENT_TABLE: TableSql = {
  table: 'Appointment',
  relations: {
    company: { table: 'Company', key: 'companyId' },
    customer: { table: 'Customer', key: 'customerId' },
    lead: { table: 'Lead', key: 'leadId' },
    organiser: { table: 'User', key: 'organiserId' },
  },
  children: { attendees: { table: ATTENDEE_TABLE, key: 'appointmentId' } },
  times: new Set(['startsAt', 'endsAt', 'createdAt', 'updatedAt']),
  days: new Set(),
  amounts: new Set(),
};

/** By start, then id: every list of appointments these reads serve. */
const BY_START = orderSql(APPOINTMENT_TABLE, 'a', [{ startsAt: 'asc' }, { id: 'asc' }]);

/** The attendees' names of row `a`, in the order of their user ids, as a JSON array. */
const ATTENDEE_NAMES = `(SELECT coalesce(json_agg(u."name" ORDER BY x."userId"), '[]'::json)
  FROM "AppointmentAttendee" x JOIN "User" u ON u."id" = x."userId" WHERE x."appointmentId" = a."id")`;

type Where = Record<string, unknown>;
type Row = Record<string, unknown>;

/**
 * `findMany({ where, select, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], take })`, each row with
 * `attendeeNames` (its attendees' names by user id) when asked.
 */
export async function appointmentRowsSql<R>(
  sql: ScopedSql,
  where: Where,
  select: Record<string, unknown>,
  take: number,
  options: { attendeeNames?: boolean } = {},
): Promise<R[]> {
  const list = selection(APPOINTMENT_TABLE, 'a', select);
  const names = options.attendeeNames ? `, ${ATTENDEE_NAMES} AS "attendeeNames"` : '';
  const rows = await sql.select<Row>(
    'Appointment',
    'a',
    (scope) => Prisma.sql`SELECT ${Prisma.raw(list.columns + names)} FROM "Appointment" a ${Prisma.raw(list.joins)}
      WHERE ${scope} AND ${whereSql(APPOINTMENT_TABLE, 'a', where)} ORDER BY ${Prisma.raw(BY_START)} LIMIT ${take}`,
  );
  return rows.map((r) => {
    const out = list.read(r);
    if (options.attendeeNames) out.attendeeNames = r.attendeeNames;
    return out as R;
  });
}

/** `count({ where })`; `together` as ScopedSql's select says. */
export async function appointmentCountSql(
  sql: ScopedSql,
  where: Where,
  options: { together?: boolean } = {},
): Promise<number> {
  const condition = whereSql(APPOINTMENT_TABLE, 'a', where);
  const [row] = await sql.select<{ n: number }>(
    'Appointment',
    'a',
    (scope) => Prisma.sql`SELECT count(*)::int AS n FROM "Appointment" a WHERE ${scope} AND ${condition}`,
    options,
  );
  return row.n;
}

type AppointmentListWhere = ReturnType<typeof appointmentListWhere>;
type AppointmentListQuery = Parameters<typeof appointmentOrderBy>[0] & ListQuery<string, string>;
type AppointmentListRow = Prisma.AppointmentGetPayload<{ select: typeof appointmentListSelect }>;

/** appointmentListSelect but its attendees (a to-many relation, read as JSON below). */
const { attendees: _attendees, ...LIST_ONE_TO_ONE } = appointmentListSelect;
const LIST = selection(APPOINTMENT_TABLE, 'a', LIST_ONE_TO_ONE);
/** The attendees of row `a` as appointmentListSelect reads them: `{ user: { id, name } }` by name (then id). */
const ATTENDEES = `(SELECT coalesce(json_agg(
    json_build_object('user', json_build_object('id', u."id", 'name', u."name")) ORDER BY u."name", u."id"), '[]'::json)
  FROM "AppointmentAttendee" x JOIN "User" u ON u."id" = x."userId" WHERE x."appointmentId" = a."id") AS "attendees"`;

/** Whether the list's filters translate (a text search does not: it stays with Prisma). */
const appointmentListInSql = (query: AppointmentListQuery) => !query.q;

/** One page of the list, as `findMany({ where, select: appointmentListSelect, orderBy, skip, take })` reads it. */
export async function appointmentListPageSql(
  sql: ScopedSql,
  where: AppointmentListWhere,
  query: AppointmentListQuery,
  page: number,
): Promise<AppointmentListRow[]> {
  const window = pageWindow({ ...query, page });
  const order = Prisma.raw(orderSql(APPOINTMENT_TABLE, 'a', appointmentOrderBy(query)));
  const rows = await sql.select<Row>(
    'Appointment',
    'a',
    (scope) => Prisma.sql`SELECT ${Prisma.raw(`${LIST.columns}, ${ATTENDEES}`)} FROM "Appointment" a
      ${Prisma.raw(LIST.joins)} WHERE ${scope} AND ${whereSql(APPOINTMENT_TABLE, 'a', where)}
      ORDER BY ${order} LIMIT ${window.take} OFFSET ${window.skip}`,
  );
  return rows.map((r) => ({ ...LIST.read(r), attendees: r.attendees }) as AppointmentListRow);
}

/** The list's page and total through SQL where they translate, else through the scoped client. */
export function appointmentListReaders(
  sql: ScopedSql,
  scoped: ScopedClient,
  where: AppointmentListWhere,
  query: AppointmentListQuery,
) {
  if (appointmentListInSql(query))
    return {
      count: () => appointmentCountSql(sql, where),
      page: (page: number) => appointmentListPageSql(sql, where, query, page),
    };
  return {
    count: () => scoped.appointment.count({ where }),
    page: (page: number) =>
      scoped.appointment.findMany({
        where,
        select: appointmentListSelect,
        orderBy: appointmentOrderBy(query),
        ...pageWindow({ ...query, page }),
      }),
  };
}

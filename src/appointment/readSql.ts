// The appointment reads of the pages opened all day, in SQL through req.sql (src/access/scopedSql.ts says why):
// the week's cells and the dashboards' lists of the next appointments with their attendees' names. Each is the
// Prisma query it replaced, written from the same `where` and `select` (src/db/selectSql.ts translates them and
// refuses shapes it does not know); staff's rule (the appointments they attend) is the access core's, as an
// EXISTS (readScopeSql). tests/appointment/readSql.test.ts compares every read with Prisma's for every role.
import type { ScopedSql } from '../access/scopedSql.ts';
import { orderSql, selection, type TableSql, whereSql } from '../db/selectSql.ts';
import { Prisma } from '../generated/prisma/client.ts';

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

/** `count({ where })`. */
export async function appointmentCountSql(sql: ScopedSql, where: Where): Promise<number> {
  const condition = whereSql(APPOINTMENT_TABLE, 'a', where);
  const [row] = await sql.select<{ n: number }>(
    'Appointment',
    'a',
    (scope) => Prisma.sql`SELECT count(*)::int AS n FROM "Appointment" a WHERE ${scope} AND ${condition}`,
  );
  return row.n;
}

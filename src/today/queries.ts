// "My day": what one person has on today, in their time zone, through the viewer's scoped client
// (staff read their own rows; an account manager may read a colleague's). One statement per block,
// each bounded by a `take`, so the page costs the same however much work the person holds.
import { TZDate } from '@date-fns/tz';
import { addDays, startOfDay } from 'date-fns';
import type { CurrentUser } from '../access/currentUser.ts';
import { can } from '../access/policy.ts';
import type { ScopedClient } from '../access/scope.ts';
import { LONGEST_APPOINTMENT_MS } from '../appointment/week.ts';
import type { ScopedSql } from '../access/scopedSql.ts';
import { orderSql, selection, whereSql } from '../db/selectSql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { TASK_TABLE } from '../task/listSql.ts';

/** Rows shown per block; one more is read to know there are more. */
export const TASKS_SHOWN = 20;
export const APPOINTMENTS_SHOWN = 20;
export const LEADS_SHOWN = 10;

const OPEN_LEAD = { in: ['NEW', 'CONTACTED', 'QUALIFIED'] as ('NEW' | 'CONTACTED' | 'QUALIFIED')[] };

/** Whose day a page shows: the person, and the zone their day is counted in. */
export type DayOwner = { id: number; name: string; timeZone: string };

/** The start and end of today and the start of yesterday, in `timeZone`, as UTC instants. */
export function dayBounds(now: Date, timeZone: string): { start: Date; end: Date; yesterday: Date } {
  const start = startOfDay(new TZDate(now, timeZone));
  return {
    start: new Date(start.getTime()),
    end: new Date(addDays(start, 1).getTime()),
    yesterday: new Date(addDays(start, -1).getTime()),
  };
}

/** Up to `shown` rows and whether more exist (the query read one more). */
function capped<T>(rows: T[], shown: number): { rows: T[]; more: boolean } {
  return { rows: rows.slice(0, shown), more: rows.length > shown };
}

const taskSelect = {
  id: true,
  title: true,
  dueAt: true,
  priority: true,
  status: true,
  // The customer only: the companies' shared directory. A linked lead is not joined in, as nested
  // relations are not scoped and a task's lead may be a colleague's; the task page shows it to those who see it.
  customer: { select: { id: true, name: true } },
} as const;

const dayTasksWhere = (ownerId: number, end: Date) =>
  ({ assigneeId: ownerId, status: { not: 'DONE' }, dueAt: { lt: end } }) as const;
const DAY_TASKS_ORDER = [{ dueAt: 'asc' }, { id: 'asc' }] as const;

/** The person's open tasks due before the end of today (overdue first), split into overdue and due today. */
export async function dayTasks(scoped: ScopedClient, ownerId: number, now: Date, end: Date) {
  const rows = await scoped.task.findMany({
    where: dayTasksWhere(ownerId, end),
    orderBy: [...DAY_TASKS_ORDER],
    take: TASKS_SHOWN + 1,
    select: taskSelect,
  });
  return splitTasks(rows, now);
}

const DAY_TASKS_SQL = selection(TASK_TABLE, 't', taskSelect);

/**
 * dayTasks read in SQL through the request's scoped reads (the staff dashboard's, on every visit), asked `together`
 * with the dashboard's other reads: the rows come back in no order and are put back in DAY_TASKS_ORDER's here.
 */
export async function dayTasksSql(sql: ScopedSql, ownerId: number, now: Date, end: Date) {
  const order = orderSql(TASK_TABLE, 't', [...DAY_TASKS_ORDER]);
  const rows = await sql.select<Record<string, unknown>>(
    'Task',
    't',
    (scope) => Prisma.sql`SELECT ${Prisma.raw(DAY_TASKS_SQL.columns)} FROM "Task" t
      ${Prisma.raw(DAY_TASKS_SQL.joins)} WHERE ${scope} AND ${whereSql(TASK_TABLE, 't', dayTasksWhere(ownerId, end))}
      ORDER BY ${Prisma.raw(order)} LIMIT ${TASKS_SHOWN + 1}`,
    { together: true },
  );
  const tasks = (rows.map(DAY_TASKS_SQL.read) as DayTaskRow[]).sort(
    (a, b) => a.dueAt!.getTime() - b.dueAt!.getTime() || a.id - b.id,
  );
  return splitTasks(tasks, now);
}

export type DayTaskRow = Prisma.TaskGetPayload<{ select: typeof taskSelect }>;

/** Overdue (due before now) and due later today, from rows ordered by due time. */
export function splitTasks(rows: DayTaskRow[], now: Date) {
  const { rows: shown, more } = capped(rows, TASKS_SHOWN);
  return {
    overdue: shown.filter((t) => t.dueAt! < now),
    today: shown.filter((t) => t.dueAt! >= now),
    more,
  };
}

const appointmentSelect = {
  id: true,
  title: true,
  startsAt: true,
  endsAt: true,
  location: true,
  customer: { select: { id: true, name: true } },
} as const;

/** The appointments the person attends that overlap today, by start time. */
export async function dayAppointments(scoped: ScopedClient, ownerId: number, start: Date, end: Date) {
  const rows = await scoped.appointment.findMany({
    where: {
      attendees: { some: { userId: ownerId } },
      // The lower bound keeps the read a range of the (companyId, startsAt) index.
      startsAt: { gte: new Date(start.getTime() - LONGEST_APPOINTMENT_MS), lt: end },
      endsAt: { gt: start },
    },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: APPOINTMENTS_SHOWN + 1,
    select: appointmentSelect,
  });
  return capped(rows, APPOINTMENTS_SHOWN);
}

const leadSelect = {
  id: true,
  title: true,
  contactName: true,
  organisation: true,
  status: true,
  lastActivityAt: true,
  createdAt: true,
  assignedAt: true,
} as const;

/**
 * The person's open leads with no open task (Lead.nextTaskId, kept by triggers), the longest quiet first.
 * `closedAt: null` says "open" again (the Lead_stage trigger clears it for every open status) as a literal
 * IS NULL, which the partial index Lead_idle_idx needs to be chosen: the statuses go as parameters.
 */
export async function leadsWithoutNextStep(scoped: ScopedClient, ownerId: number) {
  const rows = await scoped.lead.findMany({
    where: { assigneeId: ownerId, status: OPEN_LEAD, nextTaskId: null, closedAt: null },
    orderBy: [{ lastActivityAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }, { id: 'asc' }],
    take: LEADS_SHOWN + 1,
    select: leadSelect,
  });
  return capped(rows, LEADS_SHOWN);
}

/**
 * Leads given to the person since the start of yesterday in their zone (created for them or reassigned to
 * them: Lead.assignedAt, kept by the database), the latest first.
 */
export async function newLeads(scoped: ScopedClient, ownerId: number, since: Date) {
  const rows = await scoped.lead.findMany({
    where: { assigneeId: ownerId, assignedAt: { gte: since } },
    orderBy: [{ assignedAt: 'desc' }, { id: 'desc' }],
    take: LEADS_SHOWN + 1,
    select: leadSelect,
  });
  return capped(rows, LEADS_SHOWN);
}

/** Every block of the person's day the viewer may see (a block their permissions do not cover is null). */
export async function myDay(scoped: ScopedClient, viewer: CurrentUser, owner: DayOwner, now: Date) {
  const { start, end, yesterday } = dayBounds(now, owner.timeZone);
  const none = Promise.resolve(null);
  const [tasks, appointments, idleLeads, freshLeads] = await Promise.all([
    can(viewer, 'task.view') ? dayTasks(scoped, owner.id, now, end) : none,
    can(viewer, 'appointment.view') ? dayAppointments(scoped, owner.id, start, end) : none,
    can(viewer, 'lead.view') ? leadsWithoutNextStep(scoped, owner.id) : none,
    can(viewer, 'lead.view') ? newLeads(scoped, owner.id, yesterday) : none,
  ]);
  return { owner, start, end, yesterday, tasks, appointments, idleLeads, freshLeads, leadsShown: true };
}

export type MyDay = Awaited<ReturnType<typeof myDay>>;

/**
 * The account manager's colleague picker: the company's active users (plus the asked-for person if
 * deactivated), each with their zone. One statement; a person outside the scope is simply absent.
 */
export function colleagues(scoped: ScopedClient, companyId: number, askedId: number | null) {
  return scoped.user.findMany({
    where: {
      companyId,
      role: { not: 'SUPERUSER' },
      OR: [{ active: true }, ...(askedId ? [{ id: askedId }] : [])],
    },
    select: { id: true, name: true, timeZone: true, active: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

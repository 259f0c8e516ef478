// What each role's dashboard counts. Every query goes through the scoped client or the scoped SQL reads
// (req.sql, the same read rules), so a number never includes a row outside the user's scope; each overview
// runs a fixed number of queries (counts and groupBy, never one query per row). A section the user may not
// view is not queried.
// Lead numbers come from the lead tally (src/lead/counts.ts), never from the leads themselves: a
// company's million leads cost the same few hundred tally rows as its first hundred.
import { utcInstant } from '../db/utcInstant.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import { can } from '../access/policy.ts';
import type { ScopedClient } from '../access/scope.ts';
import type { ScopedSql } from '../access/scopedSql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { LONGEST_APPOINTMENT_MS } from '../appointment/week.ts';
import { probabilitiesOf } from '../pipeline/stages.ts';
import { APPOINTMENTS_SHOWN, dayBounds, dayTasksSql, type MyDay } from '../today/queries.ts';
import { appointmentCountSql, appointmentRowsSql } from '../appointment/readSql.ts';

export const LEAD_STATUSES = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const OPEN_LEAD_STATUSES: LeadStatus[] = ['NEW', 'CONTACTED', 'QUALIFIED'];
const DAY = 24 * 3600_000;
const UPCOMING_DAYS = 7;
const LIST_LIMIT = 8;
const UPCOMING_SHOWN = 5;

export type PipelineRow = { status: LeadStatus; count: number };

type TallyGroup = { status: LeadStatus; count: number };

/** Every status, summed over the tally groups (which may be split further, e.g. by assignee). */
function pipelineOf(groups: TallyGroup[]): PipelineRow[] {
  return LEAD_STATUSES.map((status) => {
    return { status, count: groups.filter((g) => g.status === status).reduce((n, g) => n + g.count, 0) };
  });
}

/** What the dashboards' appointment lists show; each row also gets its attendees' names (appointmentRowsSql). */
const appointmentSelect = {
  id: true,
  title: true,
  startsAt: true,
  endsAt: true,
  location: true,
  customer: { select: { id: true, name: true } },
} as const;
type AppointmentRow = Prisma.AppointmentGetPayload<{ select: typeof appointmentSelect }> & { attendeeNames: string[] };
/**
 * Not asked `together`: the longest of the overview's reads (the attendees' EXISTS and names), it runs beside the
 * others' one statement rather than after them inside it (PostgreSQL runs one statement's parts one after another).
 */
const appointmentRows = (sql: ScopedSql, where: Record<string, unknown>, take: number) =>
  appointmentRowsSql<AppointmentRow>(sql, where, appointmentSelect, take, { attendeeNames: true });

async function upcomingAppointments(sql: ScopedSql, now: Date, until: Date, take: number) {
  const where = { startsAt: { gte: now, lt: until } };
  const [rows, total] = await Promise.all([
    appointmentRows(sql, where, take),
    appointmentCountSql(sql, where, { together: true }),
  ]);
  return { rows, total };
}

/** Superuser: every company with its counts, users by role, the latest audit entries. */
export async function superuserOverview(scoped: ScopedClient) {
  const [companies, companyCount, activeCompanies, usersByRole, recentAudit] = await Promise.all([
    scoped.company.findMany({
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: 50,
      select: {
        id: true,
        name: true,
        active: true,
        currency: true,
        probabilityNew: true,
        probabilityContacted: true,
        probabilityQualified: true,
        _count: { select: { users: true, customers: true } },
      },
    }),
    scoped.company.count(),
    scoped.company.count({ where: { active: true } }),
    scoped.user.groupBy({ by: ['role'], where: { active: true }, _count: { _all: true } }),
    scoped.auditEntry.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 10,
      select: {
        id: true,
        action: true,
        model: true,
        recordId: true,
        createdAt: true,
        actor: { select: { name: true } },
        company: { select: { name: true } },
      },
    }),
  ]);
  const leadTallies = await scoped.leadTally.groupBy({
    by: ['companyId'],
    where: { companyId: { in: companies.map((c) => c.id) } },
    _sum: { count: true },
  });
  const leadsOf = new Map(leadTallies.map((g) => [g.companyId, g._sum.count ?? 0]));
  const activeUsers = Object.fromEntries(usersByRole.map((g) => [g.role, g._count._all])) as Partial<
    Record<string, number>
  >;
  return {
    companies: companies.map((c) => ({
      id: c.id,
      name: c.name,
      active: c.active,
      currency: c.currency,
      probabilities: probabilitiesOf(c),
      users: c._count.users,
      customers: c._count.customers,
      leads: leadsOf.get(c.id) ?? 0,
    })),
    companyCount,
    activeCompanies,
    activeUsers: {
      total: usersByRole.reduce((s, g) => s + g._count._all, 0),
      managers: activeUsers.ACCOUNT_MANAGER ?? 0,
      staff: activeUsers.STAFF ?? 0,
      superusers: activeUsers.SUPERUSER ?? 0,
    },
    recentAudit,
  };
}

export type WorkloadRow = {
  id: number;
  name: string;
  active: boolean;
  openLeads: number;
  openTasks: number;
  overdueTasks: number;
};

/** The lead tally the user may read, summed by status (and assignee): SQL through the scoped reads. */
function tallyGroups(sql: ScopedSql, byAssignee: boolean) {
  const by = byAssignee ? Prisma.sql`t."assigneeId", t."status"` : Prisma.sql`t."status"`;
  return sql.select<{ assigneeId?: number; status: LeadStatus; count: number }>(
    'LeadTally',
    't',
    (scope) =>
      Prisma.sql`SELECT ${by}, sum(t."count")::int AS "count" FROM "LeadTally" t WHERE ${scope} GROUP BY ${by}`,
    { together: true },
  );
}
const tallyByStatus = (sql: ScopedSql) => tallyGroups(sql, false);

/** The open tasks the user may read: per assignee, all, overdue, and due from now to `soon`, in one pass. */
function openTaskGroups(sql: ScopedSql, now: Date, soon: Date) {
  return sql.select<{ assigneeId: number; open: number; overdue: number; dueSoon: number }>(
    'Task',
    't',
    (scope) => Prisma.sql`SELECT t."assigneeId", count(*)::int AS "open",
      count(*) FILTER (WHERE t."dueAt" < ${utcInstant(now)})::int AS "overdue",
      count(*) FILTER (WHERE t."dueAt" >= ${utcInstant(now)} AND t."dueAt" < ${utcInstant(soon)})::int AS "dueSoon"
      FROM "Task" t WHERE ${scope} AND t."status" <> 'DONE' GROUP BY t."assigneeId"`,
    { together: true },
  );
}
/** The overdue and due-soon open tasks over every assignee's group. */
function taskTotals(groups: { overdue: number; dueSoon: number }[]) {
  const sum = (key: 'overdue' | 'dueSoon') => groups.reduce((n, g) => n + g[key], 0);
  return { overdue: sum('overdue'), dueSoon: sum('dueSoon') };
}

/**
 * The company dashboard's overview: the team, its pipeline and workload from the lead tally, its open tasks, and
 * the week's appointments. Read on every visit of the busiest dashboard, so the team, the tally and the tasks are
 * SQL through the request's scoped reads (src/access/scopedSql.ts: Prisma's client cost more CPU than these
 * statements), the appointments too (src/appointment/readSql.ts).
 */
export async function companyOverview(sql: ScopedSql, user: CurrentUser, now: Date) {
  const weekEnd = new Date(now.getTime() + UPCOMING_DAYS * DAY);
  const none = Promise.resolve(null);
  const seesTasks = can(user, 'task.view');
  const [team, leadGroups, taskGroups, appointments] = await Promise.all([
    sql.select<{ id: number; name: string; active: boolean }>(
      'User',
      'u',
      (scope) => Prisma.sql`SELECT u."id", u."name", u."active" FROM "User" u
        WHERE ${scope} AND u."companyId" = ${user.companyId} ORDER BY u."name", u."id"`,
    ),
    // The company's tally by assignee and status gives both the pipeline and each person's open leads.
    can(user, 'lead.view') ? tallyGroups(sql, true) : none,
    // Each person's open, overdue and due-this-week tasks in one pass over the open tasks.
    seesTasks ? openTaskGroups(sql, now, weekEnd) : none,
    can(user, 'appointment.view') ? upcomingAppointments(sql, now, weekEnd, LIST_LIMIT) : none,
  ]);
  const tasksOf = new Map((taskGroups ?? []).map((g) => [g.assigneeId, g]));
  const openLeadsOf = (id: number) =>
    (leadGroups ?? [])
      .filter((g) => g.assigneeId === id && OPEN_LEAD_STATUSES.includes(g.status))
      .reduce((n, g) => n + g.count, 0);
  const workload: WorkloadRow[] = team
    .map((u) => ({
      id: u.id,
      name: u.name,
      active: u.active,
      openLeads: openLeadsOf(u.id),
      openTasks: tasksOf.get(u.id)?.open ?? 0,
      overdueTasks: tasksOf.get(u.id)?.overdue ?? 0,
    }))
    // Inactive users only while they still hold open work.
    .filter((r) => r.active || r.openLeads + r.openTasks > 0);
  const totals = taskGroups && taskTotals(taskGroups);
  return {
    pipeline: leadGroups ? pipelineOf(leadGroups) : null,
    tasks: totals && { overdue: totals.overdue, dueThisWeek: totals.dueSoon },
    appointments,
    workload,
    team: team.map((u) => ({ id: u.id, name: u.name, active: u.active })),
  };
}

/**
 * The staff dashboard's appointments in one statement: today's (My day's block) and the next ones from now.
 * Ordered by start, so the ones overlapping today come first; `take` leaves room for both.
 */
async function staffAppointments(sql: ScopedSql, user: CurrentUser, now: Date, day: { start: Date; end: Date }) {
  const upcoming = { startsAt: { gte: now } };
  const today = {
    startsAt: { gte: new Date(day.start.getTime() - LONGEST_APPOINTMENT_MS), lt: day.end },
    endsAt: { gt: day.start },
  };
  const [rows, total] = await Promise.all([
    appointmentRows(
      sql,
      { attendees: { some: { userId: user.id } }, OR: [upcoming, today] },
      APPOINTMENTS_SHOWN + 1 + UPCOMING_SHOWN,
    ),
    appointmentCountSql(sql, upcoming, { together: true }),
  ]);
  const ofToday = rows.filter((a) => a.startsAt < day.end);
  return {
    today: { rows: ofToday.slice(0, APPOINTMENTS_SHOWN), more: ofToday.length > APPOINTMENTS_SHOWN },
    upcoming: { rows: rows.filter((a) => a.startsAt >= now).slice(0, UPCOMING_SHOWN), total },
  };
}

/**
 * Staff: My day's tasks and appointments first (src/today/queries.ts; its lead blocks stay on /today, as this
 * page reads the lead tally, never the leads), then my leads by status, my task counts, my next appointments.
 */
export async function staffOverview(sql: ScopedSql, user: CurrentUser, now: Date) {
  const weekEnd = new Date(now.getTime() + UPCOMING_DAYS * DAY);
  const bounds = dayBounds(now, user.timeZone);
  const none = Promise.resolve(null);
  const [leadGroups, tasks, dayTaskRows, appointments] = await Promise.all([
    can(user, 'lead.view') ? tallyByStatus(sql) : none,
    can(user, 'task.view') ? openTaskGroups(sql, now, weekEnd).then(taskTotals) : none,
    can(user, 'task.view') ? dayTasksSql(sql, user.id, now, bounds.end) : none,
    can(user, 'appointment.view') ? staffAppointments(sql, user, now, bounds) : none,
  ]);
  const leads = leadGroups ? pipelineOf(leadGroups) : null;
  const owner = { id: user.id, name: user.name, timeZone: user.timeZone };
  const day: MyDay = {
    owner,
    ...bounds,
    tasks: dayTaskRows,
    appointments: appointments?.today ?? null,
    idleLeads: null,
    freshLeads: null,
    leadsShown: false,
  };
  return {
    day,
    leads,
    openLeads: leads?.filter((r) => OPEN_LEAD_STATUSES.includes(r.status)).reduce((s, r) => s + r.count, 0) ?? 0,
    tasks,
    appointments: appointments?.upcoming ?? null,
  };
}

/** A superuser's chosen company (any, active or not, while it exists) with what its figures need. */
export async function chosenCompany(scoped: ScopedClient, id: number) {
  const c = await scoped.company.findFirst({
    where: { id },
    select: {
      id: true,
      name: true,
      currency: true,
      probabilityNew: true,
      probabilityContacted: true,
      probabilityQualified: true,
      users: { select: { id: true, name: true, active: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    },
  });
  return c && { id: c.id, name: c.name, currency: c.currency, probabilities: probabilitiesOf(c), team: c.users };
}

// What each role's dashboard counts. Every query goes through the scoped client, so a number
// never includes a row outside the user's scope; each overview runs a fixed number of queries
// (counts and groupBy, never one query per row). A section the user may not view is not queried.
// Lead numbers come from the lead tally (src/lead/counts.ts), never from the leads themselves: a
// company's million leads cost the same few hundred tally rows as its first hundred.
import type { CurrentUser } from '../access/currentUser.ts';
import { can } from '../access/policy.ts';
import { readScope, type ScopedClient } from '../access/scope.ts';
import { LONGEST_APPOINTMENT_MS } from '../appointment/week.ts';
import { probabilitiesOf } from '../pipeline/stages.ts';
import { APPOINTMENTS_SHOWN, dayBounds, dayTasks, type MyDay } from '../today/queries.ts';

export const LEAD_STATUSES = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const OPEN_LEAD_STATUSES: LeadStatus[] = ['NEW', 'CONTACTED', 'QUALIFIED'];
const DAY = 24 * 3600_000;
const UPCOMING_DAYS = 7;
const LIST_LIMIT = 8;
const UPCOMING_SHOWN = 5;

export type PipelineRow = { status: LeadStatus; count: number };

type TallyGroup = { status: LeadStatus; _sum: { count: number | null } };

/** Every status, summed over the tally groups (which may be split further, e.g. by assignee). */
function pipelineOf(groups: TallyGroup[]): PipelineRow[] {
  return LEAD_STATUSES.map((status) => {
    return { status, count: groups.filter((g) => g.status === status).reduce((n, g) => n + (g._sum.count ?? 0), 0) };
  });
}

const appointmentSelect = {
  id: true,
  title: true,
  startsAt: true,
  endsAt: true,
  location: true,
  customer: { select: { id: true, name: true } },
  attendees: { select: { user: { select: { name: true } } }, orderBy: { userId: 'asc' } },
} as const;

async function upcomingAppointments(scoped: ScopedClient, now: Date, until: Date | null, take: number) {
  const where = { startsAt: until ? { gte: now, lt: until } : { gte: now } };
  const [rows, total] = await Promise.all([
    scoped.appointment.findMany({
      where,
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      take,
      select: appointmentSelect,
    }),
    scoped.appointment.count({ where }),
  ]);
  return { rows: rows.map((a) => ({ ...a, attendeeNames: a.attendees.map((x) => x.user.name) })), total };
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

/** Account manager: the company's pipeline, overdue tasks, the week's appointments, the team's workload. */
export async function companyOverview(scoped: ScopedClient, user: CurrentUser, now: Date) {
  const weekEnd = new Date(now.getTime() + UPCOMING_DAYS * DAY);
  const overdueWhere = { status: { not: 'DONE' as const }, dueAt: { lt: now } };
  const none = Promise.resolve(null);
  const seesTasks = can(user, 'task.view');
  // Each person's open tasks are counted in the same statement as the team (a nested count takes the
  // task scope from the access core, as nested relations are not scoped by the client).
  const taskScope = readScope('Task', user);
  const openTasks = seesTasks && taskScope ? { where: { ...taskScope, status: { not: 'DONE' as const } } } : false;
  const [team, leadGroups, dueThisWeek, overdueByAssignee, appointments] = await Promise.all([
    scoped.user.findMany({
      where: { companyId: user.companyId },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      select: { id: true, name: true, active: true, _count: { select: { assignedTasks: openTasks } } },
    }),
    // The company's tally by assignee and status gives both the pipeline and each person's open leads.
    can(user, 'lead.view') ? scoped.leadTally.groupBy({ by: ['assigneeId', 'status'], _sum: { count: true } }) : none,
    seesTasks ? scoped.task.count({ where: { status: { not: 'DONE' }, dueAt: { gte: now, lt: weekEnd } } }) : none,
    seesTasks ? scoped.task.groupBy({ by: ['assigneeId'], where: overdueWhere, _count: { _all: true } }) : none,
    can(user, 'appointment.view') ? upcomingAppointments(scoped, now, weekEnd, LIST_LIMIT) : none,
  ]);
  const countOf = (groups: { assigneeId: number; _count: { _all: number } }[] | null, id: number) =>
    groups?.filter((g) => g.assigneeId === id).reduce((n, g) => n + g._count._all, 0) ?? 0;
  const leadsByAssignee =
    leadGroups
      ?.filter((g) => OPEN_LEAD_STATUSES.includes(g.status))
      .map((g) => ({ assigneeId: g.assigneeId, _count: { _all: g._sum.count ?? 0 } })) ?? null;
  const workload: WorkloadRow[] = team
    .map((u) => ({
      id: u.id,
      name: u.name,
      active: u.active,
      openLeads: countOf(leadsByAssignee, u.id),
      openTasks: openTasks ? u._count.assignedTasks : 0,
      overdueTasks: countOf(overdueByAssignee, u.id),
    }))
    // Inactive users only while they still hold open work.
    .filter((r) => r.active || r.openLeads + r.openTasks > 0);
  return {
    pipeline: leadGroups ? pipelineOf(leadGroups) : null,
    tasks:
      overdueByAssignee && dueThisWeek !== null
        ? { overdue: overdueByAssignee.reduce((n, g) => n + g._count._all, 0), dueThisWeek }
        : null,
    appointments,
    workload,
    team: team.map((u) => ({ id: u.id, name: u.name, active: u.active })),
  };
}

/**
 * The staff dashboard's appointments in one statement: today's (My day's block) and the next ones from now.
 * Ordered by start, so the ones overlapping today come first; `take` leaves room for both.
 */
async function staffAppointments(scoped: ScopedClient, user: CurrentUser, now: Date, day: { start: Date; end: Date }) {
  const upcoming = { startsAt: { gte: now } };
  const today = {
    startsAt: { gte: new Date(day.start.getTime() - LONGEST_APPOINTMENT_MS), lt: day.end },
    endsAt: { gt: day.start },
  };
  const [rows, total] = await Promise.all([
    scoped.appointment.findMany({
      where: { attendees: { some: { userId: user.id } }, OR: [upcoming, today] },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      take: APPOINTMENTS_SHOWN + 1 + UPCOMING_SHOWN,
      select: appointmentSelect,
    }),
    scoped.appointment.count({ where: upcoming }),
  ]);
  const withNames = rows.map((a) => ({ ...a, attendeeNames: a.attendees.map((x) => x.user.name) }));
  const ofToday = withNames.filter((a) => a.startsAt < day.end);
  return {
    today: { rows: ofToday.slice(0, APPOINTMENTS_SHOWN), more: ofToday.length > APPOINTMENTS_SHOWN },
    upcoming: { rows: withNames.filter((a) => a.startsAt >= now).slice(0, UPCOMING_SHOWN), total },
  };
}

/**
 * Staff: My day's tasks and appointments first (src/today/queries.ts; its lead blocks stay on /today, as this
 * page reads the lead tally, never the leads), then my leads by status, my task counts, my next appointments.
 */
export async function staffOverview(scoped: ScopedClient, user: CurrentUser, now: Date) {
  const weekEnd = new Date(now.getTime() + UPCOMING_DAYS * DAY);
  const bounds = dayBounds(now, user.timeZone);
  const none = Promise.resolve(null);
  const [leadGroups, overdue, dueSoon, dayTaskRows, appointments] = await Promise.all([
    can(user, 'lead.view') ? scoped.leadTally.groupBy({ by: ['status'], _sum: { count: true } }) : none,
    can(user, 'task.view') ? scoped.task.count({ where: { status: { not: 'DONE' }, dueAt: { lt: now } } }) : none,
    can(user, 'task.view')
      ? scoped.task.count({ where: { status: { not: 'DONE' }, dueAt: { gte: now, lt: weekEnd } } })
      : none,
    can(user, 'task.view') ? dayTasks(scoped, user.id, now, bounds.end) : none,
    can(user, 'appointment.view') ? staffAppointments(scoped, user, now, bounds) : none,
  ]);
  const tasks = overdue !== null && dueSoon !== null ? { overdue, dueSoon } : null;
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

// What each role's dashboard counts. Every query goes through the scoped client, so a number
// never includes a row outside the user's scope; each overview runs a fixed number of queries
// (counts and groupBy, never one query per row). A section the user may not view is not queried.
// Lead numbers come from the lead tally (src/lead/counts.ts), never from the leads themselves: a
// company's million leads cost the same few hundred tally rows as its first hundred.
import type { CurrentUser } from '../access/currentUser.ts';
import { can } from '../access/policy.ts';
import { readScope, type ScopedClient } from '../access/scope.ts';

export const LEAD_STATUSES = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const OPEN_LEAD_STATUSES: LeadStatus[] = ['NEW', 'CONTACTED', 'QUALIFIED'];
const DAY = 24 * 3600_000;
const UPCOMING_DAYS = 7;
const LIST_LIMIT = 8;

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
      select: { id: true, name: true, active: true, _count: { select: { users: true, customers: true } } },
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
  };
}

/** Staff: my leads by status, my tasks overdue or due within a week, my next appointments. */
export async function staffOverview(scoped: ScopedClient, user: CurrentUser, now: Date) {
  const weekEnd = new Date(now.getTime() + UPCOMING_DAYS * DAY);
  const none = Promise.resolve(null);
  const [leadGroups, overdue, dueSoon, taskRows, appointments] = await Promise.all([
    can(user, 'lead.view') ? scoped.leadTally.groupBy({ by: ['status'], _sum: { count: true } }) : none,
    can(user, 'task.view') ? scoped.task.count({ where: { status: { not: 'DONE' }, dueAt: { lt: now } } }) : none,
    can(user, 'task.view')
      ? scoped.task.count({ where: { status: { not: 'DONE' }, dueAt: { gte: now, lt: weekEnd } } })
      : none,
    can(user, 'task.view')
      ? scoped.task.findMany({
          where: { status: { not: 'DONE' }, dueAt: { lt: weekEnd } },
          orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
          take: LIST_LIMIT,
          select: {
            id: true,
            title: true,
            dueAt: true,
            priority: true,
            status: true,
            customer: { select: { id: true, name: true } },
          },
        })
      : none,
    can(user, 'appointment.view') ? upcomingAppointments(scoped, now, null, 5) : none,
  ]);
  const tasks = taskRows && overdue !== null && dueSoon !== null ? { overdue, dueSoon, rows: taskRows } : null;
  const leads = leadGroups ? pipelineOf(leadGroups) : null;
  return {
    leads,
    openLeads: leads?.filter((r) => OPEN_LEAD_STATUSES.includes(r.status)).reduce((s, r) => s + r.count, 0) ?? 0,
    tasks,
    appointments,
  };
}

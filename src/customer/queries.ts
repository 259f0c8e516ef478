// The customer domain's data access, always through the scoped client.
import type { CurrentUser } from '../access/currentUser.ts';
import { can } from '../access/policy.ts';
import type { Permission } from '../access/permissions.ts';
import { readScope, type ScopedClient } from '../access/scope.ts';
import { companyUserProblem, companyUsersKeeping } from '../user/options.ts';
import { searchWhere, type ListQuery } from '../web/list.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { CUSTOMER_LIST } from './fields.ts';
import type { CustomerFilter, CustomerSort } from './schema.ts';

export type CustomerListQuery = ListQuery<CustomerSort, CustomerFilter>;

export function customerListWhere(query: CustomerListQuery) {
  const and: Record<string, unknown>[] = [];
  const search = searchWhere(query.q, CUSTOMER_LIST.searchable);
  if (search) and.push(search);
  if (query.filters.ownerId) and.push({ ownerId: Number(query.filters.ownerId) });
  if (query.filters.companyId) and.push({ companyId: Number(query.filters.companyId) });
  return and.length ? { AND: and } : {};
}

/** ORDER BY the indexed columns (companyId, name|createdAt, id), id last so pages never overlap. */
export function customerListOrder(query: CustomerListQuery) {
  return CUSTOMER_LIST.order(query.sort, query.dir) as Prisma.CustomerOrderByWithRelationInput[];
}

/** The list's columns; the company's name only for superusers (everyone else sees one company). */
export function customerListSelect(superuser: boolean) {
  return {
    ...(CUSTOMER_LIST.select as Prisma.CustomerSelect),
    id: true,
    name: true,
    createdAt: true,
    companyId: true,
    owner: { select: { id: true, name: true } },
    company: superuser ? { select: { name: true } } : false,
  } as const;
}

export async function loadCustomer(scoped: ScopedClient, id: number) {
  return scoped.customer.findUnique({
    where: { id },
    include: {
      owner: { select: { id: true, name: true, active: true } },
      company: { select: { id: true, name: true } },
    },
  });
}
export type LoadedCustomer = NonNullable<Awaited<ReturnType<typeof loadCustomer>>>;

/** Owner choices: the company's active users, plus the saved owner if they were deactivated since. */
export const ownerOptions = companyUsersKeeping;

/** A posted owner is valid when it is an active company user, or unchanged from the saved one. */
export async function ownerProblem(
  scoped: ScopedClient,
  companyId: number,
  ownerId: number | null,
  savedOwnerId?: number | null,
): Promise<string | null> {
  return ownerId === null ? null : companyUserProblem(scoped, companyId, ownerId, savedOwnerId);
}

type RelationReader = Pick<ScopedClient, 'customer' | 'lead' | 'task' | 'appointment' | 'activity'>;

/**
 * What points at the customer, as far as the user may know: `counts` are the leads, tasks and
 * appointments in the user's scope (each through its scoped model), and `hidden` says — without a
 * number — whether rows outside the scope (a colleague's lead, say) point at it too. The row's
 * `_count` is company-wide (a relation count is not scoped), so it is only compared, never shown.
 */
export async function customerRelations(scoped: RelationReader, id: number) {
  const [row, leads, tasks, appointments, loneActivities] = await Promise.all([
    scoped.customer.findUnique({
      where: { id },
      select: {
        id: true,
        name: true,
        email: true,
        organisation: true,
        companyId: true,
        _count: { select: { leads: true, tasks: true, appointments: true } },
      },
    }),
    scoped.lead.count({ where: { customerId: id } }),
    scoped.task.count({ where: { customerId: id } }),
    scoped.appointment.count({ where: { customerId: id } }),
    // Activities about the customer alone go with it (src/activity/writes.ts); the company sees them all.
    scoped.activity.count({ where: { customerId: id, leadId: null } }),
  ]);
  if (!row) return null;
  const { _count: all, ...customer } = row;
  const counts = { leads, tasks, appointments };
  const hidden = all.leads > leads || all.tasks > tasks || all.appointments > appointments;
  return { ...customer, counts, total: leads + tasks + appointments, hidden, loneActivities };
}
export type CustomerRelations = NonNullable<Awaited<ReturnType<typeof customerRelations>>>;

export type TimelineItem = {
  kind: 'Lead' | 'Task' | 'Appointment';
  id: number;
  title: string;
  href: string;
  date: Date;
  detail: string;
};

const TIMELINE_LIMIT = 50;

/**
 * The customer's page in one statement: the customer, its owner and company, and the leads, tasks
 * and appointments the user may see. Joined relations are not scoped by the client, so each takes
 * the user's read condition from the access core (readScope) and is left out without the permission.
 */
export function loadCustomerWithTimeline(scoped: ScopedClient, id: number, user: CurrentUser) {
  // Without the permission (or a read rule) the relation is asked for no rows at all (LIMIT 0).
  const visible = (model: 'Lead' | 'Task' | 'Appointment', permission: Permission) => {
    const where = can(user, permission) ? readScope(model, user) : null;
    return { where: where ?? {}, take: where ? TIMELINE_LIMIT : 0 };
  };
  return scoped.customer.findUnique({
    where: { id },
    include: {
      owner: { select: { id: true, name: true, active: true } },
      company: { select: { id: true, name: true } },
      leads: {
        ...visible('Lead', 'lead.view'),
        select: { id: true, title: true, status: true, createdAt: true, assignee: { select: { name: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      },
      tasks: {
        ...visible('Task', 'task.view'),
        select: {
          id: true,
          title: true,
          status: true,
          dueAt: true,
          createdAt: true,
          assignee: { select: { name: true } },
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      },
      appointments: {
        ...visible('Appointment', 'appointment.view'),
        select: { id: true, title: true, startsAt: true, location: true },
        orderBy: [{ startsAt: 'desc' }, { id: 'desc' }],
      },
    },
  });
}
export type CustomerWithTimeline = NonNullable<Awaited<ReturnType<typeof loadCustomerWithTimeline>>>;

/** The timeline of a customer loaded with loadCustomerWithTimeline, newest first. */
export function customerTimeline({ leads, tasks, appointments }: CustomerWithTimeline) {
  const items: TimelineItem[] = [
    ...leads.map((l) => ({
      kind: 'Lead' as const,
      id: l.id,
      title: l.title,
      href: `/leads/${l.id}`,
      date: l.createdAt,
      detail: `${cap(l.status)} · ${l.assignee.name}`,
    })),
    ...tasks.map((t) => ({
      kind: 'Task' as const,
      id: t.id,
      title: t.title,
      href: `/tasks/${t.id}`,
      date: t.createdAt,
      detail: `${cap(t.status)} · ${t.assignee.name}`,
    })),
    ...appointments.map((a) => ({
      kind: 'Appointment' as const,
      id: a.id,
      title: a.title,
      href: `/appointments/${a.id}`,
      date: a.startsAt,
      detail: a.location,
    })),
  ];
  items.sort((a, b) => b.date.getTime() - a.date.getTime() || b.id - a.id);
  return {
    items,
    counts: { leads: leads.length, tasks: tasks.length, appointments: appointments.length },
    limit: TIMELINE_LIMIT,
  };
}

const cap = (s: string) => (s.charAt(0) + s.slice(1).toLowerCase()).replace(/_/g, ' ');

// The customer domain's data access, always through the scoped client.
import type { ScopedClient } from '../access/scope.ts';
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

export async function findCustomer(scoped: ScopedClient, id: number) {
  return scoped.customer.findUnique({
    where: { id },
    include: {
      owner: { select: { id: true, name: true, active: true } },
      company: { select: { id: true, name: true, currency: true } },
    },
  });
}
export type LoadedCustomer = NonNullable<Awaited<ReturnType<typeof findCustomer>>>;

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

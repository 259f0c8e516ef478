// The tenancy core (SPEC section 2): scope(prisma, user) returns a Prisma client whose every
// model operation carries the company and role conditions of the user. Handlers never query
// tenant data through the unscoped client.
//
// How a new model gets its scope: add it to SCOPES below. A model that is not listed is
// refused for every operation (deny by default), and raw SQL is refused on the scoped client.
// Relations loaded with `include`/`select` are NOT filtered by this layer: read related rows
// of another scoped model through their own query (e.g. a customer's leads via scoped.lead).
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Forbidden, NotFound } from '../web/errors.ts';
import type { CurrentUser } from './currentUser.ts';

type Where = Record<string, unknown>;
/** null: the role may not touch the model at all. */
type ScopeRule = (user: CurrentUser) => Where | null;

const NONE = null;
const company = (u: CurrentUser): Where => ({ companyId: u.companyId });
const all = (): Where => ({});

export const SCOPES: Record<string, ScopeRule> = {
  Company: (u) => (u.role === 'SUPERUSER' ? all() : { id: u.companyId }),
  User: (u) => (u.role === 'SUPERUSER' ? all() : company(u)),
  Group: (u) => (u.role === 'SUPERUSER' ? all() : u.role === 'ACCOUNT_MANAGER' ? company(u) : NONE),
  GroupMember: (u) => (u.role === 'SUPERUSER' ? all() : u.role === 'ACCOUNT_MANAGER' ? { group: company(u) } : NONE),
  Customer: (u) => (u.role === 'SUPERUSER' ? all() : company(u)),
  Lead: (u) => (u.role === 'SUPERUSER' ? all() : u.role === 'ACCOUNT_MANAGER' ? company(u) : { ...company(u), assigneeId: u.id }),
  Task: (u) => (u.role === 'SUPERUSER' ? all() : u.role === 'ACCOUNT_MANAGER' ? company(u) : { ...company(u), assigneeId: u.id }),
  Appointment: (u) =>
    u.role === 'SUPERUSER' ? all() : u.role === 'ACCOUNT_MANAGER' ? company(u) : { ...company(u), attendees: { some: { userId: u.id } } },
  AppointmentAttendee: (u) =>
    u.role === 'SUPERUSER' ? all() : u.role === 'ACCOUNT_MANAGER' ? { appointment: company(u) }
      : { appointment: { ...company(u), attendees: { some: { userId: u.id } } } },
  AuditEntry: (u) => (u.role === 'SUPERUSER' ? all() : u.role === 'ACCOUNT_MANAGER' ? company(u) : NONE),
};

/** Models whose rows carry companyId directly: creates must name the user's company. */
const COMPANY_OWNED = new Set(['User', 'Group', 'Customer', 'Lead', 'Task', 'Appointment', 'AuditEntry']);

const WHERE_OPS = new Set([
  'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy', 'updateMany', 'updateManyAndReturn', 'deleteMany',
]);
const UNIQUE_OPS = new Set(['findUnique', 'findUniqueOrThrow', 'update', 'delete', 'upsert']);
const CREATE_OPS = new Set(['create', 'createMany', 'createManyAndReturn']);

function checkCreateData(model: string, user: CurrentUser, data: unknown): void {
  if (user.role === 'SUPERUSER') return;
  const rows = Array.isArray(data) ? data : [data];
  for (const row of rows as Record<string, unknown>[]) {
    if (COMPANY_OWNED.has(model) && row?.companyId !== user.companyId) {
      throw new Forbidden('Records can only be created in your own company.');
    }
  }
}

export function scope(prisma: PrismaClient, user: CurrentUser) {
  return prisma.$extends({
    name: 'tenant-scope',
    query: {
      async $allOperations({ model, operation, args, query }) {
        if (!model) throw new Forbidden('Raw SQL is not available on the scoped client.');
        const rule = SCOPES[model];
        const where = rule ? rule(user) : NONE;
        if (where === NONE) {
          // Reads of an unscoped model look like "nothing here"; writes are refused.
          if (operation.startsWith('find') || operation === 'count' || operation === 'aggregate' || operation === 'groupBy') {
            throw new NotFound();
          }
          throw new Forbidden();
        }
        const a = (args ?? {}) as Record<string, unknown>;
        if (WHERE_OPS.has(operation)) {
          a.where = a.where ? { AND: [a.where, where] } : where;
        } else if (UNIQUE_OPS.has(operation)) {
          a.where = { ...(a.where as Where), AND: [where] };
          if (operation === 'upsert') checkCreateData(model, user, a.create);
        } else if (CREATE_OPS.has(operation)) {
          checkCreateData(model, user, a.data);
        } else {
          throw new Forbidden(`Operation ${operation} is not available on the scoped client.`);
        }
        try {
          return await query(a);
        } catch (err) {
          // update/delete of a row outside the scope: the row does not exist for this user.
          if ((err as { code?: string }).code === 'P2025') throw new NotFound();
          throw err;
        }
      },
    },
  });
}

export type ScopedClient = ReturnType<typeof scope>;

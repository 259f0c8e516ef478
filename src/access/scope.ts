// The tenancy core (SPEC section 2): scope(prisma, user) returns a Prisma client whose every
// model operation carries the company and role conditions of the user. Handlers never query
// tenant data through the unscoped client.
//
// How a new model gets its scope: add its read rule to SCOPES below; if writes (update/delete)
// are narrower, add a WRITE_SCOPES rule; if it may be created, add a CREATE_RULES entry.
// A model that is not listed is refused for every operation (deny by default), and raw SQL is
// refused on the scoped client. A new route declares its access rule on its line in the domain's
// router.ts; the route inventory and the access sweep (tests/tenancy/access-sweep.test.ts) read
// the route table, so they cover it without being edited.
// Not checked by this layer (validate such ids through scoped queries first):
// - relations loaded with `include`/`select`: read another scoped model's rows through its own
//   query (e.g. a customer's leads via scoped.lead);
// - nested writes (`data: { members: { create: … } }`): only the top-level operation is scoped.
// Child rows (group members, attendees) created at the top level are checked against committed
// rows, so create a parent and its children together with a nested write on the parent.
import { rawSqlAllowed } from '../db/client.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { Forbidden, NotFound } from '../web/errors.ts';
import type { CurrentUser } from './currentUser.ts';

/** What the scope depends on: nothing else of the user (names, permissions) is read here. */
export type ScopeSubject = Pick<CurrentUser, 'id' | 'role' | 'companyId'>;

type Where = Record<string, unknown>;
/** null: the role may not touch the model at all. */
type ScopeRule = (user: ScopeSubject) => Where | null;
/** Returns why a row may not be created, or null when it may. */
type CreateRule = (
  user: ScopeSubject,
  row: Record<string, unknown>,
  prisma: PrismaClient,
) => string | null | Promise<string | null>;

const NONE = null;
const company = (u: ScopeSubject): Where => ({ companyId: u.companyId });
const all = (): Where => ({});
const su = (u: ScopeSubject) => u.role === 'SUPERUSER';
const manager = (u: ScopeSubject) => u.role === 'ACCOUNT_MANAGER';
/** Rows assigned to someone: the company's for account managers, their own for staff. */
const assignedRows: ScopeRule = (u) => (su(u) ? all() : manager(u) ? company(u) : { ...company(u), assigneeId: u.id });

/** Which rows a role can read (and, unless WRITE_SCOPES says otherwise, update and delete). */
export const SCOPES: Record<string, ScopeRule> = {
  Company: (u) => (su(u) ? all() : { id: u.companyId }),
  User: (u) => (su(u) ? all() : company(u)),
  Group: (u) => (su(u) ? all() : manager(u) ? company(u) : NONE),
  GroupMember: (u) => (su(u) ? all() : manager(u) ? { group: company(u) } : NONE),
  Customer: (u) => (su(u) ? all() : company(u)),
  Lead: assignedRows,
  Task: assignedRows,
  Appointment: (u) =>
    su(u) ? all() : manager(u) ? company(u) : { ...company(u), attendees: { some: { userId: u.id } } },
  AppointmentAttendee: (u) =>
    su(u)
      ? all()
      : manager(u)
        ? { appointment: company(u) }
        : { appointment: { ...company(u), attendees: { some: { userId: u.id } } } },
  // Activities: whoever sees the customer (the company's shared directory: everyone in it), or, for an
  // activity about a lead alone, whoever sees that lead (staff: their own leads).
  Activity: (u) =>
    su(u)
      ? all()
      : manager(u)
        ? company(u)
        : { ...company(u), OR: [{ customerId: { not: null } }, { lead: { assigneeId: u.id } }] },
  AuditEntry: (u) => (su(u) ? all() : manager(u) ? company(u) : NONE),
  // Lead counts: the same rows as Lead's rule counts (staff: their own leads only).
  LeadTally: assignedRows,
  // Won and lost deals per day: the same rows as Lead's rule counts.
  LeadClosedDay: assignedRows,
  // A calendar subscription is its user's alone, whatever the role.
  CalendarFeed: (u) => ({ userId: u.id }),
  // API tokens: one's own; an account manager also lists and revokes the company's (a superuser: all).
  ApiToken: (u) => (su(u) ? all() : manager(u) ? company(u) : { userId: u.id }),
  // Which removed (merged) record went where: the company's, for everyone in it; each redirect then loads the kept
  // record through its own scope (src/web/loader.ts), so staff are sent only to leads they see.
  MergedRecord: (u) => (su(u) ? all() : company(u)),
  // Imports (src/import): the company's for account managers, their own for staff.
  Import: (u) => (su(u) ? all() : manager(u) ? company(u) : { ...company(u), userId: u.id }),
  ImportRow: (u) => (su(u) ? all() : manager(u) ? { import: company(u) } : { import: { ...company(u), userId: u.id } }),
  // Saved column mappings are shared within the company.
  ImportMapping: (u) => (su(u) ? all() : company(u)),
  // Webhook endpoints: read by everyone in the company, because every write that emits an event asks whether an
  // endpoint is subscribed (src/webhook/events.ts, its id only); their pages are the account managers'.
  WebhookEndpoint: (u) => (su(u) ? all() : company(u)),
  // The delivery log: the account managers'. Written by the delivery job only (src/webhook/deliver.ts).
  WebhookDelivery: (u) => (su(u) ? all() : manager(u) ? company(u) : NONE),
  // The version of a company's figures (src/pipeline/figureCache.ts): a number, readable by whoever reads the company.
  FigureVersion: (u) => (su(u) ? all() : company(u)),
};

/**
 * The read condition of `model` for the user, for a relation loaded in the same statement as its
 * parent (`include: { leads: { where: readScope('Lead', user) } }`): nested relations are not
 * scoped by the client, so a page that joins them in takes the condition from here. null: none may be read.
 */
export function readScope(model: keyof typeof SCOPES, user: ScopeSubject): Where | null {
  return SCOPES[model](user);
}

/** The models whose read rule readScopeSql translates (rules made of column equalities only). */
export type ScopedSqlModel = 'Lead' | 'LeadClosedDay' | 'LeadTally' | 'Customer' | 'User' | 'Task' | 'Appointment';

/**
 * The one rule that is not column equalities and still translates: staff read the appointments they attend
 * (`attendees: { some: { userId } }`), an EXISTS over the attendee rows.
 */
function attendsSql(alias: string, value: unknown): Prisma.Sql | null {
  const some = (value as { some?: Record<string, unknown> } | null)?.some;
  if (!some || Object.keys(some).join() !== 'userId' || typeof some.userId !== 'number') return null;
  return Prisma.sql`EXISTS (SELECT 1 FROM "AppointmentAttendee" x WHERE x."appointmentId" = ${Prisma.raw(
    `"${alias}"."id"`,
  )} AND x."userId" = ${some.userId})`;
}

/**
 * The read rule of a model as SQL conditions on a table alias, for the grouped statements Prisma cannot write
 * (months in the user's zone: src/pipeline/figures.ts). Only rules made of column equalities translate (Lead's:
 * every lead, the company's, or the company's assigned to the user), and Appointment's attendance (attendsSql);
 * any other shape throws, so a richer rule can never be dropped on the way. Values are bound parameters.
 * `FALSE` when the role may read nothing.
 */
export function readScopeSql(model: ScopedSqlModel, user: ScopeSubject, alias: string): Prisma.Sql {
  const rule = readScope(model, user);
  if (rule === null) return Prisma.sql`FALSE`;
  const parts = Object.entries(rule).map(([column, value]) => {
    const attends = model === 'Appointment' && column === 'attendees' && /^[A-Za-z]+$/.test(alias);
    const exists = attends ? attendsSql(alias, value) : null;
    if (exists) return exists;
    if (!/^[A-Za-z]+$/.test(column) || !/^[A-Za-z]+$/.test(alias) || typeof value !== 'number')
      throw new Error(`readScopeSql cannot translate the ${model} rule's ${column}`);
    return Prisma.sql`${Prisma.raw(`"${alias}"."${column}"`)} = ${value}`;
  });
  return parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`;
}

/** update/delete rules narrower than the read rule. */
export const WRITE_SCOPES: Record<string, ScopeRule> = {
  // Staff see their own company read-only; its account managers change its pipeline settings (currency and win
  // probabilities, src/company/settings.ts), superusers everything.
  Company: (u) => (su(u) ? all() : manager(u) ? { id: u.companyId } : NONE),
  // Staff see colleagues' names only; their own profile is the account code's business.
  User: (u) => (su(u) ? all() : manager(u) ? company(u) : NONE),
  // Staff edit and delete the activities they wrote (among those they see); account managers the company's.
  Activity: (u) => (su(u) || manager(u) ? SCOPES.Activity(u) : { AND: [SCOPES.Activity(u), { authorId: u.id }] }),
  // The audit trail is append-only.
  AuditEntry: () => NONE,
  // Kept by the database's triggers on "Lead" only.
  LeadTally: () => NONE,
  // Written by the import job only (src/import/run.ts).
  ImportRow: () => NONE,
  LeadClosedDay: () => NONE,
  // Written by merges only, which account managers and superusers make (src/duplicate/merge.ts).
  MergedRecord: (u) => (su(u) ? all() : manager(u) ? company(u) : NONE),
  FigureVersion: () => NONE,
  WebhookEndpoint: (u) => (su(u) ? all() : manager(u) ? company(u) : NONE),
  WebhookDelivery: () => NONE,
};

const ownCompany = (u: ScopeSubject, row: Record<string, unknown>) =>
  su(u) || row.companyId === u.companyId ? null : 'Records can only be created in your own company.';
const managersOwnCompany = (u: ScopeSubject, row: Record<string, unknown>) =>
  su(u) ? null : manager(u) ? ownCompany(u, row) : 'Only account managers can do this.';

/** Who may create a row of each model. A model without a rule cannot be created through the scoped client. */
export const CREATE_RULES: Record<string, CreateRule> = {
  Company: (u) => (su(u) ? null : 'Only superusers create companies.'),
  User: (u, row) =>
    row.role === 'SUPERUSER' && !su(u) ? 'Only superusers create superusers.' : managersOwnCompany(u, row),
  Group: managersOwnCompany,
  GroupMember: async (u, row, prisma) => {
    if (su(u)) return null;
    if (!manager(u)) return 'Only account managers change group members.';
    if (typeof row.groupId !== 'number' || typeof row.userId !== 'number')
      return 'Group members are created from plain ids.';
    const [groups, users] = await Promise.all([
      prisma.group.count({ where: { id: row.groupId, companyId: u.companyId! } }),
      prisma.user.count({ where: { id: row.userId, companyId: u.companyId } }),
    ]);
    return groups === 1 && users === 1 ? null : 'Group and member must both belong to your company.';
  },
  Customer: ownCompany,
  Lead: ownCompany,
  Task: ownCompany,
  Appointment: ownCompany,
  AppointmentAttendee: async (u, row, prisma) => {
    if (su(u)) return null;
    if (typeof row.appointmentId !== 'number' || typeof row.userId !== 'number')
      return 'Attendees are created from plain ids.';
    const [appointments, users] = await Promise.all([
      prisma.appointment.count({ where: { AND: [{ id: row.appointmentId }, SCOPES.Appointment(u)!] } }),
      prisma.user.count({ where: { id: row.userId, companyId: u.companyId } }),
    ]);
    return appointments === 1 && users === 1 ? null : 'Appointment and attendee must both belong to your company.';
  },
  Activity: async (u, row, prisma) => {
    if (row.authorId !== u.id) return 'Activities are logged in your own name.';
    const problem = ownCompany(u, row);
    if (problem) return problem;
    const { leadId, customerId } = row;
    if (leadId == null && customerId == null) return 'An activity is about a lead or a customer.';
    if ((leadId != null && typeof leadId !== 'number') || (customerId != null && typeof customerId !== 'number'))
      return 'Activities are created from plain ids.';
    const inScope = (model: 'Lead' | 'Customer', id: number) => ({
      AND: [{ id, companyId: row.companyId as number }, SCOPES[model](u)!],
    });
    const [leads, customers] = await Promise.all([
      leadId == null ? 1 : prisma.lead.count({ where: inScope('Lead', leadId) }),
      customerId == null ? 1 : prisma.customer.count({ where: inScope('Customer', customerId) }),
    ]);
    return leads === 1 && customers === 1 ? null : 'The lead and the customer must be ones you can see.';
  },
  AuditEntry: ownCompany,
  MergedRecord: managersOwnCompany,
  CalendarFeed: (u, row) => (row.userId === u.id ? null : 'A calendar subscription is created by its own user.'),
  ApiToken: (u, row) =>
    row.userId === u.id && row.companyId === u.companyId ? null : 'An API token is created by its own user.',
  // An import is made in the importer's own name and company (its rows are written by the job, src/import/run.ts).
  Import: (u, row) => (row.userId === u.id ? ownCompany(u, row) : 'Imports are made in your own name.'),
  ImportMapping: ownCompany,
  WebhookEndpoint: managersOwnCompany,
};

/**
 * Update data may not move a row to another company or make anyone a superuser; a company's account manager
 * changes only its pipeline settings.
 */
function checkUpdateData(model: string, user: ScopeSubject, data: unknown): void {
  if (su(user) || !data || typeof data !== 'object') return;
  const d = data as Record<string, unknown>;
  if (d.companyId !== undefined && d.companyId !== user.companyId)
    throw new Forbidden('Records cannot be moved to another company.');
  if (d.company !== undefined) throw new Forbidden('Records cannot be moved to another company.');
  if (model === 'User' && d.role === 'SUPERUSER') throw new Forbidden('Only superusers create superusers.');
  if (model === 'Company' && Object.keys(d).some((k) => !COMPANY_SETTINGS.has(k)))
    throw new Forbidden("Only superusers change a company's name, slug or status.");
}

/** What an account manager may change on their company (its pipeline settings; the rest is the superusers'). */
const COMPANY_SETTINGS = new Set([
  'currency',
  'probabilityNew',
  'probabilityContacted',
  'probabilityQualified',
  'version',
  'updatedAt',
]);

async function checkCreateData(prisma: PrismaClient, model: string, user: ScopeSubject, data: unknown): Promise<void> {
  const rule = CREATE_RULES[model];
  if (!rule) throw new Forbidden();
  const rows = Array.isArray(data) ? data : [data];
  for (const row of rows as Record<string, unknown>[]) {
    const problem = await rule(user, row ?? {}, prisma);
    if (problem) throw new Forbidden(problem);
  }
}

/** The reads that take a `where` filter; the unique reads and the bulk writes are added below. */
const FILTERED_READS = ['findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy'];
const READ_OPS = new Set([...FILTERED_READS, 'findUnique', 'findUniqueOrThrow']);
const WHERE_OPS = new Set([...FILTERED_READS, 'updateMany', 'updateManyAndReturn', 'deleteMany']);
const UNIQUE_OPS = new Set(['findUnique', 'findUniqueOrThrow', 'update', 'delete', 'upsert']);
const CREATE_OPS = new Set(['create', 'createMany', 'createManyAndReturn']);

export function scope(prisma: PrismaClient, user: ScopeSubject) {
  return prisma.$extends({
    name: 'tenant-scope',
    query: {
      async $allOperations({ model, operation, args, query }) {
        if (!model) {
          // The job queue's insert, in the write's transaction (src/db/client.ts rawSqlIn); nothing else.
          if (rawSqlAllowed()) return query(args);
          throw new Forbidden('Raw SQL is not available on the scoped client.');
        }
        const a = (args ?? {}) as Record<string, unknown>;
        if (CREATE_OPS.has(operation)) {
          await checkCreateData(prisma, model, user, a.data);
          return query(a);
        }
        const read = READ_OPS.has(operation);
        const rule = read ? SCOPES[model] : (WRITE_SCOPES[model] ?? SCOPES[model]);
        const where = rule ? rule(user) : NONE;
        if (where === NONE) {
          // Reads of an unscoped model look like "nothing here"; writes are refused.
          if (read) throw new NotFound();
          // A row the user can read but not write: refused; a row they cannot even read: not found.
          throw new Forbidden();
        }
        if (WHERE_OPS.has(operation)) {
          a.where = a.where ? { AND: [a.where, where] } : where;
        } else if (UNIQUE_OPS.has(operation)) {
          // Keep an AND the caller gave: the scope is added to it, never in its place.
          const given = (a.where as Where | undefined)?.AND;
          a.where = { ...(a.where as Where), AND: [...(Array.isArray(given) ? given : given ? [given] : []), where] };
          if (operation === 'upsert') await checkCreateData(prisma, model, user, a.create);
        } else {
          throw new Forbidden(`Operation ${operation} is not available on the scoped client.`);
        }
        if (!read && model === 'Company' && !su(user) && operation.startsWith('delete'))
          throw new Forbidden('Only superusers deactivate companies.');
        if (!read) checkUpdateData(model, user, operation === 'upsert' ? a.update : a.data);
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
/** The scoped client inside `$transaction(async (tx) => …)`. */
export type ScopedTx = Parameters<Parameters<ScopedClient['$transaction']>[0]>[0];

/**
 * The scoped client of a user, built once per user, role and company and then reused: building one
 * (prisma.$extends) costs about 0.1–0.3 ms of CPU per call, reusing it nothing. A role or company
 * change gives a new key, so a stale scope is never served; the least recently used entry leaves
 * when the cache is full.
 */
export function scopeCache(prisma: PrismaClient, max = 500): (user: ScopeSubject) => ScopedClient {
  const clients = new Map<string, ScopedClient>();
  return (user) => {
    const key = `${user.id}:${user.role}:${user.companyId ?? ''}`;
    let client = clients.get(key);
    if (client) {
      clients.delete(key);
    } else {
      client = scope(prisma, { id: user.id, role: user.role, companyId: user.companyId });
      if (clients.size >= max) clients.delete(clients.keys().next().value!);
    }
    clients.set(key, client);
    return client;
  };
}

// Company data access, always through the scoped client (superusers see every company, everyone
// else their own). Writes and their audit entries share one transaction.
import { administersCompanies } from '../access/policy.ts';
import type pg from 'pg';
import type { CurrentUser } from '../access/currentUser.ts';
import { DEFAULT_STAFF_GROUP } from '../access/permissions.ts';
import type { ScopedClient } from '../access/scope.ts';
import { changedFields, recordAudit } from '../audit/record.ts';
import type { ListQuery } from '../web/list.ts';
import { fetchListPage, pageWindow, searchWhere } from '../web/list.ts';
import type { CompanyFilter, CompanyInput, CompanySort } from './schema.ts';

type CompanyListQuery = ListQuery<CompanySort, CompanyFilter>;

function listWhere(query: CompanyListQuery) {
  const and: object[] = [];
  const search = searchWhere(query.q, ['name', 'slug']);
  if (search) and.push(search);
  if (query.filters.status) and.push({ active: query.filters.status === 'active' });
  return { AND: and };
}

function listOrder(query: CompanyListQuery) {
  const dir = query.dir;
  switch (query.sort) {
    case 'slug': return [{ slug: dir }, { id: dir }];
    case 'created': return [{ createdAt: dir }, { id: dir }];
    case 'users': return [{ users: { _count: dir } }, { name: 'asc' as const }, { id: 'asc' as const }];
    default: return [{ name: dir }, { id: dir }];
  }
}

const listSelect = { id: true, name: true, slug: true, active: true, createdAt: true, _count: { select: { users: true } } } as const;

/** One page of companies and the total: two queries whatever the page size. */
export function listCompanies(scoped: ScopedClient, query: CompanyListQuery) {
  const where = listWhere(query);
  return fetchListPage('/companies', query, () => scoped.company.count({ where }),
    (page) => scoped.company.findMany({ where, orderBy: listOrder(query), select: listSelect, ...pageWindow({ ...query, page }) }));
}

/** Every company the list's filters match, for the CSV export. */
export function exportCompanies(scoped: ScopedClient, query: CompanyListQuery, limit: number) {
  return scoped.company.findMany({ where: listWhere(query), orderBy: listOrder(query), select: listSelect, take: limit });
}

export function findCompany(scoped: Pick<ScopedClient, 'company'>, id: number) {
  return scoped.company.findUnique({
    where: { id },
    select: { id: true, name: true, slug: true, active: true, createdAt: true, updatedAt: true, version: true },
  });
}

/**
 * A company's page in one statement: for superusers also its account managers (a joined relation is
 * not scoped by the client; superusers read every company's users, and only they get this list).
 */
export async function findCompanyPage(scoped: Pick<ScopedClient, 'company'>, id: number, user: CurrentUser) {
  const managers = administersCompanies(user);
  const row = await scoped.company.findUnique({
    where: { id },
    select: {
      id: true, name: true, slug: true, active: true, createdAt: true, updatedAt: true, version: true,
      users: { where: { role: 'ACCOUNT_MANAGER' }, select: { id: true, name: true, email: true, active: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: managers ? 20 : 0 },
    },
  });
  return row && { ...row, managers: managers ? row.users : null };
}

/** The company's users and active users, counted in one statement. */
export async function companyUserCounts(scoped: ScopedClient, id: number) {
  const byActive = await scoped.user.groupBy({ by: ['active'], where: { companyId: id }, _count: { _all: true }, orderBy: { active: 'asc' } });
  const users = byActive.reduce((n, g) => n + g._count._all, 0);
  return { users, activeUsers: byActive.find((g) => g.active)?._count._all ?? 0 };
}

/** A new company and its default "Staff" group, in one transaction. */
export function createCompany(scoped: ScopedClient, actor: CurrentUser, data: CompanyInput) {
  return scoped.$transaction(async (tx) => {
    const company = await tx.company.create({ data: { name: data.name, slug: data.slug } });
    const group = await tx.group.create({
      data: { companyId: company.id, name: DEFAULT_STAFF_GROUP.name, permissions: DEFAULT_STAFF_GROUP.permissions },
    });
    await recordAudit(tx, actor, { action: 'create', model: 'Company', recordId: company.id, companyId: company.id, changes: { name: data.name, slug: data.slug } });
    await recordAudit(tx, actor, { action: 'create', model: 'Group', recordId: group.id, companyId: company.id, changes: { name: group.name, permissions: group.permissions } });
    return company;
  });
}

export type UpdateResult = { ok: true } | { ok: false; current: NonNullable<Awaited<ReturnType<typeof findCompany>>> | null };

/** Optimistic update: zero rows means someone saved first (or the row is gone). */
export function updateCompany(scoped: ScopedClient, actor: CurrentUser, id: number, version: number, data: { name: string; slug: string }): Promise<UpdateResult> {
  return scoped.$transaction(async (tx) => {
    const before = await tx.company.findUnique({ where: { id } });
    const { count } = await tx.company.updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 } } });
    if (count === 0) return { ok: false as const, current: await findCompany(tx, id) };
    const changes = changedFields(before, data, ['name', 'slug']);
    await recordAudit(tx, actor, { action: 'update', model: 'Company', recordId: id, companyId: id, changes });
    return { ok: true as const };
  });
}

/** Deactivates or reactivates; returns false when nothing changed (already in that state). */
export function setCompanyActive(scoped: ScopedClient, actor: CurrentUser, id: number, active: boolean) {
  return scoped.$transaction(async (tx) => {
    const { count } = await tx.company.updateMany({ where: { id, active: !active }, data: { active, version: { increment: 1 } } });
    if (count === 0) return false;
    await recordAudit(tx, actor, { action: active ? 'activate' : 'deactivate', model: 'Company', recordId: id, companyId: id, changes: { active: [!active, active] } });
    return true;
  });
}

/** Ends the open sessions of every user of the company (they could not use them anyway: the company is inactive). */
export async function endCompanySessions(pool: pg.Pool, companyId: number): Promise<void> {
  await pool.query(
    `DELETE FROM "session" WHERE sess->'passport'->>'user' IN (SELECT id::text FROM "User" WHERE "companyId" = $1)`,
    [companyId],
  );
}

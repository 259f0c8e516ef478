// Company reads, always through the scoped client (superusers see every company, everyone else
// their own). Writes are in writes.ts.
import { administersCompanies } from '../access/policy.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import type { ListQuery } from '../web/list.ts';
import { fetchListPage, pageWindow, searchWhere } from '../web/list.ts';
import type { CompanyFilter, CompanySort } from './schema.ts';

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
    case 'slug':
      return [{ slug: dir }, { id: dir }];
    case 'created':
      return [{ createdAt: dir }, { id: dir }];
    case 'users':
      return [{ users: { _count: dir } }, { name: 'asc' as const }, { id: 'asc' as const }];
    default:
      return [{ name: dir }, { id: dir }];
  }
}

const listSelect = {
  id: true,
  name: true,
  slug: true,
  active: true,
  createdAt: true,
  _count: { select: { users: true } },
} as const;

/** One page of companies and the total: two queries whatever the page size. */
export function listCompanies(scoped: ScopedClient, query: CompanyListQuery) {
  const where = listWhere(query);
  return fetchListPage(
    '/companies',
    query,
    () => scoped.company.count({ where }),
    (page) =>
      scoped.company.findMany({
        where,
        orderBy: listOrder(query),
        select: listSelect,
        ...pageWindow({ ...query, page }),
      }),
  );
}

/** Every company the list's filters match, for the CSV export. */
export function exportCompanies(scoped: ScopedClient, query: CompanyListQuery, limit: number) {
  return scoped.company.findMany({
    where: listWhere(query),
    orderBy: listOrder(query),
    select: listSelect,
    take: limit,
  });
}

export function findCompany(scoped: Pick<ScopedClient, 'company'>, id: number) {
  return scoped.company.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      slug: true,
      active: true,
      createdAt: true,
      updatedAt: true,
      version: true,
      ...COMPANY_MONEY_SELECT,
    },
  });
}

/** The pipeline settings read with a company (its edit form, its page, /company/settings). */
export const COMPANY_MONEY_SELECT = {
  currency: true,
  probabilityNew: true,
  probabilityContacted: true,
  probabilityQualified: true,
} as const;

/**
 * A company's page in one statement: for superusers also its account managers (a joined relation is
 * not scoped by the client; superusers read every company's users, and only they get this list).
 */
export async function findCompanyPage(scoped: Pick<ScopedClient, 'company'>, id: number, user: CurrentUser) {
  const managers = administersCompanies(user);
  const row = await scoped.company.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      slug: true,
      active: true,
      createdAt: true,
      updatedAt: true,
      version: true,
      ...COMPANY_MONEY_SELECT,
      users: {
        where: { role: 'ACCOUNT_MANAGER' },
        select: { id: true, name: true, email: true, active: true },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        take: managers ? 20 : 0,
      },
    },
  });
  return row && { ...row, managers: managers ? row.users : null };
}

/** The company's users and active users, counted in one statement. */
export async function companyUserCounts(scoped: ScopedClient, id: number) {
  const byActive = await scoped.user.groupBy({
    by: ['active'],
    where: { companyId: id },
    _count: { _all: true },
    orderBy: { active: 'asc' },
  });
  const users = byActive.reduce((n, g) => n + g._count._all, 0);
  return { users, activeUsers: byActive.find((g) => g.active)?._count._all ?? 0 };
}

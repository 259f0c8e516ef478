// User data access, always through the scoped client: superusers see every company's users,
// account managers their own company's. Superusers themselves are not managed here (the
// `createsuperuser` command does that), so every query below excludes them.
import { spansCompanies } from '../access/policy.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import type { ListQuery } from '../web/list.ts';
import { fetchListPage, pageWindow, searchWhere } from '../web/list.ts';
import type { UserFilter, UserSort } from './schema.ts';

type UserListQuery = ListQuery<UserSort, UserFilter>;
export const NOT_SUPERUSER = { role: { not: 'SUPERUSER' as const } };

/** The list's (and the API's) condition: search and filters. */
export function userListWhere(user: CurrentUser, query: UserListQuery) {
  const and: object[] = [NOT_SUPERUSER];
  const search = searchWhere(query.q, ['name', 'email']);
  if (search) and.push(search);
  const f = query.filters;
  if (f.role) and.push({ role: f.role });
  if (f.status) and.push({ active: f.status === 'active' });
  if (f.groupId) and.push({ memberships: { some: { groupId: Number(f.groupId) } } });
  // Only a superuser's list reads companyId; anyone else's is limited by the scope alone.
  if (f.companyId && spansCompanies(user)) and.push({ companyId: Number(f.companyId) });
  return { AND: and };
}

/** The list's (and the API's) order, id last. */
export function userListOrder(query: UserListQuery) {
  const dir = query.dir;
  switch (query.sort) {
    case 'email':
      return [{ email: dir }];
    case 'role':
      return [{ role: dir }, { name: 'asc' as const }, { id: 'asc' as const }];
    case 'company':
      return [{ company: { name: dir } }, { name: 'asc' as const }, { id: 'asc' as const }];
    case 'lastSignIn':
      return [{ lastSignInAt: { sort: dir, nulls: 'last' as const } }, { id: dir }];
    case 'created':
      return [{ createdAt: dir }, { id: dir }];
    default:
      return [{ name: dir }, { id: dir }];
  }
}

const listSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  active: true,
  lastSignInAt: true,
  createdAt: true,
  companyId: true,
  company: { select: { name: true } },
  memberships: {
    select: { group: { select: { id: true, name: true } } },
    orderBy: { group: { name: 'asc' as const } },
  },
} as const;

/** One page of users and its pagination: a fixed number of queries whatever the page size. */
export function listUsers(scoped: ScopedClient, user: CurrentUser, query: UserListQuery) {
  const where = userListWhere(user, query);
  return fetchListPage(
    '/users',
    query,
    () => scoped.user.count({ where }),
    (page) =>
      scoped.user.findMany({
        where,
        orderBy: userListOrder(query),
        select: listSelect,
        ...pageWindow({ ...query, page }),
      }),
  );
}

export function exportUsers(scoped: ScopedClient, user: CurrentUser, query: UserListQuery, limit: number) {
  return scoped.user.findMany({
    where: userListWhere(user, query),
    orderBy: userListOrder(query),
    select: listSelect,
    take: limit,
  });
}

const detailSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  active: true,
  timeZone: true,
  companyId: true,
  lastSignInAt: true,
  createdAt: true,
  version: true,
  passwordHash: true,
  company: { select: { id: true, name: true, active: true } },
  memberships: {
    select: { group: { select: { id: true, name: true } } },
    orderBy: { group: { name: 'asc' as const } },
  },
} as const;

/** A company user in scope, or null. The password hash never leaves this function: only whether one is set. */
export async function findUser(scoped: Pick<ScopedClient, 'user'>, id: number) {
  const row = await scoped.user.findFirst({ where: { id, ...NOT_SUPERUSER }, select: detailSelect });
  if (!row) return null;
  const { passwordHash, memberships, ...rest } = row;
  return { ...rest, hasPassword: passwordHash !== null, groups: memberships.map((m) => m.group) };
}
export type UserDetail = NonNullable<Awaited<ReturnType<typeof findUser>>>;

/** The company's groups, for the checklist and the list filter. */
export function companyGroups(scoped: ScopedClient, companyId: number) {
  return scoped.group.findMany({
    where: { companyId },
    select: { id: true, name: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

// Group data access, always through the scoped client (account managers: their company's
// groups; superusers: all; staff: none). Writes are in writes.ts.
import { spansCompanies } from '../access/policy.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import type { ListQuery } from '../web/list.ts';
import { fetchListPage, pageWindow, searchWhere } from '../web/list.ts';
import type { GroupFilter, GroupSort } from './schema.ts';

type GroupListQuery = ListQuery<GroupSort, GroupFilter>;

/** The list's (and the API's) condition: search and filters. */
export function groupListWhere(user: CurrentUser, query: GroupListQuery) {
  const and: object[] = [];
  const search = searchWhere(query.q, ['name']);
  if (search) and.push(search);
  if (query.filters.companyId && spansCompanies(user)) and.push({ companyId: Number(query.filters.companyId) });
  return { AND: and };
}

/** The list's (and the API's) order, id last. */
export function groupListOrder(query: GroupListQuery) {
  const dir = query.dir;
  switch (query.sort) {
    case 'members':
      return [{ members: { _count: dir } }, { name: 'asc' as const }, { id: 'asc' as const }];
    case 'company':
      return [{ company: { name: dir } }, { name: 'asc' as const }, { id: 'asc' as const }];
    case 'created':
      return [{ createdAt: dir }, { id: dir }];
    default:
      return [{ name: dir }, { id: dir }];
  }
}

/** One page of groups and the total: two queries whatever the page size. */
export function listGroups(scoped: ScopedClient, user: CurrentUser, query: GroupListQuery) {
  const where = groupListWhere(user, query);
  return fetchListPage(
    '/groups',
    query,
    () => scoped.group.count({ where }),
    (page) =>
      scoped.group.findMany({
        where,
        orderBy: groupListOrder(query),
        ...pageWindow({ ...query, page }),
        select: {
          id: true,
          name: true,
          permissions: true,
          company: { select: { id: true, name: true } },
          _count: { select: { members: true } },
        },
      }),
  );
}

export async function findGroup(scoped: Pick<ScopedClient, 'group'>, id: number) {
  const row = await scoped.group.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      permissions: true,
      companyId: true,
      version: true,
      createdAt: true,
      company: { select: { id: true, name: true } },
      members: {
        select: { user: { select: { id: true, name: true, email: true, role: true, active: true } } },
        orderBy: { user: { name: 'asc' } },
      },
    },
  });
  return row && { ...row, members: row.members.map((m) => m.user) };
}
export type GroupDetail = NonNullable<Awaited<ReturnType<typeof findGroup>>>;

/** Users who may be members: the company's users (superusers belong to no company). */
export function memberOptions(scoped: ScopedClient, companyId: number) {
  return scoped.user.findMany({
    where: { companyId, role: { not: 'SUPERUSER' } },
    select: { id: true, name: true, email: true, role: true, active: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

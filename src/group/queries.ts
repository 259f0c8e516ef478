// Group data access, always through the scoped client (account managers: their company's
// groups; superusers: all; staff: none). Writes and their audit entries share one transaction.
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { type AuditAction, changedFields, recordAudit } from '../audit/record.ts';
import type { ListQuery } from '../web/list.ts';
import { fetchListPage, pageWindow, searchWhere } from '../web/list.ts';
import type { GroupFilter, GroupInput, GroupSort } from './schema.ts';

type GroupListQuery = ListQuery<GroupSort, GroupFilter>;
type Member = { id: number; name: string };

function listWhere(user: CurrentUser, query: GroupListQuery) {
  const and: object[] = [];
  const search = searchWhere(query.q, ['name']);
  if (search) and.push(search);
  if (query.filters.companyId && user.role === 'SUPERUSER') and.push({ companyId: Number(query.filters.companyId) });
  return { AND: and };
}

function listOrder(query: GroupListQuery) {
  const dir = query.dir;
  switch (query.sort) {
    case 'members': return [{ members: { _count: dir } }, { name: 'asc' as const }, { id: 'asc' as const }];
    case 'company': return [{ company: { name: dir } }, { name: 'asc' as const }, { id: 'asc' as const }];
    case 'created': return [{ createdAt: dir }, { id: dir }];
    default: return [{ name: dir }, { id: dir }];
  }
}

/** One page of groups and the total: two queries whatever the page size. */
export function listGroups(scoped: ScopedClient, user: CurrentUser, query: GroupListQuery) {
  const where = listWhere(user, query);
  return fetchListPage('/groups', query, () => scoped.group.count({ where }), (page) => scoped.group.findMany({
    where, orderBy: listOrder(query), ...pageWindow({ ...query, page }),
    select: { id: true, name: true, permissions: true, company: { select: { id: true, name: true } }, _count: { select: { members: true } } },
  }));
}

export async function findGroup(scoped: Pick<ScopedClient, 'group'>, id: number) {
  const row = await scoped.group.findUnique({
    where: { id },
    select: {
      id: true, name: true, permissions: true, companyId: true, version: true, createdAt: true,
      company: { select: { id: true, name: true } },
      members: { select: { user: { select: { id: true, name: true, email: true, role: true, active: true } } }, orderBy: { user: { name: 'asc' } } },
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

/** The group with its members, its audit entry, in one transaction. */
export function createGroup(scoped: ScopedClient, actor: CurrentUser, companyId: number, data: GroupInput, members: Member[]) {
  return scoped.$transaction(async (tx) => {
    const group = await tx.group.create({
      data: { companyId, name: data.name, permissions: data.permissions, members: { create: members.map((m) => ({ userId: m.id })) } },
      select: { id: true, name: true },
    });
    await recordAudit(tx, actor, {
      action: 'create', model: 'Group', recordId: group.id, companyId,
      changes: { name: data.name, permissions: data.permissions, members: members.map((m) => m.name) },
    });
    return group;
  });
}

export type UpdateGroupResult = { ok: true } | { ok: false; current: GroupDetail | null };

/** Optimistic update of name and permissions, and the member list; membership changes get their own audit entry. */
export function updateGroup(scoped: ScopedClient, actor: CurrentUser, before: GroupDetail, version: number, data: GroupInput, members: Member[]): Promise<UpdateGroupResult> {
  return scoped.$transaction(async (tx) => {
    const { count } = await tx.group.updateMany({
      where: { id: before.id, version },
      data: { name: data.name, permissions: data.permissions, version: { increment: 1 } },
    });
    if (count === 0) return { ok: false as const, current: await findGroup(tx, before.id) };
    const audit = (action: AuditAction, changes: Record<string, unknown>) =>
      recordAudit(tx, actor, { action, model: 'Group', recordId: before.id, companyId: before.companyId, changes });
    const fields = changedFields({ name: before.name, permissions: [...before.permissions].sort() }, { name: data.name, permissions: data.permissions }, ['name', 'permissions']);
    if (Object.keys(fields).length) await audit('update', fields);
    const had = new Set(before.members.map((m) => m.id));
    const wanted = new Set(members.map((m) => m.id));
    const added = members.filter((m) => !had.has(m.id));
    const removed = before.members.filter((m) => !wanted.has(m.id));
    if (removed.length) await tx.groupMember.deleteMany({ where: { groupId: before.id, userId: { in: removed.map((m) => m.id) } } });
    if (added.length) await tx.groupMember.createMany({ data: added.map((m) => ({ groupId: before.id, userId: m.id })) });
    if (added.length || removed.length) await audit('groups', { added: added.map((m) => m.name), removed: removed.map((m) => m.name) });
    return { ok: true as const };
  });
}

/** Deletes the group (its memberships go with it); members lose its permissions on their next request. */
export function deleteGroup(scoped: ScopedClient, actor: CurrentUser, group: GroupDetail) {
  return scoped.$transaction(async (tx) => {
    await tx.group.delete({ where: { id: group.id } });
    await recordAudit(tx, actor, {
      action: 'delete', model: 'Group', recordId: group.id, companyId: group.companyId,
      changes: { name: group.name, permissions: group.permissions, members: group.members.map((m) => m.name) },
    });
  });
}

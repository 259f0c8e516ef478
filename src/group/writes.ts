// Every write of the group domain, each with its audit entry in the same transaction, through the
// request's scoped client (req.db). Members feel a change on their next request.
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { type AuditAction, changedFields, recordAudit } from '../audit/record.ts';
import { findGroup, type GroupDetail } from './queries.ts';
import type { GroupInput } from './schema.ts';

type Member = { id: number; name: string };

/** The group with its members, its audit entry, in one transaction. */
export function createGroup(
  scoped: ScopedClient,
  actor: CurrentUser,
  companyId: number,
  data: GroupInput,
  members: Member[],
) {
  return scoped.$transaction(async (tx) => {
    const group = await tx.group.create({
      data: {
        companyId,
        name: data.name,
        permissions: data.permissions,
        members: { create: members.map((m) => ({ userId: m.id })) },
      },
      select: { id: true, name: true },
    });
    await recordAudit(tx, actor, {
      action: 'create',
      model: 'Group',
      recordId: group.id,
      companyId,
      changes: { name: data.name, permissions: data.permissions, members: members.map((m) => m.name) },
    });
    return group;
  });
}

export type UpdateGroupResult = { ok: true } | { ok: false; current: GroupDetail | null };

/** Optimistic update of name and permissions, and the member list; membership changes get their own audit entry. */
export function updateGroup(
  scoped: ScopedClient,
  actor: CurrentUser,
  before: GroupDetail,
  version: number,
  data: GroupInput,
  members: Member[],
): Promise<UpdateGroupResult> {
  return scoped.$transaction(async (tx) => {
    const { count } = await tx.group.updateMany({
      where: { id: before.id, version },
      data: { name: data.name, permissions: data.permissions, version: { increment: 1 } },
    });
    if (count === 0) return { ok: false as const, current: await findGroup(tx, before.id) };
    const audit = (action: AuditAction, changes: Record<string, unknown>) =>
      recordAudit(tx, actor, { action, model: 'Group', recordId: before.id, companyId: before.companyId, changes });
    const fields = changedFields(
      { name: before.name, permissions: [...before.permissions].sort() },
      { name: data.name, permissions: data.permissions },
      ['name', 'permissions'],
    );
    if (Object.keys(fields).length) await audit('update', fields);
    const had = new Set(before.members.map((m) => m.id));
    const wanted = new Set(members.map((m) => m.id));
    const added = members.filter((m) => !had.has(m.id));
    const removed = before.members.filter((m) => !wanted.has(m.id));
    if (removed.length)
      await tx.groupMember.deleteMany({ where: { groupId: before.id, userId: { in: removed.map((m) => m.id) } } });
    if (added.length)
      await tx.groupMember.createMany({ data: added.map((m) => ({ groupId: before.id, userId: m.id })) });
    if (added.length || removed.length)
      await audit('groups', { added: added.map((m) => m.name), removed: removed.map((m) => m.name) });
    return { ok: true as const };
  });
}

/** Deletes the group (its memberships go with it); members lose its permissions on their next request. */
export function deleteGroup(scoped: ScopedClient, actor: CurrentUser, group: GroupDetail) {
  return scoped.$transaction(async (tx) => {
    await tx.group.delete({ where: { id: group.id } });
    await recordAudit(tx, actor, {
      action: 'delete',
      model: 'Group',
      recordId: group.id,
      companyId: group.companyId,
      changes: { name: group.name, permissions: group.permissions, members: group.members.map((m) => m.name) },
    });
  });
}

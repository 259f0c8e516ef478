// User changes, each in one transaction with its audit entries: create with invitation token,
// edit (role, groups and active flag audited on their own), deactivate/reactivate, re-invite.
// The invitation token is written through a scoped update of its user, so the scope decides
// whose token may be made (the token table itself is not open on the scoped client).
import { createPasswordToken } from '../account/passwordReset.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient, ScopedTx } from '../access/scope.ts';
import { type AuditAction, changedFields, recordAudit } from '../audit/record.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Outbox } from '../jobs/outbox.ts';
import { findUser, type UserDetail } from './queries.ts';
import type { UserCreateInput } from './schema.ts';

type TokenData = { userId: number; tokenHash: string; purpose: string; expiresAt: Date };

/** createPasswordToken's client, writing the token as a nested create under its (scoped) user. */
function tokensThroughUser(tx: ScopedTx): Pick<PrismaClient, 'passwordResetToken'> {
  const create = ({ data }: { data: TokenData }) =>
    tx.user.update({
      where: { id: data.userId },
      data: {
        passwordResetTokens: {
          // A newer invitation voids the older unused ones.
          updateMany: { where: { purpose: 'invite', usedAt: null }, data: { usedAt: new Date() } },
          create: { tokenHash: data.tokenHash, purpose: data.purpose, expiresAt: data.expiresAt },
        },
      },
      select: { id: true },
    });
  return { passwordResetToken: { create } } as unknown as Pick<PrismaClient, 'passwordResetToken'>;
}

/** Creates the user (no password), their group memberships, an invitation link and the audit entry. */
export function createUser(
  scoped: ScopedClient,
  actor: CurrentUser,
  appUrl: string,
  companyId: number,
  data: UserCreateInput,
  groupNames: string[],
  outbox?: Outbox<{ email: string; url: string }>,
) {
  return scoped.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: {
        companyId,
        name: data.name,
        email: data.email,
        role: data.role,
        timeZone: data.timeZone,
        passwordHash: null,
        memberships: { create: data.groupIds.map((groupId) => ({ groupId })) },
      },
      select: { id: true, name: true, email: true },
    });
    const url = await createPasswordToken(tokensThroughUser(tx), appUrl, user.id, 'invite');
    await recordAudit(tx, actor, {
      action: 'create',
      model: 'User',
      recordId: user.id,
      companyId,
      changes: { name: data.name, email: data.email, role: data.role, timeZone: data.timeZone, groups: groupNames },
    });
    await outbox?.(tx, { email: user.email, url });
    return { user, url };
  });
}

/** A fresh invitation link for a user who has not set a password yet (older links stop working). */
export function reinviteUser(
  scoped: ScopedClient,
  actor: CurrentUser,
  appUrl: string,
  target: UserDetail,
  outbox?: Outbox<{ email: string; url: string }>,
) {
  return scoped.$transaction(async (tx) => {
    const url = await createPasswordToken(tokensThroughUser(tx), appUrl, target.id, 'invite');
    await recordAudit(tx, actor, {
      action: 'invite',
      model: 'User',
      recordId: target.id,
      companyId: target.companyId,
      changes: {},
    });
    await outbox?.(tx, { email: target.email, url });
    return url;
  });
}

export type UserChanges = {
  name: string;
  email: string;
  timeZone: string;
  role: 'STAFF' | 'ACCOUNT_MANAGER' | 'SUPERUSER';
  active: boolean;
  groups: { id: number; name: string }[];
};
export type UpdateUserResult = { ok: true; deactivated: boolean } | { ok: false; current: UserDetail | null };

/** Optimistic update of a user and their groups; role, groups and active flag get their own audit entries. */
export function updateUser(
  scoped: ScopedClient,
  actor: CurrentUser,
  before: UserDetail,
  version: number,
  next: UserChanges,
): Promise<UpdateUserResult> {
  return scoped.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: before.id, version },
      data: {
        name: next.name,
        email: next.email,
        timeZone: next.timeZone,
        role: next.role,
        active: next.active,
        version: { increment: 1 },
      },
    });
    if (count === 0) return { ok: false as const, current: await findUser(tx, before.id) };
    const audit = (action: AuditAction, changes: Record<string, unknown>) =>
      recordAudit(tx, actor, { action, model: 'User', recordId: before.id, companyId: before.companyId, changes });
    const fields = changedFields(before, next, ['name', 'email', 'timeZone']);
    if (Object.keys(fields).length) await audit('update', fields);
    if (before.role !== next.role) await audit('role', { role: [before.role, next.role] });
    if (before.active !== next.active)
      await audit(next.active ? 'activate' : 'deactivate', { active: [before.active, next.active] });
    const had = new Set(before.groups.map((g) => g.id));
    const wanted = new Set(next.groups.map((g) => g.id));
    const added = next.groups.filter((g) => !had.has(g.id));
    const removed = before.groups.filter((g) => !wanted.has(g.id));
    if (removed.length)
      await tx.groupMember.deleteMany({ where: { userId: before.id, groupId: { in: removed.map((g) => g.id) } } });
    if (added.length)
      await tx.groupMember.createMany({ data: added.map((g) => ({ groupId: g.id, userId: before.id })) });
    if (added.length || removed.length)
      await audit('groups', { added: added.map((g) => g.name), removed: removed.map((g) => g.name) });
    return { ok: true as const, deactivated: before.active && !next.active };
  });
}

/** Deactivates or reactivates; false when it already was in that state. */
export function setUserActive(scoped: ScopedClient, actor: CurrentUser, target: UserDetail, active: boolean) {
  return scoped.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: target.id, active: !active },
      data: { active, version: { increment: 1 } },
    });
    if (count === 0) return false;
    await recordAudit(tx, actor, {
      action: active ? 'activate' : 'deactivate',
      model: 'User',
      recordId: target.id,
      companyId: target.companyId,
      changes: { active: [!active, active] },
    });
    return true;
  });
}

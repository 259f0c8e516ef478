// Account data access. Sign-in works before anyone has a scope, so these queries use the
// unscoped client, each limited to one user's own rows.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type pg from 'pg';
import { CODE_TTL_MS, hashSecret } from './codes.ts';

export const PENDING_LOGIN_TTL_MS = 30 * 60 * 1000;

export function findUserForLogin(prisma: PrismaClient, email: string) {
  return prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, active: true, passwordHash: true, company: { select: { active: true } } },
  });
}

export type LoginUser = NonNullable<Awaited<ReturnType<typeof findUserForLogin>>>;

export function userMaySignIn(user: LoginUser | null): boolean {
  return !!user && user.active && !!user.passwordHash && (user.role === 'SUPERUSER' || !!user.company?.active);
}

/** A newer code voids the older pending logins of the same user. */
export async function startLoginAttempt(prisma: PrismaClient, userId: number, code: string) {
  return prisma.$transaction(async (tx) => {
    await tx.loginAttempt.updateMany({ where: { userId, endedAt: null }, data: { endedAt: new Date() } });
    return tx.loginAttempt.create({
      data: { userId, codeHash: hashSecret(code), expiresAt: new Date(Date.now() + CODE_TTL_MS) },
    });
  });
}

export function findOpenLoginAttempt(prisma: PrismaClient, id: string | undefined) {
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) return Promise.resolve(null);
  return prisma.loginAttempt.findFirst({
    where: { id, endedAt: null, createdAt: { gt: new Date(Date.now() - PENDING_LOGIN_TTL_MS) } },
  });
}

/** Counts a wrong code; returns the number of wrong codes so far. Ends the attempt at the limit. */
export async function recordWrongCode(prisma: PrismaClient, id: string, limit: number): Promise<number> {
  const updated = await prisma.loginAttempt.update({ where: { id }, data: { failedCodes: { increment: 1 } } });
  if (updated.failedCodes >= limit) await prisma.loginAttempt.update({ where: { id }, data: { endedAt: new Date() } });
  return updated.failedCodes;
}

/** Consumes the attempt once: true for the one request that ends it. */
export async function consumeLoginAttempt(prisma: PrismaClient, id: string, codeHash: string): Promise<boolean> {
  const { count } = await prisma.loginAttempt.updateMany({
    where: { id, codeHash, endedAt: null, expiresAt: { gt: new Date() } },
    data: { endedAt: new Date() },
  });
  return count === 1;
}

export function replaceCode(prisma: PrismaClient, id: string, code: string) {
  return prisma.loginAttempt.updateMany({
    where: { id, endedAt: null },
    data: { codeHash: hashSecret(code), expiresAt: new Date(Date.now() + CODE_TTL_MS), lastSentAt: new Date() },
  });
}

/** Ends every session of a user, but the one given (if any). */
export async function endSessionsOf(pool: pg.Pool | PrismaClient, userId: number, exceptSid?: string): Promise<void> {
  const sql = `DELETE FROM "session" WHERE sess->'passport'->>'user' = $1 AND sid <> $2`;
  if ('query' in pool) await pool.query(sql, [String(userId), exceptSid ?? '']);
  else await pool.$executeRawUnsafe(sql, String(userId), exceptSid ?? '');
}

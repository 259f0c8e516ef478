// Account data access. Sign-in works before anyone has a scope, so these queries use the
// unscoped client, each limited to one user's own rows.
import { companyAdmits } from '../access/policy.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type pg from 'pg';
import { CODE_TTL_MS, hashSecret } from './codes.ts';

export const PENDING_LOGIN_TTL_MS = 30 * 60 * 1000;

export function findUserForLogin(prisma: PrismaClient, email: string) {
  return prisma.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      active: true,
      passwordHash: true,
      company: { select: { active: true } },
    },
  });
}

export type LoginUser = NonNullable<Awaited<ReturnType<typeof findUserForLogin>>>;

export function userMaySignIn(user: LoginUser | null): boolean {
  return !!user && user.active && !!user.passwordHash && companyAdmits(user);
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

/**
 * Takes one of the attempt's code tries before the code is compared, atomically, so codes sent at
 * once cannot exceed the limit. Returns the tries used so far, or null when none is left.
 */
export async function claimCodeTry(prisma: PrismaClient, id: string, limit: number): Promise<number | null> {
  const rows = await prisma.$queryRaw<{ failedCodes: number }[]>`
    UPDATE "LoginAttempt" SET "failedCodes" = "failedCodes" + 1
    WHERE id = ${id}::uuid AND "endedAt" IS NULL AND "failedCodes" < ${limit}
    RETURNING "failedCodes"`;
  return rows[0]?.failedCodes ?? null;
}

export function endLoginAttempt(prisma: PrismaClient, id: string) {
  return prisma.loginAttempt.updateMany({ where: { id, endedAt: null }, data: { endedAt: new Date() } });
}

/** Consumes the attempt once: true for the one request that ends it (its try was not a wrong code). */
export async function consumeLoginAttempt(prisma: PrismaClient, id: string, codeHash: string): Promise<boolean> {
  const { count } = await prisma.loginAttempt.updateMany({
    where: { id, codeHash, endedAt: null, expiresAt: { gt: new Date() } },
    data: { endedAt: new Date(), failedCodes: { decrement: 1 } },
  });
  return count === 1;
}

/**
 * Takes the attempt's resend slot (free once a minute) atomically: true for the one request that
 * may send now, however many arrive at once.
 */
export async function claimResend(prisma: PrismaClient, id: string, intervalMs: number): Promise<boolean> {
  const now = new Date();
  const { count } = await prisma.loginAttempt.updateMany({
    where: { id, endedAt: null, lastSentAt: { lte: new Date(now.getTime() - intervalMs) } },
    data: { lastSentAt: now },
  });
  return count === 1;
}

/** Gives the resend slot back after a failed send. */
export function releaseResend(prisma: PrismaClient, id: string, previous: Date) {
  return prisma.loginAttempt.updateMany({ where: { id }, data: { lastSentAt: previous } });
}

/** The new code replaces the old one, which stops working. */
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

/**
 * The one way a password is set (invitation link, reset link, profile): the new hash, every unused
 * link of the user voided (invitations and resets alike: a link mailed for an older password must
 * not set another one), pending sign-ins ended. With `firstOnly` (an invitation) nothing is written
 * when the user already has a password, and it answers false.
 */
export async function setPassword(
  tx: Prisma.TransactionClient,
  userId: number,
  passwordHash: string,
  opts: { firstOnly?: boolean } = {},
): Promise<boolean> {
  const { count } = await tx.user.updateMany({
    where: { id: userId, ...(opts.firstOnly ? { passwordHash: null } : {}) },
    data: { passwordHash },
  });
  if (count !== 1) return false;
  const now = new Date();
  await tx.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  await tx.loginAttempt.updateMany({ where: { userId, endedAt: null }, data: { endedAt: now } });
  return true;
}

// API tokens' reads, through the request's scoped client: one's own tokens (everyone), and the company's (account
// managers; every company's for superusers). The scope (src/access/scope.ts) decides which rows exist.
import type { ScopedClient } from '../access/scope.ts';

export const TOKEN_SELECT = {
  id: true,
  name: true,
  prefix: true,
  access: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  userId: true,
  companyId: true,
  user: { select: { name: true, email: true } },
  revokedBy: { select: { name: true } },
} as const;

/** The page lists at most this many tokens of each kind (newest first); revoked and expired ones stay listed. */
export const TOKEN_LIST_SIZE = 100;

export function findOwnTokens(db: ScopedClient, userId: number) {
  return db.apiToken.findMany({
    where: { userId },
    select: TOKEN_SELECT,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: TOKEN_LIST_SIZE,
  });
}

/** Everyone else's tokens the user may see (an account manager: their company's; a superuser: all). */
export function findOthersTokens(db: ScopedClient, userId: number) {
  return db.apiToken.findMany({
    where: { userId: { not: userId } },
    select: TOKEN_SELECT,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: TOKEN_LIST_SIZE,
  });
}

/** The loader's fetch: a token the user may see (and so revoke), or null. */
export function findToken(db: ScopedClient, id: number) {
  return db.apiToken.findUnique({ where: { id }, select: TOKEN_SELECT });
}
export type TokenRow = NonNullable<Awaited<ReturnType<typeof findToken>>>;

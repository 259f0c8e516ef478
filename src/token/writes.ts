// API tokens' writes, each with its audit entry in the same transaction, through the user's scoped client. A new
// token's secret is returned once and never stored (the row keeps its SHA-256).
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { recordAudit } from '../audit/record.ts';
import { type NewToken, TOKEN_ACCESS_LABELS } from './schema.ts';
import { newApiTokenSecret } from './secret.ts';
import type { TokenRow } from './queries.ts';

const DAY = 24 * 3600_000;

/** Makes a token for the user; returns its secret (shown once). */
export async function createApiToken(db: ScopedClient, user: CurrentUser, form: NewToken, now = new Date()) {
  const { token, tokenHash, prefix } = newApiTokenSecret();
  const expiresAt = new Date(now.getTime() + form.lifetimeDays * DAY);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        userId: user.id,
        companyId: user.companyId,
        name: form.name,
        prefix,
        tokenHash,
        access: form.access,
        expiresAt,
      },
      select: { id: true },
    });
    await recordAudit(tx, user, {
      action: 'update',
      model: 'User',
      recordId: user.id,
      companyId: user.companyId,
      changes: { apiToken: `created "${form.name}" (${TOKEN_ACCESS_LABELS[form.access]}, ${prefix}…)` },
    });
    return created;
  });
  return { id: row.id, token };
}

/**
 * Revokes a token the user may see (their own; an account manager: the company's). False when it was already
 * revoked. The update is conditional, so two revokes at once record one.
 */
export function revokeApiToken(db: ScopedClient, user: CurrentUser, token: TokenRow, now = new Date()) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({
      where: { id: token.id, revokedAt: null },
      data: { revokedAt: now, revokedById: user.id },
    });
    if (count)
      await recordAudit(tx, user, {
        action: 'update',
        model: 'User',
        recordId: token.userId,
        companyId: token.companyId,
        changes: { apiToken: `revoked "${token.name}" (${token.prefix}…)` },
      });
    return count > 0;
  });
}

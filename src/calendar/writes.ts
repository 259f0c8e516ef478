// The calendar feed's writes, each with its audit entry in the same transaction, through the user's scoped
// client (a feed row is its own user's only: src/access/scope.ts). The token is returned once and never stored:
// the row keeps its SHA-256, so a copy of the database opens no one's calendar.
import { createHash, randomBytes } from 'node:crypto';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { recordAudit } from '../audit/record.ts';

/** 32 random bytes, URL-safe (43 characters). */
export const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const hashFeedToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates the user's feed, or replaces its token (the old address stops working at once). Returns the new token. */
export async function issueFeedToken(
  db: ScopedClient,
  user: CurrentUser,
): Promise<{ token: string; replaced: boolean }> {
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashFeedToken(token);
  const replaced = await db.$transaction(async (tx) => {
    const had = await tx.calendarFeed.count({ where: { userId: user.id } });
    await tx.calendarFeed.upsert({
      where: { userId: user.id },
      create: { userId: user.id, tokenHash },
      update: { tokenHash, createdAt: new Date(), lastUsedAt: null },
    });
    await recordAudit(tx, user, {
      action: 'update',
      model: 'User',
      recordId: user.id,
      companyId: user.companyId,
      changes: { calendarFeed: had ? 'replaced' : 'created' },
    });
    return had > 0;
  });
  return { token, replaced };
}

/** Deletes the user's feed: its address answers 404 from now on. False when there was none. */
export function revokeFeed(db: ScopedClient, user: CurrentUser): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.calendarFeed.deleteMany({ where: { userId: user.id } });
    if (count)
      await recordAudit(tx, user, {
        action: 'update',
        model: 'User',
        recordId: user.id,
        companyId: user.companyId,
        changes: { calendarFeed: 'revoked' },
      });
    return count > 0;
  });
}

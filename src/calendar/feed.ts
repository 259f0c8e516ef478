// GET /calendar/<token>.ics — a user's calendar subscription, read by calendar apps without a session: the token is
// the key. The token's user is loaded as the app loads a signed-in user (currentUserFrom: a deactivated user or
// company is nobody), and their items are read through their own scoped client, so the feed shows exactly what
// they may see. Every refusal is the same 404. Three statements: the token with its user (recording the use), the
// appointments, the tasks.
import type { RequestHandler } from 'express';
import { currentUserFrom, currentUserJsonSql, type CurrentUserRow } from '../access/currentUser.ts';
import { can } from '../access/policy.ts';
import { scopeCache } from '../access/scope.ts';
import { unscoped } from '../db/client.ts';
import type { AppDeps } from '../deps.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { NotFound } from '../web/errors.ts';
import { feedCalendar } from './ics.ts';
import { feedAppointments, feedTasks, feedWindow } from './queries.ts';
import { FEED_TOKEN, hashFeedToken } from './writes.ts';

export function calendarFeedHandler(deps: AppDeps): RequestHandler {
  // Before a user is known there is nothing to scope by: the token is looked up by its hash, nothing else.
  const raw = unscoped(deps.db, 'calendar feed');
  const scopeOf = scopeCache(raw, 100);

  /** The token's user (as a signed-in request would load them), its last use recorded; null for an unknown token. */
  async function ownerOf(token: string): Promise<CurrentUserRow | null> {
    const rows = await raw.$queryRaw<{ user: CurrentUserRow | null }[]>(Prisma.sql`
      WITH feed AS (SELECT "userId", "lastUsedAt" FROM "CalendarFeed" WHERE "tokenHash" = ${hashFeedToken(token)}),
      -- A calendar app polls every few minutes: the last use is written at most once an hour.
      used AS (UPDATE "CalendarFeed" f SET "lastUsedAt" = now() FROM feed
        WHERE f."userId" = feed."userId"
          AND (feed."lastUsedAt" IS NULL OR feed."lastUsedAt" < now() - interval '1 hour'))
      SELECT ${Prisma.raw(currentUserJsonSql('feed."userId"'))} AS "user" FROM feed`);
    return rows[0]?.user ?? null;
  }

  /** GET /calendar/:token.ics — the feed, or 404 (unknown or revoked token, deactivated user or company). */
  return async (req, res) => {
    const token = String(req.params.token);
    const row = FEED_TOKEN.test(token) ? await ownerOf(token) : null;
    const user = row ? currentUserFrom(row) : null;
    if (!user) throw new NotFound();
    const db = scopeOf(user);
    const window = feedWindow(new Date());
    // What the pages would show them: no appointments without appointment.view, no tasks without task.view.
    const [appointments, tasks] = await Promise.all([
      can(user, 'appointment.view') ? feedAppointments(db, user.id, window) : [],
      can(user, 'task.view') ? feedTasks(db, user.id, window) : [],
    ]);
    const body = feedCalendar(
      user.name,
      // A feed names no one: its address may be shared by mistake, and a subscription needs only the times.
      appointments.map((a) => ({ ...a, organiser: null, attendees: [] })),
      tasks,
      deps.config.appUrl,
    );
    res
      .status(200)
      .set({
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': 'inline; filename="crm.ics"',
        // Asked again every time: a revoked address must stop at once, not after a cached copy's lifetime.
        'Cache-Control': 'private, no-cache',
      })
      .send(body);
  };
}

// The API's authentication: `Authorization: Bearer crm_pat_…` and nothing else (a session cookie is ignored, so
// no CSRF token is needed; the pages ignore tokens). The token's hash finds its row and its user in one statement;
// the user is loaded as a signed-in request loads them (currentUserFrom: a deactivated user or company is nobody) and
// scoped the same way, so the API sees and does exactly what the pages let that user see and do. A read-only token
// may only read. The token's use is recorded (at most once a minute, one more statement) only for a request that
// passes all of that and the rate limit.
import type { RequestHandler } from 'express';
import { currentUserFrom, currentUserJsonSql, type CurrentUserRow } from '../access/currentUser.ts';
import { scopeCache } from '../access/scope.ts';
import { auditVia } from '../audit/via.ts';
import { unscoped } from '../db/client.ts';
import type { AppDeps } from '../deps.ts';
import { scopedSql } from '../access/scopedSql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { TokenAccess } from '../token/schema.ts';
import { hashApiToken, TOKEN_PATTERN } from '../token/secret.ts';
import { Forbidden } from '../web/errors.ts';
import { Throttle } from '../web/rateLimit.ts';
import { ApiUnauthorized } from './problem.ts';

/** The token a request came with, for the audit trail and `GET /api/v1/me`. */
export type RequestToken = { id: number; name: string; access: TokenAccess; expiresAt: Date };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set on API requests only. */
      apiToken?: RequestToken;
    }
  }
}

/** Requests per token per minute (counted in PostgreSQL, shared by every app process). */
export const API_REQUESTS_PER_MINUTE = 600;

type TokenRow = {
  id: number;
  name: string;
  access: TokenAccess;
  expiresAt: Date;
  usable: boolean;
  /** Its last use is older than USE_RECORDED_EVERY (or none): an accepted request records it. */
  useDue: boolean;
  user: CurrentUserRow | null;
};

/** How often a token's last use is written at most. */
const USE_RECORDED_EVERY = '1 minute';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function apiAuthentication(deps: AppDeps): RequestHandler {
  // Before a user is known there is nothing to scope by: the token is looked up by its hash, nothing else.
  const raw = unscoped(deps.db, 'api token');
  const scopeOf = scopeCache(raw, 200);
  const throttle = new Throttle(deps.db.pool, 'api', API_REQUESTS_PER_MINUTE, 60);

  async function tokenOf(secret: string): Promise<TokenRow | null> {
    const rows = await raw.$queryRaw<TokenRow[]>(Prisma.sql`
      SELECT t.id, t.name, t.access::text AS access, t."expiresAt",
          t."revokedAt" IS NULL AND t."expiresAt" > now() AS usable,
          (t."lastUsedAt" IS NULL OR t."lastUsedAt" < now() - ${USE_RECORDED_EVERY}::interval) AS "useDue",
          ${Prisma.raw(currentUserJsonSql('t."userId"'))} AS "user"
        FROM "ApiToken" t WHERE t."tokenHash" = ${hashApiToken(secret)}`);
    return rows[0] ?? null;
  }

  /** Records the token's use, once the request is accepted (at most once per USE_RECORDED_EVERY). */
  async function recordUse(id: number): Promise<void> {
    await raw.$executeRaw`UPDATE "ApiToken" SET "lastUsedAt" = now()
      WHERE id = ${id} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - ${USE_RECORDED_EVERY}::interval)`;
  }

  return async (req, _res, next) => {
    const match = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '');
    if (!match) throw new ApiUnauthorized();
    const row = TOKEN_PATTERN.test(match[1]) ? await tokenOf(match[1]) : null;
    const user = row?.usable && row.user ? currentUserFrom(row.user) : null;
    // One answer for an unknown, revoked or expired token and a deactivated user: nothing to learn from it.
    if (!row || !user) throw new ApiUnauthorized('The token is unknown, revoked or expired, or its user is inactive.');
    await throttle.hit(`token:${row.id}`);
    if (row.access === 'READ' && !READS.has(req.method)) throw new Forbidden('This token may only read.');
    // Accepted: only now is the use recorded (not for an inactive user, a 429 or a read-only token's write).
    if (row.useDue) await recordUse(row.id);
    req.user = user;
    req.db = scopeOf(user);
    req.sql = scopedSql(deps.db.pool, user);
    req.apiToken = { id: row.id, name: row.name, access: row.access, expiresAt: row.expiresAt };
    // Every audit entry this request writes names the token (src/audit/via.ts).
    auditVia(`API token "${row.name}" (#${row.id})`, next);
  };
}

// The API's authentication: `Authorization: Bearer crm_pat_…` and nothing else (a session cookie is ignored, so
// no CSRF token is needed; the pages ignore tokens). The token's hash finds its row and its user in one statement,
// which also records the use (at most once a minute); the user is loaded as a signed-in request loads them
// (currentUserFrom: a deactivated user or company is nobody) and scoped the same way, so the API sees and does
// exactly what the pages let that user see and do. A read-only token may only read.
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
  user: CurrentUserRow | null;
};

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function apiAuthentication(deps: AppDeps): RequestHandler {
  // Before a user is known there is nothing to scope by: the token is looked up by its hash, nothing else.
  const raw = unscoped(deps.db, 'api token');
  const scopeOf = scopeCache(raw, 200);
  const throttle = new Throttle(deps.db.pool, 'api', API_REQUESTS_PER_MINUTE, 60);

  async function tokenOf(secret: string): Promise<TokenRow | null> {
    const rows = await raw.$queryRaw<TokenRow[]>(Prisma.sql`
      WITH t AS (SELECT id, name, access::text AS access, "expiresAt", "lastUsedAt",
          "revokedAt" IS NULL AND "expiresAt" > now() AS usable, "userId"
        FROM "ApiToken" WHERE "tokenHash" = ${hashApiToken(secret)}),
      used AS (UPDATE "ApiToken" a SET "lastUsedAt" = now() FROM t
        WHERE a.id = t.id AND t.usable AND (t."lastUsedAt" IS NULL OR t."lastUsedAt" < now() - interval '1 minute'))
      SELECT t.id, t.name, t.access, t."expiresAt", t.usable, ${Prisma.raw(currentUserJsonSql('t."userId"'))} AS "user"
        FROM t`);
    return rows[0] ?? null;
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
    req.user = user;
    req.db = scopeOf(user);
    req.sql = scopedSql(deps.db.pool, user);
    req.apiToken = { id: row.id, name: row.name, access: row.access, expiresAt: row.expiresAt };
    // Every audit entry this request writes names the token (src/audit/via.ts).
    auditVia(`API token "${row.name}" (#${row.id})`, next);
  };
}

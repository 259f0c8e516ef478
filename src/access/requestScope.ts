// The request's database client: the signed-in user's scoped client, set once per request right
// after the user is loaded. Handlers query through req.db only; the raw client is not theirs to
// reach (tests/foundation/rawClient.test.ts).
import type { RequestHandler } from 'express';
import type pg from 'pg';
import type { ScopedClient, ScopeSubject } from './scope.ts';
import { scopedSql, type ScopedSql } from './scopedSql.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The signed-in user's scoped client (set on every signed-in request; visitors have none). */
      db: ScopedClient;
      /** The same user's scoped SQL reads, for the hottest pages' statements (src/access/scopedSql.ts). */
      sql: ScopedSql;
    }
  }
}

/** Sets req.db and req.sql for a signed-in user, from `scopeOf` (a cache: see scopeCache) and the pool. */
export function attachScopedClient(
  scopeOf: (user: ScopeSubject) => ScopedClient,
  pool: Pick<pg.Pool, 'query'>,
): RequestHandler {
  return (req, _res, next) => {
    if (req.user) {
      req.db = scopeOf(req.user);
      req.sql = scopedSql(pool, req.user);
    }
    next();
  };
}

// The request's database client: the signed-in user's scoped client, set once per request right
// after the user is loaded. Handlers query through req.db only; the raw client is not theirs to
// reach (tests/foundation/rawClient.test.ts).
import type { RequestHandler } from 'express';
import type { ScopedClient, ScopeSubject } from './scope.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The signed-in user's scoped client (set on every signed-in request; visitors have none). */
      db: ScopedClient;
    }
  }
}

/** Sets req.db for a signed-in user, from `scopeOf` (a cache: see scopeCache). */
export function attachScopedClient(scopeOf: (user: ScopeSubject) => ScopedClient): RequestHandler {
  return (req, _res, next) => {
    if (req.user) req.db = scopeOf(req.user);
    next();
  };
}

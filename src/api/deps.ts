// The app's dependencies on an API request, for handlers that enqueue mail (the route table is data, built
// without them: src/api/routes.ts); set by the API router (src/api/router.ts) before anything else runs.
import type { Request } from 'express';
import type { AppDeps } from '../deps.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set on API requests only. */
      apiDeps?: AppDeps;
    }
  }
}

export function apiDeps(req: Request): AppDeps {
  if (!req.apiDeps) throw new Error('apiDeps: not an API request');
  return req.apiDeps;
}

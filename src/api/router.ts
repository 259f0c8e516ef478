// The JSON API under /api/v1 (issue 17), mounted before sessions and CSRF (src/app.ts): its requests authenticate
// with a personal access token only (src/api/auth.ts), read JSON bodies, and answer errors as problem details.
import express, { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { clientError } from '../web/errors.ts';
import { apiAuthentication } from './auth.ts';
import { webhookEvents } from '../webhook/events.ts';
import { apiErrorHandler, apiNotFound } from './problem.ts';
import { API_ROUTES } from './routes.ts';
import { accessMiddleware } from '../web/routes.ts';

export function apiRouter(deps: AppDeps): Router {
  const router = Router();
  // No cache may keep an answer that depends on who asked.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(apiAuthentication(deps));
  router.use(express.json({ limit: '100kb', strict: true }));
  // The writes of the request may enqueue webhook deliveries (src/webhook/events.ts).
  router.use(webhookEvents(deps.jobs));
  for (const r of API_ROUTES) router[r.method](r.path, ...accessMiddleware(r.access), ...r.handlers);
  router.use(apiNotFound);
  router.use(apiErrorHandler(clientError));
  return router;
}

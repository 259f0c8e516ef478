// The JSON API under /api/v1 (issue 17), mounted before sessions and CSRF (src/app.ts): its requests authenticate
// with a personal access token only (src/api/auth.ts), read JSON bodies, and answer errors as problem details.
// Two addresses come first: the OpenAPI document, public (it holds no data), and /api/docs, the reference page,
// which is a page of the app (src/api/reference.ts) and so leaves this router for the page routes.
import express, { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { clientError } from '../web/errors.ts';
import { refuseControlCharsInQuery } from '../web/input.ts';
import { apiAuthentication } from './auth.ts';
import { attachApiDeps } from './deps.ts';
import { observeApiAnswers } from './observer.ts';
import { openApiJson } from './reference.ts';
import { webhookEvents } from '../webhook/events.ts';
import { apiErrorHandler, apiNotFound } from './problem.ts';
import { API_ROUTES } from './routes.ts';
import { accessMiddleware } from '../web/routes.ts';

export function apiRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/docs', (_req, _res, next) => next('router'));
  router.get('/v1/openapi.json', openApiJson);
  // Tests only: each answer below is checked against the document (tests/helpers/apiAnswers.ts).
  if (deps.apiObserver) router.use(observeApiAnswers(deps.apiObserver));
  // No cache may keep an answer that depends on who asked.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(apiAuthentication(deps));
  // As for the pages: a control character in the query (a NUL in `q`, which PostgreSQL refuses) is a 400.
  router.use(refuseControlCharsInQuery);
  router.use(express.json({ limit: '100kb', strict: true }));
  router.use(attachApiDeps(deps));
  // The writes of the request may enqueue webhook deliveries (src/webhook/events.ts).
  router.use(webhookEvents(deps.jobs));
  for (const r of API_ROUTES) router[r.method](r.path, ...accessMiddleware(r.access), ...r.handlers);
  router.use(apiNotFound);
  router.use(apiErrorHandler(clientError));
  return router;
}

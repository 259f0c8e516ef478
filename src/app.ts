// buildApp(deps): the Express app, with nothing global, so tests build their own.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type Request } from 'express';
import { pinoHttp } from 'pino-http';
import { attachScopedClient } from './access/requestScope.ts';
import { webhookEvents } from './webhook/events.ts';
import { apiRouter } from './api/router.ts';
import { scopeCache } from './access/scope.ts';
import { unscoped } from './db/client.ts';
import type { AppDeps } from './deps.ts';
import { allRoutes } from './domains.ts';
import { configurePassport, requireUser } from './web/auth.ts';
import { csrfLocals, csrfProtection } from './web/csrf.ts';
import { errorHandler, notFoundHandler } from './web/errors.ts';
import { flashLocals, saveFlashBeforeRedirect } from './web/flash.ts';
import { healthRouter } from './web/health.ts';
import { createInflightTracker } from './web/inflight.ts';
import { refuseControlCharsInQuery } from './web/input.ts';
import { templateLocals } from './web/locals.ts';
import { importUpload } from './import/upload.ts';
import { buildRouter } from './web/routes.ts';
import { loggablePath, securityHeaders } from './web/security.ts';
import { absoluteTimeout, createSessionMiddleware } from './web/session.ts';
import { setupViews } from './web/views.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export function buildApp(deps: AppDeps) {
  const { config, db, logger } = deps;
  const production = config.env === 'production';
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  // No ETag computed over every answer's body: the pages are no-store (src/web/auth.ts requireUser), so a browser
  // never revalidates them, and hashing each page cost CPU for nothing. What may be revalidated sets its own
  // (the API's records: their version; the OpenAPI document: a hash made once).
  app.set('etag', false);
  setupViews(app, production);
  // Every request is counted from its arrival: the graceful shutdown waits for them (src/web/inflight.ts).
  const inflight = createInflightTracker();
  app.use(inflight.received);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // The path only (reset tokens masked): query strings may carry tokens; bodies and cookies are never logged.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, path: loggablePath(String(req.url)), ip: req.remoteAddress }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use(securityHeaders(production));
  app.use('/static', express.static(path.join(ROOT, 'public'), { maxAge: production ? '1d' : 0 }));
  app.use(
    '/static/bootstrap',
    express.static(path.join(ROOT, 'node_modules/bootstrap/dist'), { maxAge: production ? '7d' : 0 }),
  );
  // Answered before sessions: a browser's automatic favicon request must not consume a flash message.
  app.get('/favicon.ico', (_req, res) => void res.status(204).set('Cache-Control', 'public, max-age=86400').end());
  app.use(inflight.working);
  app.use(healthRouter(db.pool, deps.isShuttingDown ?? (() => false)));
  // The JSON API: bearer tokens only, before sessions and CSRF (a cookie means nothing there).
  app.use('/api', apiRouter(deps));

  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }));
  const sessions = createSessionMiddleware({ pool: db.pool, secret: deps.sessionSecret, secure: production });
  app.use(sessions.middleware);
  app.use(absoluteTimeout);
  const passport = configurePassport(unscoped(db, 'current user'));
  app.use(passport.initialize());
  app.use(passport.session());
  // From here on a signed-in request carries its scoped client, req.db (built once per user and role).
  app.use(attachScopedClient(scopeCache(unscoped(db, 'tenancy scope')), db.pool));
  app.use(csrfLocals);
  app.use(flashLocals);
  app.use(saveFlashBeforeRedirect);
  app.use(templateLocals);
  app.use(refuseControlCharsInQuery);

  const routes = allRoutes(deps);
  // Compiled once: the check runs on every request.
  const publicRoutes = routes
    .filter((r) => r.access === 'public')
    .map((r) => ({ method: r.method.toUpperCase(), path: pathPattern(r.path) }));
  // HEAD asks what GET would answer (a calendar app checks its feed that way).
  const isPublic = (req: Request) => {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    return publicRoutes.some((r) => r.method === method && r.path.test(req.path));
  };
  app.use(requireUser(isPublic));
  // An import's file is a multipart body: parsed before the CSRF check reads its token (those two paths only).
  app.use(importUpload);
  app.use(csrfProtection);
  app.get('/', (req, res) => res.redirect(req.user ? '/dashboard' : '/login'));
  // The writes of the request may enqueue webhook deliveries (src/webhook/events.ts).
  app.use(webhookEvents(deps.jobs));
  app.use(buildRouter(routes));
  app.use(notFoundHandler);
  app.use(errorHandler);

  app.locals.routes = routes;
  return { app, routes, inflight, close: () => sessions.close() };
}

/** An Express path pattern with `:params` (the only kind this app declares) as a regular expression. */
function pathPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`);
}

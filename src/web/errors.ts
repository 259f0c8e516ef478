// Typed HTTP errors thrown by handlers, and the one error handler that renders them.
// The 500 page shows a request id and nothing internal.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import 'pino-http';
import '../access/currentUser.ts';
import { loggablePath } from './security.ts';

export class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
    public detail?: string,
  ) {
    super(message);
  }
}
export class BadRequest extends HttpError {
  constructor(detail = 'The request was malformed.') {
    super(400, 'Bad request', detail);
  }
}
export class Unauthorized extends HttpError {
  constructor() {
    super(401, 'Sign-in required', 'Please sign in to continue.');
  }
}
export class Forbidden extends HttpError {
  constructor(detail = 'You do not have permission to do this.') {
    super(403, 'Not allowed', detail);
  }
}
export class NotFound extends HttpError {
  constructor(detail = 'There is nothing at this address, or you cannot see it.') {
    super(404, 'Not found', detail);
  }
}
export class Conflict extends HttpError {
  constructor(detail = 'Someone else changed this record while you were editing it.') {
    super(409, 'Edit conflict', detail);
  }
}
export class TooManyRequests extends HttpError {
  constructor(public retryAfterSeconds: number) {
    super(
      429,
      'Too many attempts',
      `Too many attempts. Please wait ${Math.ceil(retryAfterSeconds / 60)} minute(s) and try again.`,
    );
  }
}
export class ServiceUnavailable extends HttpError {
  constructor(detail = 'The service is briefly unavailable. Please try again in a moment.') {
    super(503, 'Service unavailable', detail);
  }
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFound());

/** Maps database-unreachable errors to 503 rather than 500. */
export function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: { code?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', 'P1001', 'P1017'].includes(String(code)) ||
    /Connection terminated|timeout exceeded when trying to connect|Can't reach database|DatabaseNotReachable/i.test(
      e?.message ?? '',
    )
  );
}

/**
 * The body parser's refusals (http-errors with a 4xx status and `expose`): a malformed or
 * oversized body, too many fields, an unknown charset or Content-Encoding. What the client sent
 * is wrong, so never a 500.
 */
export function clientError(err: unknown): HttpError | null {
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown } | null;
  const status =
    typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status > 499 || e?.expose !== true) return null;
  if (status === 413) return new HttpError(413, 'Too large', 'What you sent is too large.');
  if (status === 415)
    return new HttpError(415, 'Unsupported', 'What you sent is in an encoding this site does not accept.');
  return new BadRequest();
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let error: HttpError;
  if (err instanceof HttpError) error = err;
  else if (err instanceof URIError) error = new BadRequest();
  else if (clientError(err)) error = clientError(err)!;
  else if (isDatabaseDown(err)) error = new ServiceUnavailable();
  else error = new HttpError(500, 'Something went wrong', 'An unexpected error happened. It has been logged.');
  const log = req.log ?? console;
  if (error.status >= 500) log.error({ err, requestId: req.id }, 'request failed');
  else if (error.status === 403)
    log.warn({ path: loggablePath(req.path), userId: req.user?.id, requestId: req.id }, 'access denied');
  if (res.headersSent) return;
  if (error instanceof TooManyRequests) res.set('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
  if (error.status === 503) res.set('Retry-After', '5');
  res.status(error.status);
  if (!req.accepts('html')) {
    res.type('text/plain').send(`${error.message}\n`);
    return;
  }
  const requestId = String(req.id ?? '');
  // An error may come before the template locals were set (a refused body, the session store
  // down): the layout then shows the visitor's navigation.
  if (res.locals.currentUser === undefined) res.locals.currentUser = null;
  res.locals.currentPath ??= req.path;
  res.render(
    'errors/error',
    { title: error.message, status: error.status, detail: error.detail ?? '', requestId },
    (renderErr, html) => {
      if (!renderErr) return void res.send(html);
      // Never Express's own page, which shows the stack outside production.
      log.error({ err: renderErr, requestId: req.id }, 'error page failed to render');
      res.type('html').send(plainErrorPage(error, requestId));
    },
  );
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function plainErrorPage(error: HttpError, requestId: string): string {
  const id = error.status >= 500 ? `<p>Request id: <code>${escapeHtml(requestId)}</code></p>` : '';
  return (
    `<!doctype html><html lang="en"><head><meta ` +
    `charset="utf-8"><title>${escapeHtml(error.message)} · CRM</title></head>` +
    `<body><h1>${escapeHtml(error.message)}</h1><p>${escapeHtml(error.detail ?? '')}</p>${id}<p><a ` +
    `href="/">Go to the start page</a></p></body></html>`
  );
}

// Typed HTTP errors thrown by handlers, and the one error handler that renders them.
// The 500 page shows a request id and nothing internal.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import 'pino-http';
import '../access/currentUser.ts';
import { loggablePath } from './security.ts';

export class HttpError extends Error {
  constructor(public status: number, message: string, public detail?: string) {
    super(message);
  }
}
export class BadRequest extends HttpError {
  constructor(detail = 'The request was malformed.') { super(400, 'Bad request', detail); }
}
export class Unauthorized extends HttpError {
  constructor() { super(401, 'Sign-in required', 'Please sign in to continue.'); }
}
export class Forbidden extends HttpError {
  constructor(detail = 'You do not have permission to do this.') { super(403, 'Not allowed', detail); }
}
export class NotFound extends HttpError {
  constructor(detail = 'There is nothing at this address, or you cannot see it.') { super(404, 'Not found', detail); }
}
export class Conflict extends HttpError {
  constructor(detail = 'Someone else changed this record while you were editing it.') { super(409, 'Edit conflict', detail); }
}
export class TooManyRequests extends HttpError {
  constructor(public retryAfterSeconds: number) {
    super(429, 'Too many attempts', `Too many attempts. Please wait ${Math.ceil(retryAfterSeconds / 60)} minute(s) and try again.`);
  }
}
export class ServiceUnavailable extends HttpError {
  constructor(detail = 'The service is briefly unavailable. Please try again in a moment.') { super(503, 'Service unavailable', detail); }
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFound());

/** Maps database-unreachable errors to 503 rather than 500. */
function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: { code?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', 'P1001', 'P1017'].includes(String(code))
    || /Connection terminated|timeout exceeded when trying to connect|Can't reach database|DatabaseNotReachable/i.test(e?.message ?? '');
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let error: HttpError;
  if (err instanceof HttpError) error = err;
  else if ((err as { type?: string }).type === 'entity.too.large') error = new HttpError(413, 'Too large', 'What you sent is too large.');
  else if ((err as { type?: string }).type?.startsWith?.('entity.') || err instanceof URIError) error = new BadRequest();
  else if (isDatabaseDown(err)) error = new ServiceUnavailable();
  else error = new HttpError(500, 'Something went wrong', 'An unexpected error happened. It has been logged.');
  const log = req.log ?? console;
  if (error.status >= 500) log.error({ err, requestId: req.id }, 'request failed');
  else if (error.status === 403) log.warn({ path: loggablePath(req.path), userId: req.user?.id, requestId: req.id }, 'access denied');
  if (res.headersSent) return;
  if (error instanceof TooManyRequests) res.set('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
  if (error.status === 503) res.set('Retry-After', '5');
  res.status(error.status);
  if (!req.accepts('html')) {
    res.type('text/plain').send(`${error.message}\n`);
    return;
  }
  res.render('errors/error', { title: error.message, status: error.status, detail: error.detail ?? '', requestId: String(req.id ?? '') });
};

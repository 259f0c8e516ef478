// The API's errors as RFC 9457 problem details (application/problem+json): the same HttpError classes the pages
// throw (src/web/errors.ts), answered as JSON instead of a page, never with anything internal in them.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { HttpError, TooManyRequests } from '../web/errors.ts';

/** Every error answer (the OpenAPI document's `Problem`). */
export const problemSchema = z
  .object({
    type: z.string().describe('Always "about:blank": the status says what kind of problem it is.'),
    title: z.string().describe('A short summary of the kind of problem.'),
    status: z.int().min(400).max(599).describe('The HTTP status, repeated.'),
    detail: z.string().describe('What went wrong with this request, for a person to read.'),
    errors: z.record(z.string(), z.string()).optional().describe("422 only: each field's problem, by field name."),
  })
  .meta({ id: 'Problem', title: 'Problem details (RFC 9457)' });

export type Problem = z.infer<typeof problemSchema>;

/** 401 for a missing, unknown, revoked or expired token, with the header that says how to authenticate. */
export class ApiUnauthorized extends HttpError {
  constructor(detail = 'Send a valid personal access token as "Authorization: Bearer <token>".') {
    super(401, 'Unauthorized', detail);
  }
}

/** 422 with every field's problem. */
export class ApiInvalid extends HttpError {
  constructor(public errors: Record<string, string>) {
    super(422, 'Invalid request', 'Some fields are not valid: see errors.');
  }
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** Turns a thrown error into problem details; anything unexpected is a 500 that says nothing internal. */
export function apiErrorHandler(isClientError: (err: unknown) => HttpError | null): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error =
      err instanceof HttpError
        ? err
        : (isClientError(err) ?? new HttpError(500, 'Internal error', 'An unexpected error happened. It was logged.'));
    if (error.status >= 500) req.log?.error({ err, requestId: req.id }, 'api request failed');
    if (res.headersSent) return;
    if (error instanceof ApiUnauthorized) res.set('WWW-Authenticate', 'Bearer realm="crm"');
    if (error instanceof TooManyRequests) res.set('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
    sendProblem(res, {
      type: 'about:blank',
      title: error.message,
      status: error.status,
      detail:
        error instanceof TooManyRequests
          ? `Too many requests for this token. Try again in ${Math.ceil(error.retryAfterSeconds)} s.`
          : (error.detail ?? error.message),
      ...(error instanceof ApiInvalid ? { errors: error.errors } : {}),
    });
  };
}

export const apiNotFound: RequestHandler = (_req, _res, next) =>
  next(new HttpError(404, 'Not found', 'There is nothing at this address, or your token cannot see it.'));

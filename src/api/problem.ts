// The API's errors as RFC 9457 problem details (application/problem+json): the same HttpError classes the pages
// throw (src/web/errors.ts), answered as JSON instead of a page, never with anything internal in them.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { HttpError, TooManyRequests } from '../web/errors.ts';

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** 422: each field's problem, by field name. */
  errors?: Record<string, string>;
  /** 422 of a create that may repeat existing records: which (send `"allowDuplicate": true` to save anyway). */
  duplicates?: ApiDuplicate[];
};

/** A record a new one may repeat, as a 422 names it (src/api/duplicates.ts). */
export type ApiDuplicate = { kind: 'customer' | 'lead'; id: number; name: string; because: string };

/** 401 for a missing, unknown, revoked or expired token, with the header that says how to authenticate. */
export class ApiUnauthorized extends HttpError {
  constructor(detail = 'Send a valid personal access token as "Authorization: Bearer <token>".') {
    super(401, 'Unauthorized', detail);
  }
}

/** 422 with every field's problem (and the records it may repeat, for the duplicate check). */
export class ApiInvalid extends HttpError {
  constructor(
    public errors: Record<string, string>,
    public duplicates?: ApiDuplicate[],
  ) {
    super(422, 'Invalid request', 'Some fields are not valid: see errors.');
  }
}

/** A problem with extension members (RFC 9457 section 3.2), e.g. the overlapping appointments of a 409. */
export class ApiProblemWith extends HttpError {
  constructor(
    status: number,
    title: string,
    detail: string,
    public extensions: Record<string, unknown>,
  ) {
    super(status, title, detail);
  }
}

export function sendProblem(res: Response, problem: Problem & Record<string, unknown>): void {
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
      ...(error instanceof ApiInvalid && error.duplicates ? { duplicates: error.duplicates } : {}),
      detail:
        error instanceof TooManyRequests
          ? `Too many requests for this token. Try again in ${Math.ceil(error.retryAfterSeconds)} s.`
          : (error.detail ?? error.message),
      ...(error instanceof ApiProblemWith ? error.extensions : {}),
      ...(error instanceof ApiInvalid ? { errors: error.errors } : {}),
    });
  };
}

export const apiNotFound: RequestHandler = (_req, _res, next) =>
  next(new HttpError(404, 'Not found', 'There is nothing at this address, or your token cannot see it.'));

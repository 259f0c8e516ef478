// The API's errors as RFC 9457 problem details (application/problem+json): the same HttpError classes the pages
// throw (src/web/errors.ts), answered as JSON instead of a page, never with anything internal in them.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { BadRequest, HttpError, isDatabaseDown, ServiceUnavailable, TooManyRequests } from '../web/errors.ts';

/** A record a new one may repeat, as a 422 names it (src/api/duplicates.ts). */
const duplicateSchema = z.object({
  kind: z.enum(['customer', 'lead']),
  id: z.int(),
  name: z.string(),
  because: z.string().describe('What they share: the email, the phone, or a similar name.'),
});
export type ApiDuplicate = z.infer<typeof duplicateSchema>;

/** One attendee's other appointments at that time (a 409 of an appointment's create or move). */
const overlapSchema = z.object({
  user: z.object({ id: z.int(), name: z.string() }),
  appointments: z
    .array(z.object({ id: z.int(), title: z.string(), startsAt: z.iso.datetime(), endsAt: z.iso.datetime() }))
    .nullable()
    .describe('null: busy, in appointments you may not see.'),
});

/** Every error answer (the OpenAPI document's `Problem`). */
export const problemSchema = z
  .object({
    type: z.string().describe('Always "about:blank": the status says what kind of problem it is.'),
    title: z.string().describe('A short summary of the kind of problem.'),
    status: z.int().min(400).max(599).describe('The HTTP status, repeated.'),
    detail: z.string().describe('What went wrong with this request, for a person to read.'),
    errors: z.record(z.string(), z.string()).optional().describe("422 only: each field's problem, by field name."),
    duplicates: z
      .array(duplicateSchema)
      .optional()
      .describe('422 of a write that may repeat records: which (send "allowDuplicate": true to save anyway).'),
    overlaps: z
      .array(overlapSchema)
      .optional()
      .describe('409 of an appointment: the attendees\' other appointments then ("confirmOverlap": true saves).'),
  })
  .meta({ id: 'Problem', title: 'Problem details (RFC 9457)' });

export type Problem = z.infer<typeof problemSchema>;

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
    // A malformed percent-encoding in the path (`/v1/leads/%E0`) fails to decode: the client's error, as on the pages.
    const error =
      err instanceof HttpError
        ? err
        : err instanceof URIError
          ? new BadRequest('The address holds a malformed percent-encoding.')
          : (isClientError(err) ??
            // The database unreachable (restarting): 503 with Retry-After, as the pages answer, not a 500.
            (isDatabaseDown(err)
              ? new ServiceUnavailable()
              : new HttpError(500, 'Internal error', 'An unexpected error happened. It was logged.')));
    if (error.status >= 500) req.log?.error({ err, requestId: req.id }, 'api request failed');
    if (res.headersSent) return;
    if (error instanceof ApiUnauthorized) res.set('WWW-Authenticate', 'Bearer realm="crm"');
    if (error instanceof TooManyRequests) res.set('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
    if (error.status === 503) res.set('Retry-After', '5');
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

// The optimistic lock of every API PATCH (customers, leads, tasks…): the version a change is based on comes from
// If-Match (the ETag a read gave) or the body's `version`; a stale one answers 412 (If-Match) or 409 (the body).
import type { Request, Response } from 'express';
import { Conflict, HttpError } from '../web/errors.ts';
import { ApiInvalid } from './problem.ts';

export type ExpectedVersion = { version: number; viaIfMatch: boolean };

/** The version a PATCH expects: If-Match's ETag or the body's `version`; both must agree when both are sent. */
export function expectedVersion(req: Request, saved: number): ExpectedVersion {
  const header = req.get('if-match');
  const body = (req.body as { version?: unknown } | undefined)?.version;
  if (body !== undefined && !Number.isSafeInteger(body)) throw new ApiInvalid({ version: 'Must be a whole number.' });
  if (header === undefined) return { version: (body as number | undefined) ?? saved, viaIfMatch: false };
  const m = /^"(\d{1,9})"$/.exec(header.trim());
  if (!m) throw new HttpError(412, 'Precondition failed', 'If-Match must be the ETag this API gave, e.g. "3".');
  const version = Number(m[1]);
  if (body !== undefined && body !== version) throw new ApiInvalid({ version: 'Differs from If-Match.' });
  return { version, viaIfMatch: true };
}

/** The answer to a change based on an older version of `noun` ("customer", "lead", "task"). */
export const staleVersion = (noun: string, expected: ExpectedVersion) =>
  expected.viaIfMatch
    ? new HttpError(412, 'Precondition failed', `The ${noun} was changed since that ETag: read it again.`)
    : new Conflict(`The ${noun} was changed since that version: read it again, then send your change.`);

/** Answers a record with its version as the ETag. */
export function sendVersioned<T extends { version: number }>(res: Response, status: number, body: T): void {
  res.status(status).set('ETag', `"${body.version}"`).json(body);
}

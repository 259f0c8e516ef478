// What the activity API reads beside the field descriptors: the version a PATCH expects (If-Match or the body's
// `version`, as src/api/customerWrites.ts reads it; kept here until that logic is shared) and "when it happened"
// as an ISO 8601 time with its offset (the form types it in the user's zone; JSON says which zone it means).
import type { Request } from 'express';
import { z } from 'zod';
import { Conflict, HttpError } from '../web/errors.ts';
import { ApiInvalid } from './problem.ts';

/** The version a PATCH expects: If-Match's ETag or the body's `version`; both must agree when both are sent. */
export function expectedActivityVersion(req: Request, saved: number): { version: number; viaIfMatch: boolean } {
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

export const staleActivity = (viaIfMatch: boolean) =>
  viaIfMatch
    ? new HttpError(412, 'Precondition failed', 'The activity was changed since that ETag: read it again.')
    : new Conflict('The activity was changed since that version: read it again, then send your change.');

/** An ISO 8601 time with offset, e.g. "2026-03-01T09:30:00+01:00". */
export const isoTimeSchema = z.iso
  .datetime({ offset: true })
  .describe('When it happened: ISO 8601 with an offset (absent on create: now).');

/** The body's `occurredAt`: absent → undefined; else a Date, or the field's problem. */
export function readOccurredAt(body: unknown): { at?: Date; problem?: string } {
  const v = (body as { occurredAt?: unknown } | undefined)?.occurredAt;
  if (v === undefined) return {};
  const ok = isoTimeSchema.safeParse(v);
  const at = ok.success ? new Date(ok.data) : null;
  if (!at || Number.isNaN(at.getTime()))
    return { problem: 'Enter an ISO 8601 time with offset, e.g. 2026-03-01T09:30:00Z.' };
  if (at.getUTCFullYear() < 1900 || at.getUTCFullYear() > 2999)
    return { problem: 'Enter a time between 1900 and 2999.' };
  return { at };
}

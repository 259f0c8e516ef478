// The version an appointment PATCH expects (If-Match's ETag or the body's `version`) and its stale answers (409,
// or 412 for If-Match), as src/api/customerWrites.ts has them for customers. Kept apart while the shared module
// for both is being written elsewhere; to be merged into it.
import type { Request } from 'express';
import { Conflict, HttpError } from '../web/errors.ts';
import { ApiInvalid } from './problem.ts';

export function expectedAppointmentVersion(req: Request, saved: number): { version: number; viaIfMatch: boolean } {
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

export const staleAppointment = (viaIfMatch: boolean) =>
  viaIfMatch
    ? new HttpError(412, 'Precondition failed', 'The appointment was changed since that ETag: read it again.')
    : new Conflict('The appointment was changed since that version: read it again, then send your change.');

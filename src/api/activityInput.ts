import { z } from 'zod';

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

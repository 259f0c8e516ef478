// The merge forms: the other record (by id, from the search or a link), both versions, each field's side, and the
// confirmation. Which fields may be picked is MERGE_FIELDS (src/duplicate/writes.ts); a field not posted stays kept.
import { z } from 'zod';
import { field } from '../fields/kinds.ts';

const id = z.preprocess(
  (v) => v ?? '',
  z
    .string()
    .regex(/^\d{1,9}$/, 'Choose the other record.')
    .transform(Number),
);
const version = z.preprocess(
  (v) => v ?? '',
  z
    .string()
    .regex(/^\d{1,9}$/, 'The page is out of date: open it again.')
    .transform(Number),
);

export const mergeForm = z.object({
  otherId: id,
  keptVersion: version,
  otherVersion: version,
  confirm: field.checkbox(),
});

/** The fields to take from the other record: those posted as `pick_<name>=other`. */
export function picksFromOther(body: unknown, names: readonly string[]): string[] {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return names.filter((n) => b[`pick_${n}`] === 'other');
}

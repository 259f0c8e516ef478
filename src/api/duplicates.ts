// The forms' duplicate check on the API: a create that may repeat records the user sees answers 422 naming them
// (ApiInvalid with `duplicates`), unless the body says `"allowDuplicate": true`, the forms' "Save anyway".
import type { DuplicateMatch } from '../duplicate/detect.ts';
import { ApiInvalid } from './problem.ts';

/** `allowDuplicate`'s problem, if it is sent and not a boolean. */
export function allowDuplicateProblem(body: unknown): string | null {
  const v = (body as { allowDuplicate?: unknown } | null)?.allowDuplicate;
  return v === undefined || typeof v === 'boolean' ? null : 'Must be true or false.';
}

/** The form body formDuplicates reads (src/duplicate/detect.ts): "Save anyway" when the body allows duplicates. */
export const saveAnywayBody = (body: unknown) => ({
  saveAnyway: (body as { allowDuplicate?: unknown } | null)?.allowDuplicate === true ? 'yes' : '',
});

/** Throws the 422 naming the possible duplicates, when there are any; nothing was written. */
export function refuseDuplicates(matches: DuplicateMatch[]): void {
  if (!matches.length) return;
  const names = matches.map((m) => `${m.kind} #${m.id} "${m.name}" (${m.because})`).join('; ');
  throw new ApiInvalid(
    { allowDuplicate: `Possible duplicates: ${names}. Send "allowDuplicate": true to save anyway.` },
    matches.map((m) => ({ kind: m.kind, id: m.id, name: m.name, because: m.because })),
  );
}

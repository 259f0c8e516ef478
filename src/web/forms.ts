// Form parsing with zod: a strict allow-list per form; failures become a message per field,
// re-rendered beside the field with status 422 (SPEC section 7).
import type { Response } from 'express';
import type { z } from 'zod';
import { NotFound } from './errors.ts';
import { CONTROL_CHAR_MESSAGE, hasControlChar } from './input.ts';

export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Parses a urlencoded body; unknown fields are ignored (never mass-assigned), repeated ones refused.
 * A control character (U+0000 above all, which PostgreSQL refuses) in any field the form reads is
 * that field's error, whatever its schema says, so no form can pass one on to the database.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const input = { ...(body && typeof body === 'object' ? body : {}) } as Record<string, unknown>;
  const known = formKeys(schema);
  const errors: FieldErrors = {};
  for (const [name, value] of Object.entries(input)) {
    if ((known === null || known.has(name)) && hasControlChar(value)) errors[name] = CONTROL_CHAR_MESSAGE;
  }
  const result = schema.safeParse(input);
  if (result.success && Object.keys(errors).length === 0) return { ok: true, data: result.data };
  for (const issue of result.error?.issues ?? []) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The field names an object schema reads (through refine/transform/preprocess wrappers), or null if unknown. */
function formKeys(schema: z.ZodType): Set<string> | null {
  let s: unknown = schema;
  for (let depth = 0; depth < 6 && s; depth++) {
    const shape = (s as { shape?: Record<string, unknown> }).shape;
    if (shape && typeof shape === 'object') return new Set(Object.keys(shape));
    const def = (s as { def?: { in?: unknown; innerType?: unknown } }).def;
    s = def?.in ?? def?.innerType;
  }
  return null;
}

/** Re-renders a form with 422, what was typed, and the messages. */
export function renderInvalid(res: Response, view: string, locals: Record<string, unknown>, errors: FieldErrors): void {
  res.status(422).render(view, { ...locals, fieldErrors: errors });
}

/** A route's `:id` as a database id; anything else (abc, 0, 99999999999) is a 404, never a 500. */
export function recordId(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)) throw new NotFound();
  const n = Number(raw);
  if (n < 1 || n > 2_147_483_647) throw new NotFound();
  return n;
}

/** An optional id in a query string (`?customerId=`), or null when absent or malformed. */
export function optionalQueryId(raw: unknown): number | null {
  return typeof raw === 'string' && /^\d{1,9}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
}

/** The posted strings of the named fields, to put back into a re-rendered form. */
export function typedValues(body: unknown, names: readonly string[]): Record<string, string> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(names.map((n) => [n, typeof b[n] === 'string' ? (b[n] as string) : '']));
}

// A JSON body as a record's form values, from the same field descriptors, so the API validates with exactly the
// forms' schemas (src/fields/form.ts). JSON brings types a form cannot: each kind says which it accepts (text:
// a string; a reference: an id number or null; money: a number or a decimal string; a datetime: ISO 8601 with its
// offset, given to the form as its UTC wall time (read by a form schema for the UTC zone, as savedValues gives
// it); null clears an optional field), and anything else is that field's 422, as is a field the record does not
// have or the user may not set.
import type { CurrentUser } from '../access/currentUser.ts';
import type { FieldDescriptor } from './descriptor.ts';
import { settableFields } from './form.ts';

type Fields = readonly FieldDescriptor[];

export type JsonValues = { values: Record<string, string>; errors: Record<string, string> };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const ISO_MOMENT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;
const MOMENT_PROBLEM = 'Must be an ISO 8601 date and time with its offset, e.g. "2030-01-14T09:00:00+01:00".';

/** "2030-01-14T09:00:00+01:00" → "2030-01-14T08:00" (UTC, whole minutes), or the problem. */
export function utcWallTime(v: string): { text: string } | { problem: string } {
  const m = ISO_MOMENT.exec(v);
  if (!m) return { problem: MOMENT_PROBLEM };
  const [y, mo, d, h, mi, sec = '0', frac = '0', , oh = '0', om = '0'] = m.slice(1);
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const real = day.getUTCMonth() === Number(mo) - 1 && day.getUTCDate() === Number(d);
  if (!real || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59 || Number(oh) > 23 || Number(om) > 59)
    return { problem: MOMENT_PROBLEM };
  if (Number(sec) !== 0 || Number(frac) !== 0) return { problem: 'Whole minutes only: the seconds must be 0.' };
  const at = Date.parse(v);
  return Number.isFinite(at) ? { text: new Date(at).toISOString().slice(0, 16) } : { problem: MOMENT_PROBLEM };
}

/** One field's JSON value as its form text, or the problem. */
function asFormText(kind: Fields[number]['kind'], v: unknown): { text: string } | { problem: string } {
  if (v === null) return { text: '' };
  if (kind === 'reference')
    return Number.isSafeInteger(v) ? { text: String(v) } : { problem: 'Must be an id (a whole number) or null.' };
  if (kind === 'money' && typeof v === 'number' && Number.isFinite(v)) return { text: String(v) };
  if (kind === 'datetime') return typeof v === 'string' ? utcWallTime(v) : { problem: MOMENT_PROBLEM };
  return typeof v === 'string' ? { text: v } : { problem: 'Must be a string or null.' };
}

/**
 * The form values for a create (`start`: the new form's blanks) or a partial update (`start`: the saved values,
 * which the body's fields replace). `extra` names keys the route reads itself (`version`, `companyId`).
 */
export function jsonFormValues(
  fields: Fields,
  user: CurrentUser,
  body: unknown,
  start: Record<string, string>,
  extra: string[] = [],
): JsonValues {
  if (!isPlainObject(body)) return { values: {}, errors: { _body: 'The body must be a JSON object.' } };
  const settable = new Map(settableFields(fields, user).map((f) => [f.name, f]));
  const values = { ...start };
  // A Map, turned into an object at the end: a key such as "__proto__" is then an own property like any other.
  const problems = new Map<string, string>();
  for (const [name, v] of Object.entries(body)) {
    if (extra.includes(name)) continue;
    const f = settable.get(name);
    if (!f) {
      problems.set(name, fields.some((x) => x.name === name) ? 'You may not set this field.' : 'Unknown field.');
      continue;
    }
    const read = asFormText(f.kind, v);
    if ('problem' in read) problems.set(name, read.problem);
    else values[name] = read.text;
  }
  return { values, errors: Object.fromEntries(problems) };
}

// A JSON body as a record's form values, from the same field descriptors, so the API validates with exactly the
// forms' schemas (src/fields/form.ts). JSON brings types a form cannot: each kind says which it accepts (text:
// a string; a reference: an id number or null; money: a number or a decimal string; null clears an optional field),
// and anything else is that field's 422, as is a field the record does not have or the user may not set.
import type { CurrentUser } from '../access/currentUser.ts';
import type { FieldDescriptor } from './descriptor.ts';
import { settableFields } from './form.ts';

type Fields = readonly FieldDescriptor[];

export type JsonValues = { values: Record<string, string>; errors: Record<string, string> };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** One field's JSON value as its form text, or the problem. */
function asFormText(kind: Fields[number]['kind'], v: unknown): { text: string } | { problem: string } {
  if (v === null) return { text: '' };
  if (kind === 'reference')
    return Number.isSafeInteger(v) ? { text: String(v) } : { problem: 'Must be an id (a whole number) or null.' };
  if (kind === 'money' && typeof v === 'number' && Number.isFinite(v)) return { text: String(v) };
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

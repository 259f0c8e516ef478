// The reference page's words for JSON Schema: a value's type (`string (date-time) or null`, `array of Customer`,
// with a link where a type is a named schema), its limits as a sentence, and an object's fields, an inline object's
// own fields after it as `name.field`. Used by src/api/referenceView.ts.
import type { JsonSchema } from './openapiSchemas.ts';

export type TypePart = { text: string; href?: string };
export type RefField = { name: string; type: TypePart[]; required: boolean; description: string };
export type Schema = JsonSchema & {
  $ref?: string;
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  description?: string;
};

const SAFE = Number.MAX_SAFE_INTEGER;
export const anchorOf = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
export const schemaAnchor = (name: string) => `schema-${anchorOf(name)}`;
const join = (parts: TypePart[][], word: string): TypePart[] =>
  parts.flatMap((p, i) => (i ? [{ text: ` ${word} ` }, ...p] : p));

/** What a schema's value may be, in words: `string (date-time) or null`, `array of Customer`. */
export function typeOf(s: Schema | undefined): TypePart[] {
  if (!s) return [{ text: 'nothing' }];
  if (s.$ref) {
    const name = s.$ref.split('/').pop() ?? s.$ref;
    return [{ text: name, href: `#${schemaAnchor(name)}` }];
  }
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return join(alternatives.map(typeOf), 'or');
  if (Array.isArray(s.type))
    return join(
      s.type.map((t) => typeOf({ ...s, type: t })),
      'or',
    );
  if (s.enum) return [{ text: `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}` }];
  if (s.type === 'array') return [{ text: 'array of ' }, ...typeOf(s.items)];
  if (s.type === 'object' && typeof s.additionalProperties === 'object' && !s.properties)
    return [{ text: 'object of ' }, ...typeOf(s.additionalProperties)];
  const format = typeof s.format === 'string' ? ` (${s.format})` : '';
  return [{ text: `${s.type ?? 'any value'}${s.type === 'null' ? '' : format}` }];
}

/** Limits worth telling: lengths and number bounds (not the safe-integer ones every integer has). */
function limitsOf(s: Schema): string[] {
  const out: string[] = [];
  const n = (k: string) => (typeof s[k] === 'number' && Math.abs(s[k] as number) < SAFE ? (s[k] as number) : null);
  const above = n('exclusiveMinimum');
  if (n('minimum') !== null) out.push(`at least ${n('minimum')}`);
  if (above !== null) out.push(s.type === 'integer' ? `at least ${above + 1}` : `over ${above}`);
  if (n('maximum') !== null) out.push(`at most ${n('maximum')}`);
  if (n('maxLength') !== null) out.push(`at most ${n('maxLength')} characters`);
  if (typeof s.pattern === 'string' && !s.format) out.push(`matching ${s.pattern}`);
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) out.push(...limitsOf(alt));
  return out;
}

/** The description, then its limits as a sentence: "Owner. At least 1." */
export function describe(s: Schema): string {
  const text = (s.description ?? '').trim();
  const limits = limitsOf(s).join(', ');
  if (!limits) return text;
  const sentence = `${limits[0].toUpperCase()}${limits.slice(1)}.`;
  return text ? `${/[.!?)]$/.test(text) ? text : `${text}.`} ${sentence}` : sentence;
}

/** An inline object (not a named schema), possibly nullable: its fields are shown under its name. */
function inlineObject(s: Schema): Schema | null {
  if (s.type === 'object' && s.properties) return s;
  const alt = (s.anyOf ?? []).find((a) => a.type === 'object' && a.properties);
  return alt ?? null;
}

/** An object schema's fields, an inline object's own fields after it as `name.field`. */
export function fieldsOf(s: Schema | undefined, prefix = ''): RefField[] {
  if (!s?.properties) return [];
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties).flatMap(([name, p]) => {
    const field = { name: prefix + name, type: typeOf(p), required: required.has(name), description: describe(p) };
    const inner = inlineObject(p);
    return inner ? [field, ...fieldsOf(inner, `${prefix}${name}.`)] : [field];
  });
}

// What each API route says about itself for the OpenAPI document (issue 17): a summary, the JSON body a write
// reads and the success answer's schema. The body's schema is derived from the record's field descriptors (the
// same ones the forms and src/fields/json.ts validate with), so the document cannot drift from what is checked.
// It describes; the checking is still the forms' own schemas (a role may set fewer fields than the body lists).
import { z } from 'zod';
import type { FieldDescriptor, FieldKind } from '../fields/descriptor.ts';

export type ApiDoc = {
  /** One line for the reference page. */
  summary: string;
  /** The JSON body a POST or PATCH reads. */
  body?: z.ZodType;
  /** The query parameters a list reads (filters, search, sort), beside `limit` and `cursor`. */
  query?: z.ZodObject;
  /** The success answer: its status, and its schema (null: no body). A list's schema is its row's. */
  ok: { status: number; schema: z.ZodType | null; list?: boolean };
  /** Problem statuses it answers besides those every such route does (src/api/openapiProblems.ts). */
  problems?: number[];
};

type Fields = readonly FieldDescriptor[];

/** How a body gives a moment (src/fields/json.ts); answers give it in UTC (timeSchema). */
export const DATETIME_IN =
  'ISO 8601 with its offset, e.g. "2030-01-14T09:00:00+01:00" or "2030-01-14T08:00:00Z" (whole minutes).';

/** Each kind's JSON value, as src/fields/json.ts accepts it (null clears an optional field). */
function jsonOf(f: FieldDescriptor): z.ZodType {
  const byKind: Record<FieldKind, () => z.ZodType> = {
    text: () => z.string(),
    line: () => z.string(),
    email: () => z.string().meta({ format: 'email' }),
    phone: () => z.string(),
    money: () => z.union([z.number(), z.string().regex(/^-?\d+(\.\d{1,2})?$/)]),
    date: () => z.iso.date(),
    datetime: () => z.iso.datetime({ offset: true }),
    choice: () => z.enum(Object.keys(f.choices ?? {}) as [string, ...string[]]),
    reference: () => z.int().positive(),
  };
  const base = byKind[f.kind]();
  const label = f.kind === 'datetime' ? `${f.label}: ${DATETIME_IN}` : f.label;
  return (f.required ? base : base.nullable()).describe(label);
}

/**
 * The JSON body of a record's create (`create`: required fields required) or partial update (every field
 * optional, plus `version`), from its descriptors; `extra` adds keys the route reads itself (`companyId`).
 */
export function jsonBodySchema(
  fields: Fields,
  mode: 'create' | 'update',
  extra: Record<string, z.ZodType> = {},
): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) {
    if (f.form === false) continue;
    const json = jsonOf(f);
    shape[f.name] = mode === 'create' && f.required ? json : json.optional();
  }
  if (mode === 'update')
    shape.version = z.int().optional().describe('The version you read (or send If-Match with the ETag).');
  return z.strictObject({ ...shape, ...extra });
}

/** A related record as answers name it. */
export const refSchema = z.object({ id: z.int(), name: z.string() });
/** A time as answers give it (ISO 8601, UTC). */
export const timeSchema = z.iso.datetime().describe('ISO 8601 in UTC, e.g. "2030-01-14T08:00:00.000Z".');

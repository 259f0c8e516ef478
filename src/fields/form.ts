// The form side of a record's descriptors: the zod schema per role (create and update from the same
// list, so no field can be saved on edit and dropped on create), and the values the form shows.
import { z } from 'zod';
import type { CurrentUser } from '../access/currentUser.ts';
import { typedValues } from '../web/forms.ts';
import type { FieldDescriptor, FormData, Row } from './descriptor.ts';
import { field } from './kinds.ts';

type Fields = readonly FieldDescriptor[];

/** The fields this user's form reads: in the form, and settable by them. */
export function settableFields<D extends Fields>(fields: D, user: CurrentUser): D[number][] {
  return fields.filter((f) => f.form !== false && (!f.setBy || f.setBy(user)));
}

/**
 * The record's create and update schemas for a user. Each distinct set of settable fields is built
 * once and cached (a handful per record), so a request costs a filter, not a zod object.
 */
export function formSchemas<const D extends Fields>(fields: D) {
  const cache = new Map<string, z.ZodType>();
  const build = (user: CurrentUser, update: boolean) => {
    const allowed = settableFields(fields, user);
    const key = `${update ? 'update' : 'create'}:${allowed.map((f) => f.name).join(',')}`;
    let schema = cache.get(key);
    if (!schema) {
      const shape: Record<string, z.ZodType> = Object.fromEntries(allowed.map((f) => [f.name, f.schema]));
      if (update) shape.version = field.version();
      schema = z.object(shape);
      cache.set(key, schema);
    }
    return schema;
  };
  return {
    create: (user: CurrentUser) => build(user, false) as z.ZodType<FormData<D>>,
    update: (user: CurrentUser) => build(user, true) as z.ZodType<FormData<D> & { version: number }>,
  };
}

/** The names of the form's fields (every role's), plus extra names such as `version`. */
export const formNames = (fields: Fields, ...extra: string[]) => [
  ...fields.filter((f) => f.form !== false).map((f) => f.name),
  ...extra,
];

/** A new form's values: each field's initial value. */
export function blankValues(fields: Fields): Record<string, string> {
  return Object.fromEntries(fields.flatMap((f) => (f.form === false ? [] : [[f.name, f.form.initial]])));
}

/** The posted strings, to put back into a re-rendered form (with its version). */
export function postedValues(fields: Fields, body: unknown): Record<string, string> {
  return typedValues(body, formNames(fields, 'version'));
}

/** The edit form's values: the saved record, and its version for the optimistic lock. */
export function savedValues(fields: Fields, row: Row & { version: number }): Record<string, string> {
  const values = Object.fromEntries(fields.flatMap((f) => (f.form === false ? [] : [[f.name, f.formValue(row)]])));
  return { ...values, version: String(row.version) };
}

/** The saved values shown by partials/conflict.ejs above a 409 form, as [label, value] rows. */
export function conflictRows(fields: Fields, row: Row): [string, string][] {
  return fields.filter((f) => f.form !== false).map((f) => [f.label, f.text(row)]);
}

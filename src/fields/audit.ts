// The audit side of a record's descriptors: which fields an entry records, and how a reader
// labels and shows them (src/audit/ reads auditFields to speak the user's language).
import type { FieldDescriptor } from './descriptor.ts';

type Fields = readonly FieldDescriptor[];

export type AuditField = {
  label: string;
  /** A stored value as the user reads it (a choice's label, a formatted amount, a date). */
  show: (value: unknown) => string;
  /** For an id: the model it points at, so a reader can show the name instead. */
  reference?: 'User' | 'Customer' | 'Lead';
};

/** The names an audit diff compares (changedFields' list). */
export function auditNames(fields: Fields): string[] {
  return fields.filter((f) => f.audit !== false).map((f) => f.name);
}

/** { field → its label, how to show a value, what an id points at } for one record type. */
export function auditFields(fields: Fields): Record<string, AuditField> {
  return Object.fromEntries(
    fields
      .filter((f) => f.audit !== false)
      .map((f) => [
        f.name,
        { label: f.label, show: f.auditText, ...(f.reference ? { reference: f.reference.model } : {}) },
      ]),
  );
}

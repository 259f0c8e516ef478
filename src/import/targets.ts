// What a column can be imported into: the record's own field descriptors (src/customer/fields.ts,
// src/lead/fields.ts) that the importer may set, less the references chosen from a list (owner, customer),
// plus, for those who assign leads, "Assignee email" (checked against the company's active users).
// Each importable field's PostgreSQL type is here too, for the job's set-based SQL.
import type { CurrentUser } from '../access/currentUser.ts';
import { canAssignLeads, can, belongsToCompany, seesOthersRows } from '../access/policy.ts';
import { CUSTOMER_FIELDS } from '../customer/fields.ts';
import type { FieldDescriptor } from '../fields/descriptor.ts';
import { settableFields } from '../fields/form.ts';
import { LEAD_FIELDS } from '../lead/fields.ts';

export type ImportKind = 'CUSTOMER' | 'LEAD';
export const ASSIGNEE_EMAIL = 'assigneeEmail';

export type Target = { name: string; label: string; required: boolean; field?: FieldDescriptor };
export type SqlType = 'text' | 'numeric' | 'date' | 'int' | { enum: string };

export const KINDS = {
  CUSTOMER: {
    table: 'Customer',
    noun: 'customer',
    plural: 'customers',
    path: '/customers',
    fields: CUSTOMER_FIELDS as readonly FieldDescriptor[],
    types: {
      name: 'text',
      email: 'text',
      phone: 'text',
      // Not a column of the file: the phone's key, written with the phone (src/import/run.ts).
      phoneKey: 'text',
      organisation: 'text',
      address: 'text',
      notes: 'text',
    },
  },
  LEAD: {
    table: 'Lead',
    noun: 'lead',
    plural: 'leads',
    path: '/leads',
    fields: LEAD_FIELDS as readonly FieldDescriptor[],
    types: {
      title: 'text',
      contactName: 'text',
      email: 'text',
      phone: 'text',
      phoneKey: 'text',
      organisation: 'text',
      source: { enum: 'LeadSource' },
      status: { enum: 'LeadStatus' },
      estimatedValue: 'numeric',
      nextStep: 'text',
      expectedCloseDate: 'date',
      notes: 'text',
      lostReason: { enum: 'LostReason' },
      lostNote: 'text',
      assigneeId: 'int',
    },
  },
} as const satisfies Record<ImportKind, { types: Record<string, SqlType> } & Record<string, unknown>>;

export const isImportKind = (v: unknown): v is ImportKind => v === 'CUSTOMER' || v === 'LEAD';

/**
 * May the user import this kind? Into their own company only (a superuser has none: refused with a message);
 * customers by account managers with customer.add; leads by anyone with lead.add (staff: assigned to themselves).
 * Returns why not, or null.
 */
export function importRefusal(user: CurrentUser, kind: ImportKind): string | null {
  if (!belongsToCompany(user))
    return 'Imports go into a company: sign in as one of its account managers to import its records.';
  if (kind === 'CUSTOMER' && !(can(user, 'customer.add') && seesOthersRows(user)))
    return 'Only account managers import customers.';
  if (kind === 'LEAD' && !can(user, 'lead.add')) return 'You need the "lead.add" permission to import leads.';
  return null;
}

/** The fields this user may fill from a column, in the form's order. */
export function importTargets(user: CurrentUser, kind: ImportKind): Target[] {
  const types = KINDS[kind].types as Record<string, SqlType>;
  const targets: Target[] = settableFields(KINDS[kind].fields, user)
    .filter((f) => f.kind !== 'reference' && f.name in types)
    .map((f) => ({ name: f.name, label: f.label, required: !!f.required, field: f }));
  if (kind === 'LEAD' && canAssignLeads(user))
    targets.push({ name: ASSIGNEE_EMAIL, label: 'Assignee email', required: false });
  return targets;
}

const norm = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** Other words spreadsheets use for a field. */
const SYNONYMS: Record<string, string[]> = {
  name: ['fullname', 'customer', 'customername', 'nom'],
  title: ['lead', 'leadtitle', 'subject', 'deal', 'dealname'],
  contactName: ['contact', 'contactperson', 'person'],
  email: ['emailaddress', 'mail', 'courriel'],
  phone: ['telephone', 'tel', 'mobile', 'phonenumber', 'telefon'],
  organisation: ['organization', 'company', 'companyname', 'firma', 'societe', 'account'],
  address: ['street', 'adresse', 'postaladdress'],
  notes: ['note', 'comments', 'comment', 'description'],
  estimatedValue: ['value', 'amount', 'dealvalue'],
  expectedCloseDate: ['closedate', 'expectedclose'],
  [ASSIGNEE_EMAIL]: ['assignee', 'assignedto', 'owner', 'owneremail', 'assignedtoemail'],
};

/** The field each header most likely names ('' for none); each field is guessed for one column at most. */
export function guessMapping(headers: string[], targets: Target[], saved?: Record<string, string>): string[] {
  const taken = new Set<string>();
  const allowed = new Set(targets.map((t) => t.name));
  return headers.map((h) => {
    const key = norm(h);
    const fromSaved = saved?.[h.trim().toLowerCase()];
    const hit =
      fromSaved !== undefined
        ? targets.find((t) => t.name === fromSaved)
        : targets.find(
            (t) =>
              !taken.has(t.name) &&
              (norm(t.name) === key || norm(t.label) === key || (SYNONYMS[t.name] ?? []).includes(key)),
          );
    if (!hit || taken.has(hit.name) || !allowed.has(hit.name)) return '';
    taken.add(hit.name);
    return hit.name;
  });
}

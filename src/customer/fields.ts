// The customer's fields, each declared once (src/fields/): the forms, the detail page, the list,
// the CSV, the audit diff and the 409 page are built from this list.
import { auditFields, auditNames } from '../fields/audit.ts';
import { defineFields } from '../fields/descriptor.ts';
import { emailField, field, optionalPickId, phoneField } from '../fields/kinds.ts';
import { listOf } from '../fields/list.ts';

export const CUSTOMER_FIELDS = defineFields([
  {
    name: 'name',
    label: 'Name',
    kind: 'line',
    schema: field.text('name', 200),
    required: true,
    detail: false,
    searchable: true,
    list: { sort: 'name', link: true },
  },
  {
    name: 'email',
    label: 'Email',
    kind: 'email',
    schema: emailField(),
    form: { width: 6 },
    searchable: true,
    list: {},
  },
  {
    name: 'phone',
    label: 'Phone',
    kind: 'phone',
    schema: phoneField(),
    form: { width: 6 },
    searchable: true,
    list: { cls: 'nowrap' },
  },
  {
    name: 'organisation',
    label: 'Organisation',
    kind: 'line',
    schema: field.optionalLine(200),
    detail: false,
    searchable: true,
    list: { sort: 'organisation', tieBreak: ['name'] },
  },
  { name: 'address', label: 'Address', kind: 'text', schema: field.optionalText(500) },
  { name: 'notes', label: 'Notes', kind: 'text', schema: field.optionalText(5000), csv: false },
  {
    name: 'ownerId',
    label: 'Owner',
    kind: 'reference',
    schema: optionalPickId('owner'),
    reference: { relation: 'owner', model: 'User', options: 'owners', optionText: (u) => u.name, blank: 'No owner' },
    list: { empty: '—' },
    csv: {
      extra: { header: 'owner email', when: 'emails', value: (r) => (r.owner as { email?: string } | null)?.email },
    },
  },
]);

export const CUSTOMER_LIST = listOf(CUSTOMER_FIELDS, {
  defaultSort: { key: 'name', order: (d) => [{ name: d }, { id: d }] },
  extraSorts: { created: (d) => [{ createdAt: d }, { id: d }] },
});

/** The audit trail's view of a customer: the names a diff compares, and each one's label and display. */
export const CUSTOMER_AUDIT = { names: auditNames(CUSTOMER_FIELDS), fields: auditFields(CUSTOMER_FIELDS) };

/** What every customer view needs to render fields from the descriptors. */
export const customerViewHelpers = { customerFields: CUSTOMER_FIELDS, customerList: CUSTOMER_LIST };

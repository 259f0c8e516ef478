// The lead's fields, each declared once (src/fields/): the forms per role, the detail page, the
// list's columns and sorts, the CSV, the audit diff and the 409 page are built from this list.
// Staff never set the assignee (their leads are theirs); the customer only by those who see customers.
import { z } from 'zod';
import { canAssignLeads } from '../access/policy.ts';
import { can } from '../access/policy.ts';
import { auditFields, auditNames } from '../fields/audit.ts';
import { defineFields } from '../fields/descriptor.ts';
import {
  choiceField,
  emailField,
  field,
  moneyField,
  optionalDateField,
  optionalPickId,
  phoneField,
  pickId,
} from '../fields/kinds.ts';
import { listOf } from '../fields/list.ts';
import { LOST_REASON_LABELS, LOST_REASONS } from '../pipeline/stages.ts';

export const LEAD_SOURCES = ['WEBSITE', 'REFERRAL', 'EVENT', 'COLD_CALL', 'OTHER'] as const;
export const LEAD_STATUSES = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const SOURCE_LABELS: Record<string, string> = {
  WEBSITE: 'Website',
  REFERRAL: 'Referral',
  EVENT: 'Event',
  COLD_CALL: 'Cold call',
  OTHER: 'Other',
};
export const STATUS_LABELS: Record<string, string> = {
  NEW: 'New',
  CONTACTED: 'Contacted',
  QUALIFIED: 'Qualified',
  WON: 'Won',
  LOST: 'Lost',
};
const STATUS_BADGES = { NEW: 'secondary', CONTACTED: 'info', QUALIFIED: 'primary', WON: 'success', LOST: 'dark' };

/** The longest note on why a deal was lost. */
export const LOST_NOTE_MAX = 500;

/** An optional pick from fixed values: empty (or absent) means none (null). */
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? null : v),
    z.enum(values, { error: `Choose a ${label}.` }).nullable(),
  );

/**
 * The currency of a lead's amounts: its company's, joined in with the lead (`company.currency`, the lead page)
 * or set on a list row by the handler (`currency`: the user's own company's, or the joined company's for a
 * superuser), so no statement is spent per row.
 */
export function leadCurrency(row: Record<string, unknown>): string | undefined {
  return (row.currency as string | undefined) ?? (row.company as { currency?: string } | null)?.currency;
}

/** A person in the assignee select; the user themself marked "(me)". */
const me = (u: { id: number; name: string }, user: { id: number } | null) =>
  u.name + (u.id === user?.id ? ' (me)' : '');

export const LEAD_FIELDS = defineFields([
  {
    name: 'title',
    label: 'Title',
    kind: 'line',
    schema: field.text('title', 200),
    required: true,
    detail: false,
    searchable: true,
    list: { sort: 'title', link: true, sub: { name: 'customerId', prefix: 'Customer: ' } },
  },
  {
    name: 'contactName',
    label: 'Contact name',
    kind: 'line',
    schema: field.optionalLine(200),
    form: { width: 6 },
    searchable: true,
    list: { label: 'Contact', sub: { name: 'organisation' } },
  },
  { name: 'email', label: 'Email', kind: 'email', schema: emailField(), form: { width: 6 }, searchable: true },
  { name: 'phone', label: 'Phone', kind: 'phone', schema: phoneField(), form: { width: 6 } },
  {
    name: 'organisation',
    label: 'Organisation',
    kind: 'line',
    schema: field.optionalLine(200),
    form: { width: 6 },
    searchable: true,
  },
  {
    name: 'source',
    label: 'Source',
    kind: 'choice',
    schema: choiceField(LEAD_SOURCES, 'source'),
    choices: SOURCE_LABELS,
    form: { width: 4, initial: 'OTHER' },
    list: {},
  },
  {
    name: 'status',
    label: 'Status',
    kind: 'choice',
    schema: choiceField(LEAD_STATUSES, 'status'),
    choices: STATUS_LABELS,
    form: { width: 4, initial: 'NEW' },
    detail: false,
    list: { sort: 'status', badge: STATUS_BADGES },
  },
  {
    name: 'estimatedValue',
    label: 'Estimated value',
    kind: 'money',
    schema: moneyField(),
    form: { width: 4, attrs: 'inputmode="decimal"', help: 'For example 12500 or 12500.50' },
    list: { sort: 'value', label: 'Value', cls: 'text-end nowrap' },
    currencyOf: leadCurrency,
    // The CSV keeps the plain number (a spreadsheet sums it) and names its currency in the next column.
    csv: { extra: { header: 'currency', when: 'currency', value: leadCurrency } },
  },
  { name: 'nextStep', label: 'Next step', kind: 'line', schema: field.optionalLine(200), form: { width: 8 }, list: {} },
  {
    name: 'expectedCloseDate',
    label: 'Expected close date',
    kind: 'date',
    schema: optionalDateField(),
    form: { width: 4 },
    list: { sort: 'closeDate', label: 'Expected close', cls: 'nowrap' },
  },
  {
    name: 'assigneeId',
    label: 'Assigned to',
    kind: 'reference',
    schema: pickId('an assignee'),
    setBy: canAssignLeads,
    reference: { relation: 'assignee', model: 'User', options: 'assignees', optionText: me, blank: 'Choose a person' },
    list: { sort: 'assignee', label: 'Assignee', when: 'others' },
    csv: {
      header: 'assignee',
      extra: { header: 'assignee email', when: 'emails', value: (r) => (r.assignee as { email?: string }).email },
    },
  },
  {
    name: 'customerId',
    label: 'Customer',
    kind: 'reference',
    schema: optionalPickId('customer'),
    setBy: (user) => can(user, 'customer.view'),
    reference: {
      relation: 'customer',
      model: 'Customer',
      options: 'customers',
      blank: 'No customer yet',
      picker: 'customers',
      optionText: (c) => c.name + (c.organisation && c.organisation !== c.name ? ` — ${c.organisation}` : ''),
      href: (id) => `/customers/${id}`,
      permission: 'customer.view',
    },
  },
  { name: 'notes', label: 'Notes', kind: 'text', schema: field.optionalText(5000), csv: false },
  // Why a deal was lost: required with status Lost (lostProblems in schema.ts), cleared when it reopens. The
  // lead page shows them only for a lost lead (views/lead/show.ejs), so not through the detail rows.
  {
    name: 'lostReason',
    label: 'Lost reason',
    kind: 'choice',
    schema: optionalChoice(LOST_REASONS, 'reason'),
    choices: LOST_REASON_LABELS,
    form: { width: 6, blank: 'Not lost', help: 'Needed when the status is Lost.' },
    detail: false,
  },
  {
    name: 'lostNote',
    label: 'Lost note',
    kind: 'line',
    schema: field.optionalLine(LOST_NOTE_MAX),
    form: { width: 6, help: 'Needed when the reason is Other.' },
    detail: false,
  },
]);

/**
 * The list's columns, sorts and search, built once. ORDER BY follows the indexes (companyId,
 * [status|source|assigneeId,] createdAt, id): the default "newest first" and the status sort read an
 * index in order; id breaks ties so pages never overlap. The freshness sorts ("Last activity", "Next
 * task": columns kept by the database's triggers, src/lead/freshness.ts) put leads without one last
 * both ways, like the expected close date, over the indexes (companyId, lastActivityAt|nextTaskDueAt, id).
 */
export const LEAD_LIST = listOf(LEAD_FIELDS, {
  defaultSort: { key: 'created', order: (d) => [{ createdAt: d }, { id: d }] },
  extraSorts: {
    lastActivity: (d) => [{ lastActivityAt: { sort: d, nulls: 'last' } }, { id: d }],
    nextTask: (d) => [{ nextTaskDueAt: { sort: d, nulls: 'last' } }, { id: d }],
  },
});

/**
 * The audit trail's view of a lead: `names` is what an entry's diff compares, `fields` gives each its
 * label, how to show a stored value, and what an id points at (src/audit/ reads it).
 */
export const LEAD_AUDIT = { names: auditNames(LEAD_FIELDS), fields: auditFields(LEAD_FIELDS) };

/** What every lead view needs to render fields from the descriptors. */
export const leadFieldHelpers = { leadFields: LEAD_FIELDS, leadList: LEAD_LIST };

// The activity's fields, each declared once (src/fields/): labels, validation, the list, the CSV, the audit
// diff and the 409 rows read this list. "When" (occurredAt) is typed in the user's time zone, which a
// descriptor's fixed schema cannot know, so it is declared beside them (src/activity/schema.ts) and added
// to the audit names here.
import { z } from 'zod';
import { auditFields, auditNames } from '../fields/audit.ts';
import { defineFields } from '../fields/descriptor.ts';
import { field, optionalPickId } from '../fields/kinds.ts';
import { listOf } from '../fields/list.ts';

export const KINDS = ['CALL', 'EMAIL', 'MEETING', 'NOTE'] as const;
export type ActivityKind = (typeof KINDS)[number];
export const KIND_LABELS: Record<ActivityKind, string> = {
  CALL: 'Call',
  EMAIL: 'Email',
  MEETING: 'Meeting',
  NOTE: 'Note',
};

export const CALL_OUTCOMES = ['REACHED', 'LEFT_MESSAGE', 'NO_ANSWER', 'WRONG_NUMBER'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  REACHED: 'Reached',
  LEFT_MESSAGE: 'Left a message',
  NO_ANSWER: 'No answer',
  WRONG_NUMBER: 'Wrong number',
};

const blankToNull = (v: unknown) => (v === undefined || v === '' ? null : v);

export const ACTIVITY_FIELDS = defineFields([
  {
    name: 'kind',
    label: 'Kind',
    kind: 'choice',
    schema: z.enum(KINDS, { error: 'Choose a kind: call, email, meeting or note.' }),
    choices: KIND_LABELS,
    required: true,
    form: { width: 4, initial: 'CALL' },
    list: { sort: 'kind' },
  },
  {
    name: 'summary',
    label: 'Summary',
    kind: 'line',
    schema: field.text('summary', 200),
    required: true,
    searchable: true,
    form: { width: 8 },
    list: { sort: 'summary', link: true },
  },
  { name: 'details', label: 'Details', kind: 'text', schema: field.optionalText(5000), searchable: true },
  {
    name: 'callOutcome',
    label: 'Call outcome',
    kind: 'choice',
    schema: z.preprocess(blankToNull, z.enum(CALL_OUTCOMES, { error: 'Choose an outcome from the list.' }).nullable()),
    choices: OUTCOME_LABELS,
    form: { width: 4 },
    list: { empty: '—' },
  },
  {
    name: 'durationMinutes',
    label: 'Call duration (minutes)',
    kind: 'line',
    schema: z.preprocess(
      blankToNull,
      z
        .string({ error: 'Enter a single value.' })
        .trim()
        .regex(/^\d{1,4}$/, 'Enter whole minutes, for example 15.')
        .transform(Number)
        .refine((n) => n <= 1440, 'Enter at most 1440 minutes (a day).')
        .nullable(),
    ),
    form: { width: 4, attrs: 'inputmode="numeric"' },
    csv: { header: 'call minutes' },
  },
  {
    name: 'leadId',
    label: 'Lead',
    kind: 'reference',
    schema: optionalPickId('lead'),
    reference: {
      relation: 'lead',
      model: 'Lead',
      options: 'leads',
      optionText: (o) => o.name,
      blank: 'No lead',
      picker: 'leads',
      href: (id) => `/leads/${id}`,
      permission: 'lead.view',
    },
    form: { width: 6 },
    csv: false,
  },
  {
    name: 'customerId',
    label: 'Customer',
    kind: 'reference',
    schema: optionalPickId('customer'),
    reference: {
      relation: 'customer',
      model: 'Customer',
      options: 'customers',
      optionText: (o) => o.name,
      blank: 'No customer',
      picker: 'customers',
      href: (id) => `/customers/${id}`,
      permission: 'customer.view',
    },
    form: { width: 6 },
    csv: false,
  },
]);

export const ACTIVITY_BY_NAME = Object.fromEntries(ACTIVITY_FIELDS.map((f) => [f.name, f])) as Record<
  (typeof ACTIVITY_FIELDS)[number]['name'],
  (typeof ACTIVITY_FIELDS)[number]
>;

export const ACTIVITY_LIST = listOf(ACTIVITY_FIELDS, {
  defaultSort: { key: 'occurred', order: (d) => [{ occurredAt: d }, { id: d }] },
  extraSorts: {
    author: (d) => [{ author: { name: d } }, { occurredAt: 'desc' }, { id: d }],
    created: (d) => [{ createdAt: d }, { id: d }],
  },
});

/** The audit trail's view of an activity: the descriptors' fields, and "When" declared beside them. */
export const ACTIVITY_AUDIT = {
  names: [...auditNames(ACTIVITY_FIELDS), 'occurredAt', 'authorId'],
  fields: auditFields(ACTIVITY_FIELDS),
};

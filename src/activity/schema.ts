// The activity form and the list's query string (issue 13 items 1 and 4): kind, summary, details, when (typed
// in the user's zone, empty: now), a call's outcome and duration, what it is about, and the optional follow-up.
import { z } from 'zod';
import { field, localDateTime, optionalDateField } from '../fields/kinds.ts';
import { typedValues } from '../web/forms.ts';
import type { ListSpec } from '../web/list.ts';
import { ACTIVITY_FIELDS } from './fields.ts';

export { CALL_OUTCOMES, KIND_LABELS, KINDS, OUTCOME_LABELS } from './fields.ts';

export const activityListSpec: ListSpec<
  'occurred' | 'kind' | 'summary' | 'author' | 'created',
  'kind' | 'authorId' | 'about' | 'leadId' | 'customerId' | 'from' | 'to' | 'companyId'
> = {
  sorts: ['occurred', 'kind', 'summary', 'author', 'created'],
  defaultSort: 'occurred',
  defaultDir: 'desc',
  filters: {
    kind: ['CALL', 'EMAIL', 'MEETING', 'NOTE'],
    authorId: 'id',
    about: ['lead', 'customer'],
    leadId: 'id',
    customerId: 'id',
    from: 'date',
    to: 'date',
    companyId: 'id',
  },
};

export const ABOUT_LABELS = { lead: 'About a lead', customer: 'About a customer' } as const;

/** The follow-up a create may plan: a task titled `title`, due on `due` (a calendar day). */
const followUp = {
  followUpTitle: field.optionalLine(200),
  followUpDue: optionalDateField(),
};

const described = Object.fromEntries(ACTIVITY_FIELDS.map((f) => [f.name, f.schema])) as {
  [F in (typeof ACTIVITY_FIELDS)[number] as F['name']]: F['schema'];
};

/** The create form: the descriptors' fields, when (in the user's zone; empty: now) and the follow-up. */
export function activityCreateForm(timeZone: string) {
  return z.object({ ...described, occurredAt: localDateTime(timeZone, false, 'time'), ...followUp });
}

/** The edit form: what happened can be corrected; what it is about stays (shown, not posted). */
export function activityUpdateForm(timeZone: string) {
  const { leadId: _l, customerId: _c, ...rest } = described;
  return z.object({ ...rest, occurredAt: localDateTime(timeZone, false, 'time'), version: field.version() });
}

export type ActivityCreateData = z.output<ReturnType<typeof activityCreateForm>>;
export type ActivityUpdateData = z.output<ReturnType<typeof activityUpdateForm>>;

export const ACTIVITY_FORM_FIELDS = [
  'kind',
  'summary',
  'details',
  'occurredAt',
  'callOutcome',
  'durationMinutes',
  'leadId',
  'customerId',
  'followUpTitle',
  'followUpDue',
  'returnTo',
  'companyId',
  'version',
] as const;

/** The posted strings, to put back into a re-rendered form. */
export const typedActivityValues = (body: unknown): Record<string, string> => typedValues(body, ACTIVITY_FORM_FIELDS);

/** Only a lead's or a customer's own page is a place to go back to after logging from it. */
export function returnPathOf(v: unknown): string | null {
  return typeof v === 'string' && /^\/(leads|customers)\/\d{1,9}$/.test(v) ? v : null;
}

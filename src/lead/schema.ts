// Lead forms and list query (SPEC section 5). The form is built per role from the descriptors in
// fields.ts: staff have no assignee field (their leads are theirs), account managers pick an
// assignee, superusers also name the company (on the first step). Each role's schema allows only its own fields.
import { z } from 'zod';
import type { CurrentUser } from '../access/currentUser.ts';
import { seesOthersRows as seesOthersLeads, spansCompanies } from '../access/policy.ts';
import { formSchemas } from '../fields/form.ts';
import { choiceField, pickId } from '../fields/kinds.ts';
import type { ListSpec } from '../web/list.ts';
import type { LostReason } from '../generated/prisma/client.ts';
import type { FieldErrors } from '../web/forms.ts';
import { LEAD_FIELDS, LEAD_LIST, LEAD_SOURCES, LEAD_STATUSES, type LeadStatus } from './fields.ts';

/** One descriptor of the lead's, by name (the status form reuses the lost fields' validation). */
const fieldOf = (name: string) => LEAD_FIELDS.find((f) => f.name === name)!;
import { NO_ACTIVITY_CHOICES } from './freshness.ts';

/**
 * Where a lead may move: an open lead (new, contacted, qualified) to any other open stage, to won or to lost
 * (the board moves cards between any columns); a lost lead can be reopened as new. Won is final.
 */
export const PIPELINE_NEXT: Record<LeadStatus, LeadStatus[]> = {
  NEW: ['CONTACTED', 'QUALIFIED', 'WON', 'LOST'],
  CONTACTED: ['NEW', 'QUALIFIED', 'WON', 'LOST'],
  QUALIFIED: ['NEW', 'CONTACTED', 'WON', 'LOST'],
  WON: [],
  LOST: ['NEW'],
};

export const LOST_REASON_MISSING = 'Choose why the deal was lost.';

/**
 * The reason and note a status asks for: with Lost a reason is required, and a note with the reason Other;
 * any other status keeps neither (a reopened lead forgets why it was lost). Errors go beside the fields.
 */
export function lostProblems(d: { status: LeadStatus; lostReason: LostReason | null; lostNote: string }) {
  const errors: FieldErrors = {};
  if (d.status !== 'LOST') return { errors, saved: { lostReason: null, lostNote: '' } };
  if (!d.lostReason) errors.lostReason = LOST_REASON_MISSING;
  if (d.lostReason === 'OTHER' && !d.lostNote) errors.lostNote = 'Say why the deal was lost (reason Other).';
  return { errors, saved: { lostReason: d.lostReason, lostNote: d.lostNote } };
}

/** An optional version (the board's and the lost page's moves send it; the lead page's buttons do not). */
const optionalVersion = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string({ error: 'Enter a single value.' })
    .regex(/^\d{1,9}$/, 'The form is missing its version; reload the page.')
    .transform(Number)
    .optional(),
);

/** The create and update forms for the user's role (the company of a lead never changes). */
export const leadForms = formSchemas(LEAD_FIELDS);

/** POST /leads/:id/status: the new status; with Lost its reason and note; where to go back (checked apart). */
export const leadStatusForm = z.object({
  status: choiceField(LEAD_STATUSES, 'status'),
  version: optionalVersion,
  lostReason: fieldOf('lostReason').schema as z.ZodType<LostReason | null>,
  lostNote: fieldOf('lostNote').schema as z.ZodType<string>,
  returnTo: z.unknown().optional(),
});
export const leadAssignForm = z.object({ assigneeId: pickId('an assignee') });

export const convertModeForm = z.object({
  mode: z.enum(['new', 'existing'], { error: 'Choose a new or an existing customer.' }),
});
export const convertExistingForm = z.object({ customerId: pickId('a customer') });

export type LeadSort = string;
export type LeadFilter = 'status' | 'source' | 'assigneeId' | 'companyId' | 'noActivity';

export function leadListSpec(user: CurrentUser): ListSpec<LeadSort, LeadFilter> {
  const filters: Record<string, readonly string[] | 'id'> = {
    status: LEAD_STATUSES,
    source: LEAD_SOURCES,
    noActivity: NO_ACTIVITY_CHOICES,
  };
  // The assignee filter only for those who see others' leads; a staff user's ?assigneeId= is not read.
  if (seesOthersLeads(user)) filters.assigneeId = 'id';
  if (spansCompanies(user)) filters.companyId = 'id';
  return {
    sorts: LEAD_LIST.sorts,
    defaultSort: 'created',
    defaultDir: 'desc',
    filters: filters as ListSpec<LeadSort, LeadFilter>['filters'],
  };
}

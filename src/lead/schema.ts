// Lead forms and list query (SPEC section 5). The form is built per role from the descriptors in
// fields.ts: staff have no assignee field (their leads are theirs), account managers pick an
// assignee, superusers also name the company (on the first step). Each role's schema allows only its own fields.
import { z } from 'zod';
import type { CurrentUser } from '../access/currentUser.ts';
import { seesOthersRows as seesOthersLeads, spansCompanies } from '../access/policy.ts';
import { formSchemas } from '../fields/form.ts';
import { choiceField, pickId } from '../fields/kinds.ts';
import type { ListSpec } from '../web/list.ts';
import { LEAD_FIELDS, LEAD_LIST, LEAD_SOURCES, LEAD_STATUSES, type LeadStatus } from './fields.ts';
import { NO_ACTIVITY_CHOICES } from './freshness.ts';

/** The pipeline new → contacted → qualified → won/lost; a lost lead can be reopened. Won is final. */
export const PIPELINE_NEXT: Record<LeadStatus, LeadStatus[]> = {
  NEW: ['CONTACTED', 'LOST'],
  CONTACTED: ['QUALIFIED', 'LOST'],
  QUALIFIED: ['WON', 'LOST'],
  WON: [],
  LOST: ['NEW'],
};

/** The create and update forms for the user's role (the company of a lead never changes). */
export const leadForms = formSchemas(LEAD_FIELDS);

export const leadStatusForm = z.object({ status: choiceField(LEAD_STATUSES, 'status') });
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

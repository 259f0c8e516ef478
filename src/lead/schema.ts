// Lead forms and list query (SPEC section 5). The form is role-adaptive: staff have no assignee or
// company field (their leads are theirs), account managers pick an assignee, superusers also
// name the company. Each role's schema allows only its own fields.
import { z } from 'zod';
import type { CurrentUser } from '../access/currentUser.ts';
import { can, canAssignLeads, choosesCompany, seesOthersRows, spansCompanies } from '../access/policy.ts';
import { customerForm, emailField, optionalPickId, phoneField, pickId } from '../customer/schema.ts';
import { field } from '../web/forms.ts';
import type { ListSpec } from '../web/list.ts';

export { recordId, typedValues } from '../customer/schema.ts';

export const LEAD_SOURCES = ['WEBSITE', 'REFERRAL', 'EVENT', 'COLD_CALL', 'OTHER'] as const;
export const LEAD_STATUSES = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const SOURCE_LABELS: Record<string, string> = { WEBSITE: 'Website', REFERRAL: 'Referral', EVENT: 'Event', COLD_CALL: 'Cold call', OTHER: 'Other' };
export const STATUS_LABELS: Record<string, string> = { NEW: 'New', CONTACTED: 'Contacted', QUALIFIED: 'Qualified', WON: 'Won', LOST: 'Lost' };

/** The pipeline new → contacted → qualified → won/lost; a lost lead can be reopened. Won is final. */
export const PIPELINE_NEXT: Record<LeadStatus, LeadStatus[]> = {
  NEW: ['CONTACTED', 'LOST'],
  CONTACTED: ['QUALIFIED', 'LOST'],
  QUALIFIED: ['WON', 'LOST'],
  WON: [],
  LOST: ['NEW'],
};

/** Who may pick a lead's assignee: the rule lives in src/access/policy.ts. */
export { canAssignLeads };

/** Who sees other people's leads, and so gets the assignee filter and column. */
export const seesOthersLeads = (user: CurrentUser) => seesOthersRows(user);

const choice = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, { error: `Choose a ${label}.` });

const money = () =>
  z.preprocess((v) => (v === undefined ? '' : v), z.string({ error: 'Enter a single value.' }).trim()
    .regex(/^(\d{1,10}(\.\d{1,2})?)?$/, 'Enter an amount like 12500 or 12500.50 (no thousands separators).')
    .transform((s) => (s === '' ? null : s)));

export const LEAD_FIELDS = ['title', 'contactName', 'email', 'phone', 'organisation', 'source', 'status', 'estimatedValue', 'notes', 'customerId', 'assigneeId'] as const;

const leadBase = z.object({
  title: field.text('title', 200),
  contactName: field.optionalLine(200),
  email: emailField(),
  phone: phoneField(),
  organisation: field.optionalLine(200),
  source: choice(LEAD_SOURCES, 'source'),
  status: choice(LEAD_STATUSES, 'status'),
  estimatedValue: money(),
  notes: field.optionalText(5000),
  customerId: optionalPickId('customer'),
});

/** The create form for the user's role. */
export function leadCreateForm(user: CurrentUser) {
  if (choosesCompany(user)) return leadBase.extend({ assigneeId: pickId('an assignee'), companyId: pickId('a company') });
  if (canAssignLeads(user)) return leadBase.extend({ assigneeId: pickId('an assignee') });
  return leadBase;
}

/** The edit form for the user's role (the company of a lead never changes). */
export function leadUpdateForm(user: CurrentUser) {
  const withVersion = leadBase.extend({ version: field.version() });
  return canAssignLeads(user) ? withVersion.extend({ assigneeId: pickId('an assignee') }) : withVersion;
}
export type LeadInput = z.output<typeof leadBase> & { assigneeId?: number; version?: number };

export const leadStatusForm = z.object({ status: choice(LEAD_STATUSES, 'status') });
export const leadAssignForm = z.object({ assigneeId: pickId('an assignee') });

export const convertModeForm = z.object({ mode: z.enum(['new', 'existing'], { error: 'Choose a new or an existing customer.' }) });
export const convertNewForm = customerForm;
export const convertExistingForm = z.object({ customerId: pickId('a customer') });

export type LeadSort = 'created' | 'title' | 'status' | 'value' | 'assignee';
export type LeadFilter = 'status' | 'source' | 'assigneeId' | 'companyId';

export function leadListSpec(user: CurrentUser): ListSpec<LeadSort, LeadFilter> {
  const filters: Record<string, readonly string[] | 'id'> = { status: LEAD_STATUSES, source: LEAD_SOURCES };
  // The assignee filter only for those who see others' leads; a staff user's ?assigneeId= is not read.
  if (seesOthersLeads(user)) filters.assigneeId = 'id';
  if (spansCompanies(user)) filters.companyId = 'id';
  return {
    sorts: ['created', 'title', 'status', 'value', 'assignee'],
    defaultSort: 'created',
    defaultDir: 'desc',
    filters: filters as ListSpec<LeadSort, LeadFilter>['filters'],
  };
}

// Built once: toLocaleString with options builds a new formatter on every call (4% of a list page's CPU).
const MONEY = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 12500.5 → "12,500.50"; null → "". */
export function formatMoney(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  const n = Number(String(v));
  return Number.isFinite(n) ? MONEY.format(n) : String(v);
}

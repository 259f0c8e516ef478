// Reads of activities, through the request's scoped client.
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns';
import type { CurrentUser } from '../access/currentUser.ts';
import { seesLeadOf, spansCompanies } from '../access/policy.ts';
import type { ScopedClient } from '../access/scope.ts';
import { pickerState, type PickerState } from '../picker/queries.ts';
import type { FieldErrors } from '../web/forms.ts';
import type { ListQuery } from '../web/list.ts';
import { ACTIVITY_LIST } from './fields.ts';
import type { activityListSpec } from './schema.ts';

/** An activity the user may see, with its author's, lead's and customer's names (one statement). */
export function findActivity(db: ScopedClient, id: number) {
  return db.activity.findUnique({
    where: { id },
    include: {
      author: { select: { id: true, name: true } },
      lead: { select: { id: true, title: true, assigneeId: true } },
      customer: { select: { id: true, name: true } },
      company: { select: { id: true, name: true } },
    },
  });
}

export type ActivityRecord = NonNullable<Awaited<ReturnType<typeof findActivity>>>;

type ActivityListQuery = ListQuery<(typeof activityListSpec.sorts)[number], keyof typeof activityListSpec.filters>;

/** Start of a calendar day (yyyy-mm-dd) in the user's zone. */
function dayStart(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(new TZDate(y, m - 1, d, 0, 0, 0, timeZone).getTime());
}

/** The list's (and the CSV's) condition: search, kind, author, what it is about, the days it happened. */
export function activityListWhere(user: CurrentUser, query: ActivityListQuery) {
  const f = query.filters;
  const and: Record<string, unknown>[] = [];
  if (spansCompanies(user) && f.companyId) and.push({ companyId: Number(f.companyId) });
  if (f.kind) and.push({ kind: f.kind });
  if (f.authorId) and.push({ authorId: Number(f.authorId) });
  if (f.about === 'lead') and.push({ leadId: { not: null } });
  if (f.about === 'customer') and.push({ customerId: { not: null } });
  if (f.leadId) and.push({ leadId: Number(f.leadId) });
  if (f.customerId) and.push({ customerId: Number(f.customerId) });
  const tz = user.timeZone;
  const from = f.from ? dayStart(f.from, tz) : null;
  const to = f.to ? dayStart(f.to, tz) : null;
  if (from && !Number.isNaN(from.getTime())) and.push({ occurredAt: { gte: from } });
  if (to && !Number.isNaN(to.getTime())) and.push({ occurredAt: { lt: addDays(to, 1) } });
  if (query.q) {
    and.push({ OR: ACTIVITY_LIST.searchable.map((name) => ({ [name]: { contains: query.q, mode: 'insensitive' } })) });
  }
  return { AND: and };
}

export const activityOrderBy = (query: ActivityListQuery) => ACTIVITY_LIST.order(query.sort, query.dir);

/** What every view of an activity shows of it (the list, the CSV, a record's timeline). */
export const activitySummarySelect = {
  id: true,
  kind: true,
  summary: true,
  details: true,
  occurredAt: true,
  callOutcome: true,
  durationMinutes: true,
} as const;

/** What a list row and a CSV line show; relations by select, so a page is a fixed number of statements. */
export const activityListSelect = {
  ...activitySummarySelect,
  createdAt: true,
  companyId: true,
  authorId: true,
  author: { select: { id: true, name: true } },
  lead: { select: { id: true, title: true, assigneeId: true } },
  customer: { select: { id: true, name: true } },
  company: { select: { name: true } },
} as const;

/**
 * A joined lead is not scoped by the client: its title is shown only to those who see the lead (a staff user
 * sees a colleague's lead's activity through its customer, never the lead's title).
 */
export function withVisibleLead<R extends { lead: { id: number; title: string; assigneeId: number } | null }>(
  user: CurrentUser,
  row: R,
): R {
  return row.lead && !seesLeadOf(user, row.lead) ? { ...row, lead: null } : row;
}

export type ActivityFormOptions = { leads: PickerState; customers: PickerState };

/** The form's pickers (rows in scope only): the chosen lead and customer, and the matches of a posted search. */
export async function activityFormOptions(
  db: ScopedClient,
  companyId: number,
  chosen: { leadId?: unknown; customerId?: unknown; body?: unknown },
): Promise<ActivityFormOptions> {
  const [leads, customers] = await Promise.all([
    pickerState(db, 'leads', companyId, { field: 'leadId', body: chosen.body, chosen: chosen.leadId }),
    pickerState(db, 'customers', companyId, { field: 'customerId', body: chosen.body, chosen: chosen.customerId }),
  ]);
  return { leads, customers };
}

export type CheckedReferences = {
  errors: FieldErrors;
  companyId: number | null;
  leadId: number | null;
  customerId: number | null;
  /** Who a follow-up task goes to when the user assigns others' work: the lead's assignee. */
  leadAssigneeId: number | null;
  /** An id was sent that the user cannot see (never saying whether it exists): the API's "Unknown lead". */
  unknownLead: boolean;
  unknownCustomer: boolean;
};

/**
 * What the activity is about, checked through the scope: a lead or customer the user cannot see is a 422,
 * never a 500. A lead already converted brings its customer. `companyId`: the form's company (null: a
 * superuser's, taken from the records).
 */
export async function checkActivityReferences(
  db: ScopedClient,
  companyId: number | null,
  ids: { leadId: number | null; customerId: number | null },
): Promise<CheckedReferences> {
  const errors: FieldErrors = {};
  const inCompany = companyId === null ? {} : { companyId };
  const [lead, customer] = await Promise.all([
    ids.leadId === null
      ? null
      : db.lead.findFirst({
          where: { id: ids.leadId, ...inCompany },
          select: { id: true, companyId: true, customerId: true, assigneeId: true },
        }),
    ids.customerId === null
      ? null
      : db.customer.findFirst({ where: { id: ids.customerId, ...inCompany }, select: { id: true, companyId: true } }),
  ]);
  if (ids.leadId === null && ids.customerId === null) errors.leadId = 'Choose a lead or a customer it is about.';
  if (ids.leadId !== null && !lead) errors.leadId = 'Choose a lead you can see.';
  if (ids.customerId !== null && !customer) errors.customerId = 'Choose a customer you can see.';
  const company = lead?.companyId ?? customer?.companyId ?? companyId;
  if (lead && customer && lead.companyId !== customer.companyId)
    errors.customerId = "Choose a customer of the lead's company.";
  return {
    errors,
    companyId: company,
    leadId: lead?.id ?? null,
    customerId: lead?.customerId ?? customer?.id ?? null,
    leadAssigneeId: lead?.assigneeId ?? null,
    unknownLead: ids.leadId !== null && !lead,
    unknownCustomer: ids.customerId !== null && !customer,
  };
}

/** The lead and customer a new form is opened from (?leadId=&customerId=), if the user sees them. */
export async function prefillReferences(db: ScopedClient, leadId: number | null, customerId: number | null) {
  const [lead, customer] = await Promise.all([
    leadId === null
      ? null
      : db.lead.findUnique({ where: { id: leadId }, select: { id: true, companyId: true, customerId: true } }),
    customerId === null
      ? null
      : db.customer.findUnique({ where: { id: customerId }, select: { id: true, companyId: true } }),
  ]);
  return { lead, customer };
}

/** The activities about the lead alone (deleted with it), for its delete confirmation. */
export function countLeadOnlyActivities(db: ScopedClient, leadId: number) {
  return db.activity.count({ where: { leadId, customerId: null } });
}

// The lead domain's data access, always through the scoped client.
import type { CurrentUser } from '../access/currentUser.ts';
import { can, canAssignLeads } from '../access/policy.ts';
import type { ScopedClient } from '../access/scope.ts';
import type { FieldErrors } from '../web/forms.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { pickerState } from '../picker/queries.ts';
import { companyUserProblem, companyUsersKeeping } from '../user/options.ts';
import { pageWindow, type ListQuery } from '../web/list.ts';
import { LEAD_LIST } from './fields.ts';
import { FRESHNESS_SELECT, noActivityWhere } from './freshness.ts';
import { type LeadFilter, type LeadSort, lostProblems } from './schema.ts';
import type { LostReason } from '../generated/prisma/client.ts';
import type { LeadStatus } from './fields.ts';
import { searchPageIds } from './search.ts';

export type LeadListQuery = ListQuery<LeadSort, LeadFilter>;

export function leadListWhere(query: LeadListQuery) {
  const and: Record<string, unknown>[] = [];
  // One LIKE on the lower-cased copy of the searchable fields the database keeps (Lead.searchText).
  if (query.q) and.push({ searchText: { contains: query.q.toLowerCase() } });
  const f = query.filters;
  if (f.status) and.push({ status: f.status });
  if (f.source) and.push({ source: f.source });
  if (f.assigneeId) and.push({ assigneeId: Number(f.assigneeId) });
  if (f.companyId) and.push({ companyId: Number(f.companyId) });
  if (f.noActivity) and.push(noActivityWhere(Number(f.noActivity)));
  return and.length ? { AND: and } : {};
}

/** ORDER BY of the list's sort (built from the descriptors in fields.ts, where the indexes are named). */
export function leadListOrder(query: LeadListQuery) {
  return LEAD_LIST.order(query.sort, query.dir) as Prisma.LeadOrderByWithRelationInput[];
}

/** The list's columns; the company's name only for superusers (everyone else sees one company). */
/**
 * Each list row's currency (src/lead/fields.ts leadCurrency): the user's company's, or for a superuser the row's
 * company's, read in the same statement as the row. Set on the rows in place.
 */
export function withCurrency<R extends object>(rows: R[], user: { currency: string }, superuser: boolean): R[] {
  for (const r of rows as (R & { currency?: string; company?: { currency?: string } | null })[])
    r.currency = superuser ? (r.company?.currency ?? user.currency) : user.currency;
  return rows;
}

export function leadListSelect(superuser: boolean) {
  return {
    ...(LEAD_LIST.select as Prisma.LeadSelect),
    id: true,
    createdAt: true,
    convertedAt: true,
    companyId: true,
    assignee: { select: { id: true, name: true } },
    customer: { select: { id: true, name: true } },
    company: superuser ? { select: { name: true, currency: true } } : false,
    ...FRESHNESS_SELECT,
  } as const;
}

/**
 * Past this many skipped rows a page is read in two steps (see leadListPage). Measured with EXPLAIN
 * ANALYZE at 100,000 leads in the company: the one statement costs about 20 µs more per skipped row
 * (each skipped row is read from the table and gets its names joined before OFFSET drops it) —
 * 0.9 ms at OFFSET 0, 1.5 ms at 100, 21 ms at 975, 790 ms at 74,975 — while the id step stays
 * under 2 ms until OFFSET 5,000 (83 ms at 74,975) and the second step is one more round trip.
 */
export const DEEP_PAGE_OFFSET = 100;

/**
 * One page of the list. A near page is one statement: the rows with their assignee and customer
 * names joined in. A deep page (OFFSET past DEEP_PAGE_OFFSET) reads the ids first, then their rows:
 * for the indexed orders the id query is an index-only scan, so OFFSET 75,000 skips index entries
 * instead of reading 75,000 table rows and joining each one's names before throwing it away.
 */
export async function leadListPage(scoped: ScopedClient, query: LeadListQuery, superuser: boolean, page: number) {
  const where = leadListWhere(query);
  const window = pageWindow({ ...query, page });
  // A search reads its ids first at any depth: walking the newest leads for matches is then an index-only
  // scan of Lead_search_covering_idx (the searched columns are in it), not a table row per lead walked.
  if (window.skip <= DEEP_PAGE_OFFSET && !query.q)
    return scoped.lead.findMany({ where, select: leadListSelect(superuser), orderBy: leadListOrder(query), ...window });
  const ids =
    (await searchPageIds(scoped, query, superuser, window)) ??
    (await scoped.lead.findMany({ where, select: { id: true }, orderBy: leadListOrder(query), ...window })).map(
      (r) => r.id,
    );
  const rows = await scoped.lead.findMany({ where: { id: { in: ids } }, select: leadListSelect(superuser) });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export function findLead(scoped: ScopedClient, id: number) {
  return scoped.lead.findUnique({
    where: { id },
    include: {
      assignee: { select: { id: true, name: true, email: true, active: true } },
      customer: { select: { id: true, name: true } },
      company: { select: { id: true, name: true, currency: true } },
      createdBy: { select: { name: true } },
      nextTask: FRESHNESS_SELECT.nextTask,
    },
  });
}
export type LoadedLead = NonNullable<Awaited<ReturnType<typeof findLead>>>;

/** Assignee choices: the company's active users, plus the saved assignee if deactivated since. */
export const assigneeOptions = companyUsersKeeping;

/** A picked assignee must be an active company user; keeping the saved one is always allowed. */
export const assigneeProblem = companyUserProblem;

/** The lead form's customer picker: the chosen customer (if of the company) and at most 20 matches of the search. */
export function customerOptions(scoped: ScopedClient, companyId: number, chosen: unknown, body?: unknown) {
  return pickerState(scoped, 'customers', companyId, { field: 'customerId', body, chosen });
}

/** The customer if it belongs to the company (and the user may see it), else null. */
export function customerOfCompany(scoped: ScopedClient, companyId: number, id: number) {
  return scoped.customer.findFirst({ where: { id, companyId }, select: { id: true, name: true } });
}

/** Field errors of the company-dependent choices (assignee, customer). */
export async function leadChoiceErrors(
  scoped: ScopedClient,
  user: CurrentUser,
  companyId: number,
  picked: { assigneeId: number; customerId: number | null },
  saved?: LoadedLead,
) {
  const errors: FieldErrors = {};
  if (canAssignLeads(user)) {
    const problem = await assigneeProblem(scoped, companyId, picked.assigneeId, saved?.assigneeId);
    if (problem) errors.assigneeId = problem;
  }
  if (
    picked.customerId !== null &&
    picked.customerId !== saved?.customerId &&
    !(await customerOfCompany(scoped, companyId, picked.customerId))
  ) {
    errors.customerId = 'Choose a customer of the company.';
  }
  return errors;
}

/** What duplicate detection compares of a lead's form. */
export const leadDuplicateCandidate = (
  f: { title: string; contactName: string; email: string; phone: string; organisation: string },
  companyId: number,
) => ({ companyId, name: f.contactName, title: f.title, email: f.email, phone: f.phone, organisation: f.organisation });

/**
 * The assignee and customer a lead form saves, by role: those who assign pick the assignee (staff keep the saved
 * one, or get a new lead themselves); those who see customers pick the customer (others keep the saved one).
 */
export function leadLinks(
  user: CurrentUser,
  picked: { assigneeId?: number; customerId?: number | null },
  saved?: { assigneeId: number; customerId: number | null },
) {
  return {
    assigneeId: canAssignLeads(user) ? (picked.assigneeId ?? 0) : (saved?.assigneeId ?? user.id),
    customerId: can(user, 'customer.view') ? (picked.customerId ?? null) : (saved?.customerId ?? null),
  };
}

/**
 * What a parsed lead form (create, or edit of `saved`) must pass beyond its schema, for the page and the API: the
 * assignee and customer of the company, a converted lead staying won, the lost reason rules. Returns the field
 * errors, the links to save and the lost reason and note to save.
 */
export async function checkLeadForm(
  scoped: ScopedClient,
  user: CurrentUser,
  companyId: number,
  data: { assigneeId?: number; customerId?: number | null; status: LeadStatus } & {
    lostReason: LostReason | null;
    lostNote: string;
  },
  saved?: LoadedLead,
) {
  const links = leadLinks(user, data, saved);
  const errors = await leadChoiceErrors(scoped, user, companyId, links, saved);
  if (saved?.convertedAt && data.status !== 'WON') errors.status = 'A converted lead stays won.';
  const lost = lostProblems(data);
  Object.assign(errors, lost.errors);
  return { errors, links, lost: lost.saved };
}

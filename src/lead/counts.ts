// Lead counts that cost (almost) nothing to read, whatever the company's size.
// - Without a search, a count is a sum over "LeadTally" rows (one per company × assignee × status ×
//   source, kept exact by the database's triggers on "Lead"): a few hundred rows at most, never the leads.
// - A search cannot be tallied in advance: it is counted exactly up to a limit, and past it the list
//   says "more than …" (a lower bound) instead of reading every match.
// Both go through the scoped client, so the counts cover exactly the leads the user may see.
import type { ScopedClient } from '../access/scope.ts';
import type { LeadSource, LeadStatus, Prisma } from '../generated/prisma/client.ts';
import type { ListTotal } from '../web/list.ts';
import type { LeadListQuery } from './queries.ts';
import { leadListWhere } from './queries.ts';

/**
 * A search's matches are counted exactly up to this many. Counting stops at the limit, so its cost
 * is bounded: about limit ÷ (share of leads matching) rows read, whatever the company's size. For a
 * word in 1 title of 20 that is about 4,000 rows: less than a 10,000-lead company's whole list, so a
 * search's page costs no more at 1,000,000 leads than at 10,000 (measured for issue 11: p50 ratio
 * 1.35 with a limit of 500, below 1 with 200).
 */
export const SEARCH_COUNT_LIMIT = 200;

/** The tally rows' conditions for the list's filters (the scope adds the company and, for staff, the assignee). */
export function tallyWhere(filters: LeadListQuery['filters']): Prisma.LeadTallyWhereInput {
  return {
    // parseListQuery let through only the spec's values (LEAD_STATUSES, LEAD_SOURCES, digits).
    ...(filters.status ? { status: filters.status as LeadStatus } : {}),
    ...(filters.source ? { source: filters.source as LeadSource } : {}),
    ...(filters.assigneeId ? { assigneeId: Number(filters.assigneeId) } : {}),
    ...(filters.companyId ? { companyId: Number(filters.companyId) } : {}),
  };
}

/** How many leads the user may see that match the filters (no search): exact, from the tally. */
export async function tallyCount(scoped: ScopedClient, where: Prisma.LeadTallyWhereInput = {}): Promise<number> {
  const sum = await scoped.leadTally.aggregate({ where, _sum: { count: true } });
  return sum._sum.count ?? 0;
}

/**
 * The lead list's total. A search is counted up to SEARCH_COUNT_LIMIT, or up to the end of the asked
 * page when that is further, so "Next" is offered exactly while more matches exist.
 */
export async function leadListTotal(scoped: ScopedClient, query: LeadListQuery, superuser = false): Promise<ListTotal> {
  if (!query.q) return { count: await tallyCount(scoped, tallyWhere(query.filters)), exact: true };
  const limit = Math.max(SEARCH_COUNT_LIMIT, query.page * query.perPage);
  // The order only says where counting starts, so that it can stop early: within one company, its
  // newest leads (an index of the company's own rows, the rows of the list's first pages); across all
  // companies (a superuser's unfiltered search), the newest ids.
  const oneCompany = !superuser || Boolean(query.filters.companyId);
  const orderBy = oneCompany ? [{ createdAt: 'desc' as const }, { id: 'desc' as const }] : [{ id: 'desc' as const }];
  const counted = await scoped.lead.count({ where: leadListWhere(query), orderBy, take: limit + 1 });
  return counted > limit ? { count: limit, exact: false } : { count: counted, exact: true };
}

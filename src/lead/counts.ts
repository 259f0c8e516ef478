// Lead counts that cost (almost) nothing to read, whatever the company's size.
// - Without a search, a count is a sum over "LeadTally" rows (one per company × assignee × status ×
//   source, kept exact by the database's triggers on "Lead"): a few hundred rows at most, never the leads.
// - A search cannot be tallied in advance, nor the filter "No activity for 14 days" (a window that moves
//   with the clock): they are counted exactly up to a limit, and past it the list says "more than …" (a
//   lower bound) instead of reading every match.
// Both go through the scoped client, so the counts cover exactly the leads the user may see.
import type { ScopedClient } from '../access/scope.ts';
import type { LeadSource, LeadStatus, Prisma } from '../generated/prisma/client.ts';
import type { ListTotal } from '../web/list.ts';
import type { LeadListQuery } from './queries.ts';
import { countedByWalking, searchCountLimit, searchMatchIds } from './search.ts';

// The search's limit lives with the search (src/lead/search.ts), which reads one set of matches for the
// count and the page.
export { SEARCH_COUNT_LIMIT } from './search.ts';

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
 * The lead list's total. A search (or the "no activity" filter) is counted up to SEARCH_COUNT_LIMIT, or up
 * to the end of the asked page when that is further, so "Next" is offered exactly while more matches exist.
 */
export async function leadListTotal(scoped: ScopedClient, query: LeadListQuery, superuser = false): Promise<ListTotal> {
  if (!countedByWalking(query)) return { count: await tallyCount(scoped, tallyWhere(query.filters)), exact: true };
  const limit = searchCountLimit(query);
  const counted = (await searchMatchIds(scoped, query, superuser)).length;
  return counted > limit ? { count: limit, exact: false } : { count: counted, exact: true };
}

// A lead search's matches, read once per request for both the count and the page (the "no activity"
// filter is counted the same way, see countedByWalking). A search is counted by walking the user's newest
// leads until SEARCH_COUNT_LIMIT (or the asked page's end) matches are found (src/lead/counts.ts); when the
// list is in that same order (newest first, the default), the ids that walk finds are also the page's ids,
// so one statement — an index-only scan of Lead_search_covering_idx, which holds the searched columns —
// answers both.
import type { ScopedClient } from '../access/scope.ts';
import { leadListWhere, type LeadListQuery } from './queries.ts';

/**
 * A search is counted exactly up to this many matches. Counting stops at the limit, so its cost is
 * bounded: about limit ÷ (share of leads matching) index entries read, whatever the company's size.
 */
export const SEARCH_COUNT_LIMIT = 200;

/**
 * Is the list counted by walking its matches (below) rather than from the tally? A search, and the filter
 * "No activity for 14 days" (a time window: the tally's rows cannot hold it), with or without a search.
 */
export function countedByWalking(query: LeadListQuery): boolean {
  return Boolean(query.q || query.filters.noActivity);
}

/**
 * Where counting starts: within one company its newest leads; across companies (a superuser), the newest ids.
 * The "no activity" filter without a search is only counted here (the page reads its own rows, see
 * searchPageIds), in the order of the index (companyId, lastActivityAt, id), which holds every column the
 * filter reads: an index-only walk. Measured with EXPLAIN at 100,000 leads of a company of which 82 had no
 * activity for 14 days (a team that keeps its leads fresh: the few matches are scattered): 83 ms index-only
 * in this order, 274 ms walking the newest first (each lead's row read for its last activity); when most
 * leads match, under 1 ms both ways.
 */
function countOrder(query: LeadListQuery, superuser: boolean) {
  const oneCompany = !superuser || Boolean(query.filters.companyId);
  if (!query.q && oneCompany)
    return [{ lastActivityAt: { sort: 'asc' as const, nulls: 'last' as const } }, { id: 'asc' as const }];
  return oneCompany ? [{ createdAt: 'desc' as const }, { id: 'desc' as const }] : [{ id: 'desc' as const }];
}

/** How many matches the count reads at most (one more says "more than"): the limit, or the asked page's end. */
export function searchCountLimit(query: LeadListQuery): number {
  return Math.max(SEARCH_COUNT_LIMIT, query.page * query.perPage);
}

const matchesOf = new WeakMap<LeadListQuery, Promise<number[]>>();

function readMatchIds(scoped: ScopedClient, query: LeadListQuery, superuser: boolean): Promise<number[]> {
  return scoped.lead
    .findMany({
      where: leadListWhere(query),
      select: { id: true },
      orderBy: countOrder(query, superuser),
      take: searchCountLimit(query) + 1,
    })
    .then((rows) => rows.map((r) => r.id));
}

/** The ids of the first searchCountLimit + 1 matches in the count's order; one statement per request's query. */
export function searchMatchIds(scoped: ScopedClient, query: LeadListQuery, superuser: boolean): Promise<number[]> {
  let ids = matchesOf.get(query);
  if (!ids) {
    ids = readMatchIds(scoped, query, superuser);
    matchesOf.set(query, ids);
  }
  return ids;
}

/**
 * Lets a cache give this request's matches (the figure cache, keyed by the company's version: src/lead/handlers.ts):
 * `keep` gets the read and answers with the ids it kept or with the read's.
 */
export function keepSearchMatches(
  scoped: ScopedClient,
  query: LeadListQuery,
  superuser: boolean,
  keep: (read: () => Promise<number[]>) => Promise<number[]>,
): void {
  if (!matchesOf.has(query))
    matchesOf.set(
      query,
      keep(() => readMatchIds(scoped, query, superuser)),
    );
}

/**
 * The ids of a search's page from the count's matches, or null when the list's order is not the count's
 * (another sort column, oldest first, or a superuser across companies): the page then reads its own ids.
 */
export async function searchPageIds(
  scoped: ScopedClient,
  query: LeadListQuery,
  superuser: boolean,
  window: { skip: number; take: number },
): Promise<number[] | null> {
  const newestFirst = query.sort === 'created' && query.dir === 'desc';
  if (!query.q || !newestFirst || (superuser && !query.filters.companyId)) return null;
  if (window.skip + window.take > searchCountLimit(query) + 1) return null;
  return (await searchMatchIds(scoped, query, superuser)).slice(window.skip, window.skip + window.take);
}

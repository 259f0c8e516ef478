// What every record list's handler shares past the list toolkit: the company whose people fill the
// person filter, the filter choices, the sort links and the locals of a searchable, exportable list.
import type { CurrentUser } from '../access/currentUser.ts';
import { seesOthersRows, spansCompanies } from '../access/policy.ts';
import type { Request } from 'express';
import { companyFilterOptions, companyUserFilterOptions, type FormCompany } from '../company/choices.ts';
import type { Database } from '../db/client.ts';
import { cachedFigures, figureVersion } from '../pipeline/figureCache.ts';
import type { UserOption } from '../user/options.ts';
import { exportHref, type ListQuery, sortLink } from './list.ts';

type AnyListQuery = ListQuery<string, string>;

/** The company whose people fill a list's person filter: the user's own; for a superuser the chosen one, or none. */
export function filterCompanyId(user: CurrentUser, query: AnyListQuery): number | null {
  if (!spansCompanies(user)) return user.companyId;
  return query.filters.companyId ? Number(query.filters.companyId) : null;
}

/** One link per sortable column: the same list sorted by it. */
export function sortLinks(basePath: string, query: AnyListQuery, sorts: readonly string[]) {
  return Object.fromEntries(sorts.map((c) => [c, sortLink(basePath, query, c)]));
}

/** The locals a list view with search, sortable columns and CSV export reads. */
export function listLocals(basePath: string, query: AnyListQuery, sorts: readonly string[]) {
  return {
    query,
    sorts: sortLinks(basePath, query, sorts),
    filtered: Boolean(query.q || Object.keys(query.filters).length),
    exportHref: exportHref(basePath, query),
  };
}

/**
 * A list's person filter: the company's people (active ones only, if asked), in SQL. For the user's own company
 * it is kept in the figure cache, whose version moves with every change of a user (src/pipeline/figureCache.ts),
 * keyed by the reader's role: a repeat visit costs no statement. The list is shared: never change it.
 */
export function personFilterOptions(
  req: Request,
  db: Database,
  companyId: number,
  opts: { activeOnly?: boolean } = {},
): Promise<UserOption[]> {
  const read = () => companyUserFilterOptions(req.sql, companyId, opts);
  const user = req.user;
  if (!user || user.companyId !== companyId) return read();
  const key = ['personFilter', user.role, Boolean(opts.activeOnly)];
  return cachedFigures(db, figureVersion(req, companyId), companyId, key, read);
}

/**
 * The task and appointment lists' filter choices, read side by side: the company's active people (for those who
 * see others' rows) and, for superusers, the companies.
 */
export async function peopleAndCompanyFilters(
  req: Request,
  db: Database,
  user: CurrentUser,
  query: AnyListQuery,
): Promise<{ people: UserOption[]; companies: FormCompany[] }> {
  const companyId = filterCompanyId(user, query);
  const [people, companies] = await Promise.all([
    seesOthersRows(user) && companyId ? personFilterOptions(req, db, companyId, { activeOnly: true }) : [],
    spansCompanies(user) ? companyFilterOptions(req.db) : [],
  ]);
  return { people, companies };
}

// What every record list's handler shares past the list toolkit: the company whose people fill the
// person filter, the filter choices, the sort links and the locals of a searchable, exportable list.
import type { CurrentUser } from '../access/currentUser.ts';
import { seesOthersRows, spansCompanies } from '../access/policy.ts';
import type { Request } from 'express';
import { companyFilterOptions, companyUserFilterOptions, type FormCompany } from '../company/choices.ts';
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
 * The task and appointment lists' filter choices, read side by side: the company's active people (for those who
 * see others' rows, in SQL like every list's person filter) and, for superusers, the companies.
 */
export async function peopleAndCompanyFilters(
  req: Pick<Request, 'db' | 'sql'>,
  user: CurrentUser,
  query: AnyListQuery,
): Promise<{ people: UserOption[]; companies: FormCompany[] }> {
  const companyId = filterCompanyId(user, query);
  const [people, companies] = await Promise.all([
    seesOthersRows(user) && companyId ? companyUserFilterOptions(req.sql, companyId, { activeOnly: true }) : [],
    spansCompanies(user) ? companyFilterOptions(req.db) : [],
  ]);
  return { people, companies };
}

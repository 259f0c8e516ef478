// The lead list's page and total in SQL (src/access/scopedSql.ts says why: the page is the app's busiest, and
// Prisma's client cost it more CPU than the statements themselves). The statements are built from the same
// declarations as the Prisma queries they replace — the list's select (LEAD_LIST.select, FRESHNESS_SELECT), its
// ORDER BY (LEAD_LIST.order), the filters of leadListWhere and the tally's tallyWhere — and the rows come back in
// the shape Prisma gives (Dates, Decimals, related rows as objects): tests/lead/listSql.test.ts compares the two
// for every sort, filter, role and depth. A search keeps its ids from searchMatchIds (one statement for the
// count and the page) and reads only the page's rows here.
import { orderSql, selection, type TableSql } from '../db/selectSql.ts';
import { utcInstant } from '../db/utcInstant.ts';
import type { ScopedSql } from '../access/scopedSql.ts';
import type { ScopedClient } from '../access/scope.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { pageWindow, type ListTotal } from '../web/list.ts';
import { leadListTotal, tallyWhere } from './counts.ts';
import { noActivitySince } from './freshness.ts';
import { DEEP_PAGE_OFFSET, leadListOrder, leadListPage, leadListSelect, type LeadListQuery } from './queries.ts';
import { countedByWalking, searchPageIds } from './search.ts';

type Row = Record<string, unknown>;
/** A row as leadListPage returns it (the tests compare the two). */
type ListRow = Awaited<ReturnType<typeof leadListPage>>[number];

const LEAD_TABLE: TableSql = {
  table: 'Lead',
  relations: {
    assignee: { table: 'User', key: 'assigneeId' },
    customer: { table: 'Customer', key: 'customerId' },
    nextTask: { table: 'Task', key: 'nextTaskId' },
    company: { table: 'Company', key: 'companyId' },
  },
  times: new Set([
    'createdAt',
    'updatedAt',
    'convertedAt',
    'closedAt',
    'assignedAt',
    'lastActivityAt',
    'nextTaskDueAt',
    'dueAt',
  ]),
  days: new Set(['expectedCloseDate']),
  amounts: new Set(['estimatedValue']),
};

const selections = new Map<boolean, ReturnType<typeof selection>>();
function listSelection(superuser: boolean) {
  let s = selections.get(superuser);
  if (!s) selections.set(superuser, (s = selection(LEAD_TABLE, 'l', leadListSelect(superuser))));
  return s;
}

/** The list's filters (leadListWhere without the search, which keeps its own ids) as SQL conditions. */
function filterSql(query: LeadListQuery): Prisma.Sql {
  const f = query.filters;
  const parts: Prisma.Sql[] = [];
  if (f.status) parts.push(Prisma.sql`l."status" = ${f.status}::"LeadStatus"`);
  if (f.source) parts.push(Prisma.sql`l."source" = ${f.source}::"LeadSource"`);
  if (f.assigneeId) parts.push(Prisma.sql`l."assigneeId" = ${Number(f.assigneeId)}`);
  if (f.companyId) parts.push(Prisma.sql`l."companyId" = ${Number(f.companyId)}`);
  if (f.noActivity) {
    const since = utcInstant(noActivitySince(Number(f.noActivity)));
    parts.push(Prisma.sql`(l."lastActivityAt" IS NULL OR l."lastActivityAt" < ${since})`);
  }
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, ' AND ')}` : Prisma.empty;
}

/** The rows of these leads in the list's shape, in the order of `ids`. */
async function rowsOf(sql: ScopedSql, ids: number[], superuser: boolean): Promise<ListRow[]> {
  if (ids.length === 0) return [];
  const s = listSelection(superuser);
  const rows = await sql.select<Row>(
    'Lead',
    'l',
    (scope) => Prisma.sql`SELECT ${Prisma.raw(s.columns)} FROM "Lead" l ${Prisma.raw(s.joins)}
      WHERE ${scope} AND l."id" = ANY(${ids}::int[])`,
  );
  const byId = new Map(rows.map((r) => [r.id as number, s.read(r) as ListRow]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * One page of the list, as leadListPage reads it through Prisma: a near page in one statement, a deep page (past
 * DEEP_PAGE_OFFSET) as its ids, then their rows; a search's page from the search's ids. A search in another order
 * than newest first (rare, and its ids need the search's condition) is read by leadListPage itself.
 */
export async function leadListPageSql(
  sql: ScopedSql,
  scoped: ScopedClient,
  query: LeadListQuery,
  superuser: boolean,
  page: number,
): Promise<ListRow[]> {
  const window = pageWindow({ ...query, page });
  if (query.q) {
    const ids = await searchPageIds(scoped, query, superuser, window);
    return ids ? rowsOf(sql, ids, superuser) : leadListPage(scoped, query, superuser, page);
  }
  const order = Prisma.raw(orderSql(LEAD_TABLE, 'l', leadListOrder(query) as Record<string, unknown>[]));
  const where = filterSql(query);
  if (window.skip > DEEP_PAGE_OFFSET) {
    const ids = await sql.select<{ id: number }>(
      'Lead',
      'l',
      (scope) => Prisma.sql`SELECT l."id" FROM "Lead" l WHERE ${scope} ${where}
        ORDER BY ${order} LIMIT ${window.take} OFFSET ${window.skip}`,
    );
    return rowsOf(
      sql,
      ids.map((r) => r.id),
      superuser,
    );
  }
  const s = listSelection(superuser);
  const rows = await sql.select<Row>(
    'Lead',
    'l',
    (scope) => Prisma.sql`SELECT ${Prisma.raw(s.columns)} FROM "Lead" l ${Prisma.raw(s.joins)}
      WHERE ${scope} ${where} ORDER BY ${order} LIMIT ${window.take} OFFSET ${window.skip}`,
  );
  return rows.map(s.read) as ListRow[];
}

/** The list's total, as leadListTotal counts it: without a search, the tally's rows summed in SQL. */
export async function leadListTotalSql(
  sql: ScopedSql,
  scoped: ScopedClient,
  query: LeadListQuery,
  superuser: boolean,
): Promise<ListTotal> {
  if (countedByWalking(query)) return leadListTotal(scoped, query, superuser);
  const where = tallyWhere(query.filters);
  const parts: Prisma.Sql[] = [];
  if (where.status) parts.push(Prisma.sql`t."status" = ${where.status}::"LeadStatus"`);
  if (where.source) parts.push(Prisma.sql`t."source" = ${where.source}::"LeadSource"`);
  if (where.assigneeId !== undefined) parts.push(Prisma.sql`t."assigneeId" = ${where.assigneeId}`);
  if (where.companyId !== undefined) parts.push(Prisma.sql`t."companyId" = ${where.companyId}`);
  const [row] = await sql.select<{ n: string }>(
    'LeadTally',
    't',
    (scope) => Prisma.sql`SELECT coalesce(sum(t."count"), 0)::int8 AS n FROM "LeadTally" t
      WHERE ${scope} ${parts.length ? Prisma.sql`AND ${Prisma.join(parts, ' AND ')}` : Prisma.empty}`,
  );
  return { count: Number(row.n), exact: true };
}

// The lead list's page and total in SQL (src/access/scopedSql.ts says why: the page is the app's busiest, and
// Prisma's client cost it more CPU than the statements themselves). The statements are built from the same
// declarations as the Prisma queries they replace — the list's select (LEAD_LIST.select, FRESHNESS_SELECT), its
// ORDER BY (LEAD_LIST.order), the filters of leadListWhere and the tally's tallyWhere — and the rows come back in
// the shape Prisma gives (Dates, Decimals, related rows as objects): tests/lead/listSql.test.ts compares the two
// for every sort, filter, role and depth. A search keeps its ids from searchMatchIds (one statement for the
// count and the page) and reads only the page's rows here.
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
type Select = Record<string, unknown>;

/** A lead's relations the list reads: the related table and the lead's column that points at it. */
const RELATIONS: Record<string, { table: string; key: string }> = {
  assignee: { table: 'User', key: 'assigneeId' },
  customer: { table: 'Customer', key: 'customerId' },
  nextTask: { table: 'Task', key: 'nextTaskId' },
  company: { table: 'Company', key: 'companyId' },
};
/** Columns pg would not hand back as Prisma does: times (stored in UTC, without a zone), days and amounts. */
const TIMES = new Set([
  'createdAt',
  'updatedAt',
  'convertedAt',
  'closedAt',
  'assignedAt',
  'lastActivityAt',
  'nextTaskDueAt',
  'dueAt',
]);
const DAYS = new Set(['expectedCloseDate']);
const AMOUNTS = new Set(['estimatedValue']);

const q = (name: string) => {
  if (!/^[A-Za-z]+$/.test(name)) throw new Error(`Not a column name: ${name}`);
  return `"${name}"`;
};

/** A column as the statement reads it, named `as`, so that pg's values convert back to Prisma's. */
function column(alias: string, name: string, as: string): string {
  const ref = `${alias}.${q(name)}`;
  const value = TIMES.has(name)
    ? `${ref} AT TIME ZONE 'UTC'`
    : DAYS.has(name)
      ? `to_char(${ref}, 'YYYY-MM-DD')`
      : AMOUNTS.has(name)
        ? `${ref}::text`
        : ref;
  return `${value} AS "${as}"`;
}

function prismaValue(name: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (DAYS.has(name)) return new Date(`${v as string}T00:00:00.000Z`);
  if (AMOUNTS.has(name)) return new Prisma.Decimal(v as string);
  return v;
}

/** The SELECT list and joins of a Prisma select of Lead (scalars, and relations' scalars), and its row reader. */
function selection(select: Select) {
  const columns: string[] = [];
  const joins: string[] = [];
  const readers: ((r: Row, out: Row) => void)[] = [];
  for (const [name, spec] of Object.entries(select)) {
    if (!spec) continue;
    if (spec === true) {
      columns.push(column('l', name, name));
      readers.push((r, out) => void (out[name] = prismaValue(name, r[name])));
      continue;
    }
    const relation = RELATIONS[name];
    const fields = Object.keys((spec as { select: Select }).select ?? {});
    if (!relation || fields.length === 0) throw new Error(`The lead list cannot read the relation ${name} in SQL.`);
    const alias = `r${joins.length}`;
    joins.push(`LEFT JOIN ${q(relation.table)} ${alias} ON ${alias}."id" = l.${q(relation.key)}`);
    columns.push(`l.${q(relation.key)} AS "${name}$key"`);
    for (const f of fields) columns.push(column(alias, f, `${name}$${f}`));
    readers.push((r, out) => {
      if (r[`${name}$key`] === null) return void (out[name] = null);
      out[name] = Object.fromEntries(fields.map((f) => [f, prismaValue(f, r[`${name}$${f}`])]));
    });
  }
  const read = (r: Row) => {
    const out: Row = {};
    for (const reader of readers) reader(r, out);
    return out;
  };
  return { columns: columns.join(', '), joins: joins.join(' '), read };
}

const selections = new Map<boolean, ReturnType<typeof selection>>();
function listSelection(superuser: boolean) {
  let s = selections.get(superuser);
  if (!s) selections.set(superuser, (s = selection(leadListSelect(superuser) as Select)));
  return s;
}

/** ORDER BY of Prisma's orderBy entries as the list writes them: a column, a column with nulls, a relation's name. */
function orderSql(order: Record<string, unknown>[]): string {
  return order
    .map((entry) => {
      const [[name, how]] = Object.entries(entry);
      if (how === 'asc' || how === 'desc') return `l.${q(name)} ${how.toUpperCase()}`;
      const h = how as { sort?: string; nulls?: string; name?: string };
      if (h.sort && h.nulls) return `l.${q(name)} ${h.sort.toUpperCase()} NULLS ${h.nulls.toUpperCase()}`;
      const relation = RELATIONS[name];
      if (relation && (h.name === 'asc' || h.name === 'desc')) {
        const name = `(SELECT o."name" FROM ${q(relation.table)} o WHERE o."id" = l.${q(relation.key)})`;
        return `${name} ${h.name.toUpperCase()}`;
      }
      throw new Error(`The lead list cannot sort by ${JSON.stringify(entry)} in SQL.`);
    })
    .join(', ');
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
  const order = Prisma.raw(orderSql(leadListOrder(query) as Record<string, unknown>[]));
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

// The list toolkit every record list uses: search (`q`), filters, sortable columns, pagination,
// and the CSV export of exactly the filtered rows.
import type { Request, Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { BadRequest } from './errors.ts';
import { dateTimeFormatter } from './time.ts';

export const PER_PAGE_CHOICES = [25, 50, 100] as const;
export const MAX_PAGE = 10_000;
export const CSV_MAX_ROWS = 50_000;

export type ListSpec<S extends string, F extends string> = {
  sorts: readonly S[];
  defaultSort: S;
  defaultDir: 'asc' | 'desc';
  /** Each filter's allowed values; `id` accepts a positive integer, `date` yyyy-mm-dd, `text` anything short. */
  filters: Record<F, readonly string[] | 'id' | 'date' | 'text'>;
};

export type ListQuery<S extends string, F extends string> = {
  q: string;
  sort: S;
  dir: 'asc' | 'desc';
  page: number;
  perPage: number;
  filters: Partial<Record<F, string>>;
};

/** Reads a single string parameter; a repeated one (`?a=1&a=2`) is a 400, not a 500. */
function single(query: Request['query'], name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadRequest(`The parameter "${name}" was given more than once.`);
  return v;
}

export function parseListQuery<S extends string, F extends string>(
  query: Request['query'],
  spec: ListSpec<S, F>,
): ListQuery<S, F> {
  const q = (single(query, 'q') ?? '').trim().slice(0, 100);
  const sortRaw = single(query, 'sort');
  const sort = (spec.sorts as readonly string[]).includes(sortRaw ?? '') ? (sortRaw as S) : spec.defaultSort;
  const dirRaw = single(query, 'dir');
  const dir = dirRaw === 'asc' || dirRaw === 'desc' ? dirRaw : spec.defaultDir;
  const pageRaw = Number(single(query, 'page') ?? '1');
  const page = Number.isInteger(pageRaw) && pageRaw >= 1 ? Math.min(pageRaw, MAX_PAGE) : 1;
  const perRaw = Number(single(query, 'perPage') ?? PER_PAGE_CHOICES[0]);
  const perPage = (PER_PAGE_CHOICES as readonly number[]).includes(perRaw) ? perRaw : PER_PAGE_CHOICES[0];
  const filters: Partial<Record<F, string>> = {};
  for (const [name, allowed] of Object.entries(spec.filters) as [F, ListSpec<S, F>['filters'][F]][]) {
    const v = single(query, name);
    if (v === undefined || v === '') continue;
    const ok =
      allowed === 'id'
        ? /^\d{1,9}$/.test(v)
        : allowed === 'date'
          ? /^\d{4}-\d{2}-\d{2}$/.test(v)
          : allowed === 'text'
            ? v.length <= 100
            : (allowed as readonly string[]).includes(v);
    // An unknown filter value is ignored: the list shows unfiltered rows rather than an error page.
    if (ok) filters[name] = v;
  }
  return { q, sort, dir, page, perPage, filters };
}

/** Builds a list URL keeping the current query, with some parameters changed (null removes one). */
export function listHref(
  basePath: string,
  current: ListQuery<string, string>,
  changes: Record<string, string | number | null> = {},
): string {
  const params = new URLSearchParams();
  const merged: Record<string, string | number | null | undefined> = {
    q: current.q || null,
    ...current.filters,
    sort: current.sort,
    dir: current.dir,
    perPage: current.perPage === PER_PAGE_CHOICES[0] ? null : current.perPage,
    page: current.page === 1 ? null : current.page,
    ...changes,
  };
  for (const [k, v] of Object.entries(merged)) if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${basePath}?${s}` : basePath;
}

/**
 * A list's total. `exact: false` when counting stopped early (a search over many rows): there are
 * more than `count` rows, and the list says so ("of more than 200") instead of a number.
 */
export type ListTotal = { count: number; exact: boolean };

/** exact false: `total` is a lower bound (more rows exist) and `pages` is the last page known to exist. */
export type Pagination = {
  page: number;
  pages: number;
  total: number;
  exact: boolean;
  from: number;
  to: number;
  prevHref: string | null;
  nextHref: string | null;
};

export function paginate(basePath: string, query: ListQuery<string, string>, total: number | ListTotal): Pagination {
  const { count, exact } = typeof total === 'number' ? { count: total, exact: true } : total;
  // Past a lower bound there is at least one more row: one page beyond the rows counted.
  const known = exact ? count : count + 1;
  const pages = Math.max(1, Math.ceil(known / query.perPage));
  const page = Math.min(query.page, pages);
  return {
    page,
    pages,
    total: count,
    exact,
    from: count === 0 ? 0 : (page - 1) * query.perPage + 1,
    to: Math.min(known, page * query.perPage),
    prevHref: page > 1 ? listHref(basePath, query, { page: page - 1 }) : null,
    nextHref: page < pages ? listHref(basePath, query, { page: page + 1 }) : null,
  };
}

/** skip/take for Prisma, for the page the query asks (clamped later by paginate). */
export function pageWindow(query: ListQuery<string, string>) {
  return { skip: (query.page - 1) * query.perPage, take: query.perPage };
}

/** The sortable column header's link and aria-sort value. */
export function sortLink(basePath: string, query: ListQuery<string, string>, column: string) {
  const active = query.sort === column;
  const nextDir = active && query.dir === 'asc' ? 'desc' : 'asc';
  return {
    href: listHref(basePath, query, { sort: column, dir: nextDir, page: null }),
    ariaSort: active ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    arrow: active ? (query.dir === 'asc' ? '▲' : '▼') : '',
  };
}

/** Case-insensitive "contains" over several text columns, for Prisma's where. */
export function searchWhere(q: string, fields: string[]): Record<string, unknown> | undefined {
  if (!q) return undefined;
  return { OR: fields.map((f) => ({ [f]: { contains: q, mode: 'insensitive' } })) };
}

/** A CSV column: its header, or a time column whose header names the zone its cells are written in. */
export type CsvColumn = string | { time: string };

export type CsvExport = {
  filename: string;
  /** The signed-in user's zone: every time cell is written in it, and each time column's header names it. */
  timeZone: string;
  columns: CsvColumn[];
  rows: unknown[][];
};

/** The header of a column, e.g. `due (Europe/Warsaw)` for `{ time: 'due' }`. */
export function csvHeader(column: CsvColumn, timeZone: string): string {
  return typeof column === 'string' ? column : `${column.time} (${timeZone})`;
}

/**
 * Writes a spreadsheet-safe CSV, all through csv-stringify's own options:
 * - a UTF-8 byte-order mark, so Excel reads "Café" and "Łódź" as UTF-8;
 * - every cell quoted, so a delimiter inside a cell (`Acme;=1+1` in a `;` locale) never starts a new cell;
 * - escape_formulas: a cell starting with = + - @, a tab or a CR (and their full-width forms) gets a leading `'`;
 * - CRLF between records (RFC 4180); times in the user's zone; null and undefined as empty cells.
 */
export function csvBody({ timeZone, columns, rows }: Omit<CsvExport, 'filename'>): string {
  const formatTime = dateTimeFormatter(timeZone);
  return stringify([columns.map((c) => csvHeader(c, timeZone)), ...rows], {
    bom: true,
    quoted: true,
    quoted_empty: true,
    escape_formulas: true,
    record_delimiter: 'windows',
    cast: {
      date: (value, context) => {
        // A time in a column whose header does not name the zone would be read as some other zone.
        const column = typeof context.column === 'number' ? columns[context.column] : undefined;
        if (typeof column !== 'object')
          throw new Error(`CSV column ${String(context.column)} holds a time: declare it as { time: '…' }.`);
        return formatTime(value);
      },
      boolean: (value) => (value ? 'yes' : 'no'),
    },
  });
}

export function sendCsv(res: Response, csv: CsvExport): void {
  const body = csvBody(csv);
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${csv.filename.replace(/[^\w.-]/g, '_')}"`);
  res.send(body);
}

/**
 * Counts the rows and fetches the asked page at once. A page past the last (an old link after rows
 * went away) shows the last page instead, so the rows always match "Showing x–y of n".
 */
export async function fetchListPage<R>(
  basePath: string,
  query: ListQuery<string, string>,
  count: () => Promise<number | ListTotal>,
  rowsOfPage: (page: number) => Promise<R[]>,
): Promise<{ rows: R[]; pagination: Pagination }> {
  const [total, asked] = await Promise.all([count(), rowsOfPage(query.page)]);
  const pagination = paginate(basePath, query, total);
  const rows = pagination.page === query.page ? asked : await rowsOfPage(pagination.page);
  return { rows, pagination };
}

/** The list's CSV export link: the same search, filters and order, every page. */
export function exportHref(basePath: string, query: ListQuery<string, string>): string {
  return listHref(`${basePath}/export.csv`, query, { page: null, perPage: null });
}

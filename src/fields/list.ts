// The list side of a record's descriptors: its columns, its sort keys and their ORDER BY, the
// search's columns and the row select. All built once, at module load, by the record's fields.ts.
import type { FieldDescriptor, Row } from './descriptor.ts';

type Fields = readonly FieldDescriptor[];
type Dir = 'asc' | 'desc';
type Order = Record<string, unknown>[];

/** What a list needs from the descriptors, built once. */
export function listOf(
  fields: Fields,
  opts: { defaultSort: { key: string; order: (d: Dir) => Order }; extraSorts?: Record<string, (d: Dir) => Order> },
) {
  const columns = fields.filter((f) => f.list);
  const orders: Record<string, (d: Dir) => Order> = {
    [opts.defaultSort.key]: opts.defaultSort.order,
    ...opts.extraSorts,
  };
  for (const f of columns) if (f.list?.sort && !orders[f.list.sort]) orders[f.list.sort] = (d) => sortOrder(f, d);
  const select: Record<string, unknown> = {};
  for (const f of fields) {
    if (!f.list && f.csv === false) continue;
    if (f.reference) select[f.reference.relation] = { select: { id: true, name: true } };
    else select[f.name] = true;
  }
  return {
    /** The descriptors shown as columns, in order. */
    columns,
    /** Every descriptor by name (a column's `sub` names another field). */
    byName: Object.fromEntries(fields.map((f) => [f.name, f])),
    /** The sort keys (`?sort=`), the default first. */
    sorts: Object.keys(orders),
    /** ORDER BY for a sort key, id last so pages never overlap; an unknown key gets the default. */
    order: (key: string, d: Dir) => (orders[key] ?? opts.defaultSort.order)(d),
    /** The columns the search box reads. */
    searchable: fields.filter((f) => f.searchable).map((f) => f.name),
    /** The columns (and related names) the list and the CSV read. */
    select,
  };
}

/**
 * A column's ORDER BY: a blank amount or date sorts last in both directions (NULLS LAST), a choice
 * or a person sorts newest first within a value, and id breaks the remaining ties.
 */
function sortOrder(f: FieldDescriptor, d: Dir): Order {
  if (f.reference) return [{ [f.reference.relation]: { name: d } }, { createdAt: d }, { id: d }];
  if (f.kind === 'money' || f.kind === 'date') return [{ [f.name]: { sort: d, nulls: 'last' } }, { id: d }];
  const then = f.list?.tieBreak ?? (f.kind === 'choice' ? ['createdAt'] : []);
  return [{ [f.name]: d }, ...then.map((n) => ({ [n]: d })), { id: d }];
}

/**
 * A list column that is not a field of the form: a fact the database keeps (a lead's last activity) or a
 * related row, rendered from a cell computed per request (the user's zone, now). views/fields/listHead.ejs
 * and listRows.ejs show these after the descriptors' columns, before Company and Created.
 */
export type ComputedColumn = {
  label: string;
  /** The list's sort key (`?sort=`, declared in listOf's extraSorts); absent: the column does not sort. */
  sort?: string;
  /** Classes of the column's cells (and, without `nowrap`, of its header). */
  cls?: string;
  cell: (row: Row) => ComputedCell;
};

/** One cell: its text ('' shows "—"), linked or a <time>, with a small line under it. */
export type ComputedCell = { text: string; href?: string; time?: Date; sub?: string; subCls?: string };

// The CSV side of a record's descriptors: the columns and each row's cells, in descriptor order.
import type { FieldDescriptor, Row } from './descriptor.ts';

type Fields = readonly FieldDescriptor[];

/**
 * The descriptors' CSV columns for the given flags (an extra column such as "assignee email" shows
 * only when its flag is true). Build it once per request, not per row.
 */
export function csvColumns(fields: Fields, flags: Record<string, boolean>) {
  const columns: string[] = [];
  const cells: ((row: Row) => unknown)[] = [];
  for (const f of fields) {
    if (f.csv === false) continue;
    columns.push(f.csv?.header ?? f.label.toLowerCase());
    cells.push(f.csvValue);
    const extra = f.csv?.extra;
    if (extra && flags[extra.when]) {
      columns.push(extra.header);
      cells.push(extra.value);
    }
  }
  return { columns, cells: (row: Row) => cells.map((cell) => cell(row)) };
}

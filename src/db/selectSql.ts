// A Prisma select, orderBy and (simple) where of one model written as SQL, with rows read back in the shape
// Prisma gives them: for the pages that read through req.sql (src/access/scopedSql.ts says why) from the same
// declarations as their Prisma queries. Only the shapes those declarations use are translated; anything else
// throws, so a declaration that grows a new shape fails its comparison test (tests/db/selectSql.test.ts and each
// list's own) instead of being read wrongly.
import { Prisma } from '../generated/prisma/client.ts';
import { utcInstant } from './utcInstant.ts';

/** A model's table as these statements read it. */
export type TableSql = {
  table: string;
  /** Each relation the statements read: the related table and this table's column that points at it. */
  relations: Record<string, { table: string; key: string }>;
  /** Columns pg would not hand back as Prisma does: times (stored in UTC, without a zone), days and amounts. */
  times: ReadonlySet<string>;
  days: ReadonlySet<string>;
  amounts: ReadonlySet<string>;
  /** Each to-many relation a `where` may filter with `some` (scalar conditions): its table and its column to here. */
  children?: Record<string, { table: TableSql; key: string }>;
};

type Row = Record<string, unknown>;
type Select = Record<string, unknown>;

export const quoted = (name: string) => {
  if (!/^[A-Za-z]+$/.test(name)) throw new Error(`Not a column name: ${name}`);
  return `"${name}"`;
};

/** A column as the statement reads it, named `as`, so that pg's values convert back to Prisma's. */
function column(t: TableSql, alias: string, name: string, as: string): string {
  const ref = `${alias}.${quoted(name)}`;
  const value = t.times.has(name)
    ? `${ref} AT TIME ZONE 'UTC'`
    : t.days.has(name)
      ? `to_char(${ref}, 'YYYY-MM-DD')`
      : t.amounts.has(name)
        ? `${ref}::text`
        : ref;
  return `${value} AS "${as}"`;
}

function prismaValue(t: TableSql, name: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  // A time read back through JSON (a statement asked `together`, src/access/scopedSql.ts) is ISO text with its offset.
  if (typeof v === 'string' && t.times.has(name)) return new Date(v);
  if (t.days.has(name)) return new Date(`${v as string}T00:00:00.000Z`);
  if (t.amounts.has(name)) return new Prisma.Decimal(v as string);
  return v;
}

/** The SELECT list and joins of a Prisma select (scalars, and relations' scalars) on `alias`, and its row reader. */
export function selection(t: TableSql, alias: string, select: Select) {
  const columns: string[] = [];
  const joins: string[] = [];
  const readers: ((r: Row, out: Row) => void)[] = [];
  for (const [name, spec] of Object.entries(select)) {
    if (!spec) continue;
    if (spec === true) {
      columns.push(column(t, alias, name, name));
      readers.push((r, out) => void (out[name] = prismaValue(t, name, r[name])));
      continue;
    }
    const relation = t.relations[name];
    const fields = Object.keys((spec as { select: Select }).select ?? {});
    if (!relation || fields.length === 0) throw new Error(`${t.table}: cannot read the relation ${name} in SQL.`);
    const r = `r${joins.length}`;
    joins.push(`LEFT JOIN ${quoted(relation.table)} ${r} ON ${r}."id" = ${alias}.${quoted(relation.key)}`);
    columns.push(`${alias}.${quoted(relation.key)} AS "${name}$key"`);
    for (const f of fields) columns.push(column(t, r, f, `${name}$${f}`));
    readers.push((row, out) => {
      if (row[`${name}$key`] === null) return void (out[name] = null);
      out[name] = Object.fromEntries(fields.map((f) => [f, prismaValue(t, f, row[`${name}$${f}`])]));
    });
  }
  const read = (r: Row) => {
    const out: Row = {};
    for (const reader of readers) reader(r, out);
    return out;
  };
  return { columns: columns.join(', '), joins: joins.join(' '), read };
}

/** ORDER BY of Prisma's orderBy entries as the lists write them: a column, a column with nulls, a relation's name. */
export function orderSql(t: TableSql, alias: string, order: Record<string, unknown>[]): string {
  return order
    .map((entry) => {
      const [[name, how]] = Object.entries(entry);
      if (how === 'asc' || how === 'desc') return `${alias}.${quoted(name)} ${how.toUpperCase()}`;
      const h = how as { sort?: string; nulls?: string; name?: string };
      if (h.sort && h.nulls) return `${alias}.${quoted(name)} ${h.sort.toUpperCase()} NULLS ${h.nulls.toUpperCase()}`;
      const relation = t.relations[name];
      if (relation && (h.name === 'asc' || h.name === 'desc')) {
        const key = `${alias}.${quoted(relation.key)}`;
        const other = `(SELECT o."name" FROM ${quoted(relation.table)} o WHERE o."id" = ${key})`;
        return `${other} ${h.name.toUpperCase()}`;
      }
      throw new Error(`${t.table}: cannot sort by ${JSON.stringify(entry)} in SQL.`);
    })
    .join(', ');
}

const COMPARISONS: Record<string, string> = { equals: '=', not: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** A bound value, as the column compares with it (instants as the zoneless UTC times the schema stores). */
function bound(t: TableSql, name: string, v: unknown): Prisma.Sql {
  if (v instanceof Date) {
    if (!t.times.has(name)) throw new Error(`${t.table}: ${name} is not a time column.`);
    return utcInstant(v);
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return Prisma.sql`${v}`;
  throw new Error(`${t.table}: cannot compare ${name} with ${JSON.stringify(v)} in SQL.`);
}

/** `{ some: where }` on a to-many relation: an EXISTS over its rows that point at this one. */
function someSql(table: string, alias: string, name: string, child: { table: TableSql; key: string }, value: unknown) {
  const some = (value as { some?: Record<string, unknown> } | null)?.some;
  if (!some || Object.keys(value as object).length !== 1) throw new Error(`${table}: cannot translate ${name} to SQL.`);
  const c = `${alias}x`;
  return Prisma.sql`EXISTS (SELECT 1 FROM ${Prisma.raw(`${quoted(child.table.table)} ${c}`)} WHERE ${Prisma.raw(
    `${c}.${quoted(child.key)} = ${alias}."id"`,
  )} AND ${whereSql(child.table, c, some)})`;
}

/**
 * A Prisma `where` of scalar conditions as SQL on `alias`: equality, null, equals/not/lt/lte/gt/gte and `in`
 * on columns, joined by AND, OR and NOT, and `some` on a to-many relation the table lists (`children`). Other
 * relation filters and text searches are not translated (they throw).
 */
export function whereSql(t: TableSql, alias: string, where: Record<string, unknown>): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      const list = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
      const inner = list.map((w) => whereSql(t, alias, w));
      if (key === 'AND') parts.push(inner.length ? Prisma.sql`(${Prisma.join(inner, ' AND ')})` : Prisma.sql`TRUE`);
      else if (key === 'OR') parts.push(inner.length ? Prisma.sql`(${Prisma.join(inner, ' OR ')})` : Prisma.sql`FALSE`);
      else parts.push(inner.length ? Prisma.sql`NOT (${Prisma.join(inner, ' OR ')})` : Prisma.sql`TRUE`);
      continue;
    }
    const child = t.children?.[key];
    if (child) {
      parts.push(someSql(t.table, alias, key, child, value));
      continue;
    }
    const ref = Prisma.raw(`${alias}.${quoted(key)}`);
    if (value === null) {
      parts.push(Prisma.sql`${ref} IS NULL`);
    } else if (value instanceof Date || typeof value !== 'object') {
      parts.push(Prisma.sql`${ref} = ${bound(t, key, value)}`);
    } else {
      for (const [op, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        if (op === 'in' && Array.isArray(v)) {
          parts.push(
            v.length ? Prisma.sql`${ref} IN (${Prisma.join(v.map((x) => bound(t, key, x)))})` : Prisma.sql`FALSE`,
          );
        } else if (op === 'not' && v === null) {
          parts.push(Prisma.sql`${ref} IS NOT NULL`);
        } else if (COMPARISONS[op] && v !== null && (typeof v !== 'object' || v instanceof Date)) {
          parts.push(Prisma.sql`${ref} ${Prisma.raw(COMPARISONS[op])} ${bound(t, key, v)}`);
        } else {
          throw new Error(`${t.table}: cannot translate ${key}.${op} to SQL.`);
        }
      }
    }
  }
  return parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`;
}

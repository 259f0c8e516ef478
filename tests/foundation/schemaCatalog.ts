// The shape of a database schema — tables with their columns, enums, indexes, foreign keys — read
// two ways: parsed from Prisma migration SQL, and queried from a live database's catalog. The
// migration tests compare the two. The parser knows the statements Prisma writes; any other
// statement fails loudly, so a new kind of migration cannot slip past unchecked.
import pg from 'pg';

export type Column = { type: string; notNull: boolean };
export type Index = { table: string; unique: boolean; columns: string[]; method: string };
export type ForeignKey = {
  table: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: string;
};
export type SchemaShape = {
  tables: Record<string, Record<string, Column>>;
  enums: Record<string, string[]>;
  indexes: Record<string, Index>;
  foreignKeys: Record<string, ForeignKey>;
  extensions: string[];
};

const empty = (): SchemaShape => ({ tables: {}, enums: {}, indexes: {}, foreignKeys: {}, extensions: [] });
const names = (list: string) => [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);

/** Prisma's SQL type → what format_type() prints for it. */
function catalogType(sqlType: string): string {
  const t = sqlType.trim();
  const simple: Record<string, string> = {
    SERIAL: 'integer',
    BIGSERIAL: 'bigint',
    INTEGER: 'integer',
    BIGINT: 'bigint',
    SMALLINT: 'smallint',
    TEXT: 'text',
    BOOLEAN: 'boolean',
    DATE: 'date',
    JSON: 'json',
    JSONB: 'jsonb',
    UUID: 'uuid',
    VARCHAR: 'character varying',
    'DOUBLE PRECISION': 'double precision',
  };
  const array = t.endsWith('[]');
  const base = array ? t.slice(0, -2) : t;
  let out: string | undefined = simple[base];
  let m: RegExpExecArray | null;
  if (!out && (m = /^TIMESTAMP\((\d)\)$/.exec(base))) out = `timestamp(${m[1]}) without time zone`;
  if (!out && (m = /^TIMESTAMPTZ\((\d)\)$/.exec(base))) out = `timestamp(${m[1]}) with time zone`;
  if (!out && (m = /^DECIMAL\((\d+),(\d+)\)$/.exec(base))) out = `numeric(${m[1]},${m[2]})`;
  if (!out && (m = /^VARCHAR\((\d+)\)$/.exec(base))) out = `character varying(${m[1]})`;
  if (!out && /^"[^"]+"$/.test(base)) out = base;
  if (!out) throw new Error(`schemaCatalog does not know the SQL type ${sqlType}: teach catalogType()`);
  return array ? `${out}[]` : out;
}

// An index: its columns (with a covering index's INCLUDE ones, as the catalog lists them). A partial index's
// predicate (written by hand, like Lead_idle_idx's) is not part of the shape: Prisma's schema cannot say it; the
// tests of the query that uses the index check it.
const CREATE_INDEX = /^CREATE (UNIQUE )?INDEX "([^"]+)" ON "([^"]+)"(?: USING (\w+) )?\((.+)\)(?: WHERE [^()]+)?$/;

const ON_DELETE = ['CASCADE', 'RESTRICT', 'SET NULL', 'SET DEFAULT', 'NO ACTION'];

// A foreign key added by a migration: ALTER TABLE "t" ADD CONSTRAINT "name" FOREIGN KEY (...) REFERENCES ...
const FOREIGN_KEY = new RegExp(
  [
    '^ALTER TABLE "([^"]+)" ADD CONSTRAINT "([^"]+)" ',
    String.raw`FOREIGN KEY \((.+?)\) REFERENCES "([^"]+)"\((.+?)\) ON DELETE (.+) ON UPDATE .+$`,
  ].join(''),
);

/** Applies the statements of one migration (in order) to `shape`. */
export function applyMigrationSql(sql: string, shape: SchemaShape = empty()): SchemaShape {
  // A function's $$-quoted body holds semicolons of its own: it is taken out before the split.
  const text = sql
    .split('\n')
    .filter((l) => !/^\s*--/.test(l))
    .join('\n')
    .replace(/\$\$[\s\S]*?\$\$/g, '$$$$');
  const statements = text
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const st of statements) {
    let m: RegExpExecArray | null;
    if (/^CREATE SCHEMA IF NOT EXISTS "public"$/.test(st)) continue;
    // Written by hand, outside Prisma's model (the lead tally's and lead freshness's functions and triggers,
    // backfills, the permission grants of new features): not part of the shape.
    const handWritten = [
      /^CREATE (OR REPLACE )?FUNCTION "[^"]+"\([^)]*\) RETURNS/,
      /^CREATE TRIGGER "[^"]+" (AFTER|BEFORE)/,
      /^INSERT INTO "[^"]+" \(/,
      /^UPDATE "[^"]+" SET/,
      /^CREATE SEQUENCE "[^"]+"$/,
    ];
    if (handWritten.some((r) => r.test(st))) continue;
    if ((m = /^CREATE TYPE "([^"]+)" AS ENUM \(([\s\S]*)\)$/.exec(st))) {
      shape.enums[m[1]] = [...m[2].matchAll(/'([^']*)'/g)].map((v) => v[1]);
    } else if ((m = /^CREATE TABLE "([^"]+)" \(([\s\S]*)\)$/.exec(st))) {
      const table: Record<string, Column> = {};
      for (const line of m[2]
        .split('\n')
        .map((l) => l.trim().replace(/,$/, ''))
        .filter(Boolean)) {
        let c: RegExpExecArray | null;
        if ((c = /^"([^"]+)" (.+?)( NOT NULL)?( DEFAULT .*)?$/.exec(line)))
          table[c[1]] = { type: catalogType(c[2]), notNull: Boolean(c[3]) };
        else if ((c = /^CONSTRAINT "([^"]+)" PRIMARY KEY \((.+)\)$/.exec(line)))
          shape.indexes[c[1]] = { table: m[1], unique: true, columns: names(c[2]), method: 'btree' };
        else throw new Error(`schemaCatalog cannot read this line of CREATE TABLE "${m[1]}": ${line}`);
      }
      shape.tables[m[1]] = table;
    } else if ((m = /^CREATE EXTENSION IF NOT EXISTS "([^"]+)"$/.exec(st))) {
      if (!shape.extensions.includes(m[1])) shape.extensions.push(m[1]);
    } else if ((m = CREATE_INDEX.exec(st))) {
      shape.indexes[m[2]] = {
        table: m[3],
        unique: Boolean(m[1]),
        columns: names(m[5]),
        method: (m[4] ?? 'btree').toLowerCase(),
      };
    } else if ((m = FOREIGN_KEY.exec(st))) {
      if (!ON_DELETE.includes(m[6])) throw new Error(`unknown ON DELETE rule in: ${st}`);
      shape.foreignKeys[m[2]] = {
        table: m[1],
        columns: names(m[3]),
        references: m[4],
        referencedColumns: names(m[5]),
        onDelete: m[6],
      };
    } else if ((m = /^DROP TABLE "([^"]+)"$/.exec(st))) {
      delete shape.tables[m[1]];
      for (const [k, v] of Object.entries(shape.indexes)) if (v.table === m[1]) delete shape.indexes[k];
      for (const [k, v] of Object.entries(shape.foreignKeys)) if (v.table === m[1]) delete shape.foreignKeys[k];
    } else if ((m = /^DROP INDEX "([^"]+)"$/.exec(st))) {
      delete shape.indexes[m[1]];
    } else if ((m = /^DROP TYPE "([^"]+)"$/.exec(st))) {
      delete shape.enums[m[1]];
    } else if ((m = /^ALTER TABLE "([^"]+)" DROP CONSTRAINT "([^"]+)"$/.exec(st))) {
      delete shape.foreignKeys[m[2]];
      delete shape.indexes[m[2]];
    } else if ((m = /^ALTER TABLE "([^"]+)" ((?:ADD|DROP) COLUMN[\s\S]+)$/.exec(st))) {
      for (const part of m[2].split(/,\n\s*/)) {
        let c: RegExpExecArray | null;
        if ((c = /^ADD COLUMN\s+"([^"]+)" (.+?)( NOT NULL)?( DEFAULT .*)?$/.exec(part.trim())))
          shape.tables[m[1]][c[1]] = { type: catalogType(c[2]), notNull: Boolean(c[3]) };
        else if ((c = /^DROP COLUMN\s+"([^"]+)"$/.exec(part.trim()))) delete shape.tables[m[1]][c[1]];
        else throw new Error(`schemaCatalog cannot read: ${part}`);
      }
    } else {
      throw new Error(
        `schemaCatalog does not know this migration statement (teach applyMigrationSql): ${st.slice(0, 200)}`,
      );
    }
  }
  return shape;
}

export function shapeOfMigrations(sqls: string[]): SchemaShape {
  return sqls.reduce((shape, sql) => applyMigrationSql(sql, shape), empty());
}

const DELETE_RULES: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/** The live schema of `public` (without Prisma's own `_prisma_migrations`). */
export async function shapeOfDatabase(url: string): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const shape = empty();
    const cols = await client.query(`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
        a.attnotnull AS not_null
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
        AND a.attnum > 0 AND NOT a.attisdropped`);
    for (const r of cols.rows) (shape.tables[r.table] ??= {})[r.column] = { type: r.type, notNull: r.not_null };
    const enums = await client.query(`
      SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`);
    for (const r of enums.rows) shape.enums[r.name] = r.labels;
    const indexes = await client.query(`
      SELECT i.relname AS name, t.relname AS table, ix.indisunique AS unique, am.amname AS method,
        array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
      FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_am am ON am.oid = i.relam JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`);
    for (const r of indexes.rows)
      shape.indexes[r.name] = { table: r.table, unique: r.unique, columns: r.columns, method: r.method };
    const extensions = await client.query(
      "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname",
    );
    shape.extensions = extensions.rows.map((r) => r.extname);
    const fks = await client.query(`
      SELECT con.conname AS name, t.relname AS table, rt.relname AS references, con.confdeltype AS on_delete,
        array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
        array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)
          AS referenced_columns
      FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class rt ON rt.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND con.contype = 'f'`);
    for (const r of fks.rows) {
      shape.foreignKeys[r.name] = {
        table: r.table,
        columns: r.columns,
        references: r.references,
        referencedColumns: r.referenced_columns,
        onDelete: DELETE_RULES[r.on_delete],
      };
    }
    return shape;
  } finally {
    await client.end();
  }
}

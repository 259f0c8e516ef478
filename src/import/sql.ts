// The import's set-based statements (the job's inserts and updates, the undo's delete and restore), one per batch
// whatever its size. Table and column names come from KINDS (src/import/targets.ts), never from the file; the
// values are bound parameters (one array per column, unnested). Run on the 'import' client (src/import/run.ts).
import type { Prisma } from '../generated/prisma/client.ts';
import { castOf, param } from '../seed/bulk.ts';
import { type ImportKind, KINDS, type SqlType } from './targets.ts';

type Tx = Prisma.TransactionClient;
const q = (name: string) => `"${name}"`;

/** A column's value as the SQL cast of a jsonb text (the undo's previous values). */
const fromJson = (type: SqlType, expr: string) =>
  typeof type === 'object'
    ? `(${expr})::"${type.enum}"`
    : type === 'text'
      ? `COALESCE(${expr}, '')`
      : `(${expr})::${type}`;

export const columnTypes = (kind: ImportKind) => KINDS[kind].types as Record<string, SqlType>;

/**
 * The current values of `columns` of the given rows (with version and updatedAt) as jsonb, locked for the
 * batch's transaction: what an undo puts back.
 */
export async function previousValues(
  tx: Tx,
  kind: ImportKind,
  companyId: number,
  ids: number[],
  columns: string[],
): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const pairs = [...columns, 'version', 'updatedAt'].map((c) => `'${c}', t.${q(c)}`).join(', ');
  const rows = await tx.$queryRawUnsafe<{ id: number; previous: string }[]>(
    `SELECT t.id, jsonb_build_object(${pairs})::text AS previous FROM ${q(KINDS[kind].table)} t ` +
      `WHERE t.id = ANY($1::int[]) AND t."companyId" = $2 FOR UPDATE`,
    ids,
    companyId,
  );
  return new Map(rows.map((r) => [Number(r.id), r.previous]));
}

/** Sets `columns` of each row (by id, in the company) and bumps its version; returns id → new version. */
export async function updateRows(
  tx: Tx,
  kind: ImportKind,
  companyId: number,
  columns: string[],
  rows: { id: number; data: Record<string, unknown> }[],
): Promise<Map<number, number>> {
  if (!rows.length) return new Map();
  const types = columnTypes(kind);
  const arrays = [rows.map((r) => r.id), ...columns.map((c) => rows.map((r) => param(r.data[c], types[c])))];
  const casts = ['int[]', ...columns.map((c) => castOf(types[c]))].map((cast, i) => `$${i + 1}::${cast}`);
  const sets = columns.map((c) => `${q(c)} = v.${q(c)}`).join(', ');
  const sql =
    `UPDATE ${q(KINDS[kind].table)} t SET ${sets}${sets ? ', ' : ''}"version" = t."version" + 1, ` +
    `"updatedAt" = (now() AT TIME ZONE 'UTC') ` +
    `FROM unnest(${casts.join(', ')}) AS v(id, ${columns.map(q).join(', ')}) ` +
    `WHERE t.id = v.id AND t."companyId" = $${arrays.length + 1} RETURNING t.id, t.version`;
  const out = await tx.$queryRawUnsafe<{ id: number; version: number }[]>(
    sql.replace(', )', ')'),
    ...arrays,
    companyId,
  );
  return new Map(out.map((r) => [Number(r.id), Number(r.version)]));
}

export type ImportRowInput = {
  line: number;
  action: 'CREATED' | 'UPDATED' | 'SKIPPED' | 'FAILED';
  recordId?: number | null;
  version?: number | null;
  previous?: string | null;
  reason?: string;
  cells?: string[] | null;
};

/** The batch's outcome rows, in one statement. */
export async function insertImportRows(tx: Tx, importId: number, rows: ImportRowInput[]): Promise<void> {
  if (!rows.length) return;
  await tx.$executeRawUnsafe(
    'INSERT INTO "ImportRow" ("importId", line, action, "recordId", version, previous, reason, cells) ' +
      'SELECT $1, * FROM unnest($2::int[], $3::text[], $4::int[], $5::int[], $6::jsonb[], $7::text[], $8::jsonb[])',
    importId,
    rows.map((r) => r.line),
    rows.map((r) => r.action),
    rows.map((r) => r.recordId ?? null),
    rows.map((r) => r.version ?? null),
    rows.map((r) => r.previous ?? null),
    rows.map((r) => r.reason ?? ''),
    rows.map((r) => (r.cells ? JSON.stringify(r.cells) : null)),
  );
}

/**
 * Rows an undo would overwrite wrongly: an updated record changed (or deleted) since, a created record changed
 * since or now used by other records. At most `limit`, by line.
 */
export async function undoConflicts(
  tx: Tx,
  kind: ImportKind,
  importId: number,
  companyId: number,
  limit: number,
): Promise<{ line: number; recordId: number; why: string }[]> {
  const table = q(KINDS[kind].table);
  const key = kind === 'CUSTOMER' ? '"customerId"' : '"leadId"';
  const users = (
    kind === 'CUSTOMER' ? ['Lead', 'Task', 'Appointment', 'Activity'] : ['Task', 'Appointment', 'Activity']
  )
    .map((t) => `EXISTS (SELECT 1 FROM "${t}" x WHERE x.${key} = r."recordId")`)
    .join(' OR ');
  const rows = await tx.$queryRawUnsafe<{ line: number; recordId: number; why: string }[]>(
    `SELECT r.line, r."recordId", CASE
       WHEN t.id IS NULL THEN 'deleted since'
       WHEN t.version <> r.version THEN 'changed since'
       ELSE 'has related records added since' END AS why
     FROM "ImportRow" r LEFT JOIN ${table} t ON t.id = r."recordId" AND t."companyId" = $2
     WHERE r."importId" = $1 AND (
       (r.action = 'UPDATED' AND (t.id IS NULL OR t.version <> r.version))
       OR (r.action = 'CREATED' AND t.id IS NOT NULL AND (t.version <> r.version OR ${users})))
     ORDER BY r.line LIMIT $3`,
    importId,
    companyId,
    limit,
  );
  return rows.map((r) => ({ line: Number(r.line), recordId: Number(r.recordId), why: r.why }));
}

/** Deletes the rows the import created and puts back the previous values of those it updated. */
export async function revertImport(
  tx: Tx,
  kind: ImportKind,
  importId: number,
  companyId: number,
  columns: string[],
): Promise<{ deleted: number; restored: number }> {
  const table = q(KINDS[kind].table);
  const types = columnTypes(kind);
  const deleted = await tx.$executeRawUnsafe(
    `DELETE FROM ${table} t USING "ImportRow" r WHERE r."importId" = $1 AND r.action = 'CREATED' ` +
      `AND t.id = r."recordId" AND t."companyId" = $2`,
    importId,
    companyId,
  );
  const sets = [
    ...columns.map((c) => `${q(c)} = ${fromJson(types[c], `r.previous->>'${c}'`)}`),
    `"version" = (r.previous->>'version')::int`,
    `"updatedAt" = (r.previous->>'updatedAt')::timestamp(3)`,
  ];
  const restored = await tx.$executeRawUnsafe(
    `UPDATE ${table} t SET ${sets.join(', ')} FROM "ImportRow" r ` +
      `WHERE r."importId" = $1 AND r.action = 'UPDATED' AND t.id = r."recordId" AND t."companyId" = $2`,
    importId,
    companyId,
  );
  return { deleted, restored };
}

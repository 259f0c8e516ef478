// Reads of the import domain, through the request's scoped client (account managers: the company's imports;
// staff: their own).
import type { ScopedClient } from '../access/scope.ts';
import type { ImportKind } from './targets.ts';

/** An import without its stored file (the loader's row: every page of an import reads it). */
export const IMPORT_SELECT = {
  id: true,
  companyId: true,
  userId: true,
  kind: true,
  status: true,
  fileName: true,
  delimiter: true,
  encoding: true,
  headers: true,
  mapping: true,
  duplicates: true,
  totalRows: true,
  processed: true,
  created: true,
  updated: true,
  skipped: true,
  failed: true,
  message: true,
  createdAt: true,
  finishedAt: true,
  undoneAt: true,
  user: { select: { id: true, name: true } },
} as const;

export function findImport(db: ScopedClient, id: number) {
  return db.import.findUnique({ where: { id }, select: IMPORT_SELECT });
}
export type LoadedImport = NonNullable<Awaited<ReturnType<typeof findImport>>>;

/** The stored file, for the preview (only while the import is still being prepared). */
export async function importContent(db: ScopedClient, id: number): Promise<string> {
  const row = await db.import.findUnique({ where: { id }, select: { content: true } });
  return row?.content ?? '';
}

export function recentImports(db: ScopedClient, kind: ImportKind) {
  return db.import.findMany({
    where: { kind },
    select: IMPORT_SELECT,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 20,
  });
}

export function savedMappings(db: ScopedClient, kind: ImportKind) {
  return db.importMapping.findMany({
    where: { kind },
    select: { id: true, name: true, columns: true },
    orderBy: { name: 'asc' },
  });
}

export function failedRows(db: ScopedClient, importId: number) {
  return db.importRow.findMany({
    where: { importId, action: 'FAILED' },
    select: { line: true, reason: true, cells: true },
    orderBy: { line: 'asc' },
  });
}

// Every write of the import domain from a request: the uploaded file kept for its preview, the mapping chosen,
// and the start (the job enqueued in the same transaction, src/jobs/outbox pattern). The rows themselves are
// written by the job (run.ts); the undo is undo.ts.
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import type { AppDeps } from '../deps.ts';
import type { ImportKind } from './targets.ts';

export type NewImport = {
  kind: ImportKind;
  fileName: string;
  content: string;
  delimiter: string;
  encoding: string;
  headers: string[];
  mapping: string[];
  totalRows: number;
};

export function createImport(db: ScopedClient, user: CurrentUser, data: NewImport) {
  return db.import.create({
    data: { ...data, companyId: user.companyId!, userId: user.id, status: 'PREVIEW' },
    select: { id: true },
  });
}

export type Choices = { mapping: string[]; duplicates: string; mappingName: string };

/** Keeps the chosen mapping while the import is prepared; false when it has started meanwhile. */
export async function saveChoices(db: ScopedClient, importId: number, choices: Choices): Promise<boolean> {
  const { count } = await db.import.updateMany({
    where: { id: importId, status: 'PREVIEW' },
    data: { mapping: choices.mapping, duplicates: choices.duplicates },
  });
  return count === 1;
}

/**
 * Starts the import: the choices saved, the mapping saved under its name (replacing one of that name), and the
 * job enqueued in one transaction. False when it had already started (a second click).
 */
export function startImport(
  deps: Pick<AppDeps, 'jobs'>,
  db: ScopedClient,
  user: CurrentUser,
  imp: { id: number; kind: string; headers: string[] },
  choices: Choices,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.import.updateMany({
      where: { id: imp.id, status: 'PREVIEW' },
      data: { mapping: choices.mapping, duplicates: choices.duplicates, status: 'QUEUED' },
    });
    if (count === 0) return false;
    if (choices.mappingName) {
      const columns = Object.fromEntries(imp.headers.map((h, i) => [h.trim().toLowerCase(), choices.mapping[i] ?? '']));
      const existing = await tx.importMapping.findFirst({
        where: { kind: imp.kind, name: choices.mappingName },
        select: { id: true },
      });
      if (existing) await tx.importMapping.update({ where: { id: existing.id }, data: { columns, userId: user.id } });
      else
        await tx.importMapping.create({
          data: { companyId: user.companyId!, userId: user.id, kind: imp.kind, name: choices.mappingName, columns },
        });
    }
    await deps.jobs.enqueue('import', { importId: imp.id }, { tx });
    return true;
  });
}

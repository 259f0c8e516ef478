// Undoing an import as a whole: the records it created are deleted, those it updated get their previous values
// back (with their version and last-change time), in one transaction. A record changed by someone since (its
// version moved), deleted since, or (one it created) now used by other records makes the whole undo refuse,
// naming those rows: half an undo would leave a file neither imported nor not. Set-based statements (sql.ts) on
// the raw client named 'import', with the import's company in each; the route's loader checked the import is
// the user's to see, and the handler that they may undo it.
import type { CurrentUser } from '../access/currentUser.ts';
import { canUndoImportOf } from '../access/policy.ts';
import { recordAudit } from '../audit/record.ts';
import { type Database, unscoped } from '../db/client.ts';
import { updatedColumns } from './run.ts';
import { revertImport, undoConflicts } from './sql.ts';
import type { ImportKind } from './targets.ts';

/** How long an import can be undone. */
export const UNDO_DAYS = 7;
const SHOWN_CONFLICTS = 20;

export type UndoResult =
  | { ok: true; deleted: number; restored: number }
  | { ok: false; reason: string; conflicts: { line: number; recordId: number; why: string }[] };

/** Why this import cannot be undone by this user now, or null. */
export function undoRefusal(
  user: CurrentUser,
  imp: { status: string; userId: number | null; finishedAt: Date | null },
  now = new Date(),
): string | null {
  if (imp.status !== 'DONE' && imp.status !== 'FAILED') return 'Only a finished import can be undone.';
  if (!canUndoImportOf(user, imp)) return 'Only the person who ran the import and account managers can undo it.';
  if (!imp.finishedAt || now.getTime() - imp.finishedAt.getTime() > UNDO_DAYS * 86_400_000)
    return `An import can be undone for ${UNDO_DAYS} days after it ran.`;
  return null;
}

export async function undoImport(db: Database, user: CurrentUser, importId: number): Promise<UndoResult> {
  const raw = unscoped(db, 'import');
  return raw.$transaction(
    async (tx) => {
      // Locked: two undos (or an undo and nothing else) cannot run at once.
      const [imp] = await tx.$queryRawUnsafe<
        {
          kind: ImportKind;
          companyId: number;
          status: string;
          userId: number | null;
          finishedAt: Date | null;
          mapping: string[];
        }[]
      >(
        'SELECT kind, "companyId", status, "userId", "finishedAt", mapping FROM "Import" WHERE id = $1 FOR UPDATE',
        importId,
      );
      const refusal = imp ? undoRefusal(user, imp) : 'This import no longer exists.';
      if (!imp || refusal) return { ok: false, reason: refusal ?? '', conflicts: [] };
      const conflicts = await undoConflicts(tx, imp.kind, importId, imp.companyId, SHOWN_CONFLICTS + 1);
      if (conflicts.length)
        return {
          ok: false,
          reason: 'Nothing was undone: some records were changed after the import.',
          conflicts,
        };
      const { deleted, restored } = await revertImport(
        tx,
        imp.kind,
        importId,
        imp.companyId,
        updatedColumns(imp.mapping),
      );
      await tx.import.update({ where: { id: importId }, data: { status: 'UNDONE', undoneAt: new Date() } });
      await recordAudit(tx, user, {
        action: 'undoImport',
        model: 'Import',
        recordId: importId,
        companyId: imp.companyId,
        changes: { deleted: [null, deleted], restored: [null, restored] },
      });
      return { ok: true, deleted, restored };
    },
    { timeout: 60_000 },
  );
}

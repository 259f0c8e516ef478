// The import job (kind 'import', src/jobs/kinds.ts): reads the stored file, checks each row as the form would
// (src/import/rows.ts), and writes each batch of BATCH rows in one transaction of set-based statements
// (src/import/sql.ts): the new records, the updated ones with their previous values, every row's outcome, and
// the import's counts and progress. A retried job resumes after the last committed batch (`processed`).
// It writes through the raw client, named 'import': raw SQL is refused on a scoped client, so every statement
// names the import's company itself, and the rows come from the importer's checks (their role's form schema).
import { type CurrentUser, loadCurrentUser } from '../access/currentUser.ts';
import { seesOthersRows } from '../access/policy.ts';
import { recordAudit } from '../audit/record.ts';
import { type Database, unscoped } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { bulkInsert, type Column } from '../seed/bulk.ts';
import { type Delimiter, parseCsv } from './decode.ts';
import { findSameSql, matchKeys, matchOf, NO_MATCHES } from './match.ts';
import { type CheckContext, checkRow, errorText, type RowData } from './rows.ts';
import { columnTypes, type ImportRowInput, insertImportRows, previousValues, updateRows } from './sql.ts';
import { ASSIGNEE_EMAIL, type ImportKind, importRefusal, KINDS } from './targets.ts';

/** Rows per transaction: small enough for a short lock, large enough that statements stay few. */
export const BATCH = 2000;

type ImportRecord = Prisma.ImportGetPayload<object>;
type Raw = ReturnType<typeof unscoped>;

/**
 * The columns an update writes: the mapped fields (an assignee email column writes the assignee; a phone column
 * its duplicate-detection key too, src/duplicate/keys.ts).
 */
export function updatedColumns(mapping: string[]): string[] {
  const columns = mapping.filter(Boolean).map((m) => (m === ASSIGNEE_EMAIL ? 'assigneeId' : m));
  if (columns.includes('phone')) columns.push('phoneKey');
  return [...new Set(columns)];
}

/** The company's active users by lower-cased email: whom an assignee column may name. */
type UserReader = {
  user: {
    findMany: (args: {
      where: { companyId: number; active: true };
      select: { id: true; email: true };
    }) => Promise<{ id: number; email: string }[]>;
  };
};
export async function activeUsersByEmail(db: UserReader, companyId: number): Promise<Map<string, number>> {
  const users = await db.user.findMany({ where: { companyId, active: true }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.email.toLowerCase(), u.id]));
}

export async function runImport(db: Database, importId: number): Promise<void> {
  const raw = unscoped(db, 'import');
  const imp = await raw.import.findUnique({ where: { id: importId } });
  if (!imp || (imp.status !== 'QUEUED' && imp.status !== 'RUNNING')) return;
  const kind = imp.kind as ImportKind;
  const user = imp.userId ? await loadCurrentUser(raw, imp.userId) : null;
  const refusal = !user
    ? 'The person who started the import can no longer sign in.'
    : user.companyId !== imp.companyId
      ? 'The person who started the import has left the company.'
      : importRefusal(user, kind);
  const parsed = parseCsv(imp.content, imp.delimiter as Delimiter);
  if (refusal || 'error' in parsed) {
    const message = refusal ?? ('error' in parsed ? parsed.error : '');
    await raw.import.update({ where: { id: importId }, data: { status: 'FAILED', message, finishedAt: new Date() } });
    return;
  }
  const records = parsed.records.slice(1);
  const ctx: CheckContext = {
    user: user!,
    kind,
    mapping: imp.mapping as string[],
    assignees: kind === 'LEAD' ? await activeUsersByEmail(raw, imp.companyId) : new Map(),
  };
  // Emails met earlier in the file: a second row with one is the first one's duplicate (not in "create anyway").
  const seen = new Map<string, number>();
  const emailAt = ctx.mapping.indexOf('email');
  if (emailAt >= 0)
    records.slice(0, imp.processed).forEach((cells, i) => {
      const key = (cells[emailAt] ?? '').trim().toLowerCase();
      if (key && !seen.has(key)) seen.set(key, i + 2);
    });
  await raw.import.update({
    where: { id: importId },
    data: { status: 'RUNNING', startedAt: imp.startedAt ?? new Date(), totalRows: records.length },
  });
  try {
    for (let start = imp.processed; start < records.length; start += BATCH)
      await runBatch(raw, imp, ctx, records, start, seen);
  } catch (err) {
    // Stopped for good rather than retried for an hour behind a page that keeps refreshing: the batches saved so
    // far stay (counted, and undoable), the page says so, and the file can be imported again with "skip".
    const at = (await raw.import.findUnique({ where: { id: importId }, select: { processed: true } }))?.processed ?? 0;
    await raw.import.update({
      where: { id: importId },
      data: {
        status: 'FAILED',
        content: '',
        finishedAt: new Date(),
        message: `the rows from row ${at + 2} on could not be saved.`,
      },
    });
    // Logged by the queue (src/jobs/queue.ts); its retry finds the import FAILED and does nothing.
    throw err;
  }
  await raw.$transaction(async (tx) => {
    const done = await tx.import.update({
      where: { id: importId },
      data: { status: 'DONE', content: '', finishedAt: new Date() },
    });
    await recordAudit(tx, ctx.user, {
      action: 'import',
      model: 'Import',
      recordId: importId,
      companyId: imp.companyId,
      changes: {
        fileName: [null, done.fileName],
        kind: [null, KINDS[kind].plural],
        created: [null, done.created],
        updated: [null, done.updated],
        skipped: [null, done.skipped],
        failed: [null, done.failed],
      },
    });
  });
}

async function runBatch(
  raw: Raw,
  imp: ImportRecord,
  ctx: CheckContext,
  records: string[][],
  start: number,
  seen: Map<string, number>,
): Promise<void> {
  const kind = ctx.kind;
  const noun = KINDS[kind].noun;
  const slice = records.slice(start, start + BATCH);
  const checked = slice.map((cells) => checkRow(ctx, cells));
  const matchMode = imp.duplicates !== 'create';
  const ownOnly = kind === 'LEAD' && !seesOthersRows(ctx.user) ? ctx.user.id : undefined;
  const existing = matchMode
    ? await findSameSql(
        raw,
        kind,
        { companyId: imp.companyId, assigneeId: ownOnly },
        checked.flatMap((c) => (c.ok ? [c] : [])),
      )
    : NO_MATCHES;
  const outcomes: ImportRowInput[] = [];
  const creates: { line: number; data: RowData }[] = [];
  const updates: { line: number; id: number; data: RowData }[] = [];
  checked.forEach((c, i) => {
    const line = start + i + 2;
    if (!c.ok) {
      outcomes.push({ line, action: 'FAILED', reason: errorText(kind, c.errors), cells: slice[i] });
      return;
    }
    const keys = matchKeys(c);
    if (!matchMode || !keys.length) {
      creates.push({ line, data: c.data });
      return;
    }
    const repeated = keys.find((k) => seen.has(k));
    if (repeated !== undefined) {
      const what = repeated.startsWith('e:') ? 'email' : 'phone';
      outcomes.push({ line, action: 'SKIPPED', reason: `Same ${what} as row ${seen.get(repeated)} of this file.` });
      return;
    }
    for (const k of keys) seen.set(k, line);
    const match = matchOf(existing, c);
    if (!match) creates.push({ line, data: c.data });
    else if (imp.duplicates === 'update') updates.push({ line, id: match.id, data: c.data });
    else
      outcomes.push({
        line,
        action: 'SKIPPED',
        recordId: match.id,
        reason: `Same ${match.by} as ${noun} #${match.id}.`,
      });
  });
  const columns = updatedColumns(ctx.mapping);
  await raw.$transaction(
    async (tx) => {
      const ids = await insertRecords(tx, kind, imp.companyId, ctx.user, creates);
      creates.forEach((c, i) => {
        outcomes.push({ line: c.line, action: 'CREATED', recordId: ids[i], version: 1 });
      });
      const ordered = [...updates].sort((a, b) => a.id - b.id); // locks taken in id order
      const previous = await previousValues(
        tx,
        kind,
        imp.companyId,
        ordered.map((u) => u.id),
        columns,
      );
      const versions = await updateRows(tx, kind, imp.companyId, columns, ordered);
      for (const u of updates) {
        const version = versions.get(u.id);
        if (version === undefined)
          outcomes.push({ line: u.line, action: 'SKIPPED', reason: `The ${noun} #${u.id} was deleted meanwhile.` });
        else outcomes.push({ line: u.line, action: 'UPDATED', recordId: u.id, version, previous: previous.get(u.id) });
      }
      outcomes.sort((a, b) => a.line - b.line);
      await insertImportRows(tx, imp.id, outcomes);
      const count = (action: ImportRowInput['action']) => outcomes.filter((o) => o.action === action).length;
      await tx.import.update({
        where: { id: imp.id },
        data: {
          processed: start + slice.length,
          created: { increment: count('CREATED') },
          updated: { increment: count('UPDATED') },
          skipped: { increment: count('SKIPPED') },
          failed: { increment: count('FAILED') },
        },
      });
    },
    { timeout: 60_000 },
  );
}

/** The new records of a batch, in one INSERT; their ids in the rows' order. */
function insertRecords(
  tx: Prisma.TransactionClient,
  kind: ImportKind,
  companyId: number,
  user: CurrentUser,
  rows: { data: RowData }[],
): Promise<number[]> {
  const types = columnTypes(kind);
  const now = new Date();
  const columns: Column<RowData>[] = [
    ['companyId', 'int'],
    ['updatedAt', 'timestamp'],
    ...Object.entries(types).map(([name, type]) => [name, type] as Column<RowData>),
    ...(kind === 'LEAD' ? [['createdById', 'int'] as Column<RowData>] : [['ownerId', 'int'] as Column<RowData>]),
  ];
  const extra = kind === 'LEAD' ? { createdById: user.id } : { ownerId: null };
  const values: RowData[] = rows.map((r) => ({ ...r.data, ...extra, companyId, updatedAt: now }));
  return bulkInsert(tx, KINDS[kind].table, columns, values, true);
}

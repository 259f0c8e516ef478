// The audit trail: who changed what (actor, company, record, time, changed fields). Secrets
// (password hashes, tokens, codes) are never written here.
import type { CurrentUser } from '../access/currentUser.ts';
import type { AuditAction } from './actions.ts';
import type { AuditModel } from './fields.ts';
import { currentVia } from './via.ts';

export type { AuditAction } from './actions.ts';

const SECRET_FIELDS = new Set(['passwordHash', 'password', 'tokenHash', 'codeHash', 'token', 'code']);

type AuditWriter = {
  auditEntry: {
    create: (args: {
      data: {
        companyId: number | null;
        actorId: number | null;
        action: string;
        model: string;
        recordId: string;
        changes: object;
      };
    }) => Promise<unknown>;
  };
};

export type AuditEntryInput = {
  action: AuditAction;
  model: AuditModel;
  recordId: number | string;
  companyId: number | null;
  changes?: Record<string, unknown>;
};

/** Records one change. Pass the transaction client so the entry lands with the change or not at all. */
export function recordAudit(tx: AuditWriter, actor: CurrentUser, entry: AuditEntryInput) {
  const changes: Record<string, unknown> = Object.fromEntries(
    Object.entries(entry.changes ?? {}).filter(([k]) => !SECRET_FIELDS.has(k)),
  );
  // A change made through the API names its token (src/audit/via.ts).
  const via = currentVia();
  if (via) changes.via = via;
  return tx.auditEntry.create({
    data: {
      companyId: entry.companyId,
      actorId: actor.id,
      action: entry.action,
      model: entry.model,
      recordId: String(entry.recordId),
      changes,
    },
  });
}

function comparable(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  // Prisma Decimal: amounts are NUMERIC(12,2), written with their two decimals as forms post them.
  if (v && typeof v === 'object' && 'toFixed' in v) return (v as { toFixed: (n: number) => string }).toFixed(2);
  return v;
}

/**
 * The fields that differ between before and after, as { field: [old, new] }. Only the fields
 * `after` holds are compared: a partial update ({ status, completedAt }) records what it changed,
 * not every other field as cleared. A create passes before = null and the whole new row.
 */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  fields: readonly string[],
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const f of fields) {
    if (SECRET_FIELDS.has(f) || after[f] === undefined) continue;
    const a = comparable(before?.[f] ?? null);
    const b = comparable(after[f] ?? null);
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f] = [a, b];
  }
  return out;
}

/** A deleted record's fields, as { field: [old, null] } (the values it had, none kept blank). */
export function removedFields(
  before: Record<string, unknown>,
  fields: readonly string[],
): Record<string, [unknown, null]> {
  const out: Record<string, [unknown, null]> = {};
  for (const f of fields) {
    if (SECRET_FIELDS.has(f)) continue;
    const a = comparable(before[f] ?? null);
    if (a !== null && a !== '') out[f] = [a, null];
  }
  return out;
}

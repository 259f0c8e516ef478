// The audit trail: who changed what (actor, company, record, time, changed fields). Secrets
// (password hashes, tokens, codes) are never written here.
import type { CurrentUser } from '../access/currentUser.ts';

const SECRET_FIELDS = new Set(['passwordHash', 'password', 'tokenHash', 'codeHash', 'token', 'code']);

type AuditWriter = { auditEntry: { create: (args: { data: { companyId: number | null; actorId: number | null; action: string; model: string; recordId: string; changes: object } }) => Promise<unknown> } };

export type AuditAction = 'create' | 'update' | 'delete' | 'role' | 'groups' | 'deactivate' | 'activate' | 'convert' | 'assign' | string;

/** Records one change. Pass the transaction client so the entry lands with the change or not at all. */
export function recordAudit(
  tx: AuditWriter,
  actor: CurrentUser,
  entry: { action: AuditAction; model: string; recordId: number | string; companyId: number | null; changes?: Record<string, unknown> },
) {
  const changes = Object.fromEntries(Object.entries(entry.changes ?? {}).filter(([k]) => !SECRET_FIELDS.has(k)));
  return tx.auditEntry.create({
    data: { companyId: entry.companyId, actorId: actor.id, action: entry.action, model: entry.model, recordId: String(entry.recordId), changes },
  });
}

function comparable(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object' && 'toFixed' in v) return String(v); // Prisma Decimal
  return v;
}

/** The fields that differ between before and after, as { field: [old, new] }. */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown>, fields: string[]): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const f of fields) {
    if (SECRET_FIELDS.has(f)) continue;
    const a = comparable(before?.[f] ?? null);
    const b = comparable(after[f] ?? null);
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f] = [a, b];
  }
  return out;
}

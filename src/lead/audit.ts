// The lead's audit entries: the lead's id and company filled in, so a write says only what changed.
import type { CurrentUser } from '../access/currentUser.ts';
import { type AuditAction, recordAudit } from '../audit/record.ts';

type AuditWriter = Parameters<typeof recordAudit>[0];

/** Records one change of the lead; pass the transaction client so the entry lands with the change or not at all. */
export function auditLead(
  tx: AuditWriter,
  user: CurrentUser,
  lead: { id: number; companyId: number },
  action: AuditAction,
  changes: Record<string, unknown>,
) {
  return recordAudit(tx, user, { action, model: 'Lead', recordId: lead.id, companyId: lead.companyId, changes });
}

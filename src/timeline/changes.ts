// A lead's or customer's own changes on its timeline, from the audit trail: one statement.
//
// Those who see the audit trail (account managers: their company's; superusers) read the record's
// entries through the scoped client, every entry with its field changes. Staff do not see the trail
// (the scope refuses AuditEntry to them), yet the record's own story — who created it, moved its
// status, reassigned it, converted it, changed its owner — is what they work from. For them, and
// only for a record the route's loader already found in their scope (the function takes the loaded
// row, not an id from the request), the entries are read on the raw client ('record timeline',
// allow-listed in tests/foundation/rawClient.test.ts), narrowed to that record (model, id, company)
// and to those actions; the view then shows them their sentence only, never other field values.
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { seesAuditTrail } from '../audit/history.ts';
import { AUDIT_ENTRY_SELECT, type AuditEntryRow } from '../audit/present.ts';
import { type Database, unscoped } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { TIMELINE_PAGE } from './queries.ts';
import { olderThan, type Cursor } from './query.ts';

export type TimelineModel = 'Lead' | 'Customer';

/**
 * What staff see of a record's changes: the record's creation, reassignment, conversion and detachment
 * (its customer deleted), and the edits that changed the field each model's sentence is about (a lead's
 * status, a customer's owner).
 */
export const STAFF_FIELD: Record<TimelineModel, string> = { Lead: 'status', Customer: 'ownerId' };
const STAFF_ACTIONS = ['create', 'assign', 'convert', 'detach'];

/** A record the route's loader returned (so in the user's scope), never a bare id. */
type LoadedRecord = { id: number; companyId: number };

export async function recordChanges(
  deps: { db: Pick<Database, 'prisma'> },
  scoped: ScopedClient,
  user: CurrentUser,
  model: TimelineModel,
  record: LoadedRecord,
  before: Cursor | null,
): Promise<AuditEntryRow[]> {
  const args = {
    orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
    take: TIMELINE_PAGE + 1,
    select: AUDIT_ENTRY_SELECT,
  };
  const own = { model, recordId: String(record.id), companyId: record.companyId };
  const older = olderThan(before, 'change', 'createdAt', true);
  if (seesAuditTrail(user)) return scoped.auditEntry.findMany({ where: { AND: [own, older] }, ...args });
  const told = {
    OR: [
      { action: { in: STAFF_ACTIONS } },
      { action: 'update', changes: { path: [STAFF_FIELD[model]], not: Prisma.AnyNull } },
    ],
  };
  return unscoped(deps.db, 'record timeline').auditEntry.findMany({ where: { AND: [own, told, older] }, ...args });
}

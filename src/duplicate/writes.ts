// The merge of two customers or two leads (issue 16 item 6), in one transaction: the kept record takes the values
// picked from the other, every row pointing at the other moves to it, the other is removed and its id remembered
// (MergedRecord: its pages redirect to the kept one), and the audit trail says so on both ids. Either both records
// still have the versions the page showed, or nothing is written (409). Account managers and superusers only (the
// route lines; the scope refuses a staff user's MergedRecord write as well).
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient, ScopedTx } from '../access/scope.ts';
import { recordAudit } from '../audit/record.ts';
import { Conflict, NotFound } from '../web/errors.ts';

export type MergeKind = 'customer' | 'lead';
export type MergeSide = { id: number; version: number };

/** Fields a merge lets one pick, per kind (the rest (a lead's status, assignee, history) stays the kept one's). */
export const MERGE_FIELDS = {
  customer: ['name', 'email', 'phone', 'organisation', 'address', 'notes', 'ownerId'],
  lead: [
    'title',
    'contactName',
    'email',
    'phone',
    'organisation',
    'source',
    'estimatedValue',
    'nextStep',
    'expectedCloseDate',
    'customerId',
    'notes',
  ],
} as const satisfies Record<MergeKind, readonly string[]>;

export const MODEL = { customer: 'Customer', lead: 'Lead' } as const;

/** What was moved to the kept record, by kind of row. */
export type Moved = Record<string, number>;

type Row = Record<string, unknown> & { id: number; companyId: number; version: number; phoneKey: string };

async function readBoth(tx: ScopedTx, kind: MergeKind, kept: MergeSide, other: MergeSide) {
  const where = { id: { in: [kept.id, other.id] } };
  const rows = (kind === 'customer'
    ? await tx.customer.findMany({ where })
    : await tx.lead.findMany({ where })) as unknown as Row[];
  const k = rows.find((r) => r.id === kept.id);
  const o = rows.find((r) => r.id === other.id);
  if (!k || !o || k.companyId !== o.companyId) throw new NotFound();
  return { k, o };
}

/** Moves every row pointing at the other customer to the kept one (each bumps its version: an open form is stale). */
async function moveCustomerRows(tx: ScopedTx, from: number, to: number): Promise<Moved> {
  const move = { where: { customerId: from }, data: { customerId: to, version: { increment: 1 } } };
  return {
    leads: (await tx.lead.updateMany(move)).count,
    tasks: (await tx.task.updateMany(move)).count,
    appointments: (await tx.appointment.updateMany(move)).count,
    activities: (await tx.activity.updateMany(move)).count,
  };
}

/** Moves the other lead's tasks, appointments and activities (triggers refresh both leads' freshness). */
async function moveLeadRows(tx: ScopedTx, from: number, to: number): Promise<Moved> {
  const move = { where: { leadId: from }, data: { leadId: to, version: { increment: 1 } } };
  return {
    tasks: (await tx.task.updateMany(move)).count,
    appointments: (await tx.appointment.updateMany(move)).count,
    activities: (await tx.activity.updateMany(move)).count,
  };
}

/**
 * Merges `other` into `kept`, taking the fields named in `fromOther` from the other record. Throws Conflict (409)
 * when either was changed since the page (its version), NotFound when either is gone or out of scope.
 */
export function mergeRecords(
  db: ScopedClient,
  user: CurrentUser,
  kind: MergeKind,
  kept: MergeSide,
  other: MergeSide,
  fromOther: readonly string[],
): Promise<{ id: number; moved: Moved }> {
  const model = MODEL[kind];
  return db.$transaction(async (tx) => {
    const { k, o } = await readBoth(tx, kind, kept, other);
    if (k.version !== kept.version || o.version !== other.version)
      throw new Conflict('One of the two records was changed since this page was shown. Nothing was merged.');
    const picked = (MERGE_FIELDS[kind] as readonly string[]).filter((f) => fromOther.includes(f));
    const data: Record<string, unknown> = Object.fromEntries(picked.map((f) => [f, o[f]]));
    if (picked.includes('phone')) data.phoneKey = o.phoneKey;
    // Both versions are conditions of the writes: a save in between makes them find nothing (and roll back).
    const target = kind === 'customer' ? tx.customer : tx.lead;
    const bump = { version: { increment: 1 } };
    const keptSaved = await (target as typeof tx.customer).updateMany({
      where: { id: k.id, version: kept.version },
      data: { ...data, ...bump },
    });
    const otherLocked = await (target as typeof tx.customer).updateMany({
      where: { id: o.id, version: other.version },
      data: bump,
    });
    if (keptSaved.count === 0 || otherLocked.count === 0)
      throw new Conflict('One of the two records was changed a moment ago. Nothing was merged.');
    const moved = kind === 'customer' ? await moveCustomerRows(tx, o.id, k.id) : await moveLeadRows(tx, o.id, k.id);
    // Earlier merges into the removed record now lead to the kept one.
    await tx.mergedRecord.updateMany({ where: { kind: model, toId: o.id }, data: { toId: k.id } });
    await tx.mergedRecord.create({ data: { kind: model, fromId: o.id, toId: k.id, companyId: k.companyId } });
    if (kind === 'customer') await tx.customer.delete({ where: { id: o.id } });
    else await tx.lead.delete({ where: { id: o.id } });
    const changes = Object.fromEntries(picked.filter((f) => k[f] !== o[f]).map((f) => [f, [k[f], o[f]]]));
    await recordAudit(tx, user, {
      action: 'merge',
      model,
      recordId: k.id,
      companyId: k.companyId,
      changes: { mergedFrom: o.id, mergedName: kind === 'customer' ? o.name : o.title, ...changes, moved },
    });
    await recordAudit(tx, user, {
      action: 'merge',
      model,
      recordId: o.id,
      companyId: k.companyId,
      changes: { mergedInto: k.id },
    });
    return { id: k.id, moved };
  });
}

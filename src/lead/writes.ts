// Every write of the lead domain, each with its audit entry in the same transaction, through the
// request's scoped client (req.db). The handlers (form.ts, actions.ts, convert.ts) parse and check the
// form, then call these.
import type { z } from 'zod';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient, ScopedTx } from '../access/scope.ts';
import { deleteLeadOnlyActivities, moveLeadActivitiesToCustomer } from '../activity/writes.ts';
import { type AuditAction, changedFields, recordAudit } from '../audit/record.ts';
import { CUSTOMER_AUDIT } from '../customer/fields.ts';
import type { customerForms } from '../customer/schema.ts';
import type { LostReason } from '../generated/prisma/client.ts';
import type { Outbox } from '../jobs/outbox.ts';
import { Conflict } from '../web/errors.ts';
import { LEAD_AUDIT, type LeadStatus } from './fields.ts';
import type { LoadedLead } from './queries.ts';
import type { leadForms } from './schema.ts';
import { companyPhoneCountry, phoneCountryOf, phoneKeyOf } from '../duplicate/keys.ts';
import { emitCustomerEvent, emitLeadEvent } from '../webhook/events.ts';

/** The webhook event of a move to `status`, if it closes the deal. */
const closingEvent = (from: string, to: string) =>
  from === to ? null : to === 'WON' ? ('lead.won' as const) : to === 'LOST' ? ('lead.lost' as const) : null;

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

/** An edit's audit entry leaves the assignee to its own "assign" entry. */
const UPDATE_AUDITED = LEAD_AUDIT.names.filter((name) => name !== 'assigneeId');

type LeadCreateData = z.output<ReturnType<typeof leadForms.create>>;
type LeadUpdateData = z.output<ReturnType<typeof leadForms.update>>;
/** The form's fields other than the assignee and customer, which the handler decides per role. */
export type LeadFields = Omit<LeadCreateData, 'assigneeId' | 'customerId'>;
/** An edit's saved fields: the form's, with the assignee and customer the handler decided. */
export type LeadEdit = Omit<LeadUpdateData, 'version' | 'assigneeId' | 'customerId'> & {
  customerId: number | null;
  assigneeId: number;
};

/** Creates the lead in `companyId`, created by `user`; returned with its assignee (for the mail). */
export function createLead(
  db: ScopedClient,
  user: CurrentUser,
  companyId: number,
  fields: LeadFields,
  links: { customerId: number | null; assigneeId: number },
  outbox?: Outbox<{ id: number; title: string; assignee: { id: number; name: string; email: string } }>,
) {
  return db.$transaction(async (tx) => {
    const row = await tx.lead.create({
      data: {
        ...fields,
        phoneKey: phoneKeyOf(fields.phone, await companyPhoneCountry(tx, user, companyId)),
        companyId,
        customerId: links.customerId,
        assigneeId: links.assigneeId,
        createdById: user.id,
      },
      include: { assignee: { select: { id: true, name: true, email: true } } },
    });
    await auditLead(tx, user, row, 'create', changedFields(null, row, LEAD_AUDIT.names));
    await emitLeadEvent(tx, row, 'lead.created');
    await outbox?.(tx, row);
    return row;
  });
}

/**
 * Saves the edit if `version` is still the saved one: false when someone else saved first (409). A new
 * assignee gets its own "assign" entry.
 */
export function updateLead(
  db: ScopedClient,
  user: CurrentUser,
  lead: LoadedLead,
  version: number,
  data: LeadEdit,
  outbox?: Outbox,
) {
  const reassigned = data.assigneeId !== lead.assigneeId;
  return db.$transaction(async (tx) => {
    const { count } = await tx.lead.updateMany({
      where: { id: lead.id, version },
      data: {
        ...data,
        phoneKey: phoneKeyOf(data.phone, phoneCountryOf(lead.company.currency)),
        version: { increment: 1 },
      },
    });
    if (count === 0) return false;
    const changes = changedFields(lead, data, UPDATE_AUDITED);
    if (Object.keys(changes).length) await auditLead(tx, user, lead, 'update', changes);
    if (reassigned) await auditLead(tx, user, lead, 'assign', { assigneeId: [lead.assigneeId, data.assigneeId] });
    if (reassigned) await emitLeadEvent(tx, lead, 'lead.assigned');
    const closing = closingEvent(lead.status, (data as { status?: string }).status ?? lead.status);
    if (closing) await emitLeadEvent(tx, lead, closing);
    await outbox?.(tx);
    return true;
  });
}

/** A status move: the new status, and why a deal was lost (null and '' for any other status). */
export type StatusMove = { status: LeadStatus; lostReason: LostReason | null; lostNote: string };

/**
 * Moves the lead along the pipeline, with the lost reason and note (kept with Lost, cleared otherwise).
 * With `version` only if that is still the saved one (the board and the lost page send it); without, only
 * from the status the page showed. False when the lead changed meanwhile (409). closedAt and furthestStage
 * follow in the database's trigger.
 */
export function changeLeadStatus(
  db: ScopedClient,
  user: CurrentUser,
  lead: LoadedLead,
  move: StatusMove,
  version?: number,
) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.lead.updateMany({
      where: { id: lead.id, convertedAt: null, ...(version === undefined ? { status: lead.status } : { version }) },
      data: { ...move, version: { increment: 1 } },
    });
    if (count === 0) return false;
    await auditLead(tx, user, lead, 'update', changedFields(lead, move, ['status', 'lostReason', 'lostNote']));
    const closing = closingEvent(lead.status, move.status);
    if (closing) await emitLeadEvent(tx, lead, closing);
    return true;
  });
}

/** Hands the lead to `assigneeId` (the handler checked they are an active user of the company). */
export function assignLead(db: ScopedClient, user: CurrentUser, lead: LoadedLead, assigneeId: number, outbox?: Outbox) {
  return db.$transaction(async (tx) => {
    await tx.lead.update({ where: { id: lead.id }, data: { assigneeId, version: { increment: 1 } } });
    await auditLead(tx, user, lead, 'assign', { assigneeId: [lead.assigneeId, assigneeId] });
    if (assigneeId !== lead.assigneeId) await emitLeadEvent(tx, lead, 'lead.assigned');
    await outbox?.(tx);
  });
}

/** Deletes the lead with its activities about it alone (src/activity/writes.ts); the entry keeps what it was. */
export function deleteLead(db: ScopedClient, user: CurrentUser, lead: LoadedLead) {
  return db.$transaction(async (tx) => {
    const activitiesDeleted = await deleteLeadOnlyActivities(tx, lead.id);
    await tx.lead.delete({ where: { id: lead.id } });
    await auditLead(tx, user, lead, 'delete', {
      title: lead.title,
      contactName: lead.contactName,
      status: lead.status,
      assigneeId: lead.assigneeId,
      customerId: lead.customerId,
      ...(activitiesDeleted ? { activitiesDeleted } : {}),
    });
  });
}

/**
 * The lead's tasks and appointments that are about no customer yet follow it to the customer it converts to
 * (their version moves on, so a form open on one answers 409 rather than unlinking it). A nested write on the
 * lead, like its activities' move: whoever may convert the lead moves its follow-ups, whoever they belong to.
 * Returns the counts moved, for the conversion's audit entry.
 */
async function moveLeadFollowUpsToCustomer(tx: ScopedTx, leadId: number, customerId: number) {
  const unlinked = { customerId: null };
  const found = await tx.lead.findUniqueOrThrow({
    where: { id: leadId },
    select: { _count: { select: { tasks: { where: unlinked }, appointments: { where: unlinked } } } },
  });
  const { tasks, appointments } = found._count;
  if (tasks + appointments === 0) return {};
  const moved = { where: unlinked, data: { customerId, version: { increment: 1 } } };
  await tx.lead.update({
    where: { id: leadId },
    data: { tasks: { updateMany: moved }, appointments: { updateMany: moved } },
    select: { id: true },
  });
  return { ...(tasks ? { tasksMoved: tasks } : {}), ...(appointments ? { appointmentsMoved: appointments } : {}) };
}

/** The conversion's target: a new customer (the customer form's data) or an existing one of the company. */
export type ConvertTarget = { newCustomer: z.output<ReturnType<typeof customerForms.create>> } | { existingId: number };

/**
 * Converts the lead (SPEC section 5) in one transaction: the new customer (or the existing one), the lead
 * won and linked to it, its activities and customerless follow-ups moved to it, and the audit entries.
 * A second, concurrent conversion throws Conflict (409) and nothing is written. Returns the customer.
 */
export function convertLead(db: ScopedClient, user: CurrentUser, lead: LoadedLead, to: ConvertTarget) {
  const newCustomer = 'newCustomer' in to ? to.newCustomer : null;
  const existingId = 'existingId' in to ? to.existingId : null;
  return db.$transaction(async (tx) => {
    let target = existingId
      ? await tx.customer.findUniqueOrThrow({ where: { id: existingId }, select: { id: true, name: true } })
      : null;
    if (newCustomer) {
      const phoneKey = phoneKeyOf(newCustomer.phone, phoneCountryOf(lead.company.currency));
      const c = await tx.customer.create({ data: { ...newCustomer, phoneKey, companyId: lead.companyId } });
      await recordAudit(tx, user, {
        action: 'create',
        model: 'Customer',
        recordId: c.id,
        companyId: c.companyId,
        changes: { ...changedFields(null, c, CUSTOMER_AUDIT.names), fromLead: lead.id },
      });
      target = { id: c.id, name: c.name };
    }
    // convertedAt: null in the condition makes a second, concurrent conversion find nothing (and roll back).
    const { count } = await tx.lead.updateMany({
      where: { id: lead.id, convertedAt: null },
      data: { status: 'WON', convertedAt: new Date(), customerId: target!.id, version: { increment: 1 } },
    });
    if (count === 0) throw new Conflict('Someone else converted this lead a moment ago. Nothing was changed.');
    const activitiesMoved = await moveLeadActivitiesToCustomer(tx, lead.id, target!.id);
    const followUps = await moveLeadFollowUpsToCustomer(tx, lead.id, target!.id);
    await auditLead(tx, user, lead, 'convert', {
      status: [lead.status, 'WON'],
      customerId: [lead.customerId, target!.id],
      newCustomer: Boolean(newCustomer),
      ...(activitiesMoved ? { activitiesMoved } : {}),
      ...followUps,
    });
    if (newCustomer) await emitCustomerEvent(tx, { id: target!.id, companyId: lead.companyId }, 'customer.created');
    if (lead.status !== 'WON') await emitLeadEvent(tx, lead, 'lead.won');
    return target!;
  });
}

// Every write of the activity domain, each with its audit entry in the same transaction, through the
// request's scoped client (req.db). The handlers parse and check the form, then call these.
import { TZDate } from '@date-fns/tz';
import type { CurrentUser } from '../access/currentUser.ts';
import { can, describePermission, seesOthersRows } from '../access/policy.ts';
import type { ScopedClient, ScopedTx } from '../access/scope.ts';
import { changedFields, recordAudit, removedFields } from '../audit/record.ts';
import { AUDITED_FIELDS as TASK_AUDITED_FIELDS } from '../task/writes.ts';
import { NotFound } from '../web/errors.ts';
import type { FieldErrors } from '../web/forms.ts';
import { ACTIVITY_AUDIT } from './fields.ts';
import type { ActivityCreateData, ActivityUpdateData } from './schema.ts';

const TASK_FIELDS = [...new Set([...TASK_AUDITED_FIELDS, 'leadId'])];

/** A follow-up task planned from the activity form: due at the end of that day in the user's zone. */
export type FollowUp = { title: string; due: Date; assigneeId: number };

/** Outcome and duration belong to calls: on another kind they are refused (422), not silently dropped. */
export function callOnlyErrors(d: { kind: string; callOutcome: unknown; durationMinutes: unknown }): FieldErrors {
  const errors: FieldErrors = {};
  if (d.kind === 'CALL') return errors;
  if (d.callOutcome !== null) errors.callOutcome = 'Only a call has an outcome: choose "Call" or leave it empty.';
  if (d.durationMinutes !== null)
    errors.durationMinutes = 'Only a call has a duration: choose "Call" or leave it empty.';
  return errors;
}

/**
 * The follow-up task a create plans (the form's and the API's): due that day, titled as asked or after the
 * summary, for the lead's assignee when the user assigns others' work (else the user); task.add is needed.
 */
export function plannedFollowUp(
  user: CurrentUser,
  d: { summary: string; followUpTitle: string | null; followUpDue: Date | null },
  leadAssigneeId: number | null,
): { followUp: FollowUp | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (d.followUpTitle && !d.followUpDue) errors.followUpDue = 'Choose the day the follow-up is due.';
  if (!d.followUpDue) return { followUp: null, errors };
  if (!can(user, 'task.add')) errors.followUpTitle = describePermission('task.add');
  const assigneeId = seesOthersRows(user) && leadAssigneeId ? leadAssigneeId : user.id;
  const title = d.followUpTitle || `Follow up on ${d.summary}`.slice(0, 200);
  return { followUp: { title, due: d.followUpDue, assigneeId }, errors };
}

/** 23:59 of a calendar day (a Date at UTC midnight) in the user's zone: due that day, overdue only after it. */
export function endOfDayIn(day: Date, timeZone: string): Date {
  const d = new TZDate(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 23, 59, 0, timeZone);
  return new Date(d.getTime());
}

/**
 * Logs the activity in `companyId` in the user's name (and, when asked, its follow-up task), with their audit
 * entries, in one transaction: either both are saved or neither.
 */
export function createActivity(
  db: ScopedClient,
  user: CurrentUser,
  companyId: number,
  d: ActivityCreateData & { leadId: number | null; customerId: number | null },
  followUp: FollowUp | null,
) {
  return db.$transaction(async (tx) => {
    const a = await tx.activity.create({
      data: {
        companyId,
        authorId: user.id,
        kind: d.kind,
        summary: d.summary,
        details: d.details,
        occurredAt: d.occurredAt ?? new Date(),
        callOutcome: d.kind === 'CALL' ? d.callOutcome : null,
        durationMinutes: d.kind === 'CALL' ? d.durationMinutes : null,
        leadId: d.leadId,
        customerId: d.customerId,
      },
    });
    await recordAudit(tx, user, {
      action: 'create',
      model: 'Activity',
      recordId: a.id,
      companyId,
      changes: changedFields(null, a, ACTIVITY_AUDIT.names),
    });
    let task: { id: number; title: string } | null = null;
    if (followUp) {
      const t = await tx.task.create({
        data: {
          companyId,
          title: followUp.title,
          description: `Planned from the ${d.kind.toLowerCase()} "${d.summary}".`,
          leadId: d.leadId,
          customerId: d.customerId,
          assigneeId: followUp.assigneeId,
          createdById: user.id,
          dueAt: endOfDayIn(followUp.due, user.timeZone),
          priority: 'NORMAL',
          status: 'OPEN',
        },
      });
      await recordAudit(tx, user, {
        action: 'create',
        model: 'Task',
        recordId: t.id,
        companyId,
        changes: changedFields(null, t, TASK_FIELDS),
      });
      task = { id: t.id, title: t.title };
    }
    return { activity: a, task };
  });
}

/** Saves the edit if `version` is still the saved one; null when someone else saved first (409). */
export function updateActivity(db: ScopedClient, user: CurrentUser, id: number, d: ActivityUpdateData) {
  return db.$transaction(async (tx) => {
    const before = await tx.activity.findUnique({ where: { id } });
    if (!before) throw new NotFound();
    const after = {
      kind: d.kind,
      summary: d.summary,
      details: d.details,
      occurredAt: d.occurredAt ?? before.occurredAt,
      callOutcome: d.kind === 'CALL' ? d.callOutcome : null,
      durationMinutes: d.kind === 'CALL' ? d.durationMinutes : null,
    };
    // The scope's write rule joins this condition: a row the user may not write is not found (count 0).
    const { count } = await tx.activity.updateMany({
      where: { id, version: d.version },
      data: { ...after, version: { increment: 1 } },
    });
    if (count === 0) return null;
    await recordAudit(tx, user, {
      action: 'update',
      model: 'Activity',
      recordId: id,
      companyId: before.companyId,
      changes: changedFields(before, after, ACTIVITY_AUDIT.names),
    });
    return { before, after };
  });
}

/** Deletes the activity with its audit entry; returns what it was about, to go back there. */
export function deleteActivity(db: ScopedClient, user: CurrentUser, id: number) {
  return db.$transaction(async (tx) => {
    const before = await tx.activity.findUnique({ where: { id } });
    if (!before) throw new NotFound();
    await tx.activity.delete({ where: { id } });
    await recordAudit(tx, user, {
      action: 'delete',
      model: 'Activity',
      recordId: id,
      companyId: before.companyId,
      changes: removedFields(before, ACTIVITY_AUDIT.names),
    });
    return before;
  });
}

/**
 * Conversion (src/lead/writes.ts, in its transaction): the lead's activities that have no customer get the
 * lead's new (or linked) customer. A nested write on the lead: whoever may convert the lead moves all of its
 * activities, also those written by others (the scope's Activity write rule would leave a colleague's notes
 * behind). Returns how many moved, for the lead's audit entry.
 */
export async function moveLeadActivitiesToCustomer(tx: ScopedTx, leadId: number, customerId: number): Promise<number> {
  const moving = await tx.activity.count({ where: { leadId, customerId: null } });
  if (moving === 0) return 0;
  await tx.lead.update({
    where: { id: leadId },
    data: { activities: { updateMany: { where: { customerId: null }, data: { customerId } } } },
    select: { id: true },
  });
  return moving;
}

/**
 * Deleting a lead (src/lead/writes.ts, in its transaction): the activities about that lead alone go with it;
 * those also about a customer stay there (the foreign key then clears their lead). A nested write on the lead,
 * as above: whoever may delete the lead deletes its lone activities, whoever wrote them. Returns the count.
 */
export async function deleteLeadOnlyActivities(tx: ScopedTx, leadId: number): Promise<number> {
  const lone = await tx.activity.count({ where: { leadId, customerId: null } });
  if (lone === 0) return 0;
  await tx.lead.update({
    where: { id: leadId },
    data: { activities: { deleteMany: { customerId: null } } },
    select: { id: true },
  });
  return lone;
}

/** Deleting a customer (src/customer/writes.ts, in its transaction): its activities not about a lead go too. */
export async function deleteCustomerOnlyActivities(tx: ScopedTx, customerId: number): Promise<number> {
  const lone = await tx.activity.count({ where: { customerId, leadId: null } });
  if (lone === 0) return 0;
  await tx.customer.update({
    where: { id: customerId },
    data: { activities: { deleteMany: { leadId: null } } },
    select: { id: true },
  });
  return lone;
}

// Every write of the task domain, each with its audit entry in the same transaction, through the
// request's scoped client (req.db). The handlers parse and check the form, then call these.
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient, ScopedTx } from '../access/scope.ts';
import { changedFields, recordAudit, removedFields } from '../audit/record.ts';
import type { Outbox } from '../jobs/outbox.ts';
import { NotFound } from '../web/errors.ts';
import { emitWebhookEvent } from '../webhook/events.ts';
import { presentWebhookTask } from '../webhook/present.ts';
import type { TaskFormData } from './schema.ts';

export const AUDITED_FIELDS = [
  'title',
  'description',
  'customerId',
  'leadId',
  'assigneeId',
  'dueAt',
  'priority',
  'status',
  'reminder',
  'completedAt',
];

/** The audit entry of an edit: the audited fields that changed. */
function auditTaskUpdate(
  tx: Parameters<typeof recordAudit>[0],
  user: CurrentUser,
  before: { id: number; companyId: number } & Record<string, unknown>,
  after: Record<string, unknown>,
) {
  const changes = changedFields(before, after, AUDITED_FIELDS);
  return recordAudit(tx, user, {
    action: 'update',
    model: 'Task',
    recordId: before.id,
    companyId: before.companyId,
    changes,
  });
}

type Before = { status: string; completedAt: Date | null };

/** What a write stores: the form's data, the lead optional (a task planned elsewhere may name none). */
export type TaskInput = Omit<TaskFormData, 'leadId'> & { leadId?: number | null };

/** The webhook event of a task just done, the task as saved (read in the transaction). */
const emitTaskDone = (tx: ScopedTx, task: { id: number; companyId: number }) =>
  emitWebhookEvent(tx, task.companyId, 'task.done', async () =>
    presentWebhookTask(await tx.task.findUniqueOrThrow({ where: { id: task.id } })),
  );

/** When the status moves to or away from done, the completion time follows. */
export function completionFor(status: string, before: Before | null, now: Date): Date | null {
  if (status !== 'DONE') return null;
  return before?.status === 'DONE' ? before.completedAt : now;
}

/** Creates the task in `companyId`, created by `user`. */
export function createTask(
  db: ScopedClient,
  user: CurrentUser,
  companyId: number,
  d: TaskInput,
  assigneeId: number,
  outbox?: Outbox<{ id: number; title: string; assigneeId: number }>,
) {
  return db.$transaction(async (tx) => {
    const t = await tx.task.create({
      data: {
        companyId,
        title: d.title,
        description: d.description,
        customerId: d.customerId,
        leadId: d.leadId ?? null,
        assigneeId,
        createdById: user.id,
        dueAt: d.dueAt,
        priority: d.priority,
        status: d.status,
        reminder: d.reminder,
        completedAt: completionFor(d.status, null, new Date()),
      },
    });
    await recordAudit(tx, user, {
      action: 'create',
      model: 'Task',
      recordId: t.id,
      companyId: t.companyId,
      changes: changedFields(null, t, AUDITED_FIELDS),
    });
    if (t.status === 'DONE') await emitTaskDone(tx, t);
    await outbox?.(tx, t);
    return t;
  });
}

/** Saves the form if `version` is still the saved one; null when someone else saved first (409). */
export function updateTask(
  db: ScopedClient,
  user: CurrentUser,
  id: number,
  d: TaskFormData & { version: number },
  assigneeId: number,
  outbox?: Outbox<{ before: { assigneeId: number }; after: { assigneeId: number } }>,
) {
  return db.$transaction(async (tx) => {
    const before = await tx.task.findUnique({ where: { id } });
    if (!before) throw new NotFound();
    const after = {
      title: d.title,
      description: d.description,
      customerId: d.customerId,
      leadId: d.leadId,
      assigneeId,
      dueAt: d.dueAt,
      priority: d.priority,
      status: d.status,
      reminder: d.reminder,
      completedAt: completionFor(d.status, before, new Date()),
    };
    const { count } = await tx.task.updateMany({
      where: { id, version: d.version },
      data: { ...after, version: { increment: 1 } },
    });
    if (count === 0) return null;
    await auditTaskUpdate(tx, user, before, after);
    if (before.status !== 'DONE' && after.status === 'DONE') await emitTaskDone(tx, before);
    await outbox?.(tx, { before, after });
    return { before, after };
  });
}

/** Deletes the task; returns its title. */
export function deleteTask(db: ScopedClient, user: CurrentUser, id: number) {
  return db.$transaction(async (tx) => {
    const before = await tx.task.findUnique({ where: { id } });
    if (!before) throw new NotFound();
    await tx.task.delete({ where: { id } });
    await recordAudit(tx, user, {
      action: 'delete',
      model: 'Task',
      recordId: id,
      companyId: before.companyId,
      changes: removedFields(before, AUDITED_FIELDS),
    });
    return before.title;
  });
}

/** The quick "Mark done" / "Reopen": done records the completion time, reopening clears it. */
export function setTaskDone(db: ScopedClient, user: CurrentUser, id: number, done: boolean) {
  return db.$transaction(async (tx) => {
    const before = await tx.task.findUnique({ where: { id } });
    if (!before) throw new NotFound();
    if ((before.status === 'DONE') === done) return { title: before.title, changed: false };
    const after = { status: done ? ('DONE' as const) : ('OPEN' as const), completedAt: done ? new Date() : null };
    // The version in the where: an edit saved meanwhile is not overwritten; its newer version wins.
    const { count } = await tx.task.updateMany({
      where: { id, version: before.version },
      data: { ...after, version: { increment: 1 } },
    });
    if (count === 0) return { title: before.title, changed: false };
    await auditTaskUpdate(tx, user, before, after);
    if (done) await emitTaskDone(tx, before);
    return { title: before.title, changed: true };
  });
}

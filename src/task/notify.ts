// Mail about tasks, enqueued in the write's transaction (src/jobs/outbox.ts): sent by the worker once the
// change is committed, retried while the mail server is away, never sent for a change rolled back.
import type { Request } from 'express';
import type { ScopedTx } from '../access/scope.ts';
import type { AppDeps } from '../deps.ts';
import { mailTemplates } from '../mail/templates.ts';

/** Emails the assignee that someone else gave them the task (nothing when they gave it themselves). */
export async function notifyTaskAssignee(
  deps: AppDeps,
  req: Request,
  tx: ScopedTx,
  task: { id: number; title: string; assigneeId: number },
): Promise<void> {
  if (task.assigneeId === req.user!.id) return;
  const assignee = await tx.user.findUnique({ where: { id: task.assigneeId }, select: { email: true } });
  if (!assignee) return;
  const url = `${deps.config.appUrl}/tasks/${task.id}`;
  const message = mailTemplates.assignment(assignee.email, 'Task', task.title, url, req.user!.name);
  await deps.jobs.enqueue('mail', message, { tx });
}

/** An edit's outbox: when the edit gave the task to someone else, the new assignee's mail. */
export async function notifyTaskReassigned(
  deps: AppDeps,
  req: Request,
  tx: ScopedTx,
  task: { id: number; title: string },
  change: { before: { assigneeId: number }; after: { assigneeId: number } },
): Promise<void> {
  if (change.after.assigneeId !== change.before.assigneeId)
    await notifyTaskAssignee(deps, req, tx, { ...task, assigneeId: change.after.assigneeId });
}

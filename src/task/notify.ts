// Mail about tasks, sent after the change is committed: a failure is logged and told to the user
// as a warning, and never undoes the saved change.
import type { Request } from 'express';
import type { AppDeps } from '../deps.ts';
import { mailTemplates } from '../mail/templates.ts';
import { flash } from '../web/flash.ts';

/** Emails the assignee that someone else gave them the task. */
export async function notifyTaskAssignee(
  deps: AppDeps,
  req: Request,
  task: { id: number; title: string },
  assignee: { email: string; name: string },
): Promise<void> {
  const url = `${deps.config.appUrl}/tasks/${task.id}`;
  try {
    await deps.mailer.send(mailTemplates.assignment(assignee.email, 'Task', task.title, url, req.user!.name));
  } catch (err) {
    deps.logger.warn(
      { err: { message: (err as Error).message }, taskId: task.id, requestId: req.id },
      'task assignment mail not sent',
    );
    flash(req, 'warning', `The task was saved, but the email telling ${assignee.name} could not be sent.`);
  }
}

// The assignment mail, enqueued in the write's transaction (src/jobs/outbox.ts): it exists only if the
// change commits, and the worker sends it, retrying while the mail server is away.
import type { Request } from 'express';
import type { ScopedTx } from '../access/scope.ts';
import type { AppDeps } from '../deps.ts';
import { mailTemplates } from '../mail/templates.ts';

export async function mailLeadAssignee(
  deps: AppDeps,
  req: Request,
  tx: ScopedTx,
  lead: { id: number; title: string },
  assignee: { id: number; email: string },
): Promise<void> {
  const actor = req.user!;
  if (assignee.id === actor.id) return; // nobody needs a mail about what they did themselves
  const url = `${deps.config.appUrl}/leads/${lead.id}`;
  await deps.jobs.enqueue('mail', mailTemplates.assignment(assignee.email, 'Lead', lead.title, url, actor.name), {
    tx,
  });
}

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

/** An edit's outbox: when the edit gave the lead to someone else, the new assignee's mail (as the form sends). */
export async function mailLeadReassigned(
  deps: AppDeps,
  req: Request,
  tx: ScopedTx,
  lead: { id: number; title: string },
  assigneeId: number,
): Promise<void> {
  const assignee = await tx.user.findUnique({ where: { id: assigneeId }, select: { id: true, email: true } });
  if (assignee) await mailLeadAssignee(deps, req, tx, lead, assignee);
}

// The assignment mail, sent after the change committed. A mail failure never undoes the change:
// it is logged and the user sees a warning.
import type { Request } from 'express';
import type { AppDeps } from '../deps.ts';
import { mailTemplates } from '../mail/templates.ts';
import { flash } from '../web/flash.ts';

export async function mailLeadAssignee(
  deps: AppDeps,
  req: Request,
  lead: { id: number; title: string },
  assignee: { id: number; name: string; email: string },
): Promise<void> {
  const actor = req.user!;
  if (assignee.id === actor.id) return; // nobody needs a mail about what they did themselves
  const url = `${deps.config.appUrl}/leads/${lead.id}`;
  try {
    await deps.mailer.send(mailTemplates.assignment(assignee.email, 'Lead', lead.title, url, actor.name));
  } catch (err) {
    req.log?.warn(
      { err: { message: (err as Error).message }, leadId: lead.id, assigneeId: assignee.id },
      'lead assignment mail not sent',
    );
    flash(
      req,
      'warning',
      `The change is saved, but the email to ${assignee.name} could not be sent. Please tell them yourself.`,
    );
  }
}

// Mail to attendees (invited, moved, removed, cancelled), enqueued in the write's transaction
// (src/jobs/outbox.ts): the worker sends them once the change commits and retries while the mail
// server is away. Each recipient reads the time in their own time zone. Each mail carries the iCalendar
// invitation (src/calendar/ics.ts): REQUEST for the invited and the moved, CANCEL for the removed and the cancelled.
import type { Request } from 'express';
import type { Role } from '../access/currentUser.ts';
import { roleSeesColleagueEmails } from '../access/policy.ts';
import type { ScopedTx } from '../access/scope.ts';
import { appointmentInvite, type IcsAppointment } from '../calendar/ics.ts';
import type { AppDeps } from '../deps.ts';
import type { MailCalendar, MailMessage } from '../mail/mailer.ts';
import { mailTemplates } from '../mail/templates.ts';
import { dateTimeFormatter, timeRange } from '../web/time.ts';

export type Recipient = { id: number; email: string; name: string; timeZone: string; role: Role };

/** "2026-01-15 09:00–10:00 (Europe/Paris)", or both full dates when it spans days. */
export function whenText(startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${timeRange(startsAt, endsAt, dateTimeFormatter(timeZone))} (${timeZone})`;
}

export type AttendeeChanges = {
  invited: Recipient[];
  moved: Recipient[];
  removed: Recipient[];
  cancelled: Recipient[];
  /** The time before a move: what removed attendees had kept free. */
  previous: { startsAt: Date; endsAt: Date };
};

export async function notifyAttendees(
  deps: AppDeps,
  req: Request,
  tx: ScopedTx,
  appt: IcsAppointment,
  changes: Partial<AttendeeChanges>,
): Promise<void> {
  const actor = req.user!;
  const url = `${deps.config.appUrl}/appointments/${appt.id}`;
  // The sender's bare address stands in for the organiser's in a file for someone who may not see colleagues' emails.
  const senderAddress = /<([^>]+)>/.exec(deps.config.mailFrom)?.[1] ?? deps.config.mailFrom;
  const ics = (method: MailCalendar['method'], to: Recipient, shown = appt, removed?: Recipient): MailCalendar => ({
    method,
    content: appointmentInvite(
      shown,
      deps.config.appUrl,
      method,
      removed,
      // A superuser (no company) is nobody's colleague: their address stays theirs, whoever reads the file.
      roleSeesColleagueEmails(to.role) && appt.organiser?.companyId !== null
        ? undefined
        : { recipient: to, senderAddress },
    ),
    filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
  });
  const messages: MailMessage[] = [];
  // The person who made the change knows about it already.
  const others = (list: Recipient[] | undefined) => (list ?? []).filter((r) => r.id !== actor.id);
  for (const r of others(changes.invited))
    messages.push({
      ...mailTemplates.appointment(
        r.email,
        'invited',
        appt.title,
        whenText(appt.startsAt, appt.endsAt, r.timeZone),
        url,
      ),
      icalEvent: ics('REQUEST', r),
    });
  for (const r of others(changes.moved))
    messages.push({
      ...mailTemplates.appointment(r.email, 'moved', appt.title, whenText(appt.startsAt, appt.endsAt, r.timeZone), url),
      icalEvent: ics('REQUEST', r),
    });
  const was = changes.previous ?? appt;
  for (const r of others(changes.removed))
    messages.push({
      ...mailTemplates.appointmentRemoved(
        r.email,
        appt.title,
        whenText(was.startsAt, was.endsAt, r.timeZone),
        actor.name,
      ),
      icalEvent: ics('CANCEL', r, { ...appt, ...was }, r),
    });
  for (const r of others(changes.cancelled))
    messages.push({
      ...mailTemplates.appointment(
        r.email,
        'cancelled',
        appt.title,
        whenText(appt.startsAt, appt.endsAt, r.timeZone),
        null,
      ),
      icalEvent: ics('CANCEL', r),
    });
  for (const m of messages) await deps.jobs.enqueue('mail', m, { tx });
}

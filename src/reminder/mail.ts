// The reminder mails: a task's due time, an appointment's start, the morning digest. Times are in the
// recipient's zone; every mail ends with a link to the reminder settings on the profile (one click, signed in).
import { whenText } from '../appointment/notify.ts';
import { message } from '../mail/templates.ts';
import type { MyDay } from '../today/queries.ts';
import { dateTimeFormatter, timeRange } from '../web/time.ts';

export const settingsLink = (appUrl: string) => ({
  url: `${appUrl}/profile#reminders`,
  label: 'Change your reminders',
});

type To = { email: string; timeZone: string };

export function taskReminderMail(appUrl: string, to: To, task: { id: number; title: string; dueAt: Date }, now: Date) {
  const due = `${dateTimeFormatter(to.timeZone)(task.dueAt)} (${to.timeZone})`;
  const line =
    task.dueAt > now ? `Your task "${task.title}" is due on ${due}.` : `Your task "${task.title}" is due now (${due}).`;
  return message(
    to.email,
    `Reminder: ${task.title}, due ${due}`,
    [line],
    [{ url: `${appUrl}/tasks/${task.id}`, label: 'Open the task' }, settingsLink(appUrl)],
  );
}

export function appointmentReminderMail(
  appUrl: string,
  to: To,
  appt: { id: number; title: string; startsAt: Date; endsAt: Date; location: string },
) {
  const when = whenText(appt.startsAt, appt.endsAt, to.timeZone);
  return message(
    to.email,
    `Reminder: ${appt.title}, ${when}`,
    [`"${appt.title}" takes place on ${when}.`, ...(appt.location ? [`Where: ${appt.location}`] : [])],
    [{ url: `${appUrl}/appointments/${appt.id}`, label: 'Open the appointment' }, settingsLink(appUrl)],
  );
}

/** Whether a day holds anything to tell: an empty digest is not sent. */
export function dayIsEmpty(day: MyDay): boolean {
  return (
    !day.appointments?.rows.length &&
    !day.tasks?.overdue.length &&
    !day.tasks?.today.length &&
    !day.idleLeads?.rows.length
  );
}

/** The morning digest: today's appointments, tasks due today, overdue tasks, leads with no next step. */
export function digestMail(appUrl: string, to: To, day: MyDay) {
  const at = dateTimeFormatter(to.timeZone);
  const date = at(day.start).slice(0, 10);
  const section = (title: string, items: string[] | undefined, more: boolean | undefined) =>
    items?.length ? ['', `${title}:`, ...items.map((i) => `• ${i}`), ...(more ? ['• … and more in the app'] : [])] : [];
  const lines = [
    `Your day, ${date} (${to.timeZone}).`,
    ...section(
      'Appointments today',
      day.appointments?.rows.map(
        (a) => `${timeRange(a.startsAt, a.endsAt, at)} ${a.title}${a.location ? ` (${a.location})` : ''}`,
      ),
      day.appointments?.more,
    ),
    ...section(
      'Overdue tasks',
      day.tasks?.overdue.map((t) => `${t.title}, due ${at(t.dueAt!)}`),
      day.tasks?.more,
    ),
    ...section(
      'Tasks due today',
      day.tasks?.today.map((t) => `${t.title}, due ${at(t.dueAt!).slice(11)}`),
      day.tasks?.more,
    ),
    ...section(
      'Leads with no next step',
      day.idleLeads?.rows.map((l) => [l.title, l.organisation].filter(Boolean).join(', ')),
      day.idleLeads?.more,
    ),
  ];
  return message(to.email, `Your day: ${date}`, lines, [
    { url: `${appUrl}/today`, label: 'Open My day' },
    settingsLink(appUrl),
  ]);
}

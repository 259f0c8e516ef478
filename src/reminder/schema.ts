// Reminder settings: a task's own reminder (on the task form), each user's defaults and morning digest (on the
// profile). The choices are declared here once; the forms, the pages and the sweep (src/reminder/sweep.ts) read them.
import { z } from 'zod';

export const TASK_REMINDERS = ['NONE', 'AT_DUE', 'DAY_BEFORE'] as const;
export type TaskReminder = (typeof TASK_REMINDERS)[number];
export const TASK_REMINDER_LABELS: Record<TaskReminder, string> = {
  NONE: 'No reminder',
  AT_DUE: 'At the due time',
  DAY_BEFORE: 'One day before',
};

/** Minutes before an appointment; the longest bounds the sweep's range of start times. */
export const APPOINTMENT_REMINDER_MINUTES = [0, 5, 10, 15, 30, 60, 120, 1440] as const;
export const LONGEST_APPOINTMENT_REMINDER_MINUTES = 1440;
export function appointmentReminderLabel(minutes: number | null): string {
  if (minutes === null) return 'No reminder';
  if (minutes === 0) return 'When it starts';
  if (minutes === 1440) return 'One day before';
  return minutes < 60 ? `${minutes} minutes before` : `${minutes / 60} hour${minutes === 60 ? '' : 's'} before`;
}

/** The digest's hours, in the user's own zone. */
export const DIGEST_HOURS = Array.from({ length: 24 }, (_, h) => h);
export const digestHourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** A task form's reminder select: empty means the assignee's default. */
export const taskReminderField = z.preprocess(
  (v) => (v === '' || v === undefined ? null : v),
  z.enum(TASK_REMINDERS, { error: 'Choose a reminder.' }).nullable(),
);

/** Empty text is "none" for the two optional numbers. */
const optionalChoice = (choices: readonly number[], message: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined || v === 'none' ? null : Number(v)),
    z
      .number({ error: message })
      .refine((n) => choices.includes(n), message)
      .nullable(),
  );

/** POST /profile/reminders. */
export const reminderSettingsForm = z.object({
  taskReminder: z.enum(TASK_REMINDERS, { error: 'Choose a task reminder.' }),
  appointmentReminderMinutes: optionalChoice(APPOINTMENT_REMINDER_MINUTES, 'Choose an appointment reminder.'),
  digestHour: optionalChoice(DIGEST_HOURS, 'Choose an hour for the digest.'),
});
export type ReminderSettings = z.output<typeof reminderSettingsForm>;

/** The form's choices, as the select partial takes them. */
export const reminderChoices = {
  taskReminder: TASK_REMINDERS.map((r) => [r, TASK_REMINDER_LABELS[r]]),
  appointmentReminderMinutes: [
    ['none', 'No reminder'],
    ...APPOINTMENT_REMINDER_MINUTES.map((m) => [String(m), appointmentReminderLabel(m)]),
  ],
  digestHour: [['none', 'No digest'], ...DIGEST_HOURS.map((h) => [String(h), digestHourLabel(h)])],
};

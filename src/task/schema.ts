// Task forms and the list's query string (SPEC section 5: title, description, customer, lead, assignee,
// due date, priority, status). Dates are typed in the user's time zone and stored in UTC.
import { z } from 'zod';
import { field, localDateTime } from '../fields/kinds.ts';
import { typedValues } from '../web/forms.ts';
import type { ListSpec } from '../web/list.ts';
import { taskReminderField } from '../reminder/schema.ts';

export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH'] as const;
export const STATUSES = ['OPEN', 'IN_PROGRESS', 'DONE'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type Status = (typeof STATUSES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { LOW: 'Low', NORMAL: 'Normal', HIGH: 'High' };
export const STATUS_LABELS: Record<Status, string> = { OPEN: 'Open', IN_PROGRESS: 'In progress', DONE: 'Done' };

/** The quick views of the list: "mine / overdue / due this week / done". */
export const SHOW_CHOICES = ['mine', 'overdue', 'week', 'done'] as const;
export const SHOW_LABELS: Record<(typeof SHOW_CHOICES)[number], string> = {
  mine: 'Mine',
  overdue: 'Overdue',
  week: 'Due this week',
  done: 'Done',
};

export const taskListSpec: ListSpec<
  'due' | 'priority' | 'status' | 'title' | 'created',
  'show' | 'status' | 'priority' | 'assigneeId' | 'companyId'
> = {
  sorts: ['due', 'priority', 'status', 'title', 'created'],
  defaultSort: 'due',
  defaultDir: 'asc',
  filters: { show: SHOW_CHOICES, status: STATUSES, priority: PRIORITIES, assigneeId: 'id', companyId: 'id' },
};

/** The task form. Assignee and company are read for every role; the handler decides who may set them. */
export function taskForm(timeZone: string) {
  return z.object({
    title: field.text('title', 200),
    description: field.optionalText(5000),
    customerId: field.optionalId('customer'),
    leadId: field.optionalId('lead'),
    assigneeId: field.optionalId('assignee'),
    companyId: field.optionalId('company'),
    dueAt: localDateTime(timeZone, false, 'due date'),
    priority: z.enum(PRIORITIES, { error: 'Choose a priority.' }),
    status: z.enum(STATUSES, { error: 'Choose a status.' }),
    reminder: taskReminderField,
  });
}

export function taskUpdateForm(timeZone: string) {
  return taskForm(timeZone).extend({ version: field.version() });
}

export type TaskFormData = z.output<ReturnType<typeof taskForm>>;

/** The text fields as typed, to put back into a re-rendered form. */
export const TASK_FORM_FIELDS = [
  'title',
  'description',
  'customerId',
  'leadId',
  'assigneeId',
  'companyId',
  'dueAt',
  'priority',
  'status',
  'reminder',
  'version',
  'returnTo',
] as const;

export const typedTaskValues = (body: unknown): Record<string, string> => typedValues(body, TASK_FORM_FIELDS);

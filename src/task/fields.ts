// The task's fields as the API's JSON body names them (src/api/taskWrites.ts, and the OpenAPI document through
// jsonBodySchema): each field's JSON kind and who may set it. The task's forms still list their fields in
// schema.ts; these descriptors carry the form's own zod schemas (taskForm), and the API validates with taskForm
// in the user's time zone, so the two cannot disagree on what is valid.
import { seesOthersRows } from '../access/policy.ts';
import { defineFields } from '../fields/descriptor.ts';
import { TASK_REMINDER_LABELS } from '../reminder/schema.ts';
import { PRIORITY_LABELS, STATUS_LABELS, taskForm } from './schema.ts';

const form = taskForm('UTC').shape;

export const TASK_FIELDS = defineFields([
  { name: 'title', label: 'Title', kind: 'line', schema: form.title, required: true },
  { name: 'description', label: 'Description', kind: 'text', schema: form.description },
  { name: 'customerId', label: 'Customer', kind: 'reference', schema: form.customerId },
  { name: 'leadId', label: 'Lead', kind: 'reference', schema: form.leadId },
  // Staff's tasks are their own: the assignee is set by those who see others' tasks.
  { name: 'assigneeId', label: 'Assignee', kind: 'reference', schema: form.assigneeId, setBy: seesOthersRows },
  {
    name: 'dueAt',
    label: 'Due: an ISO 8601 time with its offset (2026-03-01T09:30:00Z), or local (2026-03-01T09:30) in your zone',
    kind: 'line',
    schema: form.dueAt,
  },
  {
    name: 'priority',
    label: 'Priority',
    kind: 'choice',
    schema: form.priority,
    choices: PRIORITY_LABELS,
    form: { initial: 'NORMAL' },
  },
  {
    name: 'status',
    label: 'Status',
    kind: 'choice',
    schema: form.status,
    choices: STATUS_LABELS,
    form: { initial: 'OPEN' },
  },
  {
    name: 'reminder',
    label: "Reminder (null: the assignee's default)",
    kind: 'choice',
    schema: form.reminder,
    choices: TASK_REMINDER_LABELS,
  },
]);

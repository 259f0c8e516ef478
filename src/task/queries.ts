// The task domain's data access, always through the scoped client (src/access/scope.ts).
import { can, seesOthersRows, spansCompanies } from '../access/policy.ts';
import { TZDate } from '@date-fns/tz';
import { addWeeks, startOfWeek } from 'date-fns';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { pickerState, type PickerState } from '../picker/queries.ts';
import { checkLead, keepHiddenLead } from '../web/followUp.ts';
import { activeCompanyUsers, isActiveCompanyUser, type UserOption } from '../user/options.ts';
import type { ListQuery } from '../web/list.ts';
import { toLocalInput } from '../web/time.ts';
import type { FieldErrors } from '../web/forms.ts';
import type { taskListSpec, TaskFormData } from './schema.ts';

type TaskListQuery = ListQuery<(typeof taskListSpec.sorts)[number], keyof typeof taskListSpec.filters>;

/** Monday 00:00 to next Monday 00:00 of the week containing `now`, in the user's time zone. */
export function weekBounds(now: Date, timeZone: string): { start: Date; end: Date } {
  const start = startOfWeek(new TZDate(now, timeZone), { weekStartsOn: 1 });
  return { start: new Date(start.getTime()), end: new Date(addWeeks(start, 1).getTime()) };
}

export function taskListWhere(user: CurrentUser, query: TaskListQuery, now: Date) {
  const f = query.filters;
  const and: Record<string, unknown>[] = [];
  // The company filter is a superuser's; for everyone else the scope already fixes the company.
  if (spansCompanies(user) && f.companyId) and.push({ companyId: Number(f.companyId) });
  if (f.show === 'mine') and.push({ assigneeId: user.id });
  if (f.show === 'overdue') and.push({ dueAt: { lt: now }, status: { not: 'DONE' } });
  if (f.show === 'week') {
    const { start, end } = weekBounds(now, user.timeZone);
    and.push({ dueAt: { gte: start, lt: end } });
  }
  if (f.show === 'done') and.push({ status: 'DONE' });
  if (f.status) and.push({ status: f.status });
  if (f.priority) and.push({ priority: f.priority });
  if (f.assigneeId && seesOthersRows(user)) and.push({ assigneeId: Number(f.assigneeId) });
  if (query.q) {
    and.push({
      OR: [
        { title: { contains: query.q, mode: 'insensitive' } },
        { description: { contains: query.q, mode: 'insensitive' } },
      ],
    });
  }
  return { AND: and };
}

export function taskOrderBy(query: TaskListQuery) {
  const dir = query.dir;
  const dueAsc = { dueAt: { sort: 'asc' as const, nulls: 'last' as const } };
  switch (query.sort) {
    case 'priority':
      return [{ priority: dir }, dueAsc, { id: dir }];
    case 'status':
      return [{ status: dir }, dueAsc, { id: dir }];
    case 'title':
      return [{ title: dir }, { id: dir }];
    case 'created':
      return [{ createdAt: dir }, { id: dir }];
    default:
      return [{ dueAt: { sort: dir, nulls: 'last' as const } }, { id: dir }];
  }
}

/** What a list row and a CSV line show; relations by select, so a page is a fixed number of queries. */
export const taskListSelect = {
  id: true,
  title: true,
  dueAt: true,
  priority: true,
  status: true,
  completedAt: true,
  createdAt: true,
  companyId: true,
  assignee: { select: { id: true, name: true } },
  customer: { select: { id: true, name: true } },
  // Joined, so not scoped: shown only when seesLead() says the user may see it.
  lead: { select: { id: true, title: true, assigneeId: true } },
  company: { select: { name: true } },
} as const;

export function findTask(scoped: ScopedClient, id: number) {
  return scoped.task.findUnique({
    where: { id },
    include: {
      assignee: { select: { id: true, name: true, email: true, active: true } },
      customer: { select: { id: true, name: true } },
      // Joined, so not scoped: shown only when seesLead() says the user may see it.
      lead: { select: { id: true, title: true, assigneeId: true } },
      createdBy: { select: { id: true, name: true } },
      company: { select: { id: true, name: true } },
    },
  });
}
export type LoadedTask = NonNullable<Awaited<ReturnType<typeof findTask>>>;

/** `leads`: null when the user may not see leads (no lead.view): the form has no lead field then. */
export type TaskFormOptions = { assignees: UserOption[]; customers: PickerState; leads: PickerState | null };

/**
 * The form's choices, only rows in scope: the customer and lead pickers (the chosen row and at most 20 matches
 * of the posted search) and, for those who assign, the company's active users (a deactivated assignee is kept).
 * `savedLeadId`: the task's saved lead, kept as a choice (without its title) when the user may not see it.
 */
export async function taskFormOptions(
  scoped: ScopedClient,
  user: CurrentUser,
  companyId: number,
  keep: {
    assignee?: { id: number; name: string; email: string } | null;
    customerId?: unknown;
    leadId?: unknown;
    savedLeadId?: number | null;
    body?: unknown;
  } = {},
): Promise<TaskFormOptions> {
  const leadField = { field: 'leadId', body: keep.body, chosen: keep.leadId };
  const [assignees, customers, leads] = await Promise.all([
    seesOthersRows(user) ? activeCompanyUsers(scoped, companyId) : Promise.resolve([] as UserOption[]),
    pickerState(scoped, 'customers', companyId, { field: 'customerId', body: keep.body, chosen: keep.customerId }),
    can(user, 'lead.view') ? pickerState(scoped, 'leads', companyId, leadField) : Promise.resolve(null),
  ]);
  if (seesOthersRows(user) && keep.assignee && !assignees.some((a) => a.id === keep.assignee!.id))
    assignees.push(keep.assignee);
  keepHiddenLead(leads, keep.savedLeadId, keep.leadId);
  return { assignees, customers, leads };
}

/**
 * Checks the references a form names against the rows in scope. Returns field errors and the
 * assignee, lead and customer to store. Staff always get themselves (their form has no assignee field).
 */
export async function checkTaskReferences(
  scoped: ScopedClient,
  user: CurrentUser,
  companyId: number,
  data: TaskFormData,
  existing?: { assigneeId: number; customerId: number | null; leadId: number | null },
): Promise<{ errors: FieldErrors; assigneeId: number; leadId: number | null; customerId: number | null }> {
  const errors: FieldErrors = {};
  let assigneeId = user.id;
  if (!seesOthersRows(user)) {
    assigneeId = existing?.assigneeId ?? user.id;
  } else if (data.assigneeId === null) {
    errors.assigneeId = 'Choose an assignee.';
  } else {
    assigneeId = data.assigneeId;
    const unchanged = existing?.assigneeId === assigneeId;
    if (!unchanged && !(await isActiveCompanyUser(scoped, companyId, assigneeId)))
      errors.assigneeId = 'Choose an active user of this company.';
  }
  if (data.customerId !== null && data.customerId !== existing?.customerId) {
    const n = await scoped.customer.count({ where: { id: data.customerId, companyId } });
    if (n !== 1) errors.customerId = 'Choose a customer of this company.';
  }
  const link = await checkLead(scoped, user, companyId, data, existing);
  if (link.error) errors.leadId = link.error;
  return { errors, assigneeId, leadId: link.leadId, customerId: link.customerId };
}

/** The edit form's values: the saved task in the user's time zone, with its version. */
export function savedTaskValues(task: LoadedTask, timeZone: string): Record<string, string> {
  return {
    title: task.title,
    description: task.description,
    customerId: task.customerId ? String(task.customerId) : '',
    leadId: task.leadId ? String(task.leadId) : '',
    assigneeId: String(task.assigneeId),
    companyId: String(task.companyId),
    dueAt: toLocalInput(task.dueAt, timeZone),
    priority: task.priority,
    status: task.status,
    reminder: task.reminder ?? '',
    version: String(task.version),
    returnTo: '',
  };
}

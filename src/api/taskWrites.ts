// The API's task writes: create, partial update (marking done among them: the completion time follows the status)
// and delete, with the task form's own schema (taskForm, times in the user's zone) and reference checks
// (checkTaskReferences: staff's tasks are their own; customer, lead and assignee of the company), and the same
// writes (src/task/writes.ts: the change and its audit entry, naming the token, in one transaction; the new
// assignee's mail enqueued in it).
import type { Request, RequestHandler } from 'express';
import { belongsToCompany, choosesCompany, seesOthersRows } from '../access/policy.ts';
import { changedFields } from '../audit/record.ts';
import { formCompany } from '../company/choices.ts';
import { blankValues } from '../fields/form.ts';
import { jsonFormValues } from '../fields/json.ts';
import { load } from '../loaders.ts';
import { TASK_FIELDS } from '../task/fields.ts';
import { notifyTaskAssignee, notifyTaskReassigned } from '../task/notify.ts';
import { checkTaskReferences, findTask, savedTaskValues } from '../task/queries.ts';
import { taskForm, taskUpdateForm } from '../task/schema.ts';
import { AUDITED_FIELDS, completionFor, createTask, deleteTask, updateTask } from '../task/writes.ts';
import { NotFound } from '../web/errors.ts';
import { parseForm } from '../web/forms.ts';
import { toLocalInput } from '../web/time.ts';
import { apiDeps } from './deps.ts';
import { ApiInvalid } from './problem.ts';
import { presentTask } from './tasks.ts';
import { expectedVersion, sendVersioned, staleVersion } from './version.ts';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The body's values as the task form reads them: an ISO time with its offset becomes the user's local time, for
 * the form's checks; `dueInstant` is that very moment (whole minutes), which is saved: read back from the local
 * time, an hour that occurs twice when the clocks go back would be saved as the other one.
 */
function taskJsonValues(req: Request, start: Record<string, string>, extra: string[]) {
  const user = req.user!;
  const json = jsonFormValues(TASK_FIELDS, user, req.body, start, extra);
  const due = json.values.dueAt;
  let dueInstant: Date | null = null;
  if (due && INSTANT.test(due) && !Number.isNaN(Date.parse(due))) {
    dueInstant = new Date(Math.floor(Date.parse(due) / 60_000) * 60_000);
    json.values.dueAt = toLocalInput(dueInstant, user.timeZone);
  }
  return { ...json, dueInstant };
}

/** POST /api/v1/tasks — staff's tasks are their own; others name the assignee (default: themselves). */
export const createTaskApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const mine = seesOthersRows(user) && belongsToCompany(user) ? String(user.id) : '';
  const start = { ...blankValues(TASK_FIELDS), assigneeId: mine };
  const { values, errors, dueInstant } = taskJsonValues(req, start, ['companyId']);
  const company = await formCompany(req.db, user, (req.body as { companyId?: unknown } | undefined)?.companyId);
  if (!company) errors.companyId = choosesCompany(user) ? 'Name an active company by its id.' : 'Unexpected.';
  const parsed = parseForm(taskForm(user.timeZone), values);
  if (!parsed.ok) Object.assign(errors, parsed.errors);
  const refs = parsed.ok && company ? await checkTaskReferences(req.db, user, company.id, parsed.data) : null;
  if (refs) Object.assign(errors, refs.errors);
  if (Object.keys(errors).length || !parsed.ok || !company || !refs) throw new ApiInvalid(errors);
  const deps = apiDeps(res);
  const links = { leadId: refs.leadId, customerId: refs.customerId, dueAt: dueInstant ?? parsed.data.dueAt };
  const created = await createTask(req.db, user, company.id, { ...parsed.data, ...links }, refs.assigneeId, (tx, t) =>
    notifyTaskAssignee(deps, req, tx, t),
  );
  // Whoever creates a task sees it: staff's tasks are their own, those who assign see the company's.
  const fresh = await findTask(req.db, created.id);
  res.location(`/api/v1/tasks/${created.id}`);
  sendVersioned(res, 201, presentTask(fresh!, user));
};

/** PATCH /api/v1/tasks/:id — the fields sent change, the others keep their saved values. */
export const updateTaskApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const task = load.task.of(req);
  const expected = expectedVersion(req, task.version);
  const { values, errors, dueInstant } = taskJsonValues(req, savedTaskValues(task, user.timeZone), ['version']);
  const parsed = parseForm(taskUpdateForm(user.timeZone), { ...values, version: String(expected.version) });
  if (!parsed.ok) Object.assign(errors, parsed.errors);
  const refs = parsed.ok ? await checkTaskReferences(req.db, user, task.companyId, parsed.data, task) : null;
  if (refs) Object.assign(errors, refs.errors);
  if (Object.keys(errors).length || !parsed.ok || !refs) throw new ApiInvalid(errors);
  if (expected.version !== task.version) throw staleVersion('task', expected);
  // A due time not sent stays exactly as saved (the form's text has no seconds).
  const dueAt = Object.hasOwn(req.body as object, 'dueAt') ? (dueInstant ?? parsed.data.dueAt) : task.dueAt;
  const d = { ...parsed.data, dueAt, leadId: refs.leadId, customerId: refs.customerId };
  const after = { ...d, assigneeId: refs.assigneeId, completedAt: completionFor(d.status, task, new Date()) };
  // Nothing to change: answered as saved, without a new version or an empty audit entry.
  if (!Object.keys(changedFields(task, after, AUDITED_FIELDS)).length)
    return sendVersioned(res, 200, presentTask(task, user));
  const deps = apiDeps(res);
  const saved = await updateTask(req.db, user, task.id, d, refs.assigneeId, (tx, change) =>
    notifyTaskReassigned(deps, req, tx, { id: task.id, title: d.title }, change),
  );
  if (!saved) throw staleVersion('task', expected);
  const fresh = await findTask(req.db, task.id);
  if (!fresh) throw new NotFound();
  sendVersioned(res, 200, presentTask(fresh, user));
};

/** DELETE /api/v1/tasks/:id — as the page deletes it, with its audit entry. */
export const deleteTaskApi: RequestHandler = async (req, res) => {
  await deleteTask(req.db, req.user!, load.task.of(req).id);
  res.status(204).end();
};

// The task form: new, create, edit, update, delete, and the quick "Mark done" / "Reopen" buttons.
// One _form.ejs serves new and edit; the assignee field adapts to the role (staff: none, account
// manager: the company's active users, superuser: after picking the company).
import type { RequestHandler, Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { formCompany, renderCompanyChoice } from '../company/choices.ts';
import { seesOthersRows } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { isPickerSearch } from '../picker/queries.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { followUpPreset, leadLabel, recordReturnPath } from '../web/followUp.ts';
import { optionalQueryId, parseForm, renderInvalid, type FieldErrors } from '../web/forms.ts';
import { formatDateTime } from '../web/time.ts';
import { notifyTaskAssignee, notifyTaskReassigned } from './notify.ts';
import {
  checkTaskReferences,
  findTask,
  savedTaskValues,
  taskFormOptions,
  type LoadedTask,
  type TaskFormOptions,
} from './queries.ts';
import { createTask, deleteTask, setTaskDone, updateTask } from './writes.ts';
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  taskForm,
  taskUpdateForm,
  typedTaskValues,
  type Priority,
  type Status,
} from './schema.ts';
import { reminderChoices } from '../reminder/schema.ts';

/** The newer saved values, shown above the form on a 409. */
function conflictPairs(task: LoadedTask, user: CurrentUser): [string, string][] {
  const timeZone = user.timeZone;
  return [
    ['Title', task.title],
    ['Assignee', task.assignee.name],
    ['Customer', task.customer?.name ?? ''],
    ['Lead', leadLabel(user, task.lead)],
    ['Due', formatDateTime(task.dueAt, timeZone)],
    ['Priority', PRIORITY_LABELS[task.priority as Priority]],
    ['Status', STATUS_LABELS[task.status as Status]],
    ['Description', task.description],
  ];
}

function formLocals(user: CurrentUser, company: { id: number; name: string }, options: TaskFormOptions) {
  return {
    company,
    options,
    chooseAssignee: seesOthersRows(user),
    reminderOptions: reminderChoices.taskReminder,
    fieldErrors: {} as FieldErrors,
  };
}

/** The superuser's first step: which company the new task belongs to. */
const chooseCompany = (res: Response, scoped: ScopedClient, error?: string) =>
  renderCompanyChoice(res, scoped, { action: '/tasks/new', noun: 'task', error });

/** A local address to return to after a quick action: a task list or page, My day (/today, for a colleague's day
 *  ?userId=) or the dashboard; anything else falls back. */
function returnPath(v: unknown, fallback: string): string {
  if (typeof v !== 'string') return fallback;
  return /^\/tasks(\/\d+)?(\?[^\\\s]*)?$/.test(v) || /^\/(today(\?userId=\d{1,10})?|dashboard)$/.test(v) ? v : fallback;
}

export function taskFormHandlers(deps: AppDeps) {
  /**
   * GET /tasks/new — the empty form (a superuser picks the company first). Opened from a record ("Add task"):
   * ?leadId= and ?customerId= preset the lead and customer when the user may see them (else they are ignored),
   * the lead's assignee is proposed to those who assign, and ?returnTo= (that record's page) is kept for after
   * saving.
   */
  const newForm: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const { company, lead, customerId } = await followUpPreset(s, user, req.query);
    if (!company) return chooseCompany(res, s);
    const options = await taskFormOptions(s, user, company.id, { customerId, leadId: lead?.id });
    const values = {
      title: '',
      description: '',
      customerId: customerId ? String(customerId) : '',
      leadId: lead ? String(lead.id) : '',
      assigneeId: seesOthersRows(user) ? (lead ? String(lead.assigneeId) : '') : String(user.id),
      companyId: String(company.id),
      dueAt: '',
      priority: 'NORMAL',
      status: 'OPEN',
      reminder: '',
      version: '',
      returnTo: recordReturnPath(req.query.returnTo) ?? '',
    };
    res.render('task/new', { title: 'New task', values, ...formLocals(user, company, options) });
  };

  /** POST /tasks — creates the task; the assignee is emailed when someone else assigned it. */
  const create: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const values = typedTaskValues(req.body);
    const company = await formCompany(s, user, optionalQueryId(values.companyId));
    if (!company) return chooseCompany(res, s, 'Choose a company.');
    const formOptions = () =>
      taskFormOptions(s, user, company.id, { customerId: values.customerId, leadId: values.leadId, body: req.body });
    if (isPickerSearch(req.body)) {
      return res.render('task/new', { title: 'New task', values, ...formLocals(user, company, await formOptions()) });
    }
    const parsed = parseForm(taskForm(user.timeZone), req.body);
    let errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    let assigneeId = user.id;
    let links = { leadId: null as number | null, customerId: null as number | null };
    if (parsed.ok) {
      const refs = await checkTaskReferences(s, user, company.id, parsed.data);
      errors = refs.errors;
      assigneeId = refs.assigneeId;
      links = { leadId: refs.leadId, customerId: refs.customerId };
    }
    if (!parsed.ok || Object.keys(errors).length) {
      const options = await formOptions();
      return renderInvalid(
        res,
        'task/new',
        { title: 'New task', values, ...formLocals(user, company, options) },
        errors,
      );
    }
    const task = await createTask(s, user, company.id, { ...parsed.data, ...links }, assigneeId, (tx, t) =>
      notifyTaskAssignee(deps, req, tx, t),
    );
    flash(req, 'success', `Task "${task.title}" created.`);
    // Opened from a lead's or customer's page: back to it; any other address is not followed.
    res.redirect(303, recordReturnPath(values.returnTo) ?? `/tasks/${task.id}`);
  };

  /** GET /tasks/:id/edit — the form with the saved values and the version it is based on. */
  const edit: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const task = load.task.of(req);
    const keep = {
      assignee: task.assignee,
      customerId: task.customerId,
      leadId: task.leadId,
      savedLeadId: task.leadId,
    };
    const options = await taskFormOptions(s, user, task.companyId, keep);
    res.render('task/edit', {
      title: `Edit ${task.title}`,
      task,
      values: savedTaskValues(task, user.timeZone),
      ...formLocals(user, task.company, options),
    });
  };

  /** POST /tasks/:id — saves the form if its version is current (else 409 with both versions shown). */
  const update: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const task = load.task.of(req);
    const id = task.id;
    const values = typedTaskValues(req.body);
    const render = async (
      status: number,
      errors: FieldErrors,
      shown: LoadedTask,
      extra: Record<string, unknown> = {},
    ) => {
      const keep = {
        assignee: shown.assignee,
        customerId: values.customerId,
        leadId: values.leadId,
        savedLeadId: shown.leadId,
        body: req.body,
      };
      const options = await taskFormOptions(s, user, shown.companyId, keep);
      res.status(status).render('task/edit', {
        title: `Edit ${shown.title}`,
        task: shown,
        values,
        ...formLocals(user, shown.company, options),
        fieldErrors: errors,
        ...extra,
      });
    };
    if (isPickerSearch(req.body)) return render(200, {}, task);
    const parsed = parseForm(taskUpdateForm(user.timeZone), req.body);
    if (!parsed.ok) return render(422, parsed.errors, task);
    const refs = await checkTaskReferences(s, user, task.companyId, parsed.data, task);
    if (Object.keys(refs.errors).length) return render(422, refs.errors, task);
    const d = { ...parsed.data, leadId: refs.leadId, customerId: refs.customerId };
    const saved = await updateTask(s, user, id, d, refs.assigneeId, (tx, change) =>
      notifyTaskReassigned(deps, req, tx, { id, title: d.title }, change),
    );
    if (!saved) {
      const current = await findTask(s, id);
      if (!current) throw new NotFound();
      values.version = String(current.version);
      return render(409, {}, current, { conflict: conflictPairs(current, user) });
    }
    flash(req, 'success', `Task "${d.title}" saved.`);
    res.redirect(303, `/tasks/${id}`);
  };

  /** GET /tasks/:id/delete — asks before deleting. */
  const confirmDelete: RequestHandler = async (req, res) => {
    const task = load.task.of(req);
    res.render('task/confirm-delete', { title: `Delete ${task.title}`, task });
  };

  /** POST /tasks/:id/delete — deletes the task, with its audit entry. */
  const remove: RequestHandler = async (req, res) => {
    const user = req.user!;
    const { id } = load.task.of(req);
    const title = await deleteTask(req.db, user, id);
    flash(req, 'success', `Task "${title}" deleted.`);
    res.redirect(303, '/tasks');
  };

  /** Sets the status from a quick button: done records the completion time, reopening clears it. */
  const setDone =
    (done: boolean): RequestHandler =>
    async (req, res) => {
      const user = req.user!;
      const { id } = load.task.of(req);
      const outcome = await setTaskDone(req.db, user, id, done);
      if (outcome.changed)
        flash(req, 'success', done ? `Task "${outcome.title}" marked done.` : `Task "${outcome.title}" reopened.`);
      else
        flash(
          req,
          'info',
          done ? `Task "${outcome.title}" was already done.` : `Task "${outcome.title}" was already open.`,
        );
      res.redirect(303, returnPath(req.body?.returnTo, `/tasks/${id}`));
    };

  return { newForm, create, edit, update, confirmDelete, remove, markDone: setDone(true), reopen: setDone(false) };
}

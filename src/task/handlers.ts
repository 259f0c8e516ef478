// Task list, CSV export, detail, delete, and the quick "Mark done" / "Reopen" buttons.
import type { RequestHandler } from 'express';
import { changedFields, recordAudit, removedFields } from '../audit/record.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { activeCompanyUsers, type UserOption } from '../user/options.ts';
import { NotFound } from '../web/errors.ts';
import { flash, redirectAfterSave } from '../web/flash.ts';
import { companyFilterOptions } from '../company/choices.ts';
import { CSV_MAX_ROWS, exportHref, fetchListPage, listHref, pageWindow, parseListQuery, sendCsv, sortLink } from '../web/list.ts';
import { AUDITED_FIELDS, seesOthersTasks, taskListSelect, taskListWhere, taskOrderBy } from './queries.ts';
import { PRIORITIES, PRIORITY_LABELS, SHOW_CHOICES, SHOW_LABELS, STATUSES, STATUS_LABELS, taskListSpec } from './schema.ts';

const BASE = '/tasks';

/** A list address to return to after a quick action; anything but a task page falls back to the list. */
function returnPath(v: unknown, fallback: string): string {
  return typeof v === 'string' && /^\/tasks(\/\d+)?(\?[^\\\s]*)?$/.test(v) ? v : fallback;
}

export function taskHandlers(deps: AppDeps) {

  /** GET /tasks — search, quick views, filters, sort and pages over the tasks in scope. */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const query = parseListQuery(req.query, taskListSpec);
    const now = new Date();
    const where = taskListWhere(user, query, now);
    const { rows: tasks, pagination } = await fetchListPage(BASE, query, () => s.task.count({ where }),
      (page) => s.task.findMany({ where, select: taskListSelect, orderBy: taskOrderBy(query), ...pageWindow({ ...query, page }) }));
    // Filter choices: assignees of the company (account managers; superusers once a company is chosen).
    const filterCompanyId = user.role === 'SUPERUSER' ? (query.filters.companyId ? Number(query.filters.companyId) : null) : user.companyId;
    let assignees: UserOption[] = [];
    let companies: { id: number; name: string }[] = [];
    if (seesOthersTasks(user) && filterCompanyId) assignees = await activeCompanyUsers(s, filterCompanyId);
    if (user.role === 'SUPERUSER') companies = await companyFilterOptions(s);
    res.render('task/index', {
      title: 'Tasks', tasks, query, now, assignees, companies, showCompany: user.role === 'SUPERUSER', seesOthers: seesOthersTasks(user),
      pagination,
      sort: Object.fromEntries(taskListSpec.sorts.map((c) => [c, sortLink(BASE, query, c)])),
      exportHref: exportHref(BASE, query),
      clearHref: BASE,
      returnTo: listHref(BASE, query),
      choices: { show: SHOW_CHOICES.map((v) => [v, SHOW_LABELS[v]]), status: STATUSES.map((v) => [v, STATUS_LABELS[v]]), priority: PRIORITIES.map((v) => [v, PRIORITY_LABELS[v]]) },
      labels: { status: STATUS_LABELS, priority: PRIORITY_LABELS },
    });
  };

  /** GET /tasks/export.csv — exactly the filtered rows of the list (all pages), times in the user's zone. */
  const exportCsv: RequestHandler = async (req, res) => {
    const user = req.user!;
    const query = parseListQuery(req.query, taskListSpec);
    const tasks = await req.db.task.findMany({
      where: taskListWhere(user, query, new Date()), select: taskListSelect, orderBy: taskOrderBy(query), take: CSV_MAX_ROWS,
    });
    const superuser = user.role === 'SUPERUSER';
    sendCsv(res, {
      filename: 'tasks.csv', timeZone: user.timeZone,
      columns: ['id', 'title', 'status', 'priority', { time: 'due' }, 'assignee', 'customer', { time: 'completed' }, { time: 'created' },
        ...(superuser ? ['company'] : [])],
      rows: tasks.map((t) => [t.id, t.title, STATUS_LABELS[t.status], PRIORITY_LABELS[t.priority], t.dueAt, t.assignee.name,
        t.customer?.name, t.completedAt, t.createdAt, ...(superuser ? [t.company.name] : [])]),
    });
  };

  /** GET /tasks/:id — the task with its customer, assignee and actions. */
  const show: RequestHandler = async (req, res) => {
    const task = load.task.of(req);
    res.render('task/show', { title: task.title, task, now: new Date(), labels: { status: STATUS_LABELS, priority: PRIORITY_LABELS } });
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
    const title = await req.db.$transaction(async (tx) => {
      const before = await tx.task.findUnique({ where: { id } });
      if (!before) throw new NotFound();
      await tx.task.delete({ where: { id } });
      await recordAudit(tx, user, { action: 'delete', model: 'Task', recordId: id, companyId: before.companyId, changes: removedFields(before, AUDITED_FIELDS) });
      return before.title;
    });
    flash(req, 'success', `Task "${title}" deleted.`);
    await redirectAfterSave(req, res, BASE);
  };

  /** Sets the status from a quick button: done records the completion time, reopening clears it. */
  const setDone = (done: boolean): RequestHandler => async (req, res) => {
    const user = req.user!;
    const { id } = load.task.of(req);
    const outcome = await req.db.$transaction(async (tx) => {
      const before = await tx.task.findUnique({ where: { id } });
      if (!before) throw new NotFound();
      if ((before.status === 'DONE') === done) return { title: before.title, changed: false };
      const after = { status: done ? 'DONE' as const : 'OPEN' as const, completedAt: done ? new Date() : null };
      // The version in the where: an edit saved meanwhile is not overwritten; its newer version wins.
      const { count } = await tx.task.updateMany({ where: { id, version: before.version }, data: { ...after, version: { increment: 1 } } });
      if (count === 0) return { title: before.title, changed: false };
      await recordAudit(tx, user, { action: 'update', model: 'Task', recordId: id, companyId: before.companyId, changes: changedFields(before, after, AUDITED_FIELDS) });
      return { title: before.title, changed: true };
    });
    if (outcome.changed) flash(req, 'success', done ? `Task "${outcome.title}" marked done.` : `Task "${outcome.title}" reopened.`);
    else flash(req, 'info', done ? `Task "${outcome.title}" was already done.` : `Task "${outcome.title}" was already open.`);
    await redirectAfterSave(req, res, returnPath(req.body?.returnTo, `${BASE}/${id}`));
  };

  return { list, exportCsv, show, confirmDelete, remove, markDone: setDone(true), reopen: setDone(false) };
}

// Task list, CSV export and detail.
import { TASK_REMINDER_LABELS } from '../reminder/schema.ts';
import { seesOthersRows, spansCompanies } from '../access/policy.ts';
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { CSV_MAX_ROWS, exportHref, fetchListPage, listHref, parseListQuery, sendCsv } from '../web/list.ts';
import { HIDDEN_LEAD, leadLabel, shownLead } from '../web/followUp.ts';
import { peopleAndCompanyFilters, sortLinks } from '../web/listFilters.ts';
import { taskListReaders } from './listSql.ts';
import { taskListSelect, taskListWhere, taskOrderBy } from './queries.ts';
import {
  PRIORITIES,
  PRIORITY_LABELS,
  SHOW_CHOICES,
  SHOW_LABELS,
  STATUSES,
  STATUS_LABELS,
  taskListSpec,
} from './schema.ts';

const BASE = '/tasks';

export function taskHandlers(deps: AppDeps) {
  /** GET /tasks — search, quick views, filters, sort and pages over the tasks in scope. */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const query = parseListQuery(req.query, taskListSpec);
    const now = new Date();
    const where = taskListWhere(user, query, now);
    const read = taskListReaders(req.sql, s, where, query);
    // The page and the filter choices (assignees of the company for account managers, and for superusers once a
    // company is chosen) side by side.
    const [{ rows, pagination }, { people: assignees, companies }] = await Promise.all([
      fetchListPage(BASE, query, read.count, read.page),
      peopleAndCompanyFilters(req, deps.db, user, query),
    ]);
    // A row's lead only if the user may see it (a staff user's task may point at a colleague's lead).
    const tasks = rows.map((t) => ({ ...t, lead: shownLead(user, t.lead) }));
    res.render('task/index', {
      title: 'Tasks',
      tasks,
      query,
      now,
      assignees,
      companies,
      showCompany: spansCompanies(user),
      seesOthers: seesOthersRows(user),
      pagination,
      sort: sortLinks(BASE, query, taskListSpec.sorts),
      exportHref: exportHref(BASE, query),
      clearHref: BASE,
      returnTo: listHref(BASE, query),
      choices: {
        show: SHOW_CHOICES.map((v) => [v, SHOW_LABELS[v]]),
        status: STATUSES.map((v) => [v, STATUS_LABELS[v]]),
        priority: PRIORITIES.map((v) => [v, PRIORITY_LABELS[v]]),
      },
      labels: { status: STATUS_LABELS, priority: PRIORITY_LABELS, reminder: TASK_REMINDER_LABELS },
    });
  };

  /** GET /tasks/export.csv — exactly the filtered rows of the list (all pages), times in the user's zone. */
  const exportCsv: RequestHandler = async (req, res) => {
    const user = req.user!;
    const query = parseListQuery(req.query, taskListSpec);
    const tasks = await req.db.task.findMany({
      where: taskListWhere(user, query, new Date()),
      select: taskListSelect,
      orderBy: taskOrderBy(query),
      take: CSV_MAX_ROWS,
    });
    const superuser = spansCompanies(user);
    sendCsv(res, {
      filename: 'tasks.csv',
      timeZone: user.timeZone,
      columns: [
        'id',
        'title',
        'status',
        'priority',
        { time: 'due' },
        'assignee',
        'customer',
        'lead',
        { time: 'completed' },
        { time: 'created' },
        ...(superuser ? ['company'] : []),
      ],
      rows: tasks.map((t) => [
        t.id,
        t.title,
        STATUS_LABELS[t.status],
        PRIORITY_LABELS[t.priority],
        t.dueAt,
        t.assignee.name,
        t.customer?.name,
        leadLabel(user, t.lead),
        t.completedAt,
        t.createdAt,
        ...(superuser ? [t.company.name] : []),
      ]),
    });
  };

  /** GET /tasks/:id — the task with its customer, lead (if the user may see it), assignee and actions. */
  const show: RequestHandler = async (req, res) => {
    const task = load.task.of(req);
    res.render('task/show', {
      title: task.title,
      task,
      lead: shownLead(req.user!, task.lead),
      // A lead the user may not see (a colleague's, for staff): said, never named.
      hiddenLead: task.lead && !shownLead(req.user!, task.lead) ? HIDDEN_LEAD : null,
      now: new Date(),
      labels: { status: STATUS_LABELS, priority: PRIORITY_LABELS, reminder: TASK_REMINDER_LABELS },
    });
  };

  return { list, exportCsv, show };
}

// The API's tasks: the list (the task page's quick views, filters, search and sorts: src/task/queries.ts) and one
// task, through the request's scoped client: staff get the tasks assigned to them, as on the pages. A task's lead
// is named only to those who may see it (a staff user's task may point at a colleague's lead). Writes:
// src/api/taskWrites.ts.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { CurrentUser } from '../access/currentUser.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { load } from '../loaders.ts';
import { TASK_REMINDERS } from '../reminder/schema.ts';
import { taskListWhere, taskOrderBy } from '../task/queries.ts';
import { PRIORITIES, STATUSES, taskListSpec } from '../task/schema.ts';
import { shownLead } from '../web/followUp.ts';
import { refSchema, timeSchema } from './doc.ts';
import { apiPage, apiWindow, parseApiListQuery } from './list.ts';

/** A task as the API shows it (the loader's row, findTask, has every field of it too). */
export const TASK_API_SELECT = {
  id: true,
  companyId: true,
  title: true,
  description: true,
  assignee: { select: { id: true, name: true } },
  customer: { select: { id: true, name: true } },
  // Joined, so not scoped: named only when shownLead says the user may see it.
  lead: { select: { id: true, title: true, assigneeId: true } },
  dueAt: true,
  priority: true,
  status: true,
  reminder: true,
  completedAt: true,
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

type ApiTask = Prisma.TaskGetPayload<{ select: typeof TASK_API_SELECT }>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A task as the API answers it (the OpenAPI document's schema; the tests validate every answer with it). */
export const taskApiSchema = z.object({
  id: z.int(),
  companyId: z.int(),
  title: z.string(),
  description: z.string(),
  assignee: refSchema,
  customer: refSchema.nullable(),
  lead: z.object({ id: z.int(), title: z.string().nullable().describe('null: a lead you cannot see.') }).nullable(),
  dueAt: timeSchema.nullable(),
  priority: z.enum(PRIORITIES),
  status: z.enum(STATUSES),
  reminder: z.enum(TASK_REMINDERS).nullable().describe("null: the assignee's default."),
  completedAt: timeSchema.nullable(),
  version: z.int(),
  createdAt: timeSchema,
  updatedAt: timeSchema,
});

export const presentTask = (t: ApiTask, user: CurrentUser): z.infer<typeof taskApiSchema> => ({
  id: t.id,
  companyId: t.companyId,
  title: t.title,
  description: t.description,
  assignee: { id: t.assignee.id, name: t.assignee.name },
  customer: t.customer ? { id: t.customer.id, name: t.customer.name } : null,
  lead: t.lead ? { id: t.lead.id, title: shownLead(user, t.lead)?.title ?? null } : null,
  dueAt: iso(t.dueAt),
  priority: t.priority,
  status: t.status,
  reminder: t.reminder,
  completedAt: iso(t.completedAt),
  version: t.version,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

/** GET /api/v1/tasks — `q`, `show` (mine, overdue, week, done), `status`, `priority`, `assigneeId`, sorts, paging. */
export const listTasks: RequestHandler = async (req, res) => {
  const user = req.user!;
  const query = parseApiListQuery(req, taskListSpec);
  const rows = await req.db.task.findMany({
    where: taskListWhere(user, query, new Date()),
    select: TASK_API_SELECT,
    orderBy: taskOrderBy(query),
    ...apiWindow(query),
  });
  res.json(
    apiPage(
      query,
      rows.map((t) => presentTask(t, user)),
    ),
  );
};

/** GET /api/v1/tasks/:id — its version is the ETag. */
export const showTask: RequestHandler = (req, res) => {
  const task = load.task.of(req);
  res.set('ETag', `"${task.version}"`).json(presentTask(task, req.user!));
};

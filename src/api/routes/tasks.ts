import { TASK_FIELDS } from '../../task/fields.ts';
import { createTaskApi, deleteTaskApi, updateTaskApi } from '../taskWrites.ts';
import { jsonBodySchema } from '../doc.ts';
import { listTasks, showTask, taskApiSchema } from '../tasks.ts';
import { load } from '../../loaders.ts';
import { z } from 'zod';
import { listQueryOf } from '../listQuery.ts';
import { taskListSpec } from '../../task/schema.ts';
import { apiRoute, type ApiRouteDef } from '../route.ts';

export const tasksRoutes: ApiRouteDef[] = [
  apiRoute(
    'get',
    '/v1/tasks',
    'task.view',
    { summary: 'List tasks', query: listQueryOf(taskListSpec), ok: { status: 200, schema: taskApiSchema, list: true } },
    listTasks,
  ),
  apiRoute(
    'post',
    '/v1/tasks',
    'task.add',
    {
      summary: 'Create a task (staff: assigned to themselves)',
      body: jsonBodySchema(TASK_FIELDS, 'create', {
        companyId: z.int().optional().describe('Superusers only: the company.'),
      }),
      ok: { status: 201, schema: taskApiSchema },
    },
    createTaskApi,
  ),
  apiRoute(
    'get',
    '/v1/tasks/:id',
    'task.view',
    { summary: 'Read a task', ok: { status: 200, schema: taskApiSchema } },
    load.task,
    showTask,
  ),
  apiRoute(
    'patch',
    '/v1/tasks/:id',
    'task.change',
    {
      summary: 'Change a task (status DONE marks it done); a new assignee is mailed',
      body: jsonBodySchema(TASK_FIELDS, 'update'),
      ok: { status: 200, schema: taskApiSchema },
    },
    load.task,
    updateTaskApi,
  ),
  apiRoute(
    'delete',
    '/v1/tasks/:id',
    'task.delete',
    { summary: 'Delete a task', ok: { status: 204, schema: null } },
    load.task,
    deleteTaskApi,
  ),
];

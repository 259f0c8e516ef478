// The task domain's routes (SPEC section 6). Fixed paths (new, export.csv) come before /tasks/:id.
import { history } from '../audit/history.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { taskFormHandlers } from './form.ts';
import { taskHandlers } from './handlers.ts';

export function taskRoutes(deps: AppDeps): RouteDef[] {
  const h = taskHandlers(deps);
  const f = taskFormHandlers(deps);
  return [
    route('get', '/tasks', 'task.view', h.list),
    route('get', '/tasks/export.csv', 'task.view', h.exportCsv),
    route('get', '/tasks/new', 'task.add', f.newForm),
    route('post', '/tasks', 'task.add', f.create),
    route('get', '/tasks/:id', 'task.view', load.task, history('Task'), h.show),
    route('get', '/tasks/:id/edit', 'task.change', load.task, f.edit),
    route('post', '/tasks/:id', 'task.change', load.task, f.update),
    route('post', '/tasks/:id/done', 'task.change', load.task, f.markDone),
    route('post', '/tasks/:id/reopen', 'task.change', load.task, f.reopen),
    route('get', '/tasks/:id/delete', 'task.delete', load.task, f.confirmDelete),
    route('post', '/tasks/:id/delete', 'task.delete', load.task, f.remove),
  ];
}

// The activity domain's routes (issue 13 items 1 and 2). Fixed paths (new, export.csv) come before /activities/:id.
import { history } from '../audit/history.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { activityFormHandlers } from './form.ts';
import { activityHandlers } from './handlers.ts';

export function activityRoutes(deps: AppDeps): RouteDef[] {
  const h = activityHandlers(deps);
  const f = activityFormHandlers(deps);
  return [
    route('get', '/activities', 'activity.view', h.list),
    route('get', '/activities/export.csv', 'activity.view', h.exportCsv),
    route('get', '/activities/new', 'activity.add', f.newForm),
    route('post', '/activities', 'activity.add', f.create),
    route('get', '/activities/:id', 'activity.view', load.activity, history('Activity'), h.show),
    route('get', '/activities/:id/edit', 'activity.change', load.activity, f.edit),
    route('post', '/activities/:id', 'activity.change', load.activity, f.update),
    route('get', '/activities/:id/delete', 'activity.delete', load.activity, f.confirmDelete),
    route('post', '/activities/:id/delete', 'activity.delete', load.activity, f.remove),
  ];
}

// Users (SPEC sections 1–3 and 6): superusers manage every company's users, account managers
// their own company's. Staff never reach these pages (user.manage belongs to the manager role).
import { history } from '../audit/history.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { userFormHandlers } from './form.ts';
import { userHandlers } from './handlers.ts';

export function userRoutes(deps: AppDeps): RouteDef[] {
  const h = userHandlers(deps);
  const f = userFormHandlers(deps);
  return [
    route('get', '/users', 'user.manage', h.list),
    route('get', '/users/export.csv', 'user.manage', h.exportCsv),
    route('get', '/users/new', 'user.manage', f.newForm),
    route('post', '/users', 'user.manage', f.create),
    route('get', '/users/:id', 'user.manage', load.user, history('User'), h.show),
    route('get', '/users/:id/edit', 'user.manage', load.user, f.edit),
    route('post', '/users/:id', 'user.manage', load.user, f.update),
    route('get', '/users/:id/delete', 'user.manage', load.user, f.confirmDeactivate),
    route('post', '/users/:id/delete', 'user.manage', load.user, f.deactivate),
    route('post', '/users/:id/reactivate', 'user.manage', load.user, f.reactivate),
    route('post', '/users/:id/invite', 'user.manage', load.user, f.reinvite),
  ];
}

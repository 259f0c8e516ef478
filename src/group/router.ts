// Groups (SPEC section 3): per company, managed by account managers and superusers.
import { history } from '../audit/history.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { groupHandlers } from './handlers.ts';

export function groupRoutes(deps: AppDeps): RouteDef[] {
  const h = groupHandlers(deps);
  return [
    route('get', '/groups', 'group.manage', h.list),
    route('get', '/groups/new', 'group.manage', h.newForm),
    route('post', '/groups', 'group.manage', h.create),
    route('get', '/groups/:id', 'group.manage', load.group, history('Group'), h.show),
    route('get', '/groups/:id/edit', 'group.manage', load.group, h.edit),
    route('post', '/groups/:id', 'group.manage', load.group, h.update),
    route('get', '/groups/:id/delete', 'group.manage', load.group, h.confirmDelete),
    route('post', '/groups/:id/delete', 'group.manage', load.group, h.destroy),
  ];
}

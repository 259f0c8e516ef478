// Groups (SPEC section 3): per company, managed by account managers and superusers.
import { history } from '../audit/history.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { groupFormHandlers } from './form.ts';
import { groupHandlers } from './handlers.ts';

export function groupRoutes(_deps: AppDeps): RouteDef[] {
  const h = groupHandlers();
  const f = groupFormHandlers();
  return [
    route('get', '/groups', 'group.manage', h.list),
    route('get', '/groups/new', 'group.manage', f.newForm),
    route('post', '/groups', 'group.manage', f.create),
    route('get', '/groups/:id', 'group.manage', load.group, history('Group'), h.show),
    route('get', '/groups/:id/edit', 'group.manage', load.group, f.edit),
    route('post', '/groups/:id', 'group.manage', load.group, f.update),
    route('get', '/groups/:id/delete', 'group.manage', load.group, f.confirmDelete),
    route('post', '/groups/:id/delete', 'group.manage', load.group, f.destroy),
  ];
}

// The merge routes (issue 16 item 6): account managers and superusers only; each line loads the kept record.
import { MERGERS } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { mergeHandlers } from './merge.ts';

export function duplicateRoutes(deps: AppDeps): RouteDef[] {
  const c = mergeHandlers(deps, 'customer');
  const l = mergeHandlers(deps, 'lead');
  const mergers = { roles: MERGERS };
  return [
    route('get', '/customers/:id/merge', mergers, load.customer, c.page),
    route('post', '/customers/:id/merge', mergers, load.customer, c.merge),
    route('get', '/leads/:id/merge', mergers, load.lead, l.page),
    route('post', '/leads/:id/merge', mergers, load.lead, l.merge),
  ];
}

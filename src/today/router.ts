// GET /today — "My day": the signed-in person's overdue and today's tasks, today's appointments,
// leads with no next step and new leads; account managers can open a colleague's day (?userId=).
import type { AppDeps } from '../deps.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { todayHandlers } from './handlers.ts';

export function todayRoutes(deps: AppDeps): RouteDef[] {
  const h = todayHandlers(deps);
  return [route('get', '/today', 'signedIn', h.show)];
}

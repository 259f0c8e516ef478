// The pipeline board (issue 14). Its path sits under /leads, so src/domains.ts lists these routes before
// the lead routes: "/leads/board" must not be taken for "/leads/:id".
import type { AppDeps } from '../deps.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { boardHandlers } from './handlers.ts';

export function boardRoutes(deps: AppDeps): RouteDef[] {
  const h = boardHandlers(deps);
  return [route('get', '/leads/board', 'lead.view', h.board)];
}

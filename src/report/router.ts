// The reports (issue 14 item 5): closed deals by person, source, month and lost reason, and their CSV.
// Everyone who sees leads sees reports; the scope decides whose deals (staff: their own).
import type { AppDeps } from '../deps.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { reportHandlers } from './handlers.ts';

export function reportRoutes(deps: AppDeps): RouteDef[] {
  const h = reportHandlers(deps);
  return [route('get', '/reports', 'lead.view', h.page), route('get', '/reports/export.csv', 'lead.view', h.exportCsv)];
}

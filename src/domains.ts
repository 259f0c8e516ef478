// Every domain's route list, in one place. A new domain adds its line here; the access sweep
// and the route inventory test walk this table, so new routes are covered without editing them.
import type { AppDeps } from './deps.ts';
import type { RouteDef } from './web/routes.ts';
import { accountRoutes } from './account/router.ts';
import { dashboardRoutes } from './dashboard/router.ts';

export function allRoutes(deps: AppDeps): RouteDef[] {
  return [
    ...accountRoutes(deps),
    ...dashboardRoutes(deps),
  ];
}

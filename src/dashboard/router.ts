// GET /dashboard — each role's landing page (SPEC section 1).
import type { AppDeps } from '../deps.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { dashboardHandler } from './handlers.ts';

export function dashboardRoutes(deps: AppDeps): RouteDef[] {
  return [route('get', '/dashboard', 'signedIn', dashboardHandler(deps))];
}

// The appointment domain's routes (filled in by its issue).
import type { AppDeps } from '../deps.ts';
import type { RouteDef } from '../web/routes.ts';

export function appointmentRoutes(_deps: AppDeps): RouteDef[] {
  return [];
}

// The audit domain's routes (filled in by its issue).
import type { AppDeps } from '../deps.ts';
import type { RouteDef } from '../web/routes.ts';

export function auditRoutes(_deps: AppDeps): RouteDef[] {
  return [];
}

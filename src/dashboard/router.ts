// GET /dashboard — each role's landing page.
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import { route, type RouteDef } from '../web/routes.ts';

export function dashboardRoutes(_deps: AppDeps): RouteDef[] {
  /** GET /dashboard — who you are, your company, your role. */
  const show: RequestHandler = (req, res) => {
    res.render('dashboard/index', { title: 'Dashboard' });
  };
  return [route('get', '/dashboard', 'signedIn', show)];
}

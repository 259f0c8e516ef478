// The dashboard: one overview per role, every number counted through the user's scope.
import { dashboardFor } from '../access/policy.ts';
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import { dayLocals } from '../today/handlers.ts';
import { companyOverview, LEAD_STATUSES, staffOverview, superuserOverview } from './queries.ts';

const STATUS_LABELS = { NEW: 'New', CONTACTED: 'Contacted', QUALIFIED: 'Qualified', WON: 'Won', LOST: 'Lost' } as const;
const PRIORITY_LABELS: Record<string, string> = { LOW: 'Low', NORMAL: 'Normal', HIGH: 'High' };
const TASK_STATUS_LABELS: Record<string, string> = { OPEN: 'Open', IN_PROGRESS: 'In progress', DONE: 'Done' };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function dashboardHandler(deps: AppDeps): RequestHandler {
  /** GET /dashboard — the superuser's companies, the account manager's company, the staff user's own work. */
  return async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const now = new Date();
    const helpers = { STATUS_LABELS, LEAD_STATUSES, PRIORITY_LABELS, TASK_STATUS_LABELS, plural, now };
    const dashboard = dashboardFor(user);
    if (dashboard === 'companies') {
      return res.render('dashboard/superuser', {
        title: 'Dashboard',
        ...helpers,
        overview: await superuserOverview(scoped),
      });
    }
    if (dashboard === 'company') {
      return res.render('dashboard/manager', {
        title: 'Dashboard',
        ...helpers,
        overview: await companyOverview(scoped, user, now),
      });
    }
    const overview = await staffOverview(scoped, user, now);
    // My day's blocks come first, through the same partial as /today (views/today/_blocks.ejs).
    res.render('dashboard/staff', {
      title: 'Dashboard',
      ...helpers,
      ...dayLocals(user, overview.day, '/dashboard', now),
      overview,
    });
  };
}

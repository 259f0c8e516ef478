// GET /audit — the audit trail (SPEC issue 5): account managers see their company's entries,
// superusers everyone's (with a company filter); staff are refused.
import { AUDIT_READERS, spansCompanies } from '../access/policy.ts';
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import { paginate, parseListQuery } from '../web/list.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { auditListSpec, listAudit } from './queries.ts';

export function auditRoutes(_deps: AppDeps): RouteDef[] {
  /** GET /audit — who changed what, newest first, filtered by record type, action, record, actor (and company). */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const superuser = spansCompanies(user);
    const query = parseListQuery(req.query, auditListSpec(superuser));
    const { entries, total, models, actions, companies } = await listAudit(req.db, user, query);
    res.render('audit/index', {
      title: 'Audit trail',
      entries,
      query,
      superuser,
      models,
      actions,
      companies,
      pagination: paginate('/audit', query, total),
    });
  };
  return [route('get', '/audit', { roles: AUDIT_READERS }, list)];
}

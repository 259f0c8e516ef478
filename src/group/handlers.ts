// Group pages for account managers (their company) and superusers (any company): the list and a
// group's page. The forms are in form.ts.
import type { RequestHandler } from 'express';
import { spansCompanies } from '../access/policy.ts';
import { companyFilterOptions } from '../company/choices.ts';
import { load } from '../loaders.ts';
import { ROLE_LABELS } from '../user/schema.ts';
import { parseListQuery, sortLink } from '../web/list.ts';
import { listGroups } from './queries.ts';
import { groupListSpec, PERMISSION_CHOICES } from './schema.ts';

export function groupHandlers() {
  /** GET /groups — the groups in scope, with their member counts. */
  const list: RequestHandler = async (req, res) => {
    const superuser = spansCompanies(req.user);
    const spec = groupListSpec(superuser);
    const query = parseListQuery(req.query, spec);
    const [{ rows, pagination }, companies] = await Promise.all([
      listGroups(req.db, req.user!, query),
      superuser ? companyFilterOptions(req.db) : Promise.resolve([]),
    ]);
    res.render('group/index', {
      title: 'Groups',
      rows,
      query,
      superuser,
      companies,
      pagination,
      sorts: Object.fromEntries(spec.sorts.map((s) => [s, sortLink('/groups', query, s)])),
      newHref:
        superuser && query.filters.companyId ? `/groups/new?companyId=${query.filters.companyId}` : '/groups/new',
    });
  };

  /** GET /groups/:id — the group's permissions and members. */
  const show: RequestHandler = async (req, res) => {
    const group = load.group.of(req);
    res.render('group/show', { title: group.name, group, choices: PERMISSION_CHOICES, roleLabels: ROLE_LABELS });
  };

  return { list, show };
}

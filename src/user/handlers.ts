// User pages: the list (superusers: every company, with company and role filters; account
// managers: their company), its CSV export, and a user's page.
import type { RequestHandler } from 'express';
import { canChangeRoleOrActive, seesColleagueEmails, spansCompanies } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { CSV_MAX_ROWS, exportHref, parseListQuery, sendCsv, sortLink } from '../web/list.ts';
import { companyFilterOptions } from '../company/choices.ts';
import { companyGroups, exportUsers, listUsers } from './queries.ts';
import { ROLE_LABELS, userListSpec } from './schema.ts';

export function userHandlers(deps: AppDeps) {
  /** GET /users — users in scope, with search, role/status/group (and company) filters, sorting and pages. */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const superuser = spansCompanies(user);
    const spec = userListSpec(superuser);
    const query = parseListQuery(req.query, spec);
    const db = req.db;
    const groupCompanyId = superuser
      ? query.filters.companyId
        ? Number(query.filters.companyId)
        : null
      : user.companyId;
    const [{ rows, pagination }, companies, groups] = await Promise.all([
      listUsers(db, user, query),
      superuser ? companyFilterOptions(db) : Promise.resolve([]),
      groupCompanyId ? companyGroups(db, groupCompanyId) : Promise.resolve([]),
    ]);
    const base = '/users';
    res.render('user/index', {
      title: 'Users',
      rows,
      query,
      superuser,
      companies,
      groups,
      roleLabels: ROLE_LABELS,
      pagination,
      sorts: Object.fromEntries(spec.sorts.map((s) => [s, sortLink(base, query, s)])),
      exportHref: exportHref(base, query),
      newHref: superuser && query.filters.companyId ? `/users/new?companyId=${query.filters.companyId}` : '/users/new',
    });
  };

  /** GET /users/export.csv — the filtered list as CSV. */
  const exportCsv: RequestHandler = async (req, res) => {
    const user = req.user!;
    const query = parseListQuery(req.query, userListSpec(spansCompanies(user)));
    const rows = await exportUsers(req.db, user, query, CSV_MAX_ROWS);
    // Only user managers reach this export today; the email column still asks the shared rule.
    const emails = seesColleagueEmails(user);
    sendCsv(res, {
      filename: 'users.csv',
      timeZone: user.timeZone,
      columns: [
        'id',
        'name',
        ...(emails ? ['email'] : []),
        'company',
        'role',
        'active',
        'groups',
        { time: 'last sign-in' },
      ],
      rows: rows.map((u) => [
        u.id,
        u.name,
        ...(emails ? [u.email] : []),
        u.company?.name,
        ROLE_LABELS[u.role],
        u.active ? 'yes' : 'no',
        u.memberships.map((m) => m.group.name).join('; '),
        u.lastSignInAt,
      ]),
    });
  };

  /** GET /users/:id — a user's details, groups and the actions the viewer may take. */
  const show: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    res.render('user/show', {
      title: target.name,
      target,
      roleLabels: ROLE_LABELS,
      mayChangeRoleOrActive: canChangeRoleOrActive(req.user, target),
    });
  };

  return { list, exportCsv, show };
}

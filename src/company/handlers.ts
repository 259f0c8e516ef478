// Company pages: superusers list and export companies; account managers and staff may read their
// own company's page (the scope hides every other company: 404). The forms are in form.ts.
import type { RequestHandler } from 'express';
import { load } from '../loaders.ts';
import { CSV_MAX_ROWS, exportHref, parseListQuery, sendCsv, sortLink } from '../web/list.ts';
import { companyUserCounts, exportCompanies, listCompanies } from './queries.ts';
import { companyListSpec } from './schema.ts';

export function companyHandlers() {
  /** GET /companies — every company, with search, status filter, sorting and pages. */
  const list: RequestHandler = async (req, res) => {
    const query = parseListQuery(req.query, companyListSpec);
    const { rows, pagination } = await listCompanies(req.db, query);
    const base = '/companies';
    res.render('company/index', {
      title: 'Companies',
      rows,
      query,
      pagination,
      sorts: Object.fromEntries(companyListSpec.sorts.map((s) => [s, sortLink(base, query, s)])),
      exportHref: exportHref(base, query),
    });
  };

  /** GET /companies/export.csv — the filtered list as CSV. */
  const exportCsv: RequestHandler = async (req, res) => {
    const query = parseListQuery(req.query, companyListSpec);
    const rows = await exportCompanies(req.db, query, CSV_MAX_ROWS);
    sendCsv(res, {
      filename: 'companies.csv',
      timeZone: req.user!.timeZone,
      columns: ['id', 'name', 'slug', 'active', 'users', { time: 'created' }],
      rows: rows.map((c) => [c.id, c.name, c.slug, c.active ? 'yes' : 'no', c._count.users, c.createdAt]),
    });
  };

  /** GET /companies/:id — a company's page (read-only for its own account managers and staff). */
  const show: RequestHandler = async (req, res) => {
    const company = load.companyPage.of(req);
    const counts = company.managers
      ? { ...(await companyUserCounts(req.db, company.id)), managers: company.managers }
      : null;
    res.render('company/show', { title: company.name, company, counts });
  };

  return { list, exportCsv, show };
}

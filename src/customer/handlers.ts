// Customer list, CSV export and detail (the customer's timeline).
import type { Request, RequestHandler } from 'express';
import { seesColleagueEmails, spansCompanies } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { CSV_MAX_ROWS, fetchListPage, pageWindow, parseListQuery, sendCsv } from '../web/list.ts';
import { filterCompanyId as filterCompanyIdOf, listLocals, personFilterOptions } from '../web/listFilters.ts';
import { companyFilterOptions } from '../company/choices.ts';
import { customerListOrder, customerListSelect, customerListWhere, type CustomerListQuery } from './queries.ts';
import { csvColumns } from '../fields/csv.ts';
import { customerTimeline } from '../timeline/timeline.ts';
import { CUSTOMER_FIELDS, CUSTOMER_LIST, customerViewHelpers } from './fields.ts';
import { customerListSpec } from './schema.ts';

const BASE = '/customers';

function listQuery(req: Request): CustomerListQuery {
  return parseListQuery(req.query, customerListSpec(spansCompanies(req.user)));
}

export function customerHandlers(deps: AppDeps) {
  /** GET /customers — search, owner filter, sortable columns, pagination. */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const query = listQuery(req);
    const where = customerListWhere(query);
    const superuser = spansCompanies(user);
    const filterCompanyId = filterCompanyIdOf(user, query);
    const pageRows = (page: number) =>
      scoped.customer.findMany({
        where,
        select: customerListSelect(superuser),
        orderBy: customerListOrder(query),
        ...pageWindow({ ...query, page }),
      });
    // The count, the page and the filter options in parallel: the page's latency is the slowest of them.
    const [{ rows, pagination }, owners, companies] = await Promise.all([
      fetchListPage(BASE, query, () => scoped.customer.count({ where }), pageRows),
      filterCompanyId ? personFilterOptions(req, deps.db, filterCompanyId) : Promise.resolve([]),
      superuser ? companyFilterOptions(scoped) : Promise.resolve([]),
    ]);
    res.render('customer/index', {
      title: 'Customers',
      rows,
      pagination,
      owners,
      companies,
      superuser,
      ...customerViewHelpers,
      ...listLocals(BASE, query, CUSTOMER_LIST.sorts),
    });
  };

  /** GET /customers/export.csv — exactly the filtered rows the user may see, in the list's order. */
  const exportCsv: RequestHandler = async (req, res) => {
    const user = req.user!;
    const query = listQuery(req);
    const superuser = spansCompanies(user);
    const emails = seesColleagueEmails(user);
    const rows = await req.db.customer.findMany({
      where: customerListWhere(query),
      select: { ...customerListSelect(superuser), owner: { select: { name: true, email: emails } } },
      orderBy: customerListOrder(query),
      take: CSV_MAX_ROWS,
    });
    const fields = csvColumns(CUSTOMER_FIELDS, { emails });
    sendCsv(res, {
      filename: 'customers.csv',
      timeZone: user.timeZone,
      columns: ['id', ...fields.columns, { time: 'created' }, ...(superuser ? ['company'] : [])],
      rows: rows.map((r) => [r.id, ...fields.cells(r), r.createdAt, ...(superuser ? [r.company?.name] : [])]),
    });
  };

  /** GET /customers/:id — details and the timeline: activities, leads, tasks, appointments and its changes. */
  const show: RequestHandler = async (req, res) => {
    const customer = load.customer.of(req);
    const timeline = await customerTimeline(deps, req, customer);
    res.render('customer/show', { title: customer.name, customer, timeline, ...customerViewHelpers });
  };

  return { list, exportCsv, show };
}

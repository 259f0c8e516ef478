// GET /reports and its CSV: closed deals by person, source, month or lost reason over a date range. Both
// build the same report (buildReport), so the export holds exactly the rows and columns of the page.
import type { Request, RequestHandler, Response } from 'express';
import { seesOthersRows, spansCompanies } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import type { FigureFilter } from '../pipeline/figures.ts';
import { type DateRange, parseRange, RANGE_PRESETS } from '../pipeline/range.ts';
import { sendCsv } from '../web/list.ts';
import { reportChart } from './charts.ts';
import { type ReportCompany, reportCompanies, reportFigures, reportPeople } from './queries.ts';
import { parseReportQuery, REPORT_KINDS, REPORT_TITLES, type ReportKind, type ReportQuery } from './schema.ts';
import {
  averageDays,
  averageDeal,
  csvHeaderOf,
  type Person,
  reportColumns,
  reportRows,
  type ReportRow,
  type Tally,
  totalOf,
  winRate,
} from './tables.ts';

const BASE = '/reports';
const FIRST_HEADER: Record<ReportKind, string> = {
  person: 'Person',
  source: 'Source',
  month: 'Month',
  reason: 'Reason',
};

/** The report's address with another `by` (or the CSV's path), keeping the range and the filters. */
function hrefOf(path: string, by: ReportKind, range: DateRange, query: ReportQuery): string {
  const params = new URLSearchParams(`by=${by}&${range.query}`);
  if (query.companyId) params.set('companyId', String(query.companyId));
  if (query.assigneeId) params.set('assigneeId', String(query.assigneeId));
  return `${path}?${params}`;
}

type Built = {
  query: ReportQuery;
  range: DateRange;
  /** The range as typed (kept in the form when it was refused), and the errors beside its fields. */
  typed: { range: string; from: string; to: string };
  rangeErrors: Record<string, string>;
  companies: ReportCompany[] | null;
  company: ReportCompany | null;
  companyError: string | null;
  people: Person[] | null;
  currency: string;
  rows: ReportRow[];
  total: Tally;
};

const typedOf = (q: Record<string, unknown>, range: DateRange) => {
  const s = (v: unknown, fallback: string) => (typeof v === 'string' ? v.slice(0, 40) : fallback);
  return { range: s(q.range, range.key), from: s(q.from, range.fromDay), to: s(q.to, range.toDay) };
};

/** Everything a report shows, for the page and the CSV; `rows` is empty while a superuser has no company. */
async function buildReport(deps: AppDeps, req: Request): Promise<Built> {
  const user = req.user!;
  const q = req.query as Record<string, unknown>;
  const query = parseReportQuery(q);
  const parsed = parseRange(q, user.timeZone, new Date());
  const range = parsed.range;
  const superuser = spansCompanies(user);
  // A superuser works on one company at a time (amounts are never summed across currencies).
  const companyId = superuser ? query.companyId : user.companyId;
  const filter: FigureFilter = {};
  if (superuser && companyId) filter.companyId = companyId;
  if (seesOthersRows(user) && query.assigneeId) filter.assigneeId = query.assigneeId;
  const none = Promise.resolve(null);
  const [companies, people, figures] = await Promise.all([
    superuser ? reportCompanies(req.db) : none,
    seesOthersRows(user) && companyId ? reportPeople(req.sql, companyId) : none,
    !superuser || companyId ? reportFigures(deps, req, query.by, range, filter) : none,
  ]);
  const company = companies ? (companies.find((c) => c.id === companyId) ?? null) : null;
  const chosen = !superuser || company;
  const self: Person[] = [{ id: user.id, name: user.name, active: true }];
  const listed = (people ?? self).filter((p) => !filter.assigneeId || p.id === filter.assigneeId);
  const rows =
    chosen && figures ? reportRows(query.by, figures, { people: listed, range, timeZone: user.timeZone }) : [];
  return {
    query,
    range,
    typed: typedOf(q, range),
    rangeErrors: parsed.ok ? {} : parsed.errors,
    companies,
    company,
    companyError: superuser && query.companyId && !company ? 'Choose a company from the list.' : null,
    people,
    currency: company?.currency ?? user.currency,
    rows,
    total: totalOf(rows),
  };
}

function render(res: Response, built: Built) {
  const { query, range, rows, total, currency } = built;
  const columns = reportColumns(query.by, currency, total);
  const refused = Object.keys(built.rangeErrors).length > 0 || built.companyError !== null;
  const chosen = built.companies === null || built.company !== null;
  res.status(refused ? 422 : 200).render('report/index', {
    title: `Reports: ${REPORT_TITLES[query.by].toLowerCase()}`,
    ...built,
    chosen,
    presets: Object.entries(RANGE_PRESETS),
    tabs: REPORT_KINDS.map((by) => ({ by, label: REPORT_TITLES[by], href: hrefOf(BASE, by, range, query) })),
    exportHref: hrefOf(`${BASE}/export.csv`, query.by, range, query),
    firstHeader: FIRST_HEADER[query.by],
    headers: columns.map((c) => c.header),
    table: rows.map((r) => ({ key: r.key, label: r.label, cells: columns.map((c) => c.shown(r.tally)) })),
    totals: columns.map((c) => c.shown(total)),
    summary: summaryOf(total, currency),
    chart: chosen ? reportChart(query.by, rows, currency, FIRST_HEADER[query.by]) : null,
  });
}

/** The overall figures above the table (the total row's, in words). */
function summaryOf(t: Tally, currency: string) {
  const columns = reportColumns('person', currency, t);
  const shown = Object.fromEntries(columns.map((c) => [c.header, c.shown(t)]));
  return { ...shown, winRate: winRate(t), averageDeal: averageDeal(t), averageDays: averageDays(t) };
}

export function reportHandlers(deps: AppDeps) {
  /** GET /reports — one report (?by=person|source|month|reason) over a range, as a table with its chart. */
  const page: RequestHandler = async (req, res) => {
    render(res, await buildReport(deps, req));
  };

  /** GET /reports/export.csv — the same report's rows and columns, amounts as plain decimals, then the total. */
  const exportCsv: RequestHandler = async (req, res) => {
    const built = await buildReport(deps, req);
    const { query, range, rows, total, currency } = built;
    const refused = Object.keys(built.rangeErrors).length > 0 || built.companyError !== null;
    if (refused || (built.companies && !built.company)) {
      if (!refused) built.companyError = 'Choose a company to export its report.';
      return render(res, built);
    }
    const columns = reportColumns(query.by, currency, total);
    const slug = built.company ? `-${built.company.id}` : '';
    sendCsv(res, {
      filename: `report-${query.by}${slug}-${range.fromDay}-${range.toDay}.csv`,
      timeZone: req.user!.timeZone,
      columns: [FIRST_HEADER[query.by], ...columns.map((c) => csvHeaderOf(c, currency))],
      rows: [
        ...rows.map((r) => [r.label, ...columns.map((c) => c.plain(r.tally))]),
        ['Total', ...columns.map((c) => c.plain(total))],
      ],
    });
  };

  return { page, exportCsv };
}

// Activity list, CSV export and detail.
import type { RequestHandler } from 'express';
import { seesOthersRows, spansCompanies } from '../access/policy.ts';
import { csvColumns } from '../fields/csv.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { CSV_MAX_ROWS, exportHref, fetchListPage, listHref, pageWindow, parseListQuery, sendCsv } from '../web/list.ts';
import { filterCompanyId, personFilterOptions, sortLinks } from '../web/listFilters.ts';
import { companyFilterOptions } from '../company/choices.ts';
import { ACTIVITY_FIELDS, KIND_LABELS, KINDS } from './fields.ts';
import { activityViewHelpers } from './form.ts';
import { activityListSelect, activityListWhere, activityOrderBy, withVisibleLead } from './queries.ts';
import { ABOUT_LABELS, activityListSpec } from './schema.ts';

const BASE = '/activities';

export function activityHandlers(deps: AppDeps) {
  /** GET /activities — search, filters (kind, author, about, days), sorts and pages over the activities in scope. */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const s = req.db;
    const query = parseListQuery(req.query, activityListSpec);
    const where = activityListWhere(user, query);
    const companyId = filterCompanyId(user, query);
    const [{ rows, pagination }, authors, companies] = await Promise.all([
      fetchListPage(
        BASE,
        query,
        () => s.activity.count({ where }),
        (page) =>
          s.activity.findMany({
            where,
            select: activityListSelect,
            orderBy: activityOrderBy(query),
            ...pageWindow({ ...query, page }),
          }),
      ),
      companyId ? personFilterOptions(req, deps.db, companyId) : Promise.resolve([]),
      spansCompanies(user) ? companyFilterOptions(s) : Promise.resolve([]),
    ]);
    res.render('activity/index', {
      title: 'Activities',
      ...activityViewHelpers,
      activities: rows.map((r) => withVisibleLead(user, r)),
      query,
      authors,
      companies,
      showCompany: spansCompanies(user),
      seesOthers: seesOthersRows(user),
      pagination,
      sort: sortLinks(BASE, query, activityListSpec.sorts),
      exportHref: exportHref(BASE, query),
      clearHref: BASE,
      returnTo: listHref(BASE, query),
      choices: {
        kind: KINDS.map((v) => [v, KIND_LABELS[v]]),
        about: Object.entries(ABOUT_LABELS),
      },
    });
  };

  /** GET /activities/export.csv — exactly the filtered rows of the list (all pages), times in the user's zone. */
  const exportCsv: RequestHandler = async (req, res) => {
    const user = req.user!;
    const query = parseListQuery(req.query, activityListSpec);
    const rows = await req.db.activity.findMany({
      where: activityListWhere(user, query),
      select: activityListSelect,
      orderBy: activityOrderBy(query),
      take: CSV_MAX_ROWS,
    });
    const superuser = spansCompanies(user);
    const described = csvColumns(ACTIVITY_FIELDS, {});
    sendCsv(res, {
      filename: 'activities.csv',
      timeZone: user.timeZone,
      columns: [
        'id',
        { time: 'when' },
        ...described.columns,
        'author',
        'lead',
        'customer',
        { time: 'created' },
        ...(superuser ? ['company'] : []),
      ],
      rows: rows.map((raw) => {
        const a = withVisibleLead(user, raw);
        return [
          a.id,
          a.occurredAt,
          ...described.cells(a),
          a.author?.name,
          a.lead?.title,
          a.customer?.name,
          a.createdAt,
          ...(superuser ? [a.company.name] : []),
        ];
      }),
    });
  };

  /** GET /activities/:id — the activity, what it is about, and its buttons (for its author and account managers). */
  const show: RequestHandler = async (req, res) => {
    const user = req.user!;
    const activity = withVisibleLead(user, load.activity.of(req));
    res.render('activity/show', { title: activity.summary, activity, ...activityViewHelpers });
  };

  return { list, exportCsv, show };
}

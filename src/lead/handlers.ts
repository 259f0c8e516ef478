// Lead list, CSV export and detail page.
import type { Request, RequestHandler } from 'express';
import { seesColleagueEmails, spansCompanies } from '../access/policy.ts';
import { companyFilterOptions } from '../company/choices.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { leadListPageSql, leadListTotalSql } from './listSql.ts';
import { countedByWalking, keepSearchMatches, searchCountLimit } from './search.ts';
import { cachedFigures, figureVersion } from '../pipeline/figureCache.ts';
import { leadTimeline } from '../timeline/timeline.ts';
import { CSV_MAX_ROWS, fetchListPage, parseListQuery, sendCsv } from '../web/list.ts';
import { filterCompanyId as filterCompanyIdOf, listLocals, personFilterOptions } from '../web/listFilters.ts';
import {
  assigneeOptions,
  leadListOrder,
  leadListSelect,
  leadListWhere,
  type LeadListQuery,
  withCurrency,
} from './queries.ts';
import { canAssignLeads, seesOthersRows as seesOthersLeads } from '../access/policy.ts';
import { csvColumns } from '../fields/csv.ts';
import {
  LEAD_FIELDS,
  LEAD_LIST,
  LEAD_SOURCES,
  LEAD_STATUSES,
  leadFieldHelpers,
  SOURCE_LABELS,
  STATUS_LABELS,
} from './fields.ts';
import { freshnessColumns, freshnessFacts, NO_ACTIVITY_DAYS } from './freshness.ts';
import { leadListSpec, PIPELINE_NEXT } from './schema.ts';
import { LOST_REASON_LABELS } from '../pipeline/stages.ts';

const BASE = '/leads';

export const leadViewHelpers = {
  LOST_REASON_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  LEAD_SOURCES,
  LEAD_STATUSES,
  NO_ACTIVITY_DAYS,
  // The lead page's "Last activity" and "Next task" (views/lead/_freshness.ejs), whichever handler renders it.
  freshnessFacts,
  ...leadFieldHelpers,
};

function listQuery(req: Request): LeadListQuery {
  return parseListQuery(req.query, leadListSpec(req.user!));
}

export function leadHandlers(deps: AppDeps) {
  /** GET /leads — search, filters (status, source, assignee, no activity), sortable columns, pagination. */
  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const query = listQuery(req);
    const superuser = spansCompanies(user);
    const others = seesOthersLeads(user);
    const filterCompanyId = filterCompanyIdOf(user, query);
    const pageRows = async (page: number) =>
      withCurrency(await leadListPageSql(req.sql, scoped, query, superuser, page), user, superuser);
    const total = () => leadListTotalSql(req.sql, scoped, query, superuser);
    // The total (from the tally: leads only) and a search's matches (the leads' searched text: every change of a lead
    // moves the version) are kept in the figure cache for the user's own company, keyed by what they depend on, like
    // the person filter: on a repeat visit they cost no statement. "No activity since", which moves with the clock,
    // is counted each time.
    const companyId = user.companyId;
    const totalCached = companyId !== null && !countedByWalking(query);
    const searchCached = companyId !== null && Boolean(query.q) && !query.filters.noActivity;
    const version = companyId !== null && (totalCached || searchCached) ? figureVersion(req, companyId) : null;
    if (version && companyId !== null && searchCached) {
      const key = ['searchIds', user.id, user.role, query.q, query.filters, searchCountLimit(query)];
      keepSearchMatches(scoped, query, superuser, (read) => cachedFigures(deps.db, version, companyId, key, read));
    }
    const cachedTotal =
      version && companyId !== null && totalCached
        ? () => cachedFigures(deps.db, version, companyId, ['leadTotal', user.id, user.role, query.filters], total)
        : total;
    const assigneesRead =
      others && filterCompanyId ? personFilterOptions(req, deps.db, filterCompanyId) : Promise.resolve([]);
    // The count, the page and the filter options in parallel: the page's latency is the slowest of them.
    const [{ rows, pagination }, assignees, companies] = await Promise.all([
      fetchListPage(BASE, query, cachedTotal, pageRows),
      assigneesRead,
      superuser ? companyFilterOptions(scoped) : Promise.resolve([]),
    ]);
    res.render('lead/index', {
      title: 'Leads',
      rows,
      pagination,
      assignees,
      companies,
      superuser,
      others,
      computed: freshnessColumns(user),
      ...leadViewHelpers,
      ...listLocals(BASE, query, LEAD_LIST.sorts),
    });
  };

  /** GET /leads/export.csv — exactly the filtered rows the user may see, in the list's order. */
  const exportCsv: RequestHandler = async (req, res) => {
    const user = req.user!;
    const query = listQuery(req);
    const superuser = spansCompanies(user);
    const emails = seesColleagueEmails(user);
    const rows = await req.db.lead.findMany({
      where: leadListWhere(query),
      select: { ...leadListSelect(superuser), assignee: { select: { name: true, email: emails } } },
      orderBy: leadListOrder(query),
      take: CSV_MAX_ROWS,
    });
    withCurrency(rows, user, superuser);
    const fields = csvColumns(LEAD_FIELDS, { emails, currency: true });
    sendCsv(res, {
      filename: 'leads.csv',
      timeZone: user.timeZone,
      columns: [
        'id',
        ...fields.columns,
        { time: 'created' },
        { time: 'converted' },
        { time: 'last activity' },
        { time: 'next task due' },
        ...(superuser ? ['company'] : []),
      ],
      rows: rows.map((r) => [
        r.id,
        ...fields.cells(r),
        r.createdAt,
        r.convertedAt,
        r.lastActivityAt,
        r.nextTaskDueAt,
        ...(superuser ? [r.company?.name] : []),
      ]),
    });
  };

  /** GET /leads/:id — the lead, its pipeline buttons, conversion and reassignment. */
  const show: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const lead = load.lead.of(req);
    // The assignee choices and the timeline side by side: the page waits for the slower one only.
    const [assignable, timeline] = await Promise.all([
      canAssignLeads(user) ? assigneeOptions(scoped, lead.companyId, lead.assignee) : null,
      leadTimeline(deps, req, lead),
    ]);
    res.render('lead/show', {
      title: lead.title,
      lead,
      assignable,
      timeline,
      nextStatuses: lead.convertedAt ? [] : PIPELINE_NEXT[lead.status],
      ...leadViewHelpers,
    });
  };

  return { list, exportCsv, show };
}

// GET /leads/board: the pipeline as columns of cards, one per open stage, each headed by its count, total
// and weighted total (from SQL, never summed from the cards shown); Won and Lost as totals linking to the
// lead list. Superusers choose a company first: amounts of different companies and currencies never add up.
import type { RequestHandler } from 'express';
import { can, seesOthersRows, spansCompanies } from '../access/policy.ts';
import { companyUserFilterOptions } from '../company/choices.ts';
import type { AppDeps } from '../deps.ts';
import { formatCalendarDate } from '../fields/descriptor.ts';
import { LEAD_SOURCES, SOURCE_LABELS, STATUS_LABELS } from '../lead/fields.ts';
import { formatAmount, formatTotal } from '../pipeline/money.ts';
import { CLOSED_STAGES, OPEN_STAGES, probabilitiesOf, weightedValue } from '../pipeline/stages.ts';
import type { LeadStatus } from '../generated/prisma/client.ts';
import { boardCards, boardCompanies, type BoardCompany, stageTotals } from './queries.ts';
import { CARDS_PER_PAGE, filterParams, hrefOf, parseBoardQuery } from './schema.ts';
import { refuseRepeated } from '../web/input.ts';
import { cachedFigures, figureVersion } from '../pipeline/figureCache.ts';

const BASE = '/leads/board';
/** Where a card may be moved: any other stage (Lost through its own page, which asks the reason). */
const MOVE_TARGETS: LeadStatus[] = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON'];

export function boardHandlers(deps: AppDeps) {
  const board: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    refuseRepeated(req.query, ['assigneeId', 'source', 'month', 'companyId', 'more', 'page']);
    const q = parseBoardQuery(req.query, user);
    let company: BoardCompany | undefined;
    let companies: BoardCompany[] = [];
    if (spansCompanies(user)) {
      companies = await boardCompanies(scoped);
      company = companies.find((c) => c.id === q.companyId);
      if (!company) {
        return res.render('board/pick', {
          title: 'Pipeline board',
          companies,
          notFound: q.companyId !== undefined,
        });
      }
    }
    const companyId = company?.id ?? user.companyId;
    const currency = company?.currency ?? user.currency;
    const probabilities = company ? probabilitiesOf(company) : user.probabilities;
    const others = seesOthersRows(user);
    // The totals, the three columns' cards and the assignee choices side by side: a fixed number of statements.
    const read = () =>
      Promise.all([
        stageTotals(scoped, q),
        boardCards(scoped, q),
        others && companyId ? companyUserFilterOptions(req.sql, companyId) : Promise.resolve([]),
      ]);
    // Kept in the figure cache under the company's version (leads and people: their names on the cards and
    // in the filter), keyed by the user's scope and the parsed filters and page.
    const [totals, cards, assignees] = companyId
      ? await cachedFigures(deps.db, figureVersion(req, companyId), companyId, ['board', user.id, user.role, q], read)
      : await read();
    const filters = filterParams(q);
    const paging: Record<string, string> = q.more ? { more: q.more, page: String(q.page) } : {};
    const returnTo = hrefOf(BASE, { ...filters, ...paging });
    // The lead list knows status, source, assignee and company (not the close month).
    const { month: _month, ...listFilters } = filters;
    const columns = OPEN_STAGES.map((stage) => {
      const total = totals[stage];
      const page = q.more === stage ? q.page : 1;
      const first = (page - 1) * CARDS_PER_PAGE;
      const shown = cards[stage].length;
      return {
        stage,
        label: STATUS_LABELS[stage],
        count: total.count,
        total: formatTotal(total.value, currency),
        weighted: formatTotal(weightedValue(total.value, probabilities[stage]), currency),
        probability: probabilities[stage],
        cards: cards[stage],
        range: shown ? `${first + 1}–${first + shown}` : '',
        moreHref:
          first + shown < total.count ? hrefOf(BASE, { ...filters, more: stage, page: String(page + 1) }) : null,
        firstHref: page > 1 ? hrefOf(BASE, filters) : null,
      };
    });
    const closed = CLOSED_STAGES.map((stage) => ({
      stage,
      label: STATUS_LABELS[stage],
      count: totals[stage].count,
      total: formatTotal(totals[stage].value, currency),
      href: hrefOf('/leads', { status: stage, ...listFilters }),
    }));
    res.render('board/index', {
      title: company ? `Pipeline board · ${company.name}` : 'Pipeline board',
      company,
      companies,
      columns,
      closed,
      assignees,
      others,
      q,
      // A bad month stays in its field beside its message, so the user sees what to correct.
      monthValue: q.month?.key ?? (typeof req.query.month === 'string' ? req.query.month.slice(0, 20) : ''),
      filtered: Object.keys(filters).some((k) => k !== 'companyId'),
      clearHref: hrefOf(BASE, company ? { companyId: String(company.id) } : {}),
      returnTo,
      canMove: can(user, 'lead.change'),
      moveTargets: MOVE_TARGETS,
      LEAD_SOURCES,
      SOURCE_LABELS,
      STATUS_LABELS,
      amountOf: (v: unknown) => formatAmount(v, currency),
      dayOf: formatCalendarDate,
    });
  };

  return { board };
}

// The dashboard: one overview per role, every number counted through the user's scope, then the
// "Pipeline and results" section (src/dashboard/results.ts, charts.ts) for the range in the URL.
import { can, dashboardFor } from '../access/policy.ts';
import type { Request, RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import { isRangeKey, parseRange, RANGE_PRESETS } from '../pipeline/range.ts';
import { formatTotal } from '../pipeline/money.ts';
import { dayLocals } from '../today/handlers.ts';
import { optionalQueryId } from '../web/forms.ts';
import { dashboardCharts } from './charts.ts';
import { chosenCompany, companyOverview, LEAD_STATUSES, staffOverview, superuserOverview } from './queries.ts';
import { companyResults, type Person, pipelineResults, type ResultsScope } from './results.ts';
import { refuseRepeated } from '../web/input.ts';
import { renderFragment } from '../web/views.ts';
import { cachedFigures, figureVersion } from '../pipeline/figureCache.ts';

const STATUS_LABELS = { NEW: 'New', CONTACTED: 'Contacted', QUALIFIED: 'Qualified', WON: 'Won', LOST: 'Lost' } as const;
const PRIORITY_LABELS: Record<string, string> = { LOW: 'Low', NORMAL: 'Normal', HIGH: 'High' };
const TASK_STATUS_LABELS: Record<string, string> = { OPEN: 'Open', IN_PROGRESS: 'In progress', DONE: 'Done' };

const MINUTE = 60_000;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

/** A chosen id from the URL: none (absent or blank), a valid one, or an error for the field. */
function chosenId(raw: unknown, valid: (id: number) => boolean): { id: number | null; bad: boolean } {
  if (raw === undefined || raw === '') return { id: null, bad: false };
  const id = optionalQueryId(raw);
  return id !== null && valid(id) ? { id, bad: false } : { id: null, bad: true };
}

/** The range form's state: the parsed range, the fields' values as typed, their errors. */
function rangeOf(req: Request, now: Date) {
  const parsed = parseRange(req.query as Record<string, unknown>, req.user!.timeZone, now);
  const q = req.query as Record<string, unknown>;
  const typed = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
  const asked = isRangeKey(typed('range')) ? typed('range') : parsed.range.key;
  return {
    range: parsed.range,
    errors,
    form: {
      range: asked,
      from: asked === 'custom' ? typed('from') : parsed.range.fromDay,
      to: asked === 'custom' ? typed('to') : parsed.range.toDay,
    },
    presets: Object.entries(RANGE_PRESETS),
  };
}

const active = (people: { id: number; name: string; active: boolean }[]) =>
  people.map((p) => ({ id: p.id, name: p.active ? p.name : `${p.name} (deactivated)`, active: p.active }));

export function dashboardHandler(deps: AppDeps): RequestHandler {
  /** GET /dashboard — the superuser's companies, the account manager's company, the staff user's own work. */
  return async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const now = new Date();
    const helpers = { STATUS_LABELS, LEAD_STATUSES, PRIORITY_LABELS, TASK_STATUS_LABELS, plural, now, formatTotal };
    const dashboard = dashboardFor(user);
    refuseRepeated(req.query, ['range', 'from', 'to', 'assigneeId', 'companyId']);
    const picker = rangeOf(req, now);
    const seesLeads = can(user, 'lead.view');
    const seesActivity = can(user, 'activity.view');
    // The own company's figure version is read beside the overview's statements (not after them).
    const ownVersion = seesLeads && user.companyId !== null ? figureVersion(req, user.companyId) : null;
    ownVersion?.catch(() => {});
    // The figures count to the minute (the activity window's start); the range and the months to the day.
    const figuresAt = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
    const results = (scope: ResultsScope, whose: string) => {
      const compute = async () => {
        const r = await pipelineResults(deps, req, picker.range, scope, figuresAt);
        const winRate = r.winRate === null ? '–' : percent.format(r.winRate);
        const figures = { ...r, charts: dashboardCharts(r, whose), winRate };
        // The charts' HTML depends on the figures alone: rendered once and kept with them.
        return { ...figures, chartsHtml: await renderFragment(req, 'dashboard/_charts', { r: figures }) };
      };
      const companyId = scope.filter.companyId ?? user.companyId;
      if (companyId === null) return compute();
      // Everything the figures depend on besides the company's leads and activities (their version).
      const key = [user.id, user.role, user.timeZone, figuresAt, picker.range.from, picker.range.to, scope, whose];
      const version = (companyId === user.companyId ? ownVersion : null) ?? figureVersion(req, companyId);
      return cachedFigures(deps.db, version, companyId, key, compute);
    };
    const render = (view: string, locals: Record<string, unknown>) =>
      res
        .status(Object.keys(picker.errors).length ? 422 : 200)
        .render(view, { title: 'Dashboard', ...helpers, picker, ...locals });
    if (dashboard === 'companies') {
      const overview = await superuserOverview(scoped);
      const choice = chosenId(req.query.companyId, () => true);
      const company = choice.id ? await chosenCompany(scoped, choice.id) : null;
      if (choice.id && !company) picker.errors.companyId = 'Choose a company from the list.';
      else if (choice.bad) picker.errors.companyId = 'Choose a company from the list.';
      const people: Person[] | null = company ? active(company.team) : null;
      return render('dashboard/superuser', {
        overview,
        company,
        companyId: company ? String(company.id) : typeof req.query.companyId === 'string' ? req.query.companyId : '',
        results: company
          ? await results(
              {
                filter: { companyId: company.id },
                currency: company.currency,
                probabilities: company.probabilities,
                people,
                authors: people ?? [],
              },
              `${company.name}'s`,
            )
          : null,
        companyTotals: company ? null : await companyResults(deps, req, picker.range, overview.companies),
      });
    }
    if (dashboard === 'company') {
      const overview = await companyOverview(req.sql, user, now);
      const choice = chosenId(req.query.assigneeId, (id) => overview.team.some((u) => u.id === id));
      if (choice.bad) picker.errors.assigneeId = 'Choose a person from the list.';
      const person = overview.team.find((u) => u.id === choice.id) ?? null;
      const people = active(overview.team);
      return render('dashboard/manager', {
        overview,
        people,
        assigneeId: person ? String(person.id) : typeof req.query.assigneeId === 'string' ? req.query.assigneeId : '',
        results: seesLeads
          ? await results(
              {
                filter: person ? { assigneeId: person.id } : {},
                currency: user.currency,
                probabilities: user.probabilities,
                people,
                authors: seesActivity ? people.filter((p) => !person || p.id === person.id) : [],
              },
              person ? `${person.name}'s` : 'the company’s',
            )
          : null,
      });
    }
    const overview = await staffOverview(req.sql, user, now);
    const me = { id: user.id, name: user.name };
    // My day's blocks come first, through the same partial as /today (views/today/_blocks.ejs).
    render('dashboard/staff', {
      ...dayLocals(user, overview.day, '/dashboard', now),
      overview,
      results: seesLeads
        ? await results(
            {
              filter: {},
              currency: user.currency,
              probabilities: user.probabilities,
              people: null,
              authors: seesActivity ? [me] : [],
            },
            'your',
          )
        : null,
    });
  };
}

// The dashboard's "Pipeline and results" figures for one scope (staff: their own; an account manager: the
// company or one person; a superuser: one company), read through src/pipeline/figures.ts, which runs grouped
// SQL with the access core's conditions. A fixed number of statements whatever the data: RESULTS_STATEMENTS.
// Amounts stay exact decimal strings; they are summed here in cents (BigInt), never as floating point.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Request } from 'express';
import type { AppDeps } from '../deps.ts';
import type { LeadStatus } from '../generated/prisma/client.ts';
import { KIND_LABELS } from '../activity/fields.ts';
import { LEAD_SOURCES } from '../lead/fields.ts';
import {
  activityByAuthor,
  type ClosedRow,
  closedDeals,
  createdLeads,
  type FigureFilter,
  pipelineByStage,
} from '../pipeline/figures.ts';
import { type DateRange, monthStarts } from '../pipeline/range.ts';
import { FUNNEL_STEPS, LOST_REASONS, OPEN_STAGES, type OpenStage, weightedValue } from '../pipeline/stages.ts';

/** Statements the section costs: stages, months, people's results, sources, reasons, created leads, activity. */
export const RESULTS_STATEMENTS = 7;
const ACTIVITY_DAYS = 30;
export const ACTIVITY_KINDS = ['CALL', 'MEETING', 'NOTE', 'EMAIL'] as const;
export { KIND_LABELS };

/** A person of the tables; a deactivated one (active: false) is listed only with figures to show. */
export type Person = { id: number; name: string; active?: boolean };
const shown = (p: Person, figures: number) => p.active !== false || figures > 0;
export type ResultsScope = {
  /** Narrows the figures inside the user's scope: a superuser's company, a manager's chosen person. */
  filter: FigureFilter;
  currency: string;
  probabilities: Readonly<Record<LeadStatus, number>>;
  /** The people of the per-person table (everyone the user may see), or null for staff (their own only). */
  people: Person[] | null;
  /** Whose activity is shown: the people, or the staff user alone (none without activity.view: no statement). */
  authors: Person[];
};

const cents = (v: string | number) => {
  const [units, fraction = ''] = String(v).split('.');
  const negative = units.startsWith('-');
  const c = BigInt(units.replace('-', '') || '0') * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2) || '0');
  return negative ? -c : c;
};
const decimal = (c: bigint) => {
  const sign = c < 0n ? '-' : '';
  const abs = c < 0n ? -c : c;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};
/** The exact sum of decimal strings. */
export function sumValues(values: (string | number)[]): string {
  return decimal(values.reduce<bigint>((s, v) => s + cents(v), 0n));
}

type Tally = { count: number; value: string };
const tally = (rows: { count: number; value: string }[]): Tally => ({
  count: rows.reduce((n, r) => n + r.count, 0),
  value: sumValues(rows.map((r) => r.value)),
});
const closed = (rows: ClosedRow[], status: 'WON' | 'LOST', key?: string) =>
  tally(rows.filter((r) => r.status === status && (key === undefined || r.key === key)));

export async function pipelineResults(deps: AppDeps, req: Request, range: DateRange, scope: ResultsScope, now: Date) {
  const { filter } = scope;
  const months = monthStarts(req.user!.timeZone, now, 12);
  const since = new Date(now.getTime() - ACTIVITY_DAYS * 24 * 3600_000);
  // The per-person figures cover everyone in scope (the table lists each person whatever the filter); the
  // stage chart of a chosen person is taken from the same rows.
  const { assigneeId, ...companyOnly } = filter;
  const [stageRows, monthRows, personRows, sourceRows, reasonRows, createdRows, activityRows] = await Promise.all([
    pipelineByStage(req, 'assignee', companyOnly),
    closedDeals(deps, req, 'month', { from: months[0], to: months[12] }, filter),
    closedDeals(deps, req, 'assignee', range, companyOnly),
    closedDeals(deps, req, 'source', range, filter),
    closedDeals(deps, req, 'reason', range, filter),
    createdLeads(deps, req, 'source', range, filter),
    scope.authors.length ? activityByAuthor(req, since, filter) : [],
  ]);
  const mine = stageRows.filter((r) => assigneeId === undefined || r.key === String(assigneeId));
  const stageOf = (rows: typeof stageRows, status: OpenStage) => {
    const t = tally(rows.filter((r) => r.status === status));
    return { status, ...t, weighted: weightedValue(t.value, scope.probabilities[status]) };
  };
  const stages = OPEN_STAGES.map((status) => stageOf(mine, status));
  const people =
    scope.people
      ?.map((p) => {
        const own = stageRows.filter((r) => r.key === String(p.id));
        const open = OPEN_STAGES.map((status) => stageOf(own, status));
        return {
          ...p,
          open: { ...tally(open), weighted: sumValues(open.map((s) => s.weighted)) },
          won: closed(personRows, 'WON', String(p.id)),
          lost: closed(personRows, 'LOST', String(p.id)),
        };
      })
      .filter((p) => shown(p, p.open.count + p.won.count + p.lost.count)) ?? null;
  const won = closed(sourceRows, 'WON');
  const lost = closed(sourceRows, 'LOST');
  const tz = req.user!.timeZone;
  return {
    range,
    currency: scope.currency,
    open: { ...tally(stages), weighted: sumValues(stages.map((s) => s.weighted)) },
    stages,
    won,
    lost,
    /** Won ÷ (won + lost) among deals closed in the range, or null when none closed. */
    winRate: won.count + lost.count > 0 ? won.count / (won.count + lost.count) : null,
    months: months.slice(0, 12).map((start) => {
      const at = new TZDate(start.getTime(), tz);
      const key = format(at, 'yyyy-MM');
      return {
        key,
        label: format(at, 'MMMM yyyy'),
        short: format(at, 'MMM'),
        year: format(at, 'yyyy'),
        ...closed(monthRows, 'WON', key),
      };
    }),
    funnel: FUNNEL_STEPS.map((step) => ({
      ...step,
      count: createdRows.filter((r) => r.furthestStage >= step.stage).reduce((n, r) => n + r.count, 0),
    })),
    sources: LEAD_SOURCES.map((source) => ({
      source,
      created: createdRows.filter((r) => r.key === source).reduce((n, r) => n + r.count, 0),
      won: closed(sourceRows, 'WON', source),
    })),
    // '' gathers deals lost before a reason was asked (imports, older data).
    reasons: [...LOST_REASONS, ''].map((reason) => ({ reason, ...closed(reasonRows, 'LOST', reason) })),
    people,
    activity: scope.authors
      .map((p) => {
        const own = activityRows.filter((r) => r.authorId === p.id);
        const kinds = Object.fromEntries(
          ACTIVITY_KINDS.map((k) => [k, own.filter((r) => r.kind === k).reduce((n, r) => n + r.count, 0)]),
        ) as Record<(typeof ACTIVITY_KINDS)[number], number>;
        return { ...p, kinds, total: ACTIVITY_KINDS.reduce((n, k) => n + kinds[k], 0) };
      })
      .filter((p) => shown(p, p.total)),
    activityDays: ACTIVITY_DAYS,
  };
}
export type PipelineResults = Awaited<ReturnType<typeof pipelineResults>>;

export type CompanyRef = {
  id: number;
  name: string;
  currency: string;
  probabilities: Readonly<Record<LeadStatus, number>>;
};

/**
 * A superuser without a chosen company: each listed company's open pipeline (value, weighted) and the value won
 * in the range, each in the company's own currency (never summed across companies). Two statements.
 */
export async function companyResults(deps: AppDeps, req: Request, range: DateRange, companies: CompanyRef[]) {
  const [stageRows, wonRows] = await Promise.all([
    pipelineByStage(req, 'company'),
    closedDeals(deps, req, 'company', range),
  ]);
  return companies.map((c) => {
    const key = String(c.id);
    const open = OPEN_STAGES.map((status) => {
      const t = tally(stageRows.filter((r) => r.key === key && r.status === status));
      return { ...t, weighted: weightedValue(t.value, c.probabilities[status]) };
    });
    return {
      ...c,
      open: { ...tally(open), weighted: sumValues(open.map((s) => s.weighted)) },
      won: closed(wonRows, 'WON', key),
      lost: closed(wonRows, 'LOST', key),
    };
  });
}
export const COMPANY_RESULTS_STATEMENTS = 2;

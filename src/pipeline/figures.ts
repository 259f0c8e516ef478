// The figures of the dashboards and reports (issue 14): deals closed and leads created in a date range, the
// open pipeline, activity per author. Each function is one grouped statement over the user's scope.
// - The open pipeline and the activity counts go through the scoped client (Prisma's groupBy), the pipeline
//   from the lead tally: what a company has open costs the same few hundred rows whatever its size.
// - Closed and created deals group by month in the user's time zone and sum days from creation to close,
//   which Prisma's groupBy cannot say: they are raw SQL, whose company and assignee conditions come from the
//   access core's read rule for Lead (readScopeSql), and read the covering indexes of migration pipeline_money.
import { utcInstant } from '../db/utcInstant.ts';
import type { Request } from 'express';
import { seesOthersRows } from '../access/policy.ts';
import { readScopeSql } from '../access/scope.ts';
import { unscoped } from '../db/client.ts';
import type { AppDeps } from '../deps.ts';
import { type LeadSource, type LeadStatus, Prisma } from '../generated/prisma/client.ts';
import { monthBoundsWithin } from './range.ts';

/** Optional narrowing inside the user's scope: a superuser's chosen company, a manager's chosen person. */
export type FigureFilter = { companyId?: number; assigneeId?: number };
export type Range = { from: Date; to: Date };

export type ClosedBy = 'assignee' | 'company' | 'source' | 'reason' | 'month' | 'all';
export type CreatedBy = 'assignee' | 'company' | 'source' | 'all';

/** Deals closed in the range. value: exact decimal (blank values count 0); days: the sum of whole days to close. */
export type ClosedRow = { key: string; status: 'WON' | 'LOST'; count: number; value: string; days: number };
/** Leads created in the range, by the furthest stage they reached (0 new … 3 won). */
export type CreatedRow = { key: string; furthestStage: number; count: number; value: string };
export type StageRow = { key: string; status: LeadStatus; count: number; value: string };
export type ActivityRow = { authorId: number | null; kind: 'CALL' | 'EMAIL' | 'MEETING' | 'NOTE'; count: number };

/** A timestamp(3) column holds UTC wall time: an instant is compared as its UTC wall time. */
const utc = utcInstant;

function keyOf(by: ClosedBy, timeZone: string): Prisma.Sql {
  switch (by) {
    case 'assignee':
      return Prisma.sql`l."assigneeId"::text`;
    case 'company':
      return Prisma.sql`l."companyId"::text`;
    case 'source':
      return Prisma.sql`l."source"::text`;
    case 'reason':
      return Prisma.sql`coalesce(l."lostReason"::text, '')`;
    case 'month':
      // The close's month where the user is: UTC wall time → instant → the zone's wall time.
      return Prisma.sql`to_char((l."closedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM')`;
    case 'all':
      return Prisma.sql`'all'`;
  }
}

function conditions(req: Request, filter: FigureFilter, alias: 'l' | 't' = 'l'): Prisma.Sql {
  const parts = [readScopeSql(alias === 'l' ? 'Lead' : 'LeadClosedDay', req.user!, alias)];
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  if (filter.companyId !== undefined) parts.push(Prisma.sql`${column('companyId')} = ${filter.companyId}`);
  if (filter.assigneeId !== undefined) parts.push(Prisma.sql`${column('assigneeId')} = ${filter.assigneeId}`);
  return Prisma.join(parts, ' AND ');
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Deals closed in the range by month in the user's zone, from the per-day tally ("LeadClosedDay"): a year is a
 * few thousand tally rows whatever the company's size, where the deals themselves are one row each. A UTC day
 * that holds a month boundary of the zone (or the range's own start or end) other than its midnight is split
 * between two months: those few days are read from the deals themselves.
 */
async function closedByMonth(deps: AppDeps, req: Request, range: Range, filter: FigureFilter): Promise<ClosedRow[]> {
  const timeZone = req.user!.timeZone;
  const splitDays = [
    ...new Set(
      monthBoundsWithin(range, timeZone)
        .map((b) => b.getTime())
        .filter((ms) => ms % DAY_MS !== 0)
        .map((ms) => isoDay(ms - (ms % DAY_MS))),
    ),
  ];
  const firstWholeDay = isoDay(Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS);
  const endDay = isoDay(Math.floor(range.to.getTime() / DAY_MS) * DAY_MS);
  const monthOf = (instant: Prisma.Sql) =>
    Prisma.sql`to_char((${instant} AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM')`;
  return raw(deps).$queryRaw<ClosedRow[]>`
    SELECT key, status, sum(count)::int AS count, sum(value)::text AS value, sum(days)::int AS days FROM (
      SELECT ${monthOf(Prisma.sql`t."day"::timestamp`)} AS key, t."status"::text AS status,
        t."count", t."value", t."days"
      FROM "LeadClosedDay" t
      WHERE ${conditions(req, filter, 't')} AND t."day" >= ${firstWholeDay}::date AND t."day" < ${endDay}::date
        AND t."day" <> ALL(${splitDays}::date[]) AND t."count" <> 0
      UNION ALL
      SELECT ${monthOf(Prisma.sql`l."closedAt"`)}, l."status"::text, 1, coalesce(l."estimatedValue", 0),
        floor(extract(epoch FROM l."closedAt" - l."createdAt") / 86400)::int
      FROM unnest(${splitDays}::date[]) AS s(day)
        JOIN "Lead" l ON ${conditions(req, filter)} AND l."closedAt" >= s.day AND l."closedAt" < s.day + 1
      WHERE l."closedAt" >= ${utc(range.from)} AND l."closedAt" < ${utc(range.to)} AND l."status" IN ('WON', 'LOST')
    ) AS closed
    GROUP BY 1, 2 HAVING sum(count) <> 0 ORDER BY 1, 2`;
}

const raw = (deps: AppDeps) => unscoped(deps.db, 'pipeline figures');

export async function closedDeals(
  deps: AppDeps,
  req: Request,
  by: ClosedBy,
  range: Range,
  filter: FigureFilter = {},
): Promise<ClosedRow[]> {
  if (by === 'month') return closedByMonth(deps, req, range, filter);
  const key = keyOf(by, req.user!.timeZone);
  return raw(deps).$queryRaw<ClosedRow[]>`
    SELECT ${key} AS key, l."status"::text AS status, count(*)::int AS count,
      coalesce(sum(l."estimatedValue"), 0)::text AS value,
      coalesce(sum(floor(extract(epoch FROM l."closedAt" - l."createdAt") / 86400)), 0)::int AS days
    FROM "Lead" l
    WHERE ${conditions(req, filter)} AND l."closedAt" >= ${utc(range.from)} AND l."closedAt" < ${utc(range.to)}
      AND l."status" IN ('WON', 'LOST')
    GROUP BY 1, 2 ORDER BY 1, 2`;
}

export async function createdLeads(
  deps: AppDeps,
  req: Request,
  by: CreatedBy,
  range: Range,
  filter: FigureFilter = {},
): Promise<CreatedRow[]> {
  const key = keyOf(by, req.user!.timeZone);
  return raw(deps).$queryRaw<CreatedRow[]>`
    SELECT ${key} AS key, l."furthestStage"::int AS "furthestStage", count(*)::int AS count,
      coalesce(sum(l."estimatedValue"), 0)::text AS value
    FROM "Lead" l
    WHERE ${conditions(req, filter)} AND l."createdAt" >= ${utc(range.from)} AND l."createdAt" < ${utc(range.to)}
    GROUP BY 1, 2 ORDER BY 1, 2`;
}

const TALLY_KEY = { assignee: 'assigneeId', company: 'companyId', source: 'source' } as const;

/** The pipeline now, per status (and key), from the lead tally through the scoped client. */
export async function pipelineByStage(
  req: Request,
  by: CreatedBy,
  filter: FigureFilter & { source?: LeadSource } = {},
): Promise<StageRow[]> {
  const column = by === 'all' ? null : TALLY_KEY[by];
  const groups = await req.db.leadTally.groupBy({
    by: column ? ['status', column] : ['status'],
    where: {
      ...(filter.companyId !== undefined ? { companyId: filter.companyId } : {}),
      ...(filter.assigneeId !== undefined ? { assigneeId: filter.assigneeId } : {}),
      ...(filter.source ? { source: filter.source } : {}),
    },
    _sum: { count: true, value: true },
    orderBy: column ? [{ status: 'asc' }, { [column]: 'asc' }] : [{ status: 'asc' }],
  });
  return groups
    .map((g) => ({
      key: column ? String((g as Record<string, unknown>)[column]) : 'all',
      status: g.status,
      count: g._sum.count ?? 0,
      value: (g._sum.value ?? 0).toString(),
    }))
    .filter((r) => r.count !== 0 || r.value !== '0');
}

/**
 * Activities since a date per author and kind. Staff count their own only: their scope also holds colleagues'
 * activities about customers, which are not theirs to compare.
 */
export async function activityByAuthor(req: Request, since: Date, filter: FigureFilter = {}): Promise<ActivityRow[]> {
  const user = req.user!;
  const authorId = seesOthersRows(user) ? filter.assigneeId : user.id;
  const groups = await req.db.activity.groupBy({
    by: ['authorId', 'kind'],
    where: {
      occurredAt: { gte: since },
      ...(filter.companyId !== undefined ? { companyId: filter.companyId } : {}),
      ...(authorId !== undefined ? { authorId } : {}),
    },
    _count: { _all: true },
    orderBy: [{ authorId: 'asc' }, { kind: 'asc' }],
  });
  return groups.map((g) => ({ authorId: g.authorId, kind: g.kind, count: g._count._all }));
}

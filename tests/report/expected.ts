// The reports' figures computed directly in SQL over the leads themselves, for a scope written out here
// (not taken from the app): closed deals whose close day in the viewer's zone is in the range, grouped.
import type { TestContext } from '../helpers/context.ts';

export type Kind = 'person' | 'source' | 'month' | 'reason';

/** One group's figures as SQL computes them; amounts and averages as PostgreSQL's numeric text. */
export type SqlRow = {
  key: string;
  won: number;
  wonValue: string;
  lost: number;
  lostValue: string;
  winRate: string | null;
  averageDeal: string | null;
  averageDays: string | null;
  /** This group's lost deals as a share of all lost deals in the scope and range (whole per cent). */
  lostShare: string | null;
};

const KEYS: Record<Kind, string> = {
  person: `"assigneeId"::text`,
  source: `"source"::text`,
  month: `to_char(("closedAt" AT TIME ZONE 'UTC') AT TIME ZONE $1, 'YYYY-MM')`,
  reason: `COALESCE("lostReason"::text, '')`,
};

const FIGURES = `
  count(*) FILTER (WHERE "status" = 'WON')::int AS "won",
  COALESCE(sum("estimatedValue") FILTER (WHERE "status" = 'WON'), 0)::text AS "wonValue",
  count(*) FILTER (WHERE "status" = 'LOST')::int AS "lost",
  COALESCE(sum("estimatedValue") FILTER (WHERE "status" = 'LOST'), 0)::text AS "lostValue",
  round(100.0 * count(*) FILTER (WHERE "status" = 'WON') / NULLIF(count(*), 0))::text AS "winRate",
  round(COALESCE(sum("estimatedValue") FILTER (WHERE "status" = 'WON'), 0)
    / NULLIF(count(*) FILTER (WHERE "status" = 'WON'), 0), 2)::text AS "averageDeal",
  round(sum(floor(extract(epoch FROM "closedAt" - "createdAt") / 86400)) FILTER (WHERE "status" = 'WON')
    / NULLIF(count(*) FILTER (WHERE "status" = 'WON'), 0), 1)::text AS "averageDays",
  round(100.0 * count(*) FILTER (WHERE "status" = 'LOST')
    / NULLIF(sum(count(*) FILTER (WHERE "status" = 'LOST')) OVER (), 0))::text AS "lostShare"`;

/**
 * The groups (and the total, key 'Total') of a report for a viewer in `timeZone` whose scope is `scope`
 * (SQL over "Lead" with $2, $3… as `args`).
 */
export async function sqlReport(
  ctx: TestContext,
  kind: Kind,
  timeZone: string,
  range: { from: string; to: string },
  scope: string,
  args: unknown[],
): Promise<Map<string, SqlRow>> {
  const n = args.length;
  const where = `
    WHERE "status" IN ('WON', 'LOST') AND (${scope})
      AND (("closedAt" AT TIME ZONE 'UTC') AT TIME ZONE $1)::date BETWEEN $${n + 2}::date AND $${n + 3}::date`;
  const params = [timeZone, ...args, range.from, range.to];
  const groups = await ctx.db.pool.query<SqlRow>(
    `SELECT ${KEYS[kind]} AS "key", ${FIGURES} FROM "Lead" ${where} GROUP BY 1`,
    params,
  );
  const total = await ctx.db.pool.query<SqlRow>(`SELECT 'Total' AS "key", ${FIGURES} FROM "Lead" ${where}`, params);
  return new Map([...groups.rows, ...total.rows].map((r) => [r.key, r]));
}

export const ZERO: Omit<SqlRow, 'key'> = {
  won: 0,
  wonValue: '0',
  lost: 0,
  lostValue: '0',
  winRate: null,
  averageDeal: null,
  averageDays: null,
  lostShare: null,
};

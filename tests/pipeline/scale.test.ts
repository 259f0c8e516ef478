// The money figures at scale (issue 14): the demo data (`npm run db:seed`), then its company grown to 100,000
// synthetic leads with the bench's generator, beside another company's leads. For each role, every figure the
// board, the dashboards and the reports read (src/pipeline/figures.ts) equals the same aggregate computed here
// in SQL over that user's scope — for the default range and for the last 12 months.
import type { Request } from 'express';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { growLeads } from '../../bench/grow.ts';
import { loadCurrentUser } from '../../src/access/currentUser.ts';
import { scope } from '../../src/access/scope.ts';
import type { AppDeps } from '../../src/deps.ts';
import { type ClosedBy, closedDeals, createdLeads, pipelineByStage } from '../../src/pipeline/figures.ts';
import { presetRange } from '../../src/pipeline/range.ts';
import { formatTotal } from '../../src/pipeline/money.ts';
import { weightedValue } from '../../src/pipeline/stages.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { boardFigures, sqlTotals } from '../board/boardWorld.ts';
import { text } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { useTestContext } from '../helpers/context.ts';

const ctx = useTestContext();
const LEADS = 100_000;
const now = new Date();
let roles: { name: string; id: number; companyId: number | null }[] = [];
let demoCompany = 0;

/** The demo, grown (inside the test: the context empties the database before each test). */
async function buildData() {
  const demo = await seedDemo(ctx.prisma, { now });
  demoCompany = demo.company.id;
  const other = await ctx.make.company({ name: 'Other Tenant' });
  const otherManager = await ctx.make.manager(other.id);
  const bulk = new pg.Pool({ connectionString: ctx.db.url, max: 2 });
  try {
    const grow = { createdById: demo.manager.id, customerIds: [], now };
    await growLeads(
      bulk,
      { ...grow, companyId: demo.company.id, assigneeIds: [...demo.staff.map((s) => s.id), demo.manager.id] },
      LEADS,
      () => {},
    );
    await growLeads(bulk, { ...grow, companyId: other.id, assigneeIds: [otherManager.id] }, 5_000, () => {});
    await bulk.query('ANALYZE "Lead"');
  } finally {
    await bulk.end();
  }
  const su = await ctx.prisma.user.findFirstOrThrow({ where: { role: 'SUPERUSER' } });
  roles = [
    { name: 'account manager', id: demo.manager.id, companyId: demo.company.id },
    { name: 'staff', id: demo.staff[0].id, companyId: demo.company.id },
    { name: 'superuser', id: su.id, companyId: null },
  ];
}

async function requestOf(id: number): Promise<Request> {
  const user = (await loadCurrentUser(ctx.prisma, id))!;
  return { user, db: scope(ctx.prisma, user) } as unknown as Request;
}
const deps = () => ({ db: ctx.db }) as unknown as AppDeps;

/** The role's scope in SQL, written here independently of the access core. */
function scopeSql(role: (typeof roles)[number]): string {
  if (role.name === 'account manager') return `"companyId" = ${role.companyId}`;
  if (role.name === 'staff') return `"companyId" = ${role.companyId} AND "assigneeId" = ${role.id}`;
  return 'TRUE';
}

const KEYS: Record<Exclude<ClosedBy, 'month'>, string> = {
  assignee: `"assigneeId"::text`,
  company: `"companyId"::text`,
  source: `source::text`,
  reason: `coalesce("lostReason"::text, '')`,
  all: `'all'`,
};

async function expectClosedAndCreatedRight() {
  for (const rangeKey of ['this-month', 'last-12-months'] as const) {
    const range = presetRange(rangeKey, 'UTC', now);
    const bounds = [range.from.toISOString().slice(0, 23), range.to.toISOString().slice(0, 23)];
    let nonEmpty = 0;
    for (const role of roles) {
      const req = await requestOf(role.id);
      for (const [by, key] of Object.entries(KEYS) as [Exclude<ClosedBy, 'month'>, string][]) {
        const { rows } = await ctx.db.pool.query(
          `SELECT ${key} AS key, status::text AS status, count(*)::int AS count,
             coalesce(sum("estimatedValue"), 0)::text AS value,
             coalesce(sum(floor(extract(epoch FROM "closedAt" - "createdAt") / 86400)), 0)::int AS days
           FROM "Lead" WHERE ${scopeSql(role)} AND status IN ('WON', 'LOST')
             AND "closedAt" >= $1::timestamp AND "closedAt" < $2::timestamp
           GROUP BY 1, 2 ORDER BY 1, 2`,
          bounds,
        );
        expect([role.name, by, await closedDeals(deps(), req, by, range)]).toEqual([role.name, by, rows]);
        nonEmpty += rows.length;
      }
      const created = await ctx.db.pool.query(
        `SELECT source::text AS key, "furthestStage"::int AS "furthestStage", count(*)::int AS count,
           coalesce(sum("estimatedValue"), 0)::text AS value
         FROM "Lead" WHERE ${scopeSql(role)} AND "createdAt" >= $1::timestamp AND "createdAt" < $2::timestamp
         GROUP BY 1, 2 ORDER BY 1, 2`,
        bounds,
      );
      expect([role.name, await createdLeads(deps(), req, 'source', range)]).toEqual([role.name, created.rows]);
      nonEmpty += created.rows.length;
    }
    // The synthetic year holds deals in every month: a test over empty sets would prove nothing.
    expect([rangeKey, nonEmpty > 20]).toEqual([rangeKey, true]);
  }
}

/**
 * Deals closed per month in the user's zone (from the per-day tally and, for the days a zone's month boundary
 * splits, the deals themselves) equal a GROUP BY over the deals, for zones either side of UTC and a half-hour one.
 */
async function expectMonthsRight() {
  for (const timeZone of ['UTC', 'Asia/Kolkata', 'America/Los_Angeles']) {
    for (const role of roles) {
      await ctx.prisma.user.update({ where: { id: role.id }, data: { timeZone } });
      const range = presetRange('last-12-months', timeZone, now);
      const { rows } = await ctx.db.pool.query(
        `SELECT to_char(("closedAt" AT TIME ZONE 'UTC') AT TIME ZONE $3, 'YYYY-MM') AS key, status::text AS status,
           count(*)::int AS count, coalesce(sum("estimatedValue"), 0)::text AS value,
           coalesce(sum(floor(extract(epoch FROM "closedAt" - "createdAt") / 86400)), 0)::int AS days
         FROM "Lead" WHERE ${scopeSql(role)} AND status IN ('WON', 'LOST')
           AND "closedAt" >= $1::timestamp AND "closedAt" < $2::timestamp
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [range.from.toISOString().slice(0, 23), range.to.toISOString().slice(0, 23), timeZone],
      );
      const figures = await closedDeals(deps(), await requestOf(role.id), 'month', range);
      expect([timeZone, role.name, figures]).toEqual([timeZone, role.name, rows]);
      expect(rows.length).toBeGreaterThan(role.name === 'staff' ? 6 : 20);
    }
  }
}

/** The open pipeline per person and stage (from the tally), the superuser's per company. */
async function expectPipelineRight() {
  for (const role of roles) {
    const by = role.name === 'superuser' ? 'company' : 'assignee';
    const column = by === 'company' ? '"companyId"' : '"assigneeId"';
    const { rows } = await ctx.db.pool.query(
      `SELECT ${column}::text AS key, status::text AS status, count(*)::int AS count,
           coalesce(sum("estimatedValue"), 0)::numeric(16,2)::text AS value
         FROM "Lead" WHERE ${scopeSql(role)} GROUP BY 1, 2`,
      [],
    );
    const figures = await pipelineByStage(await requestOf(role.id), by);
    const asText = (r: { key: string; status: string; count: number; value: string }) =>
      `${r.key} ${r.status} ${r.count} ${Number(r.value).toFixed(2)}`;
    expect([role.name, figures.map(asText).sort()]).toEqual([role.name, rows.map(asText).sort()]);
    expect(figures.reduce((n, r) => n + r.count, 0)).toBeGreaterThan(role.name === 'staff' ? 1_000 : LEADS - 1);
  }
  expect(demoCompany).toBeGreaterThan(0);
}

/**
 * The pages themselves, as each role reads them: every total on the board, and the dashboard's open pipeline and
 * the deals won and lost this month, equal SQL over the role's scope (the demo company's currency and its own
 * win probabilities; a superuser chooses the company).
 */
async function expectPagesRight() {
  const company = await ctx.prisma.company.findUniqueOrThrow({ where: { id: demoCompany } });
  const probability = {
    NEW: company.probabilityNew,
    CONTACTED: company.probabilityContacted,
    QUALIFIED: company.probabilityQualified,
  } as Record<string, number>;
  const money = (v: string) => formatTotal(v, company.currency);
  for (const role of roles) {
    await ctx.prisma.user.update({ where: { id: role.id }, data: { timeZone: 'UTC' } });
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { id: role.id } });
    const session = await signInAs(ctx, user);
    const chosen = role.companyId === null ? `?companyId=${demoCompany}` : '';
    const board = boardFigures(await session.get(`/leads/board${chosen}`).expect(200));
    const sql = await sqlTotals(ctx, { ...user, companyId: user.companyId }, { companyId: demoCompany });
    for (const [status, t] of Object.entries(sql)) {
      const expected = { count: String(t.count), total: money(t.value) } as Record<string, string>;
      if (status in probability) expected.weighted = money(weightedValue(t.value, probability[status]));
      expect([role.name, status, board[status]]).toEqual([role.name, status, expected]);
    }
    const page = await session.get(`/dashboard${chosen}`).expect(200);
    const range = presetRange('this-month', 'UTC', now);
    const inRange = '"closedAt" >= $2 AND "closedAt" < $3';
    const { rows } = await ctx.db.pool.query(
      `SELECT
         coalesce(sum("estimatedValue") FILTER (WHERE status IN ('NEW', 'CONTACTED', 'QUALIFIED')), 0)::text AS open,
         coalesce(sum("estimatedValue") FILTER (WHERE status = 'WON' AND ${inRange}), 0)::text AS won,
         coalesce(sum("estimatedValue") FILTER (WHERE status = 'LOST' AND ${inRange}), 0)::text AS lost
       FROM "Lead" WHERE "companyId" = $1 ${role.name === 'staff' ? `AND "assigneeId" = ${role.id}` : ''}`,
      [demoCompany, range.from.toISOString().slice(0, 23), range.to.toISOString().slice(0, 23)],
    );
    const shown = (name: string) => text(page, `[data-metric="${name}"]`);
    expect([role.name, shown('open-value'), shown('won-value'), shown('lost-value')]).toEqual([
      role.name,
      money(rows[0].open),
      money(rows[0].won),
      money(rows[0].lost),
    ]);
  }
}

describe('figures at 100,000 leads', () => {
  it('equal SQL over each role’s scope: closed deals, created leads, the open pipeline', async () => {
    await buildData();
    await expectClosedAndCreatedRight();
    await expectPipelineRight();
    await expectMonthsRight();
    await expectPagesRight();
  }, 300_000);
});

// The dashboards' and reports' figures (src/pipeline/figures.ts) against SQL written here over each role's
// scope: deals closed and leads created in a range (by person, company, source, reason, month in the user's
// zone), the open pipeline from the tally, activity per author. Leads of another company, of a colleague and
// outside the range are present in every case.
import type { Request } from 'express';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCurrentUser } from '../../src/access/currentUser.ts';
import { scope } from '../../src/access/scope.ts';
import type { AppDeps } from '../../src/deps.ts';
import { activityByAuthor, closedDeals, createdLeads, pipelineByStage } from '../../src/pipeline/figures.ts';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';

const ctx = useTestContext();
let w: World;
const range = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') };

beforeEach(async () => {
  w = await makeWorld(ctx);
  const lead = (companyId: number, assigneeId: number, data: Record<string, unknown>) =>
    ctx.make.lead(companyId, assigneeId, data);
  // Closed inside the range: two of staffA's (one at the edge of a month in Tokyo), one of the colleague's.
  await lead(w.a.id, w.staffA.id, {
    status: 'WON',
    estimatedValue: '1000.50',
    source: 'WEBSITE',
    createdAt: new Date('2026-02-20T10:00:00Z'),
    closedAt: new Date('2026-03-31T20:00:00Z'), // April 1st in Tokyo, March 31st in UTC
  });
  await lead(w.a.id, w.staffA.id, {
    status: 'LOST',
    lostReason: 'PRICE',
    estimatedValue: '300.00',
    source: 'EVENT',
    createdAt: new Date('2026-03-02T10:00:00Z'),
    closedAt: new Date('2026-03-12T10:00:00Z'),
  });
  await lead(w.a.id, w.colleagueA.id, {
    status: 'WON',
    estimatedValue: '99.99',
    source: 'WEBSITE',
    createdAt: new Date('2026-04-01T00:00:00Z'),
    closedAt: new Date('2026-05-31T23:59:59Z'),
  });
  // Outside the range, open, or another company's.
  await lead(w.a.id, w.staffA.id, {
    status: 'WON',
    estimatedValue: '5000.00',
    closedAt: new Date('2026-06-01T00:00:00Z'),
  });
  await lead(w.a.id, w.staffA.id, {
    status: 'QUALIFIED',
    estimatedValue: '700.00',
    createdAt: new Date('2026-04-10T00:00:00Z'),
  });
  await lead(w.b.id, w.managerB.id, {
    status: 'WON',
    estimatedValue: '42.00',
    closedAt: new Date('2026-04-01T00:00:00Z'),
  });
});

async function requestOf(user: { id: number }, timeZone?: string): Promise<Request> {
  if (timeZone) await ctx.prisma.user.update({ where: { id: user.id }, data: { timeZone } });
  const current = (await loadCurrentUser(ctx.prisma, user.id))!;
  return { user: current, db: scope(ctx.prisma, current) } as unknown as Request;
}
const deps = () => ({ db: ctx.db }) as unknown as AppDeps;

/** The same figures in SQL over a condition: per key and status, count, value and days. */
async function closedSql(key: string, where: string, args: unknown[]) {
  const { rows } = await ctx.db.pool.query(
    `SELECT ${key} AS key, status::text AS status, count(*)::int AS count,
       coalesce(sum("estimatedValue"), 0)::text AS value,
       coalesce(sum(floor(extract(epoch FROM "closedAt" - "createdAt") / 86400)), 0)::int AS days
     FROM "Lead" WHERE ${where} AND "closedAt" >= $${args.length + 1} AND "closedAt" < $${args.length + 2}
       AND status IN ('WON', 'LOST') GROUP BY 1, 2 ORDER BY 1, 2`,
    [...args, '2026-03-01 00:00:00', '2026-06-01 00:00:00'],
  );
  return rows;
}

describe('pipeline figures', () => {
  it('closed deals by person, source and reason equal SQL over each role’s scope', async () => {
    const manager = await requestOf(w.managerA);
    expect(await closedDeals(deps(), manager, 'assignee', range)).toEqual(
      await closedSql('"assigneeId"::text', '"companyId" = $1', [w.a.id]),
    );
    expect(await closedDeals(deps(), manager, 'source', range)).toEqual(
      await closedSql('source::text', '"companyId" = $1', [w.a.id]),
    );
    const staff = await requestOf(w.staffA);
    const own = await closedDeals(deps(), staff, 'reason', range);
    expect(own).toEqual(await closedSql(`coalesce("lostReason"::text, '')`, '"assigneeId" = $1', [w.staffA.id]));
    expect(own.map((r) => [r.key, r.status, r.count, r.value])).toEqual([
      ['', 'WON', 1, '1000.50'],
      ['PRICE', 'LOST', 1, '300.00'],
    ]);
    // A staff user narrowing to a colleague still gets only their own deals (the scope wins).
    expect(await closedDeals(deps(), staff, 'all', range, { assigneeId: w.colleagueA.id })).toEqual([]);
    const su = await requestOf(w.su);
    expect(await closedDeals(deps(), su, 'company', range)).toEqual(await closedSql('"companyId"::text', 'TRUE', []));
    expect(await closedDeals(deps(), su, 'all', range, { companyId: w.b.id })).toEqual(
      await closedSql(`'all'`, '"companyId" = $1', [w.b.id]),
    );
  });

  it('groups by month in the user’s zone', async () => {
    const utc = await closedDeals(deps(), await requestOf(w.managerA, 'UTC'), 'month', range);
    expect(utc.map((r) => [r.key, r.status, r.count])).toEqual([
      ['2026-03', 'LOST', 1],
      ['2026-03', 'WON', 1],
      ['2026-05', 'WON', 1],
    ]);
    const tokyo = await closedDeals(deps(), await requestOf(w.managerA, 'Asia/Tokyo'), 'month', range);
    expect(tokyo.map((r) => [r.key, r.status, r.count])).toEqual([
      ['2026-03', 'LOST', 1],
      ['2026-04', 'WON', 1],
      ['2026-06', 'WON', 1],
    ]);
  });

  it('created leads by furthest stage; the open pipeline from the tally; activity per author', async () => {
    const manager = await requestOf(w.managerA);
    const created = await createdLeads(deps(), manager, 'all', range);
    const { rows } = await ctx.db.pool.query(
      `SELECT 'all' AS key, "furthestStage"::int AS "furthestStage", count(*)::int AS count,
         coalesce(sum("estimatedValue"), 0)::text AS value FROM "Lead"
       WHERE "companyId" = $1 AND "createdAt" >= '2026-03-01' AND "createdAt" < '2026-06-01'
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [w.a.id],
    );
    expect(created).toEqual(rows);
    // The lost lead was inserted lost (stage 0), the colleague's won (3), the open one qualified (2).
    expect(created.map((r) => [r.furthestStage, r.count])).toEqual([
      [0, 1],
      [2, 1],
      [3, 1],
    ]);

    const pipeline = await pipelineByStage(await requestOf(w.staffA), 'all');
    const tally = await ctx.db.pool.query(
      `SELECT status::text AS status, count(*)::int AS count, coalesce(sum("estimatedValue"), 0)::text AS value
       FROM "Lead" WHERE "assigneeId" = $1 GROUP BY 1 ORDER BY 1`,
      [w.staffA.id],
    );
    const byStatus = (a: { status: string }, b: { status: string }) => a.status.localeCompare(b.status);
    expect(
      pipeline.map(({ status, count, value }) => ({ status, count, value: Number(value).toFixed(2) })).sort(byStatus),
    ).toEqual(tally.rows.map((r) => ({ ...r, value: Number(r.value).toFixed(2) })));

    const since = new Date(Date.now() - 30 * 86_400_000);
    const customerA = (await ctx.make.customer(w.a.id)).id;
    const customerB = (await ctx.make.customer(w.b.id)).id;
    await ctx.prisma.activity.createMany({
      data: [
        {
          companyId: w.a.id,
          kind: 'CALL',
          summary: 'c',
          authorId: w.staffA.id,
          customerId: customerA,
          occurredAt: new Date(),
        },
        {
          companyId: w.a.id,
          kind: 'CALL',
          summary: 'c',
          authorId: w.colleagueA.id,
          customerId: customerA,
          occurredAt: new Date(),
        },
        {
          companyId: w.a.id,
          kind: 'NOTE',
          summary: 'old',
          authorId: w.staffA.id,
          customerId: customerA,
          occurredAt: new Date(2020, 1, 1),
        },
        {
          companyId: w.b.id,
          kind: 'CALL',
          summary: 'b',
          authorId: w.managerB.id,
          customerId: customerB,
          occurredAt: new Date(),
        },
      ],
    });
    expect(await activityByAuthor(await requestOf(w.staffA), since)).toEqual([
      { authorId: w.staffA.id, kind: 'CALL', count: 1 },
    ]);
    expect(await activityByAuthor(manager, since)).toEqual(
      [w.staffA.id, w.colleagueA.id].sort((x, y) => x - y).map((authorId) => ({ authorId, kind: 'CALL', count: 1 })),
    );
  });
});

// The demo data the money pages (issue 14) show: currencies, probabilities, deals closed over the last 12
// months, lost reasons, the furthest stage reached, and the same data again from the same seed.
import { describe, expect, it } from 'vitest';
import { growLeads } from '../../bench/grow.ts';
import { isCurrency } from '../../src/pipeline/money.ts';
import { monthStarts } from '../../src/pipeline/range.ts';
import { DEFAULT_PROBABILITIES, LOST_REASONS } from '../../src/pipeline/stages.ts';
import { DEMO, seedDemo } from '../../src/seed/demo.ts';
import { useTestContext } from '../helpers/context.ts';

const ctx = useTestContext();
const STAGE = { NEW: 0, CONTACTED: 1, QUALIFIED: 2, WON: 3, LOST: 0 } as const;
const DAY = 24 * 3600_000;

describe('the demo data for the money pages', () => {
  it('gives each company a valid currency of its own, and one company its own win probabilities', async () => {
    await seedDemo(ctx.prisma);
    const companies = await ctx.prisma.company.findMany({ orderBy: { id: 'asc' } });
    expect(companies.map((c) => c.slug)).toEqual([DEMO.slug, DEMO.second.slug]);
    for (const c of companies) expect(isCurrency(c.currency)).toBe(true);
    expect(new Set(companies.map((c) => c.currency)).size).toBe(2);
    const [acme, second] = companies;
    const own = [acme.probabilityNew, acme.probabilityContacted, acme.probabilityQualified];
    expect(own).not.toEqual([
      DEFAULT_PROBABILITIES.NEW,
      DEFAULT_PROBABILITIES.CONTACTED,
      DEFAULT_PROBABILITIES.QUALIFIED,
    ]);
    for (const p of own) expect(p).toBeGreaterThanOrEqual(0);
    for (const p of own) expect(p).toBeLessThanOrEqual(100);
    expect(own).toEqual([...own].sort((a, b) => a - b));
    expect([second.probabilityNew, second.probabilityContacted, second.probabilityQualified]).toEqual([10, 20, 50]);
  });

  it('closes won and lost deals in each of the last 12 months, each a plausible time after it came in', async () => {
    const now = new Date();
    const summary = await seedDemo(ctx.prisma, { now });
    const months = monthStarts(DEMO.timeZone, now, 12);
    const closed = await ctx.prisma.lead.findMany({
      where: { companyId: summary.company.id, status: { in: ['WON', 'LOST'] } },
      select: { status: true, closedAt: true, createdAt: true, updatedAt: true },
    });
    for (const status of ['WON', 'LOST'] as const) {
      const perMonth = months
        .slice(0, 12)
        .map(
          (from, m) =>
            closed.filter((l) => l.status === status && l.closedAt! >= from && l.closedAt! < months[m + 1]).length,
        );
      expect(
        perMonth.every((n) => n >= 1),
        `${status} per month: ${perMonth.join(', ')}`,
      ).toBe(true);
    }
    const all = await ctx.prisma.lead.findMany();
    for (const l of all) {
      if (l.status === 'WON' || l.status === 'LOST') {
        expect(l.closedAt).not.toBeNull();
        expect(l.closedAt!.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(l.closedAt!.getTime()).toBeGreaterThanOrEqual(months[0].getTime());
        // Days to weeks after it came in, not in the same minute (the trigger would have stamped the seed's time).
        expect(l.closedAt!.getTime() - l.createdAt.getTime()).toBeGreaterThanOrEqual(2 * DAY);
        expect(l.closedAt!.getTime() - l.createdAt.getTime()).toBeLessThanOrEqual(76 * DAY);
        if (l.status === 'WON') expect(l.convertedAt).toEqual(l.closedAt);
      } else {
        expect(l.closedAt).toBeNull();
      }
    }
  });

  it('gives every lost deal a reason (a note for "other"), and every lead a furthest stage ≥ its status', async () => {
    await seedDemo(ctx.prisma);
    const leads = await ctx.prisma.lead.findMany();
    const lost = leads.filter((l) => l.status === 'LOST');
    expect(lost.length).toBeGreaterThan(12);
    for (const l of leads) {
      expect(l.furthestStage).toBeGreaterThanOrEqual(STAGE[l.status]);
      expect(l.furthestStage).toBeLessThanOrEqual(3);
      if (l.status === 'WON') expect(l.furthestStage).toBe(3);
      if (l.status === 'LOST') {
        expect(LOST_REASONS).toContain(l.lostReason);
        expect(l.furthestStage).toBeLessThanOrEqual(2);
        if (l.lostReason === 'OTHER') expect(l.lostNote).not.toBe('');
      } else {
        expect([l.lostReason, l.lostNote]).toEqual([null, '']);
      }
    }
    // Lost deals lost at every stage, for every reason (the funnel and the lost-reasons chart have bars).
    expect(new Set(lost.map((l) => l.furthestStage))).toEqual(new Set([0, 1, 2]));
    expect(new Set(lost.map((l) => l.lostReason))).toEqual(new Set(LOST_REASONS));
  });

  it('has open deals with a next step and a close date in the coming months, and deals of every size', async () => {
    const now = new Date();
    const summary = await seedDemo(ctx.prisma, { now });
    const leads = await ctx.prisma.lead.findMany({ where: { companyId: summary.company.id } });
    const open = leads.filter((l) => ['NEW', 'CONTACTED', 'QUALIFIED'].includes(l.status));
    const upcoming = open.filter((l) => l.nextStep && l.expectedCloseDate && l.expectedCloseDate > now);
    expect(upcoming.length).toBeGreaterThan(20);
    // Over several months ahead (the board's close-month filter has choices).
    expect(new Set(upcoming.map((l) => l.expectedCloseDate!.toISOString().slice(0, 7))).size).toBeGreaterThan(2);
    const values = leads.map((l) => (l.estimatedValue === null ? null : Number(l.estimatedValue)));
    expect(values.some((v) => v === null)).toBe(true);
    expect(values.some((v) => v !== null && v < 5_000)).toBe(true);
    expect(values.some((v) => v !== null && v > 25_000)).toBe(true);
    // The tally's sums (the board's totals) match the leads, as its triggers keep them.
    const { rows } = await ctx.db.pool.query<{ off: number }>(
      `SELECT count(*)::int AS off FROM (
         SELECT "companyId", "assigneeId", status, source, count(*)::int AS n, COALESCE(sum("estimatedValue"), 0) AS v
         FROM "Lead" GROUP BY 1, 2, 3, 4) AS l
       FULL JOIN "LeadTally" t USING ("companyId", "assigneeId", status, source)
       WHERE COALESCE(t.count, 0) <> COALESCE(l.n, 0) OR COALESCE(t.value, 0) <> COALESCE(l.v, 0)`,
    );
    expect(rows[0].off).toBe(0);
  });

  it('seeds the same deals again from the same seed and time', async () => {
    const now = new Date();
    const deals = async () =>
      (
        await ctx.db.pool.query(
          `SELECT c.slug, l.title, l.status, l."estimatedValue", l."closedAt", l."createdAt", l."furthestStage",
             l."lostReason", l."lostNote", l."expectedCloseDate", l."nextStep"
           FROM "Lead" l JOIN "Company" c ON c.id = l."companyId" ORDER BY c.slug, l.id`,
        )
      ).rows;
    await seedDemo(ctx.prisma, { now });
    const first = await deals();
    await seedDemo(ctx.prisma, { now, reset: true });
    expect(await deals()).toEqual(first);
  });
});

describe("the bench's synthetic leads (bench/grow.ts)", () => {
  it('carry close times, stages, lost reasons and expected close dates consistent with their status', async () => {
    const company = await ctx.make.company();
    const manager = await ctx.make.manager(company.id);
    const now = new Date();
    const grow = { companyId: company.id, assigneeIds: [manager.id], customerIds: [], createdById: manager.id, now };
    expect(await growLeads(ctx.db.pool, grow, 3_000, () => {})).toBe(3_000);
    const { rows } = await ctx.db.pool.query(
      `SELECT status, count(*)::int AS n,
         count(*) FILTER (WHERE ("closedAt" IS NOT NULL) <> (status IN ('WON', 'LOST')))::int AS "badClosed",
         count(*) FILTER (WHERE "closedAt" < "createdAt" OR "closedAt" > $2::timestamp(3))::int AS "badTime",
         count(*) FILTER (WHERE "furthestStage" < CASE status WHEN 'CONTACTED' THEN 1 WHEN 'QUALIFIED' THEN 2
           WHEN 'WON' THEN 3 ELSE 0 END OR (status = 'LOST' AND "furthestStage" > 2))::int AS "badStage",
         count(*) FILTER (WHERE ("lostReason" IS NOT NULL) <> (status = 'LOST')
           OR ("lostNote" <> '') <> ("lostReason" = 'OTHER'))::int AS "badReason",
         count("expectedCloseDate")::int AS expected,
         count(DISTINCT "furthestStage")::int AS stages, count(DISTINCT "lostReason")::int AS reasons
       FROM "Lead" WHERE "companyId" = $1 GROUP BY status`,
      [company.id, now.toISOString()],
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, r]));
    for (const r of rows)
      expect([r.status, r.badClosed, r.badTime, r.badStage, r.badReason]).toEqual([r.status, 0, 0, 0, 0]);
    expect([by.LOST.stages, by.LOST.reasons]).toEqual([3, 6]);
    // Open leads past NEW mostly expect a close date, some do not; won ones closed on theirs.
    for (const s of ['CONTACTED', 'QUALIFIED']) {
      expect(by[s].expected).toBeGreaterThan(by[s].n / 2);
      expect(by[s].expected).toBeLessThan(by[s].n);
    }
    expect(by.WON.expected).toBe(by.WON.n);
  });
});

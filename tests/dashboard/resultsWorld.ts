// The dashboards' "Pipeline and results" world: companies A (EUR, its own probabilities) and B (USD), leads of
// every stage, source and lost reason, for staff, a colleague and the managers, created and closed inside and
// outside the ranges (the boundaries computed in each user's zone), and activities of each person.
import { presetRange } from '../../src/pipeline/range.ts';
import type { TestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

const SOURCES = ['WEBSITE', 'REFERRAL', 'EVENT', 'COLD_CALL', 'OTHER'] as const;
const REASONS = ['PRICE', 'COMPETITOR', 'NO_BUDGET', 'NO_RESPONSE', 'NOT_A_FIT', 'OTHER', null] as const;
const DAY = 24 * 3600_000;

export async function resultsWorld(ctx: TestContext) {
  const w = await buildWorld(ctx, {
    a: { currency: 'EUR', probabilityNew: 15, probabilityContacted: 35, probabilityQualified: 65 },
    b: { currency: 'USD' },
    // The manager's months and "this month" are in Tokyo: a deal closed at 23:30 UTC on a month's last day
    // belongs to the next month there.
    managerA: { timeZone: 'Asia/Tokyo' },
  });
  const now = new Date();
  let n = 0;
  const lead = async (
    companyId: number,
    assigneeId: number,
    o: { status: string; createdAt: Date; closedAt?: Date | null; value?: string | null; lostReason?: string | null },
  ) => {
    n++;
    const status = o.status as 'NEW';
    const furthest = { NEW: 0, CONTACTED: 1, QUALIFIED: 2, WON: 3, LOST: n % 3 } as Record<string, number>;
    return ctx.make.lead(companyId, assigneeId, {
      status,
      source: SOURCES[n % SOURCES.length],
      createdAt: o.createdAt,
      estimatedValue: o.value === undefined ? `${1000 + n * 137}.${String((n * 37) % 100).padStart(2, '0')}` : o.value,
      closedAt: o.closedAt ?? null,
      furthestStage: furthest[o.status],
      lostReason: (o.lostReason ?? null) as 'PRICE' | null,
    });
  };
  for (const [companyId, people, zone] of [
    [w.a.id, [w.managerA.id, w.staffA.id, w.colleagueA.id], 'UTC'],
    [w.b.id, [w.managerB.id, w.staffB.id], 'UTC'],
  ] as const) {
    for (const zoneOf of [zone, 'Asia/Tokyo']) {
      const month = presetRange('this-month', zoneOf, now);
      const year = presetRange('last-12-months', zoneOf, now);
      const inside = [new Date(month.from.getTime() + 1000), new Date(month.to.getTime() - 1000)];
      const outside = [new Date(month.from.getTime() - 1000), new Date(year.from.getTime() + 40 * DAY)];
      for (const assigneeId of people) {
        for (const status of ['NEW', 'CONTACTED', 'QUALIFIED', 'NEW']) {
          await lead(companyId, assigneeId, { status, createdAt: inside[n % 2] });
          await lead(companyId, assigneeId, { status, createdAt: outside[n % 2] });
        }
        const about = await lead(companyId, assigneeId, { status: 'NEW', createdAt: inside[0], value: null });
        for (const at of [...inside, ...outside]) {
          await lead(companyId, assigneeId, {
            status: 'WON',
            createdAt: new Date(at.getTime() - 20 * DAY),
            closedAt: at,
          });
          await lead(companyId, assigneeId, {
            status: 'LOST',
            createdAt: new Date(at.getTime() - 5 * DAY),
            closedAt: at,
            lostReason: REASONS[n % REASONS.length],
          });
        }
        for (const [kind, ago] of [
          ['CALL', 1],
          ['CALL', 3],
          ['MEETING', 2],
          ['NOTE', 29],
          ['EMAIL', 5],
          ['CALL', 31],
          ['NOTE', 45],
        ] as const) {
          await ctx.make.activity(companyId, assigneeId, {
            kind,
            leadId: about.id,
            occurredAt: new Date(now.getTime() - ago * DAY),
          });
        }
      }
    }
  }
  return w;
}

// The reports' world: companies A and B (buildWorld), deals won and lost by staffA, a colleague, the manager
// and a person whose name looks like a formula, closed inside and outside 2026-01-01..2026-03-31, blank
// values, a lost deal with no reason, open leads; company B's deals in the same months. Users in three zones
// (the manager in Tokyo, the superuser in New York, staff in UTC), so a deal late on 31 March UTC is in March
// for some and in April for others.
import type { TestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

export const RANGE = 'range=custom&from=2026-01-01&to=2026-03-31';
export const FROM = '2026-01-01';
export const TO = '2026-03-31';

type Deal = {
  status: 'WON' | 'LOST' | 'NEW' | 'QUALIFIED';
  closed: string;
  days: number;
  value?: string | null;
  source?: 'WEBSITE' | 'REFERRAL' | 'EVENT' | 'COLD_CALL' | 'OTHER';
  reason?: 'PRICE' | 'COMPETITOR' | 'NO_BUDGET' | 'NO_RESPONSE' | 'NOT_A_FIT' | 'OTHER' | null;
};

export async function reportWorld(ctx: TestContext) {
  const w = await buildWorld(ctx, {
    managerA: { timeZone: 'Asia/Tokyo' },
    su: { timeZone: 'America/New_York' },
  });
  await ctx.prisma.company.update({ where: { id: w.b.id }, data: { currency: 'USD' } });
  const risky = await ctx.make.staff(w.a.id, { name: '@Risky =Name', email: 'risky@alpha.test' });
  const deal = async (companyId: number, assigneeId: number, d: Deal) => {
    const closedAt = new Date(d.closed);
    const createdAt = new Date(closedAt.getTime() - d.days * 86_400_000);
    const closed = d.status === 'WON' || d.status === 'LOST';
    await ctx.make.lead(companyId, assigneeId, {
      status: d.status,
      createdAt,
      closedAt: closed ? closedAt : null,
      estimatedValue: d.value === undefined ? '100.00' : d.value,
      source: d.source ?? 'WEBSITE',
      lostReason: d.status === 'LOST' ? (d.reason === undefined ? 'PRICE' : d.reason) : null,
    });
  };
  const A = w.a.id;
  await deal(A, w.staffA.id, {
    status: 'WON',
    closed: '2026-01-15T12:00:00Z',
    days: 10,
    value: '1000.50',
    source: 'REFERRAL',
  });
  await deal(A, w.staffA.id, { status: 'WON', closed: '2026-02-10T12:00:00Z', days: 31, value: '2500.00' });
  await deal(A, w.staffA.id, { status: 'LOST', closed: '2026-02-11T12:00:00Z', days: 5, value: '700.00' });
  await deal(A, w.staffA.id, {
    status: 'WON',
    closed: '2026-03-31T20:00:00Z',
    days: 3,
    value: '333.33',
    source: 'EVENT',
  });
  await deal(A, w.staffA.id, {
    status: 'WON',
    closed: '2026-03-01T12:00:00Z',
    days: 7,
    value: null,
    source: 'COLD_CALL',
  });
  await deal(A, w.staffA.id, { status: 'NEW', closed: '2026-02-01T12:00:00Z', days: 1, value: '5000.00' });
  await deal(A, w.colleagueA.id, {
    status: 'WON',
    closed: '2026-01-20T12:00:00Z',
    days: 20,
    value: '4000.00',
    source: 'REFERRAL',
  });
  await deal(A, w.colleagueA.id, {
    status: 'LOST',
    closed: '2026-03-05T12:00:00Z',
    days: 2,
    value: '1200.00',
    source: 'REFERRAL',
    reason: 'COMPETITOR',
  });
  await deal(A, w.colleagueA.id, {
    status: 'LOST',
    closed: '2026-03-06T12:00:00Z',
    days: 1,
    value: null,
    reason: null,
    source: 'OTHER',
  });
  await deal(A, w.colleagueA.id, { status: 'WON', closed: '2025-12-31T12:00:00Z', days: 4, value: '9999.00' });
  await deal(A, w.colleagueA.id, { status: 'WON', closed: '2026-04-02T12:00:00Z', days: 4, value: '8888.00' });
  await deal(A, w.colleagueA.id, { status: 'QUALIFIED', closed: '2026-02-01T12:00:00Z', days: 4, value: '4444.00' });
  await deal(A, w.managerA.id, {
    status: 'LOST',
    closed: '2026-02-20T12:00:00Z',
    days: 0,
    value: '50.00',
    source: 'COLD_CALL',
    reason: 'NO_BUDGET',
  });
  await deal(A, risky.id, {
    status: 'WON',
    closed: '2026-02-25T12:00:00Z',
    days: 12,
    value: '250.00',
    source: 'EVENT',
  });
  await deal(w.b.id, w.staffB.id, {
    status: 'WON',
    closed: '2026-02-01T12:00:00Z',
    days: 9,
    value: '77777.00',
    source: 'REFERRAL',
  });
  await deal(w.b.id, w.staffB.id, { status: 'LOST', closed: '2026-02-02T12:00:00Z', days: 9, value: '66666.00' });
  return { ...w, risky };
}

export type ReportWorld = Awaited<ReturnType<typeof reportWorld>>;

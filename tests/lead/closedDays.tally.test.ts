// The per-day tally of won and lost deals ("LeadClosedDay", kept by triggers on "Lead"): after every kind of
// change — close, reopen, a new value, assignee or close date, a delete, a rolled-back change — its rows equal a
// GROUP BY over the deals themselves.
import { beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const KEY = `"companyId", "assigneeId", status::text AS status, "day"`;

async function expectTallyRight() {
  const sql = await ctx.db.pool.query(
    `SELECT "companyId", "assigneeId", status::text AS status, "closedAt"::date::text AS day, count(*)::int AS count,
       coalesce(sum("estimatedValue"), 0)::numeric(16,2)::text AS value,
       sum(floor(extract(epoch FROM "closedAt" - "createdAt") / 86400))::int AS days
     FROM "Lead" WHERE status IN ('WON', 'LOST') AND "closedAt" IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  );
  const tally = await ctx.db.pool.query(
    `SELECT ${KEY.replace('"day"', '"day"::text AS day')}, count, value::text AS value, days FROM "LeadClosedDay"
     WHERE count <> 0 ORDER BY 1, 2, 3, 4`,
  );
  expect(tally.rows).toEqual(sql.rows);
  return sql.rows;
}

describe('the per-day tally of closed deals', () => {
  it('follows closes, reopenings, values, assignees, close dates and deletes', async () => {
    const created = new Date('2026-03-01T10:00:00Z');
    const a = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', estimatedValue: '100.00', createdAt: created });
    const b = await ctx.make.lead(w.a.id, w.colleagueA.id, {
      status: 'WON',
      estimatedValue: '250.50',
      createdAt: created,
      closedAt: new Date('2026-03-11T23:30:00Z'),
    });
    await ctx.make.lead(w.b.id, w.managerB.id, { status: 'LOST', lostReason: 'PRICE', createdAt: created });
    expect((await expectTallyRight()).length).toBe(2);

    await ctx.prisma.lead.update({ where: { id: a.id }, data: { status: 'WON' } }); // closed now, by the trigger
    await expectTallyRight();
    await ctx.prisma.lead.update({ where: { id: a.id }, data: { estimatedValue: '120.00' } });
    await expectTallyRight();
    await ctx.prisma.lead.update({ where: { id: b.id }, data: { assigneeId: w.staffA.id } });
    await expectTallyRight();
    await ctx.prisma.lead.update({ where: { id: b.id }, data: { closedAt: new Date('2026-04-02T08:00:00Z') } });
    await expectTallyRight();
    await ctx.prisma.lead.update({ where: { id: a.id }, data: { status: 'LOST', lostReason: 'NO_BUDGET' } });
    await expectTallyRight();
    await ctx.prisma.lead.update({ where: { id: a.id }, data: { status: 'NEW', lostReason: null } }); // reopened
    const afterReopen = await expectTallyRight();
    expect(afterReopen.some((r) => r.count > 0 && r.assigneeId === w.staffA.id && r.status === 'LOST')).toBe(false);

    await expect(
      ctx.prisma.$transaction(async (tx) => {
        await tx.lead.update({ where: { id: a.id }, data: { status: 'WON' } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await expectTallyRight()).toEqual(afterReopen);

    await ctx.prisma.lead.deleteMany({ where: { companyId: w.a.id } });
    expect((await expectTallyRight()).map((r) => r.companyId)).toEqual([w.b.id]);
  });
});

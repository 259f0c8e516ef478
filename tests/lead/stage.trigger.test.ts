// The database keeps a lead's closedAt and furthestStage (migration pipeline_money, trigger "Lead_stage"):
// entering Won or Lost stamps closedAt unless the same statement sets it, reopening clears it, and the
// furthest stage reached is never lowered, whichever writer (the app's move, raw SQL) changes the status.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld, type World } from '../helpers/world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await buildWorld(ctx);
});

const stage = (id: number) =>
  ctx.prisma.lead.findUniqueOrThrow({ where: { id }, select: { status: true, closedAt: true, furthestStage: true } });
const setStatus = (id: number, status: string) =>
  ctx.db.pool.query(`UPDATE "Lead" SET "status" = $2::"LeadStatus" WHERE id = $1`, [id, status]);

describe('the Lead_stage trigger', () => {
  it('stamps closedAt on Won and Lost, clears it on reopening, and keeps the furthest stage', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    expect(await stage(lead.id)).toEqual({ status: 'NEW', closedAt: null, furthestStage: 0 });
    await setStatus(lead.id, 'QUALIFIED');
    expect(await stage(lead.id)).toEqual({ status: 'QUALIFIED', closedAt: null, furthestStage: 2 });
    // Back to contacted, then lost: the furthest stage stays qualified.
    await setStatus(lead.id, 'CONTACTED');
    expect((await stage(lead.id)).furthestStage).toBe(2);
    const before = Date.now();
    await setStatus(lead.id, 'LOST');
    const lost = await stage(lead.id);
    expect(lost.furthestStage).toBe(2);
    expect(lost.closedAt!.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    // Another write that leaves the status alone keeps the close date.
    await ctx.db.pool.query(`UPDATE "Lead" SET "lostNote" = 'x', "status" = 'LOST' WHERE id = $1`, [lead.id]);
    expect((await stage(lead.id)).closedAt).toEqual(lost.closedAt);
    await setStatus(lead.id, 'NEW');
    expect(await stage(lead.id)).toEqual({ status: 'NEW', closedAt: null, furthestStage: 2 });
    await setStatus(lead.id, 'WON');
    expect(await stage(lead.id)).toMatchObject({ status: 'WON', furthestStage: 3 });
    expect((await stage(lead.id)).closedAt).not.toBeNull();
    // Lowering furthestStage by hand is refused silently: the maximum stays.
    await ctx.db.pool.query(`UPDATE "Lead" SET "furthestStage" = 0 WHERE id = $1`, [lead.id]);
    expect((await stage(lead.id)).furthestStage).toBe(3);
  });

  it('keeps a closedAt the same statement sets (an import of history), on insert and on update', async () => {
    const then = new Date('2025-03-04T05:06:07.000Z');
    const imported = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'WON', closedAt: then });
    expect(await stage(imported.id)).toEqual({ status: 'WON', closedAt: then, furthestStage: 3 });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'CONTACTED' });
    await ctx.db.pool.query(`UPDATE "Lead" SET "status" = 'LOST', "closedAt" = $2 WHERE id = $1`, [lead.id, then]);
    expect(await stage(lead.id)).toEqual({ status: 'LOST', closedAt: then, furthestStage: 1 });
    // An open lead never keeps a close date, even one set with it.
    const open = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', closedAt: then });
    expect((await stage(open.id)).closedAt).toBeNull();
  });

  it("follows the app's moves: the lost page and a reopen", async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'QUALIFIED' });
    const s = await w.as(w.staffA);
    await s.post(`/leads/${lead.id}/status`, { status: 'LOST', lostReason: 'PRICE' }).expect(303);
    expect((await stage(lead.id)).closedAt).not.toBeNull();
    await s.post(`/leads/${lead.id}/status`, { status: 'NEW' }).expect(303);
    expect(await stage(lead.id)).toEqual({ status: 'NEW', closedAt: null, furthestStage: 2 });
  });
});

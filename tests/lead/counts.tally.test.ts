// The lead tally ("LeadTally", kept by triggers on "Lead"): after every kind of change, through the
// app and straight in SQL, its rows (counts and value sums) equal a GROUP BY over the leads themselves.
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../src/access/currentUser.ts';
import { scope, SCOPES, WRITE_SCOPES } from '../../src/access/scope.ts';
import { Forbidden } from '../../src/web/errors.ts';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

type Row = { companyId: number; assigneeId: number; status: string; source: string; count: number; value: string };
const KEY = '"companyId", "assigneeId", "status", "source"';

/** The leads counted by SQL, and the tally's rows with a count (rows at 0 stay behind and mean nothing). */
async function counted(): Promise<{ sql: Row[]; tally: Row[] }> {
  const sql = await ctx.db.pool.query<Row>(
    `SELECT ${KEY}, count(*)::int AS count, COALESCE(sum("estimatedValue"), 0)::numeric(16,2)::text AS value
     FROM "Lead" GROUP BY ${KEY} ORDER BY ${KEY}`,
  );
  const tally = await ctx.db.pool.query<Row>(
    `SELECT ${KEY}, "count", "value"::text AS value FROM "LeadTally" WHERE "count" <> 0 ORDER BY ${KEY}`,
  );
  return { sql: sql.rows, tally: tally.rows };
}

async function expectTallyRight(): Promise<Row[]> {
  const { sql, tally } = await counted();
  expect(tally).toEqual(sql);
  return sql;
}

describe('the lead tally', () => {
  it('counts creates, and edits of status, assignee, source and value, and deletes, each in SQL', async () => {
    const l1 = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', source: 'WEBSITE' });
    const l2 = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', source: 'WEBSITE' });
    const l3 = await ctx.make.lead(w.a.id, w.colleagueA.id, { status: 'QUALIFIED', source: 'EVENT' });
    await ctx.make.lead(w.b.id, w.managerB.id);
    expect((await expectTallyRight()).map((r) => r.count)).toEqual([2, 1, 1]);

    await ctx.prisma.lead.update({ where: { id: l1.id }, data: { status: 'CONTACTED' } });
    await expectTallyRight();
    await ctx.prisma.lead.update({ where: { id: l2.id }, data: { assigneeId: w.colleagueA.id } });
    await expectTallyRight();
    await ctx.prisma.lead.update({
      where: { id: l3.id },
      data: { source: 'REFERRAL', estimatedValue: '250.00', notes: 'edited' },
    });
    await expectTallyRight();
    await ctx.prisma.lead.updateMany({ where: { companyId: w.a.id }, data: { status: 'LOST' } });
    await expectTallyRight();
    await ctx.prisma.lead.delete({ where: { id: l1.id } });
    await expectTallyRight();
    await ctx.prisma.lead.deleteMany({ where: { companyId: w.a.id } });
    const left = await expectTallyRight();
    expect(left).toEqual([
      { companyId: w.b.id, assigneeId: w.managerB.id, status: 'NEW', source: 'OTHER', count: 1, value: '0.00' },
    ]);
  });

  it('an edit that changes no counted column writes no tally row', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    const before = await ctx.db.pool.query('SELECT xmin::text AS x FROM "LeadTally"');
    await ctx.prisma.lead.update({
      where: { id: lead.id },
      data: { notes: 'just a note', title: 'Renamed', nextStep: 'Call back' },
    });
    expect((await ctx.db.pool.query('SELECT xmin::text AS x FROM "LeadTally"')).rows).toEqual(before.rows);
    await ctx.prisma.lead.update({ where: { id: lead.id }, data: { estimatedValue: '10.00' } });
    expect((await ctx.db.pool.query('SELECT xmin::text AS x FROM "LeadTally"')).rows).not.toEqual(before.rows);
    expect((await expectTallyRight()).find((r) => r.assigneeId === w.staffA.id)?.value).toBe('10.00');
  });

  it('counts the app’s own changes: create, pipeline step, reassign, edit, conversion and delete', async () => {
    const manager = await signInAs(ctx, w.managerA);
    await manager
      .post('/leads', {
        title: 'Counted',
        contactName: 'C',
        source: 'EVENT',
        status: 'NEW',
        assigneeId: String(w.staffA.id),
      })
      .expect(303);
    const lead = await ctx.prisma.lead.findFirstOrThrow({ where: { title: 'Counted' } });
    await expectTallyRight();
    await manager.post(`/leads/${lead.id}/status`, { status: 'CONTACTED' }).expect(303);
    await manager.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.colleagueA.id) }).expect(303);
    expect(await expectTallyRight()).toEqual([
      { companyId: w.a.id, assigneeId: w.colleagueA.id, status: 'CONTACTED', source: 'EVENT', count: 1, value: '0.00' },
    ]);
    await manager
      .post(`/leads/${lead.id}/convert`, {
        mode: 'new',
        name: 'Dana Deal',
        email: 'dana@deal.test',
        phone: '',
        organisation: '',
        address: '',
        notes: '',
        ownerId: '',
      })
      .expect(303);
    expect((await expectTallyRight())[0].status).toBe('WON');
    await manager.post(`/leads/${lead.id}/delete`).expect(303);
    expect(await ctx.prisma.lead.count()).toBe(0);
    expect(await expectTallyRight()).toEqual([]);
  });

  it('a rolled-back change counts nothing', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    const before = await expectTallyRight();
    await expect(
      ctx.prisma.$transaction(async (tx) => {
        await tx.lead.create({ data: { companyId: w.a.id, assigneeId: w.staffA.id, title: 'Never' } });
        await tx.lead.update({ where: { id: lead.id }, data: { status: 'WON', assigneeId: w.colleagueA.id } });
        await tx.lead.deleteMany({ where: { title: 'Never' } });
        throw new Error('changed our mind');
      }),
    ).rejects.toThrow('changed our mind');
    expect(await expectTallyRight()).toEqual(before);
  });

  it('bulk inserts in raw SQL (imports, the seed) and TRUNCATE are counted', async () => {
    await ctx.db.pool.query(
      `INSERT INTO "Lead" ("companyId", "assigneeId", "title", "status", "source", "updatedAt")
      SELECT $1::int, CASE WHEN g % 3 = 0 THEN $2::int ELSE $3::int END, 'Imported ' || g,
        (ARRAY['NEW','WON','LOST'])[1 + g % 3]::"LeadStatus",
        (ARRAY['EVENT','OTHER'])[1 + g % 2]::"LeadSource", now() FROM generate_series(1, 2000) g`,
      [w.a.id, w.staffA.id, w.colleagueA.id],
    );
    expect((await expectTallyRight()).reduce((n, r) => n + r.count, 0)).toBe(2000);
    await ctx.db.pool.query('TRUNCATE "Lead" CASCADE');
    expect(await expectTallyRight()).toEqual([]);
    expect((await ctx.db.pool.query('SELECT count(*)::int AS n FROM "LeadTally"')).rows[0].n).toBe(0);
  });

  it('concurrent inserts, moves and deletes from several connections all count', async () => {
    const users = [w.managerA.id, w.staffA.id, w.colleagueA.id];
    const clients = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const c = new pg.Client({ connectionString: ctx.db.url });
        await c.connect();
        return c;
      }),
    );
    try {
      await Promise.all(
        clients.map(async (c, i) => {
          for (let round = 0; round < 15; round++) {
            await c.query('BEGIN');
            // Every connection writes the same keys, listed in a different order each time: the trigger
            // upserts them in key order, so the transactions queue on the tally rows instead of deadlocking.
            const [k1, k2, k3] = [0, 1, 2].map((j) => users[(i + j + round) % 3]);
            await c.query(
              'INSERT INTO "Lead" ("companyId", "assigneeId", "title", "updatedAt") ' +
                'VALUES ($1, $2, $5, now()), ($1, $3, $5, now()), ($1, $4, $5, now())',
              [w.a.id, k1, k2, k3, `c${i}-${round}`],
            );
            await c.query(
              `UPDATE "Lead" SET "status" = 'CONTACTED' WHERE "id" = (SELECT max("id") FROM "Lead" WHERE "title" = $1)`,
              [`c${i}-${round}`],
            );
            if (round % 5 === 4)
              await c.query('DELETE FROM "Lead" WHERE "id" = (SELECT min("id") FROM "Lead" WHERE "title" = $1)', [
                `c${i}-${round}`,
              ]);
            await c.query(round % 7 === 6 ? 'ROLLBACK' : 'COMMIT');
          }
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const rows = await expectTallyRight();
    // 6 connections × 15 rounds × 3 leads, less each connection's 2 rolled-back rounds and 3 deletes.
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(6 * (13 * 3 - 3));
  });

  it('a deleted user or company takes its (empty) tally rows with it', async () => {
    const lead = await ctx.make.lead(w.b.id, w.managerB.id);
    const leaver = await ctx.make.staff(w.a.id);
    const moved = await ctx.make.lead(w.a.id, leaver.id);
    await ctx.prisma.lead.update({ where: { id: moved.id }, data: { assigneeId: w.staffA.id } });
    await ctx.prisma.user.delete({ where: { id: leaver.id } });
    await ctx.prisma.lead.delete({ where: { id: lead.id } });
    await ctx.prisma.user.delete({ where: { id: w.managerB.id } });
    await ctx.prisma.user.delete({ where: { id: w.staffB.id } });
    await ctx.prisma.company.delete({ where: { id: w.b.id } });
    const { rows } = await ctx.db.pool.query('SELECT "companyId", "assigneeId" FROM "LeadTally"');
    expect(rows).toEqual([{ companyId: w.a.id, assigneeId: w.staffA.id }]);
    await expectTallyRight();
  });

  it('a user with leads cannot be deleted, tally or not (the lead restricts it)', async () => {
    await ctx.make.lead(w.a.id, w.staffA.id);
    await expect(ctx.prisma.user.delete({ where: { id: w.staffA.id } })).rejects.toThrow();
    await expectTallyRight();
  });

  it('is read under the lead’s own access rule, and written by nobody but the triggers', async () => {
    for (const role of ['SUPERUSER', 'ACCOUNT_MANAGER', 'STAFF'] as const) {
      const user = { id: 7, role, companyId: role === 'SUPERUSER' ? null : 3 } as CurrentUser;
      expect(SCOPES.LeadTally(user)).toEqual(SCOPES.Lead(user));
      expect(WRITE_SCOPES.LeadTally(user)).toBeNull();
    }
    await ctx.make.lead(w.a.id, w.staffA.id);
    const before = await expectTallyRight();
    for (const who of [w.managerA, w.su]) {
      const scoped = scope(ctx.prisma, { ...who, companyName: null, permissions: new Set() } as unknown as CurrentUser);
      const key = { companyId: w.a.id, assigneeId: w.staffA.id, status: 'NEW' as const, source: 'OTHER' as const };
      await expect(scoped.leadTally.updateMany({ data: { count: 99 } })).rejects.toThrow(Forbidden);
      await expect(scoped.leadTally.deleteMany({})).rejects.toThrow(Forbidden);
      await expect(scoped.leadTally.create({ data: { ...key, status: 'WON', count: 5 } })).rejects.toThrow(Forbidden);
      await expect(
        scoped.leadTally.upsert({
          where: { companyId_assigneeId_status_source: key },
          create: { ...key, count: 5 },
          update: { count: 5 },
        }),
      ).rejects.toThrow(Forbidden);
    }
    expect(await expectTallyRight()).toEqual(before);
  });
});

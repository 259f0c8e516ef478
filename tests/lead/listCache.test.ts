// The lead list's total, a search's matches and the person filter from the figure cache (src/lead/handlers.ts): a
// repeat visit reads only the session (which brings the company's figure version) and the page's rows; any change of
// leads or people, made through the app or by raw SQL, shows on the next visit; each user and company keeps its own
// entries.
import { beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../customer/world.ts';
import { NO_ACTIVITY_DAYS } from '../../src/lead/freshness.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { coldAndWarmStatements, recordStatements } from '../helpers/statements.ts';
import { countsWorld, insertLeads, listTotal } from './countsWorld.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
  await countsWorld(ctx, w);
});

/** SQL's count of the company's leads, or one assignee's, with the status if given. */
async function sqlCount(companyId: number, status?: string, assigneeId?: number): Promise<number> {
  const { rows } = await ctx.db.pool.query(
    `SELECT count(*)::int AS n FROM "Lead" WHERE "companyId" = $1
      AND ($2::text IS NULL OR "status"::text = $2) AND ($3::int IS NULL OR "assigneeId" = $3)`,
    [companyId, status ?? null, assigneeId ?? null],
  );
  return rows[0].n;
}

describe('the lead list from the figure cache', () => {
  it('costs the session and the rows on a repeat visit; a search and a chosen company read more', async () => {
    const recorder = recordStatements(ctx.db.pool);
    const cast = [
      ['manager', w.managerA, '/leads?status=QUALIFIED'],
      ['staff', w.staffA, '/leads?status=QUALIFIED'],
      ['manager, search', w.managerA, '/leads?q=relaunch'],
      ['superuser', w.su, `/leads?companyId=${w.a.id}`],
    ] as const;
    const counts: Record<string, [number, number]> = {};
    for (const [name, user, path] of cast) {
      const s = await signInAs(ctx, user);
      await s.get('/profile').expect(200);
      counts[name] = await coldAndWarmStatements(ctx.db.pool, recorder, () => s.get(path).expect(200));
    }
    // Cold: the session (with the user and the version), the total, the person filter (not for staff), the rows.
    // A search counts and finds the page's ids in one statement, kept like the total; a superuser has no company of
    // their own to key by.
    expect(counts).toEqual({
      manager: [4, 2],
      staff: [3, 2],
      'manager, search': [4, 2],
      superuser: [5, 5],
    });
  });

  it('shows every change on the next visit: app or raw SQL, leads or people; never another one’s entry', async () => {
    const manager = await signInAs(ctx, w.managerA);
    const staff = await signInAs(ctx, w.staffA);
    const colleague = await signInAs(ctx, w.colleagueA);
    const otherManager = await signInAs(ctx, w.managerB);
    const total = async (s: typeof manager, path: string) => listTotal((await s.get(path).expect(200)).text)?.total;
    const seen = async () => ({
      manager: await total(manager, '/leads?status=QUALIFIED'),
      staff: await total(staff, '/leads?status=QUALIFIED'),
      colleague: await total(colleague, '/leads?status=QUALIFIED'),
      otherManager: await total(otherManager, '/leads?status=QUALIFIED'),
    });
    const expected = async () => ({
      manager: await sqlCount(w.a.id, 'QUALIFIED'),
      staff: await sqlCount(w.a.id, 'QUALIFIED', w.staffA.id),
      colleague: await sqlCount(w.a.id, 'QUALIFIED', w.colleagueA.id),
      otherManager: await sqlCount(w.b.id, 'QUALIFIED'),
    });
    await insertLeads(ctx, w.a.id, [w.colleagueA.id], 15, 1);
    const first = await seen();
    expect(first).toEqual(await expected());
    // Each user and company has its own total (they would be equal if an entry were shared).
    expect(new Set(Object.values(first)).size).toBe(4);
    expect(await seen()).toEqual(first);

    // A lead inserted by raw SQL, outside the app.
    await insertLeads(ctx, w.a.id, [w.staffA.id], 5, 2);
    const afterInsert = await seen();
    expect(afterInsert).toEqual(await expected());
    expect(afterInsert.manager).toBeGreaterThan(first.manager!);
    expect(afterInsert.otherManager).toBe(first.otherManager);

    // A lead reassigned through the app: out of the staff user's total, into the colleague's.
    const lead = await ctx.prisma.lead.findFirstOrThrow({
      where: { companyId: w.a.id, status: 'QUALIFIED', assigneeId: w.staffA.id },
    });
    await manager.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.colleagueA.id) }).expect(303);
    const afterAssign = await seen();
    expect(afterAssign).toEqual(await expected());
    expect([afterAssign.staff, afterAssign.colleague]).toEqual([afterInsert.staff! - 1, afterInsert.colleague! + 1]);

    // A lead deleted by raw SQL.
    await ctx.db.pool.query(`DELETE FROM "Lead" WHERE id = $1`, [lead.id]);
    expect(await seen()).toEqual(await expected());

    // A colleague renamed: the manager's person filter says the new name at once.
    const filter = async () => (await manager.get('/leads?status=QUALIFIED').expect(200)).text;
    expect(await filter()).toContain(`>${w.colleagueA.name}</option>`);
    await ctx.prisma.user.update({ where: { id: w.colleagueA.id }, data: { name: 'Renamed Colleague' } });
    const renamed = await filter();
    expect(renamed).toContain('>Renamed Colleague</option>');
    expect(renamed).not.toContain(`>${w.colleagueA.name}</option>`);
  });

  it('shows a search as SQL finds it after each change, for each user; never keeps a clock-bound one', async () => {
    const recorder = recordStatements(ctx.db.pool);
    const manager = await signInAs(ctx, w.managerA);
    const staff = await signInAs(ctx, w.staffA);
    const otherManager = await signInAs(ctx, w.managerB);
    const total = async (s: typeof manager, path: string) => listTotal((await s.get(path).expect(200)).text)?.total;
    const matches = async (companyId: number, assigneeId?: number) => {
      const { rows } = await ctx.db.pool.query(
        `SELECT count(*)::int AS n FROM "Lead" WHERE "companyId" = $1 AND "searchText" LIKE '%relaunch%'
          AND ($2::int IS NULL OR "assigneeId" = $2)`,
        [companyId, assigneeId ?? null],
      );
      return rows[0].n as number;
    };
    const seen = async () => ({
      manager: await total(manager, '/leads?q=relaunch'),
      staff: await total(staff, '/leads?q=Relaunch'),
      otherManager: await total(otherManager, '/leads?q=relaunch'),
    });
    const expected = async () => ({
      manager: await matches(w.a.id),
      staff: await matches(w.a.id, w.staffA.id),
      otherManager: await matches(w.b.id),
    });
    const first = await seen();
    expect(first).toEqual(await expected());
    expect(new Set(Object.values(first)).size).toBe(3);
    expect(await seen()).toEqual(first);

    // New matching leads by raw SQL; a title changed by raw SQL so it no longer matches; a reassignment in the app.
    await insertLeads(ctx, w.a.id, [w.staffA.id], 10, 4);
    const afterInsert = await seen();
    expect(afterInsert).toEqual(await expected());
    expect(afterInsert.staff).toBeGreaterThan(first.staff!);
    const renamed = await ctx.prisma.lead.findFirstOrThrow({
      where: { companyId: w.a.id, assigneeId: w.staffA.id, title: 'Website relaunch' },
    });
    await ctx.db.pool.query(`UPDATE "Lead" SET "title" = 'Office move' WHERE id = $1`, [renamed.id]);
    const afterRename = await seen();
    expect(afterRename).toEqual(await expected());
    expect([afterRename.manager, afterRename.staff]).toEqual([afterInsert.manager! - 1, afterInsert.staff! - 1]);
    const moved = await ctx.prisma.lead.findFirstOrThrow({
      where: { companyId: w.a.id, assigneeId: w.staffA.id, title: 'Website relaunch' },
    });
    await manager.post(`/leads/${moved.id}/assign`, { assigneeId: String(w.colleagueA.id) }).expect(303);
    const afterAssign = await seen();
    expect(afterAssign).toEqual(await expected());
    expect(afterAssign.staff).toBe(afterRename.staff! - 1);
    expect(afterAssign.otherManager).toBe(first.otherManager);

    // "No activity since" moves with the clock: its search is read on every visit, never kept; a plain one is kept.
    const searchReads = async (path: string) =>
      (await recorder.during(() => manager.get(path).expect(200))).statements.filter((q) => q.includes('searchText'))
        .length;
    expect(await searchReads('/leads?q=relaunch')).toBe(0);
    const idle = `/leads?q=relaunch&noActivity=${NO_ACTIVITY_DAYS}`;
    expect(await searchReads(idle)).toBe(1);
    expect(await searchReads(idle)).toBe(1);
  });
});

// The board's columns page by 50 (the header counts them all), its cost is a fixed number of statements
// whatever the number of leads, and its move buttons are only shown to those who may change leads.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { all, first, textOf, texts } from '../helpers/html.ts';
import { coldAndWarmStatements, recordStatements } from '../helpers/statements.ts';
import { buildWorld, limitedStaff, type World } from '../helpers/world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await buildWorld(ctx);
});

/** `n` contacted leads of company A (every third undated), and a few in B. */
async function contacted(n: number) {
  await ctx.prisma.lead.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      companyId: w.a.id,
      assigneeId: i % 2 ? w.staffA.id : w.colleagueA.id,
      title: `Contacted ${String(i).padStart(3, '0')}`,
      status: 'CONTACTED' as const,
      estimatedValue: '100.00',
      expectedCloseDate: i % 3 === 0 ? null : new Date(Date.UTC(2026, 11, 1 + (i % 28))),
    })),
  });
  await ctx.prisma.lead.createMany({
    data: Array.from({ length: 5 }, (_, i) => ({
      companyId: w.b.id,
      assigneeId: w.managerB.id,
      title: `Bravo ${i}`,
      status: 'CONTACTED' as const,
    })),
  });
}

const column = (html: { text: string }, stage: string) => first(html, `section[data-stage="${stage}"]`)!;

describe('GET /leads/board columns', () => {
  it('a column of 120 leads shows 50, then the next pages in close-date order; its count says 120', async () => {
    await contacted(120);
    const s = await w.as(w.managerA);
    const res = await s.get('/leads/board').expect(200);
    const col = column(res, 'CONTACTED');
    expect(texts(col, 'h2 .badge')).toEqual(['120']);
    const page1 = texts(col, '.board-card h3');
    expect(page1).toHaveLength(50);
    const more = all(col, '.board-paging a').find((a) => /Show more/.test(textOf(a)));
    expect(more?.attribs.href).toBe('/leads/board?more=CONTACTED&page=2');
    const res2 = await s.get('/leads/board?more=CONTACTED&page=2').expect(200);
    const page2 = texts(column(res2, 'CONTACTED'), '.board-card h3');
    expect(page2).toHaveLength(50);
    const res3 = await s.get('/leads/board?more=CONTACTED&page=3').expect(200);
    const page3 = texts(column(res3, 'CONTACTED'), '.board-card h3');
    expect(page3).toHaveLength(20);
    expect(res3.text).not.toContain('page=4');
    // Every lead once, in the order SQL gives: soonest close date first, undated last, then id.
    const { rows } = await ctx.db.pool.query<{ title: string }>(
      `SELECT title FROM "Lead" WHERE "companyId" = $1 AND status = 'CONTACTED'
       ORDER BY "expectedCloseDate" ASC NULLS LAST, id`,
      [w.a.id],
    );
    expect([...page1, ...page2, ...page3]).toEqual(rows.map((r) => r.title));
    // The other columns keep their first page while one column pages.
    expect(texts(column(res2, 'NEW'), 'h2 .badge')).toEqual(['0']);
  });

  it('costs a fixed number of statements whatever the number of leads, for each role', async () => {
    const recorder = recordStatements(ctx.db.pool);
    const cast = [
      ['manager', w.managerA, '/leads/board'],
      ['staff', w.staffA, '/leads/board'],
      ['superuser', w.su, `/leads/board?companyId=${w.a.id}`],
      ['superuser, month', w.su, `/leads/board?companyId=${w.a.id}&month=2026-12`],
      ['manager, paged', w.managerA, '/leads/board?more=CONTACTED&page=2'],
    ] as const;
    // Cold: right after a change (a new figure version); warm: the same page again, from the figure cache.
    const measure = async () => {
      const counts: Record<string, [number, number]> = {};
      for (const [name, user, path] of cast) {
        const s = await w.as(user);
        await s.get('/profile').expect(200);
        counts[name] = await coldAndWarmStatements(ctx.db.pool, recorder, () => s.get(path).expect(200));
      }
      return counts;
    };
    await contacted(3);
    const few = await measure();
    await contacted(150);
    const many = await measure();
    expect(many).toEqual(few);
    // Cold: session (with the user and the company's figure version), totals, one page of cards per open column,
    // the assignee choices; warm: the session. A superuser reads the chosen company's version, and its companies
    // (the picker and the chosen one's currency) on top.
    expect(few).toEqual({
      manager: [6, 1],
      staff: [5, 1],
      superuser: [8, 3],
      'superuser, month': [8, 3],
      'manager, paged': [6, 1],
    });
  });

  it('shows move buttons with the version, returnTo and CSRF token; none without lead.change', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', title: 'Movable' });
    const s = await w.as(w.managerA);
    const res = await s.get('/leads/board?source=OTHER').expect(200);
    // One form per card (the token once), a button per stage naming it.
    const forms = all(res, `form[action="/leads/${lead.id}/status"]`);
    expect(forms).toHaveLength(1);
    const buttons = all(forms[0], 'button');
    expect(buttons.map((b) => b.attribs['data-move'])).toEqual(['CONTACTED', 'QUALIFIED', 'WON']);
    expect(buttons.map((b) => [b.attribs.name, b.attribs.value, b.attribs.type])).toEqual(
      ['CONTACTED', 'QUALIFIED', 'WON'].map((stage) => ['status', stage, 'submit']),
    );
    const values = Object.fromEntries(all(forms[0], 'input').map((i) => [i.attribs.name, i.attribs.value]));
    expect(values).toEqual({ _csrf: s.csrf, version: String(lead.version), returnTo: '/leads/board?source=OTHER' });
    expect(res.text).toContain(`href="/leads/${lead.id}/lost?returnTo=%2Fleads%2Fboard%3Fsource%3DOTHER"`);

    const viewer = await limitedStaff(ctx, w.a.id, ['lead.view']);
    await ctx.prisma.lead.update({ where: { id: lead.id }, data: { assigneeId: viewer.id } });
    const v = await (await w.as(viewer)).get('/leads/board').expect(200);
    expect(texts(v, '.board-card h3')).toEqual(['Movable']);
    expect(v.text).not.toContain('/status"');
    expect(v.text).not.toContain('/lost?');

    const none = await limitedStaff(ctx, w.a.id, ['task.view'], 'No Leads');
    await (await w.as(none)).get('/leads/board').expect(403);
  });

  it('a column of 5,000 leads: its first 50 read in index order, the header counting all 5,000', async () => {
    await contacted(5000);
    await ctx.db.pool.query('ANALYZE "Lead"');
    const s = await w.as(w.managerA);
    await s.get('/leads/board').expect(200);
    const t0 = performance.now();
    const res = await s.get('/leads/board').expect(200);
    const ms = performance.now() - t0;
    expect(texts(column(res, 'CONTACTED'), 'h2 .badge')).toEqual(['5000']);
    expect(texts(column(res, 'CONTACTED'), '.board-card h3')).toHaveLength(50);
    // The column's read is an index range in the board's order: no sort of the 5,000, whatever the page.
    for (const offset of [0, 4950]) {
      const { rows } = await ctx.db.pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM "Lead" WHERE "companyId" = $1 AND status = 'CONTACTED'
         ORDER BY "expectedCloseDate" ASC NULLS LAST, id ASC LIMIT 50 OFFSET ${offset}`,
        [w.a.id],
      );
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      // Lead_board_idx, or with every lead of the company in the column, the close-date index just as well.
      expect(plan).toMatch(/Index (Only )?Scan using "Lead_(board|close_asc)_idx"/);
      expect(plan).not.toMatch(/\bSort\b/);
    }
    expect(ms, 'the board with a column of 5,000 leads').toBeLessThan(1500);
  }, 120_000);
});

// The board's totals equal SQL over the user's scope, for each role and filter, with leads of colleagues
// and of another company present; the cards shown are only the user's; a superuser chooses a company first.
import { beforeEach, describe, expect, it } from 'vitest';
import { formatTotal } from '../../src/pipeline/money.ts';
import { weightedValue } from '../../src/pipeline/stages.ts';
import { useTestContext } from '../helpers/context.ts';
import { fieldError, texts } from '../helpers/html.ts';
import { buildWorld, type World } from '../helpers/world.ts';
import { boardFigures, expectedFigures, fillBoard, type Filters, sqlTotals, type Who } from './boardWorld.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await buildWorld(ctx);
  await fillBoard(ctx, w);
});

const query = (f: Filters) =>
  new URLSearchParams(
    Object.entries(f)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();

async function expectTotals(who: Who & { id: number }, f: Filters) {
  const s = await w.as(who);
  const res = await s.get(`/leads/board?${query(f)}`).expect(200);
  expect(boardFigures(res), `${who.role} ${query(f)}`).toEqual(expectedFigures(await sqlTotals(ctx, who, f)));
  return res;
}

describe('GET /leads/board totals', () => {
  it('equal SQL over the scope for a manager, staff and a superuser with a company chosen', async () => {
    const manager = await expectTotals(w.managerA, {});
    expect(texts(manager, '.board-card h3')).toContain('Board lead 1');
    expect(manager.text).not.toContain('Bravo lead');
    const staff = await expectTotals(w.staffA, {});
    // Staff see their own leads only: leads 0, 3, 6… are staffA's.
    const titles = texts(staff, '.board-card h3').map((t) => Number(t.replace('Board lead ', '')));
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((n) => n % 3 === 0)).toBe(true);
    await expectTotals(w.su, { companyId: w.a.id });
    await expectTotals(w.su, { companyId: w.b.id });
  });

  it('equal SQL with each filter: assignee, source, close month, and all together', async () => {
    for (const f of [
      { assigneeId: w.colleagueA.id },
      { source: 'REFERRAL' },
      { month: '2026-11' },
      { month: '2026-12', source: 'WEBSITE' },
      { assigneeId: w.staffA.id, source: 'EVENT', month: '2026-11' },
    ] as Filters[]) {
      await expectTotals(w.managerA, f);
      await expectTotals(w.staffA, f.assigneeId ? { ...f, assigneeId: undefined } : f);
      await expectTotals(w.su, { ...f, companyId: w.a.id });
    }
  });

  it("ignores a staff user's assignee filter and anyone's foreign company", async () => {
    const s = await w.as(w.staffA);
    const res = await s.get(`/leads/board?assigneeId=${w.colleagueA.id}&companyId=${w.b.id}`).expect(200);
    expect(boardFigures(res)).toEqual(expectedFigures(await sqlTotals(ctx, w.staffA, {})));
    const m = await w.as(w.managerA);
    const other = await m.get(`/leads/board?companyId=${w.b.id}`).expect(200);
    expect(boardFigures(other)).toEqual(expectedFigures(await sqlTotals(ctx, w.managerA, {})));
  });

  it('a bad month: a message beside the field and the unfiltered board (no 4xx, no 500)', async () => {
    const s = await w.as(w.managerA);
    for (const bad of ['2026-13', 'november', '2026-1', '0000-01']) {
      const res = await s.get(`/leads/board?month=${encodeURIComponent(bad)}`).expect(200);
      expect(fieldError(res, 'month')).toMatch(/year and month/);
      expect(boardFigures(res)).toEqual(expectedFigures(await sqlTotals(ctx, w.managerA, {})));
    }
    // A nested parameter is not a value either; a repeated one is a 400 (SECURITY.md), and nothing is read.
    await s.get('/leads/board?source=A&page[x]=1&more=NEW').expect(200);
    await s.get('/leads/board?month=2026-11&month=2026-12').expect(400);
  });

  it('a superuser without a company gets the list of companies to choose from', async () => {
    const s = await w.as(w.su);
    for (const path of ['/leads/board', '/leads/board?companyId=999999', '/leads/board?companyId=x']) {
      const res = await s.get(path).expect(200);
      expect(texts(res, '.board-companies a')).toEqual(expect.arrayContaining([w.a.name, w.b.name]));
      expect(res.text).not.toContain('board-column');
    }
  });

  it('Won and Lost link to the lead list filtered by that status and the same filters', async () => {
    const s = await w.as(w.managerA);
    const res = await s.get(`/leads/board?source=EVENT&assigneeId=${w.staffA.id}`).expect(200);
    expect(res.text).toContain(`href="/leads?status=WON&amp;assigneeId=${w.staffA.id}&amp;source=EVENT"`);
    expect(res.text).toContain(`href="/leads?status=LOST&amp;assigneeId=${w.staffA.id}&amp;source=EVENT"`);
  });

  it('is linked from the lead list and the navigation', async () => {
    const s = await w.as(w.staffA);
    const list = await s.get('/leads').expect(200);
    expect(list.text).toContain('href="/leads/board"');
    const board = await s.get('/leads/board').expect(200);
    expect(board.text).toMatch(/<a class="nav-link active" href="\/leads\/board" aria-current="page">Board<\/a>/);
  });

  it("weights with the company's own probabilities and shows its currency", async () => {
    await ctx.prisma.company.update({
      where: { id: w.b.id },
      data: { currency: 'USD', probabilityNew: 25, probabilityContacted: 40, probabilityQualified: 75 },
    });
    const sql = await sqlTotals(ctx, w.managerB, {});
    const expected = expectedFigures(sql, 'USD');
    const weights = { NEW: 25, CONTACTED: 40, QUALIFIED: 75 } as const;
    for (const [stage, pct] of Object.entries(weights))
      expected[stage].weighted = formatTotal(weightedValue(sql[stage as keyof typeof weights].value, pct), 'USD');
    const manager = await (await w.as(w.managerB)).get('/leads/board').expect(200);
    expect(boardFigures(manager)).toEqual(expected);
    expect(boardFigures(manager).NEW.total).toMatch(/^\$/);
    const su = await (await w.as(w.su)).get(`/leads/board?companyId=${w.b.id}`).expect(200);
    expect(boardFigures(su)).toEqual(expected);
  });
});

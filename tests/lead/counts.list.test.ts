// The lead list's "Showing x–y of N leads" line, for every role and filter, against SQL over the
// leads themselves; a search past SEARCH_COUNT_LIMIT says "more than …" and still pages right.
import { beforeEach, describe, expect, it } from 'vitest';
import { SEARCH_COUNT_LIMIT } from '../../src/lead/counts.ts';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { countsWorld, insertLeads, listTotal } from './countsWorld.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

type Filters = { q?: string; status?: string; source?: string; assigneeId?: number; companyId?: number };

/** SQL's count of the leads `who` may see (their company; staff: their own) matching the filters. */
async function sqlCount(who: { role: string; companyId: number | null; id: number }, f: Filters): Promise<number> {
  const conds: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    conds.push(sql.replace('?', `$${args.length}`));
  };
  if (who.role !== 'SUPERUSER') add('"companyId" = ?', who.companyId);
  if (who.role === 'STAFF') add('"assigneeId" = ?', who.id);
  if (f.status) add('"status" = ?::"LeadStatus"', f.status);
  if (f.source) add('"source" = ?::"LeadSource"', f.source);
  if (f.assigneeId) add('"assigneeId" = ?', f.assigneeId);
  if (f.companyId) add('"companyId" = ?', f.companyId);
  if (f.q)
    add(
      '("title" ILIKE ? OR "contactName" ILIKE $X OR "email" ILIKE $X OR "organisation" ILIKE $X)'.replaceAll(
        '$X',
        `$${args.length + 1}`,
      ),
      `%${f.q}%`,
    );
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  return (await ctx.db.pool.query(`SELECT count(*)::int AS n FROM "Lead" ${where}`, args)).rows[0].n;
}

const href = (f: Filters) =>
  `/leads?${new URLSearchParams(Object.entries(f).map(([k, v]) => [k, String(v)] as [string, string])).toString()}`;

describe('the lead list’s count', () => {
  it('equals SQL’s count for each role and filter, and never counts another company’s leads', async () => {
    await countsWorld(ctx, w);
    const cases: [typeof w.managerA, Filters[]][] = [
      [
        w.managerA,
        [
          {},
          { status: 'QUALIFIED' },
          { source: 'EVENT' },
          { assigneeId: w.staffA.id },
          { status: 'NEW', source: 'WEBSITE', assigneeId: w.colleagueA.id },
          { q: 'relaunch' },
          { q: 'relaunch', status: 'WON' },
          { assigneeId: w.managerB.id },
          { companyId: w.b.id },
        ],
      ],
      [
        w.staffA,
        [
          {},
          { status: 'LOST' },
          { source: 'OTHER', status: 'CONTACTED' },
          { q: 'relaunch' },
          { assigneeId: w.colleagueA.id },
        ],
      ],
      [w.managerB, [{}, { status: 'WON' }, { q: 'relaunch' }]],
      [
        w.su,
        [
          {},
          { companyId: w.a.id },
          { companyId: w.b.id, status: 'NEW' },
          { assigneeId: w.colleagueA.id },
          { q: 'relaunch' },
          { q: 'relaunch', companyId: w.b.id },
        ],
      ],
    ];
    for (const [who, filters] of cases) {
      const s = await signInAs(ctx, who);
      for (const f of filters) {
        // What the list honours: staff have no assignee filter, only superusers a company filter.
        const honoured = { ...f };
        if (who.role === 'STAFF') delete honoured.assigneeId;
        if (who.role !== 'SUPERUSER') delete honoured.companyId;
        const expected = await sqlCount(who, honoured);
        const shown = listTotal((await s.get(href(f)).expect(200)).text);
        expect({ who: who.name, f, shown }).toEqual({
          who: who.name,
          f,
          shown: { total: expected, exact: true, from: expected ? 1 : 0, to: Math.min(25, expected) },
        });
      }
    }
    // The totals really differ by role: the company's, one staff user's share, the other company's.
    expect(await sqlCount(w.managerA, {})).toBe(240);
    expect(await sqlCount(w.staffA, {})).toBe(80);
    expect(await sqlCount(w.managerB, {})).toBe(90);
  });

  it('follows a change at once: a lead moved to another status or assignee moves in the counts', async () => {
    await countsWorld(ctx, w);
    const s = await signInAs(ctx, w.managerA);
    const qualified = async () => listTotal((await s.get('/leads?status=QUALIFIED').expect(200)).text)!.total;
    const before = await qualified();
    const lead = await ctx.prisma.lead.findFirstOrThrow({ where: { companyId: w.a.id, status: 'NEW' } });
    await s.post(`/leads/${lead.id}/status`, { status: 'CONTACTED' }).expect(303);
    await s.post(`/leads/${lead.id}/status`, { status: 'QUALIFIED' }).expect(303);
    expect(await qualified()).toBe(before + 1);
    expect(await qualified()).toBe(await sqlCount(w.managerA, { status: 'QUALIFIED' }));
  });

  it(
    `a search with more than ${SEARCH_COUNT_LIMIT} matches ` + `says "more than …", and pages on while rows exist`,
    async () => {
      const matches = SEARCH_COUNT_LIMIT + 110;
      await insertLeads(ctx, w.a.id, [w.managerA.id, w.staffA.id], matches * 5, 0, 'Big relaunch');
      await insertLeads(ctx, w.b.id, [w.managerB.id], 5 * 5, 0, 'Big relaunch');
      expect(await sqlCount(w.managerA, { q: 'big relaunch' })).toBe(matches);
      const s = await signInAs(ctx, w.managerA);

      const first = (await s.get('/leads?q=big+relaunch').expect(200)).text;
      expect(listTotal(first)).toEqual({ total: SEARCH_COUNT_LIMIT, exact: false, from: 1, to: 25 });
      expect(first).toContain('of <span data-count="lower-bound">more than');
      expect(first).toContain('>Page 1</span>');
      expect(first).toContain('href="/leads?q=big+relaunch&amp;sort=created&amp;dir=desc&amp;page=2" rel="next"');

      // Further on, the count reaches the asked page: "Next" while rows exist, none on the last page.
      const lastFull = Math.floor(matches / 25);
      const deep = (await s.get(`/leads?q=big+relaunch&page=${lastFull}`).expect(200)).text;
      expect(listTotal(deep)).toEqual({
        total: lastFull * 25,
        exact: false,
        from: lastFull * 25 - 24,
        to: lastFull * 25,
      });
      expect(deep).toContain('rel="next"');
      const last = (await s.get(`/leads?q=big+relaunch&page=${lastFull + 1}`).expect(200)).text;
      expect(listTotal(last)).toEqual({ total: matches, exact: true, from: lastFull * 25 + 1, to: matches });
      expect(last).not.toContain('rel="next"');
      expect(last).toContain(`Page ${lastFull + 1} of ${lastFull + 1}`);
      // A page past the end shows the last page, as for exact counts.
      expect(listTotal((await s.get('/leads?q=big+relaunch&page=9999').expect(200)).text)).toEqual(listTotal(last));

      // Staff count only their own matches, and exactly while they are few; the other company's never.
      const staff = await signInAs(ctx, w.staffA);
      const own = await sqlCount(w.staffA, { q: 'big relaunch' });
      expect(own).toBeLessThanOrEqual(SEARCH_COUNT_LIMIT);
      expect(listTotal((await staff.get('/leads?q=big+relaunch').expect(200)).text)).toMatchObject({
        total: own,
        exact: true,
      });
      expect(
        listTotal((await (await signInAs(ctx, w.managerB)).get('/leads?q=big+relaunch').expect(200)).text),
      ).toMatchObject({ total: 5, exact: true });
      // Without the search the same list is counted exactly from the tally, however many leads.
      expect(listTotal((await s.get('/leads').expect(200)).text)).toMatchObject({ total: matches * 5, exact: true });
    },
  );

  it('the count costs the same few statements at 100 and at 3,000 leads', async () => {
    const s = await signInAs(ctx, w.managerA);
    const statements = async (path: string) => {
      ctx.takeQueryCount();
      await s.get(path).expect(200);
      return ctx.takeQueryCount();
    };
    await insertLeads(ctx, w.a.id, [w.managerA.id, w.staffA.id], 100);
    const small = [
      await statements('/leads'),
      await statements('/leads?status=NEW'),
      await statements('/leads?q=relaunch'),
    ];
    await insertLeads(ctx, w.a.id, [w.managerA.id, w.staffA.id, w.colleagueA.id], 2900, 1);
    expect([
      await statements('/leads'),
      await statements('/leads?status=NEW'),
      await statements('/leads?q=relaunch'),
    ]).toEqual(small);
  });
});

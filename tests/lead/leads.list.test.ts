// The lead list: search, status/source/assignee filters, sorting, pagination, CSV, query count.
import { beforeEach, describe, expect, it } from 'vitest';
import { DEEP_PAGE_OFFSET } from '../../src/lead/queries.ts';
import { csvRows, limitedStaff, makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { recordTitles } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

/** Lead titles in the table's order. */
const titles = (html: string) => recordTitles(html, '/leads');
const day = (n: number) => new Date(Date.UTC(2026, 0, n, 12));

async function someLeads() {
  await ctx.make.lead(w.a.id, w.staffA.id, {
    title: 'Solar roof',
    contactName: 'Ada Lovelace',
    email: 'ada@engine.test',
    organisation: 'Engine Works',
    status: 'NEW',
    source: 'WEBSITE',
    estimatedValue: '500',
    createdAt: day(1),
  });
  await ctx.make.lead(w.a.id, w.staffA.id, {
    title: 'Heat pump',
    contactName: 'Brian Kernighan',
    organisation: 'Bell Labs',
    status: 'QUALIFIED',
    source: 'REFERRAL',
    estimatedValue: '9000',
    createdAt: day(2),
  });
  await ctx.make.lead(w.a.id, w.colleagueA.id, {
    title: 'Wind turbine',
    contactName: 'Carla Cruz',
    email: 'carla@solar.test',
    status: 'CONTACTED',
    source: 'WEBSITE',
    createdAt: day(3),
  });
  await ctx.make.lead(w.a.id, w.managerA.id, {
    title: 'Battery pack',
    contactName: 'Dan Dare',
    status: 'WON',
    source: 'EVENT',
    estimatedValue: '120000',
    createdAt: day(4),
  });
  await ctx.make.lead(w.b.id, w.managerB.id, {
    title: 'Solar farm rival',
    contactName: 'Eve',
    status: 'NEW',
    source: 'WEBSITE',
    createdAt: day(5),
  });
}

describe('lead list', () => {
  it(
    'staff see only their leads; search covers title, ' + 'contact, email and organisation case-insensitively',
    async () => {
      await someLeads();
      const s = await signInAs(ctx, w.staffA);
      const page = await s.get('/leads').expect(200);
      expect(titles(page.text)).toEqual(['Heat pump', 'Solar roof']);
      expect(page.text).not.toContain('name="assigneeId"');
      expect(titles((await s.get('/leads?q=SOLAR').expect(200)).text)).toEqual(['Solar roof']);
      expect(titles((await s.get('/leads?q=kernighan').expect(200)).text)).toEqual(['Heat pump']);
      expect(titles((await s.get('/leads?q=engine.test').expect(200)).text)).toEqual(['Solar roof']);
      expect(titles((await s.get('/leads?q=bell').expect(200)).text)).toEqual(['Heat pump']);
      // Carla's lead is Tia's: a staff user cannot reach it, and their ?assigneeId= is not read.
      expect(titles((await s.get(`/leads?q=carla&assigneeId=${w.colleagueA.id}`).expect(200)).text)).toEqual([]);
      expect(titles((await s.get(`/leads?assigneeId=${w.colleagueA.id}`).expect(200)).text)).toEqual([
        'Heat pump',
        'Solar roof',
      ]);
      const none = await s.get('/leads?q=zzz').expect(200);
      expect(none.text).toContain('No leads match your search and filters.');
      await s.get('/leads?status=NEW&status=WON').expect(400);
    },
  );

  it('account managers filter by status, source and assignee, and sort every sortable column', async () => {
    await someLeads();
    const s = await signInAs(ctx, w.managerA);
    const page = await s.get('/leads').expect(200);
    expect(titles(page.text)).toEqual(['Battery pack', 'Wind turbine', 'Heat pump', 'Solar roof']);
    expect(page.text).toContain('name="assigneeId"');
    expect(titles((await s.get('/leads?status=QUALIFIED').expect(200)).text)).toEqual(['Heat pump']);
    expect(titles((await s.get('/leads?source=WEBSITE').expect(200)).text)).toEqual(['Wind turbine', 'Solar roof']);
    expect(titles((await s.get(`/leads?assigneeId=${w.staffA.id}`).expect(200)).text)).toEqual([
      'Heat pump',
      'Solar roof',
    ]);
    expect(
      titles((await s.get(`/leads?assigneeId=${w.staffA.id}&status=NEW&source=WEBSITE&q=roof`).expect(200)).text),
    ).toEqual(['Solar roof']);
    expect(titles((await s.get('/leads?status=BOGUS').expect(200)).text)).toHaveLength(4);
    expect(titles((await s.get(`/leads?companyId=${w.b.id}`).expect(200)).text)).toHaveLength(4);
    expect(titles((await s.get('/leads?sort=title&dir=asc').expect(200)).text)).toEqual([
      'Battery pack',
      'Heat pump',
      'Solar roof',
      'Wind turbine',
    ]);
    expect(titles((await s.get('/leads?sort=status&dir=asc').expect(200)).text)).toEqual([
      'Solar roof',
      'Wind turbine',
      'Heat pump',
      'Battery pack',
    ]);
    expect(titles((await s.get('/leads?sort=value&dir=desc').expect(200)).text)).toEqual([
      'Battery pack',
      'Heat pump',
      'Solar roof',
      'Wind turbine',
    ]);
    expect(titles((await s.get('/leads?sort=value&dir=asc').expect(200)).text)).toEqual([
      'Solar roof',
      'Heat pump',
      'Battery pack',
      'Wind turbine',
    ]);
    // Ann, then Sam's two oldest first (the creation time follows the direction), then Tia.
    expect(titles((await s.get('/leads?sort=assignee&dir=asc').expect(200)).text)).toEqual([
      'Battery pack',
      'Solar roof',
      'Heat pump',
      'Wind turbine',
    ]);
    expect(titles((await s.get('/leads?sort=created&dir=asc').expect(200)).text)).toEqual([
      'Solar roof',
      'Heat pump',
      'Wind turbine',
      'Battery pack',
    ]);
    const sorted = await s.get('/leads?sort=title&dir=asc&status=NEW').expect(200);
    expect(sorted.text).toContain('href="/leads?status=NEW&amp;sort=title&amp;dir=desc"');
  });

  it('the Value header is right-aligned over its right-aligned amounts', async () => {
    await someLeads();
    const s = await signInAs(ctx, w.managerA);
    const page = await s.get('/leads').expect(200);
    expect(page.text).toMatch(
      /<th scope="col" class="text-end" aria-sort="none"><a href="[^"]*sort=value[^"]*">Value<\/a><\/th>/,
    );
    expect(page.text).toContain('<td class="text-end nowrap">€120,000.00</td>');
    // Other sortable headers keep their plain markup.
    expect(page.text).toMatch(/<th scope="col" aria-sort="none"><a href="[^"]*sort=title[^"]*">Title<\/a><\/th>/);
  });

  it("a superuser sees all companies, filters by company and then by that company's assignees", async () => {
    await someLeads();
    const s = await signInAs(ctx, w.su);
    expect(titles((await s.get('/leads').expect(200)).text)).toHaveLength(5);
    const b = await s.get(`/leads?companyId=${w.b.id}`).expect(200);
    expect(titles(b.text)).toEqual(['Solar farm rival']);
    expect(b.text).toContain(`<option value="${w.managerB.id}">Bob Manager`);
    expect(titles((await s.get(`/leads?companyId=${w.a.id}&assigneeId=${w.managerA.id}`).expect(200)).text)).toEqual([
      'Battery pack',
    ]);
  });

  it('pages are stable with equal creation times (id breaks ties) and the query count does not grow', async () => {
    const s = await signInAs(ctx, w.managerA);
    await s.get('/leads').expect(200);
    // Both measured requests come right after a change of leads: the total and the person filter are read again.
    await ctx.make.lead(w.a.id, w.staffA.id, { createdAt: day(1) });
    ctx.takeQueryCount();
    await s.get('/leads').expect(200);
    const one = ctx.takeQueryCount();
    await ctx.prisma.lead.createMany({
      data: Array.from({ length: 59 }, (_, i) => ({
        companyId: w.a.id,
        assigneeId: [w.staffA.id, w.colleagueA.id, w.managerA.id][i % 3],
        title: `Same ${i}`,
        createdAt: day(1),
      })),
    });
    ctx.takeQueryCount();
    await s.get('/leads?perPage=100').expect(200);
    expect(ctx.takeQueryCount()).toBe(one);
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const res = await s.get(`/leads?page=${page}`).expect(200);
      seen.push(...[...res.text.matchAll(/<td><a href="\/leads\/(\d+)">/g)].map((m) => m[1]));
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect((await s.get('/leads?page=3').expect(200)).text).toContain('Showing 51–60 of 60 leads');
  });

  it(
    `pages read in one statement and deep pages (past OFFSET ` +
      `${DEEP_PAGE_OFFSET}, ids first) follow the same order`,
    async () => {
      const s = await signInAs(ctx, w.managerA);
      const people = [w.staffA.id, w.colleagueA.id, w.managerA.id];
      await ctx.prisma.lead.createMany({
        data: Array.from({ length: 160 }, (_, i) => ({
          companyId: w.a.id,
          assigneeId: people[i % 3],
          title: `Deep ${String(i % 7)}`,
          createdAt: day(1 + (i % 4)),
          estimatedValue: i % 5 ? String(i % 11) : null,
        })),
      });
      const orders: [string, object[]][] = [
        ['', [{ createdAt: 'desc' }, { id: 'desc' }]],
        ['&sort=value&dir=asc', [{ estimatedValue: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }]],
        ['&sort=assignee&dir=desc', [{ assignee: { name: 'desc' } }, { createdAt: 'desc' }, { id: 'desc' }]],
      ];
      for (const [params, orderBy] of orders) {
        const expected = (
          await ctx.prisma.lead.findMany({ where: { companyId: w.a.id }, orderBy, select: { id: true } })
        ).map((r) => String(r.id));
        const seen: string[] = [];
        for (const page of [1, 2, 3, 4, 5, 6, 7]) {
          const res = await s.get(`/leads?page=${page}${params}`).expect(200);
          seen.push(...[...res.text.matchAll(/<td><a href="\/leads\/(\d+)">/g)].map((m) => m[1]));
        }
        expect(seen, params).toEqual(expected);
      }
    },
  );

  it('exports exactly the filtered rows the user may see, in list order', async () => {
    await someLeads();
    const staff = await signInAs(ctx, w.staffA);
    const mine = csvRows((await staff.get('/leads/export.csv?source=WEBSITE').expect(200)).text);
    // Staff see colleagues' names only, so no assignee email column; times name the user's zone.
    expect(mine[0]).toEqual([
      'id',
      'title',
      'contact name',
      'email',
      'phone',
      'organisation',
      'source',
      'status',
      'estimated value',
      'currency',
      'next step',
      'expected close date',
      'assignee',
      'customer',
      'lost reason',
      'lost note',
      'created (UTC)',
      'converted (UTC)',
      'last activity (UTC)',
      'next task due (UTC)',
    ]);
    expect(mine.slice(1).map((r) => r[1])).toEqual(['Solar roof']);
    const all = csvRows((await staff.get('/leads/export.csv').expect(200)).text);
    expect(all.slice(1).map((r) => r[1])).toEqual(['Heat pump', 'Solar roof']);
    const am = await signInAs(ctx, w.managerA);
    const res = await am.get('/leads/export.csv?sort=value&dir=desc').expect(200);
    expect(res.headers['content-disposition']).toContain('leads.csv');
    const rows = csvRows(res.text);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['Battery pack', 'Heat pump', 'Solar roof', 'Wind turbine']);
    expect(rows[0].slice(12, 14)).toEqual(['assignee', 'assignee email']);
    expect(rows[1].slice(6, 14)).toEqual(['Event', 'Won', '120000', 'EUR', '', '', 'Ann Manager', w.managerA.email]);
    expect(res.text).not.toContain('Solar farm rival');
  });

  it('empty state for staff; refused without lead.view', async () => {
    const s = await signInAs(ctx, w.staffA);
    expect((await s.get('/leads').expect(200)).text).toContain('No leads are assigned to you yet.');
    const noLeads = await limitedStaff(ctx, w.a.id, ['customer.view']);
    const n = await signInAs(ctx, noLeads);
    await n.get('/leads').expect(403);
    await n.get('/leads/export.csv').expect(403);
  });
});

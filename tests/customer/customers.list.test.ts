// The customer list: search, owner filter, sorting, pagination, empty states, CSV, query count.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { recordTitles } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { csvRows, limitedStaff, makeWorld, type World } from './world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

/** Customer names in the table's order. */
const names = (html: string) => recordTitles(html, '/customers');

describe('customer list', () => {
  it('searches name, email, phone and organisation case-insensitively, within the company only', async () => {
    await ctx.make.customer(w.a.id, {
      name: 'Zebra Works',
      email: 'zz@zebra.test',
      phone: '555 0101',
      organisation: 'Stripes Holding',
    });
    await ctx.make.customer(w.a.id, {
      name: 'Apple Farm',
      email: 'hello@orchard.test',
      phone: '777',
      organisation: 'Fruit Union',
    });
    await ctx.make.customer(w.b.id, { name: 'Zebra Rival', email: 'rival@zebra.test' });
    const s = await signInAs(ctx, w.staffA);
    expect(names((await s.get('/customers?q=zebra').expect(200)).text)).toEqual(['Zebra Works']);
    expect(names((await s.get('/customers?q=ORCHARD').expect(200)).text)).toEqual(['Apple Farm']);
    expect(names((await s.get('/customers?q=0101').expect(200)).text)).toEqual(['Zebra Works']);
    expect(names((await s.get('/customers?q=fruit').expect(200)).text)).toEqual(['Apple Farm']);
    const none = await s.get('/customers?q=nothing-like-this').expect(200);
    expect(none.text).toContain('No customers match your search.');
    await s.get('/customers?q=a&q=b').expect(400);
    // ?companyId= never widens an account manager's list.
    const am = await signInAs(ctx, w.managerA);
    expect(names((await am.get(`/customers?companyId=${w.b.id}`).expect(200)).text)).toEqual([
      'Apple Farm',
      'Zebra Works',
    ]);
  });

  it('filters by owner and sorts by name, organisation and creation, with id breaking ties', async () => {
    const day = (n: number) => new Date(Date.UTC(2026, 0, n));
    await ctx.make.customer(w.a.id, { name: 'Bravo', organisation: 'Zulu', ownerId: w.staffA.id, createdAt: day(2) });
    await ctx.make.customer(w.a.id, {
      name: 'Alpha',
      organisation: 'Yankee',
      ownerId: w.colleagueA.id,
      createdAt: day(3),
    });
    await ctx.make.customer(w.a.id, { name: 'Charlie', organisation: 'Xray', ownerId: w.staffA.id, createdAt: day(1) });
    const s = await signInAs(ctx, w.managerA);
    const page = await s.get('/customers').expect(200);
    expect(names(page.text)).toEqual(['Alpha', 'Bravo', 'Charlie']);
    expect(page.text).toContain('aria-sort="ascending"');
    expect(names((await s.get('/customers?sort=name&dir=desc').expect(200)).text)).toEqual([
      'Charlie',
      'Bravo',
      'Alpha',
    ]);
    expect(names((await s.get('/customers?sort=organisation&dir=asc').expect(200)).text)).toEqual([
      'Charlie',
      'Alpha',
      'Bravo',
    ]);
    expect(names((await s.get('/customers?sort=created&dir=desc').expect(200)).text)).toEqual([
      'Alpha',
      'Bravo',
      'Charlie',
    ]);
    expect(names((await s.get(`/customers?ownerId=${w.staffA.id}`).expect(200)).text)).toEqual(['Bravo', 'Charlie']);
    expect(names((await s.get('/customers?sort=bogus&dir=sideways&ownerId=x').expect(200)).text)).toEqual([
      'Alpha',
      'Bravo',
      'Charlie',
    ]);
  });

  it('paginates with stable pages and a fixed number of queries whatever the length', async () => {
    for (let i = 0; i < 3; i++) await ctx.make.customer(w.a.id, { name: `Few ${i}`, ownerId: w.staffA.id });
    const s = await signInAs(ctx, w.managerA);
    await s.get('/customers').expect(200);
    ctx.takeQueryCount();
    await s.get('/customers').expect(200);
    const few = ctx.takeQueryCount();
    expect(few).toBeGreaterThan(0);
    await ctx.prisma.customer.createMany({
      data: Array.from({ length: 57 }, (_, i) => ({
        companyId: w.a.id,
        name: `Same name`,
        ownerId: i % 2 ? w.staffA.id : w.colleagueA.id,
      })),
    });
    ctx.takeQueryCount(); // the factory's own inserts run on the same pool
    await s.get('/customers').expect(200);
    expect(ctx.takeQueryCount()).toBe(few);
    const seen = new Set<string>();
    for (const page of [1, 2, 3]) {
      const res = await s.get(`/customers?page=${page}`).expect(200);
      const ids = [...res.text.matchAll(/href="\/customers\/(\d+)">/g)].map((m) => m[1]);
      for (const id of ids) seen.add(id);
      if (page === 1) expect(res.text).toContain('Showing 1–25 of 60 customers');
    }
    expect(seen.size).toBe(60);
    const last = await s.get('/customers?page=99').expect(200);
    expect(last.text).toContain('Showing 51–60 of 60 customers');
    expect((await s.get('/customers?perPage=100').expect(200)).text).toContain('Showing 1–60 of 60 customers');
  });

  it('shows an empty state that invites the first customer', async () => {
    const s = await signInAs(ctx, w.staffA);
    const res = await s.get('/customers').expect(200);
    expect(res.text).toContain('No customers yet.');
    expect(res.text).toContain('Add the first customer');
  });

  it('exports exactly the filtered rows of the company as CSV, formulas neutralised', async () => {
    await ctx.make.customer(w.a.id, {
      name: 'Zebra Works',
      organisation: 'Stripes',
      ownerId: w.colleagueA.id,
      createdAt: new Date('2026-07-01T22:30:00Z'),
    });
    await ctx.make.customer(w.a.id, { name: '=HYPERLINK("x")', organisation: 'Stripes' });
    await ctx.make.customer(w.a.id, { name: 'Apple Farm', organisation: 'Fruit' });
    await ctx.make.customer(w.b.id, { name: 'Zebra Rival', organisation: 'Stripes' });
    const s = await signInAs(ctx, w.staffA);
    const list = await s.get('/customers?q=stripes&sort=name&dir=desc').expect(200);
    expect(list.text).toContain('href="/customers/export.csv?q=stripes&amp;sort=name&amp;dir=desc"');
    const res = await s.get('/customers/export.csv?q=stripes&sort=name&dir=desc').expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('customers.csv');
    const rows = csvRows(res.text);
    // Staff see colleagues' names only (SPEC section 2): no owner email column at all.
    expect(rows[0]).toEqual(['id', 'name', 'email', 'phone', 'organisation', 'address', 'owner', 'created (UTC)']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['Zebra Works', '\'=HYPERLINK("x")']);
    expect(rows[1][6]).toBe('Tia Staff');
    expect(rows[1][7]).toBe('2026-07-01 22:30');
    expect(res.text).not.toContain(w.colleagueA.email);
    // Their account manager, in Warsaw, gets the owner's email and Warsaw times.
    await ctx.prisma.user.update({ where: { id: w.managerA.id }, data: { timeZone: 'Europe/Warsaw' } });
    const am = csvRows((await (await signInAs(ctx, w.managerA)).get('/customers/export.csv?q=zebra').expect(200)).text);
    expect(am[0]).toEqual([
      'id',
      'name',
      'email',
      'phone',
      'organisation',
      'address',
      'owner',
      'owner email',
      'created (Europe/Warsaw)',
    ]);
    expect(am[1].slice(6)).toEqual(['Tia Staff', w.colleagueA.email, '2026-07-02 00:30']);
    expect(res.text).not.toContain('Zebra Rival');
    expect(res.text).not.toContain('Apple Farm');
  });

  it("a superuser lists every company, filters by company and then by that company's owners", async () => {
    await ctx.make.customer(w.a.id, { name: 'Alpha Customer', ownerId: w.managerA.id });
    await ctx.make.customer(w.b.id, { name: 'Beta Customer', ownerId: w.managerB.id });
    const s = await signInAs(ctx, w.su);
    const all = await s.get('/customers').expect(200);
    expect(names(all.text)).toEqual(['Alpha Customer', 'Beta Customer']);
    const onlyB = await s.get(`/customers?companyId=${w.b.id}`).expect(200);
    expect(names(onlyB.text)).toEqual(['Beta Customer']);
    expect(onlyB.text).toContain('<option value="' + w.managerB.id + '">Bob Manager');
    const csv = csvRows((await s.get('/customers/export.csv').expect(200)).text);
    expect(csv[0].at(-1)).toBe('company');
    expect(csv.slice(1).map((r) => r.at(-1))).toEqual(['Alpha Ltd', 'Beta Ltd']);
  });

  it('refuses the list and the export without customer.view', async () => {
    const noView = await limitedStaff(ctx, w.a.id, ['lead.view']);
    const s = await signInAs(ctx, noView);
    const home = await s.get('/dashboard').expect(200);
    expect(home.text).not.toContain('href="/customers"');
    await s.get('/customers').expect(403);
    await s.get('/customers/export.csv').expect(403);
  });
});

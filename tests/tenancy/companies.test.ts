// /companies: superusers administer companies; everyone else reads their own company only.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STAFF_GROUP } from '../../src/access/permissions.ts';
import { useTestContext } from '../helpers/context.ts';
import { downloadCsv } from '../helpers/csv.ts';
import { signIn } from '../helpers/session.ts';
import { fieldValue } from '../helpers/html.ts';
import { expectRedirect, makeWorld, snapshot } from './world.ts';

/** The edit form's pipeline settings, unchanged (tests/company/settings.test.ts tests them). */
const PIPELINE = { currency: 'EUR', probabilityNew: '10', probabilityContacted: '20', probabilityQualified: '50' };

const ctx = useTestContext();

describe('companies for a superuser', () => {
  it('lists with search, status filter, sorting, pagination and a fixed number of queries', async () => {
    const w = await makeWorld(ctx);
    await ctx.make.company({ name: 'Zulu Dormant', slug: 'zulu-dormant', active: false });
    const su = await w.as(w.su);
    let res = await su.get('/companies').expect(200);
    expect(res.text).toContain('Alpha Works');
    expect(res.text).toContain('Zulu Dormant');
    res = await su.get('/companies?q=brav').expect(200);
    expect(res.text).toContain('Bravo Trading');
    expect(res.text).not.toContain('Alpha Works');
    res = await su.get('/companies?status=inactive').expect(200);
    expect(res.text).toContain('Zulu Dormant');
    expect(res.text).not.toContain('Bravo Trading');
    res = await su.get('/companies?status=active&sort=name&dir=desc').expect(200);
    expect(res.text.indexOf('Bravo Trading')).toBeLessThan(res.text.indexOf('Alpha Works'));
    res = await su.get('/companies?sort=users&dir=desc').expect(200);
    expect(res.text.indexOf('Alpha Works')).toBeLessThan(res.text.indexOf('Zulu Dormant'));
    res = await su.get('/companies?q=nothing-like-this').expect(200);
    expect(res.text).toContain('No companies match');
    await su.get('/companies?status=a&status=b').expect(400);

    ctx.takeQueryCount();
    await su.get('/companies').expect(200);
    const few = ctx.takeQueryCount();
    for (let i = 0; i < 30; i++) await ctx.make.company({ name: `Filler ${String(i).padStart(2, '0')}` });
    ctx.takeQueryCount();
    res = await su.get('/companies').expect(200);
    expect(ctx.takeQueryCount()).toBe(few);
    expect(res.text).toContain('Showing 1–25 of 33 companies');
    // A page past the last shows the last page, its rows matching the count.
    res = await su.get('/companies?page=9').expect(200);
    expect(res.text).toContain('Showing 26–33 of 33 companies');
    expect(res.text).toContain('Zulu Dormant');
    res = await su.get('/companies?page=2').expect(200);
    expect(res.text).toContain('Showing 26–33 of 33 companies');
  });

  it('exports exactly the filtered rows as CSV', async () => {
    const w = await makeWorld(ctx);
    await ctx.make.company({ name: '=Formula Inc', slug: 'formula', active: false });
    const su = await w.as(w.su);
    const csv = await downloadCsv(su.get('/companies/export.csv?status=inactive'), 'companies.csv');
    expect(csv.header).toEqual(['id', 'name', 'slug', 'active', 'users', 'created (UTC)']);
    expect(csv.rows.map((r) => r.slice(1, 5))).toEqual([["'=Formula Inc", 'formula', 'no', '0']]);
    expect(csv.text).not.toContain('Alpha Works');
  });

  it('creates a company with its default Staff group and an audit entry, in one go', async () => {
    const w = await makeWorld(ctx);
    const su = await w.as(w.su);
    const form = await su.get('/companies/new').expect(200);
    expect(form.text).toContain('<label for="f-name"');
    const res = await su.post('/companies', { name: 'Charlie Café', slug: '', currency: 'EUR' });
    const created = await ctx.prisma.company.findUniqueOrThrow({
      where: { slug: 'charlie-cafe' },
      include: { groups: true },
    });
    expectRedirect(res, `/companies/${created.id}`);
    expect(created.groups.map((g) => [g.name, g.permissions])).toEqual([
      [DEFAULT_STAFF_GROUP.name, DEFAULT_STAFF_GROUP.permissions],
    ]);
    const audit = await ctx.prisma.auditEntry.findMany({ where: { companyId: created.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.model, a.action, a.actorId])).toEqual([
      ['Company', 'create', w.su.id],
      ['Group', 'create', w.su.id],
    ]);
    const page = await su.get(res.headers.location).expect(200);
    expect(page.text).toContain('created with its');
    expect(page.text).toContain('Add an account manager');
  });

  it('refuses bad input with 422, keeping what was typed, and a taken slug as a field error', async () => {
    const w = await makeWorld(ctx);
    const su = await w.as(w.su);
    const before = await ctx.prisma.company.count();
    let res = await su.post('/companies', { name: '', slug: 'Bad Slug!' }).expect(422);
    expect(res.text).toContain('Enter the name.');
    expect(res.text).toContain('value="Bad Slug!"');
    res = await su.post('/companies', { name: 'Another Alpha', slug: 'alpha-works', currency: 'EUR' }).expect(422);
    expect(res.text).toContain('Another company already uses this slug');
    expect(res.text).toContain('value="Another Alpha"');
    res = await su.post('/companies', { name: ['x', 'y'] as unknown as string }).expect(422);
    await su.agent.post('/companies').type('form').send({ name: 'No Token' }).expect(403);
    expect(await ctx.prisma.company.count()).toBe(before);
    expect(await ctx.prisma.group.count({ where: { company: { slug: 'alpha-works' } } })).toBe(1);
  });

  it('under a race for the same slug, one company is created and the other request gets the field error', async () => {
    const w = await makeWorld(ctx);
    const su = await w.as(w.su);
    const [r1, r2] = await Promise.all([
      su.post('/companies', { name: 'Twin', slug: 'twin', currency: 'EUR' }),
      su.post('/companies', { name: 'Twin', slug: 'twin', currency: 'EUR' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([303, 422]);
    expect(await ctx.prisma.company.count({ where: { slug: 'twin' } })).toBe(1);
    expect(await ctx.prisma.group.count({ where: { company: { slug: 'twin' } } })).toBe(1);
  });

  it(
    'edits with optimistic locking: a stale version ' + 'answers 409 with both versions, and saving again wins',
    async () => {
      const w = await makeWorld(ctx);
      const su = await w.as(w.su);
      const edit = await su.get(`/companies/${w.a.id}/edit`).expect(200);
      const version = fieldValue(edit.text, 'version')!;
      expect(version).toBe('1');
      await ctx.prisma.company.update({
        where: { id: w.a.id },
        data: { name: 'Alpha Renamed Elsewhere', version: { increment: 1 } },
      });
      const res = await su
        .post(`/companies/${w.a.id}`, { name: 'Alpha Mine', slug: 'alpha-works', ...PIPELINE, version })
        .expect(409);
      expect(res.text).toContain('Alpha Renamed Elsewhere');
      expect(res.text).toContain('value="Alpha Mine"');
      expect(fieldValue(res.text, 'version')).toBe('2');
      expect((await ctx.prisma.company.findUniqueOrThrow({ where: { id: w.a.id } })).name).toBe(
        'Alpha Renamed Elsewhere',
      );
      expectRedirect(
        await su.post(`/companies/${w.a.id}`, { name: 'Alpha Mine', slug: 'alpha-works', ...PIPELINE, version: '2' }),
        `/companies/${w.a.id}`,
      );
      const row = await ctx.prisma.company.findUniqueOrThrow({ where: { id: w.a.id } });
      expect([row.name, row.version]).toEqual(['Alpha Mine', 3]);
      const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Company', action: 'update' } });
      expect(audit.changes).toEqual({ name: ['Alpha Renamed Elsewhere', 'Alpha Mine'] });
      await su.post(`/companies/${w.a.id}`, { name: '', slug: 'alpha-works', version: '3' }).expect(422);
      await su
        .post(`/companies/${w.a.id}`, { name: 'B', slug: 'bravo-trading', ...PIPELINE, version: '3' })
        .expect(422);
      await su.post('/companies/999999', { name: 'x', slug: 'x', version: '1' }).expect(404);
      await su.get('/companies/abc').expect(404);
      await su.get('/companies/99999999999').expect(404);
      expect((await ctx.prisma.company.findUniqueOrThrow({ where: { id: w.a.id } })).version).toBe(3);
    },
  );
});

describe('deactivating a company', () => {
  it('signs its users out at once, refuses their sign-in, and reactivation lets them back', async () => {
    const w = await makeWorld(ctx);
    const su = await w.as(w.su);
    const staff = await w.as(w.staffA);
    const otherCompany = await w.as(w.staffB);
    await su.get(`/companies/${w.a.id}/delete`).expect(200);
    expectRedirect(await su.post(`/companies/${w.a.id}/delete`), `/companies/${w.a.id}`);
    const company = await ctx.prisma.company.findUniqueOrThrow({ where: { id: w.a.id } });
    expect(company.active).toBe(false);
    expect((await staff.get('/dashboard')).status).toBe(302);
    expect((await staff.post('/profile', { name: 'Still here?', timeZone: 'UTC' })).status).toBe(401);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.staffA.id } })).name).toBe('Steve Alpha');
    await otherCompany.get('/dashboard').expect(200);
    await expect(signIn(ctx, w.managerA)).rejects.toThrow();
    expect(
      await ctx.prisma.auditEntry.count({
        where: { model: 'Company', action: 'deactivate', recordId: String(w.a.id) },
      }),
    ).toBe(1);

    expectRedirect(await su.post(`/companies/${w.a.id}/reactivate`), `/companies/${w.a.id}`);
    expect((await ctx.prisma.company.findUniqueOrThrow({ where: { id: w.a.id } })).active).toBe(true);
    const again = await signIn(ctx, w.staffA);
    await again.get('/dashboard').expect(200);
  });

  it(
    'the user check runs on every request: an inactive company ' +
      'stops a session even without its rows being deleted',
    async () => {
      const w = await makeWorld(ctx);
      const staff = await w.as(w.staffA);
      await ctx.prisma.company.update({ where: { id: w.a.id }, data: { active: false } });
      expect((await staff.get('/dashboard')).status).toBe(302);
    },
  );
});

describe('companies for account managers and staff', () => {
  it('the navigation links staff and managers to their own company page, superusers to the list', async () => {
    const w = await makeWorld(ctx);
    for (const user of [w.staffA, w.managerA]) {
      const dash = await (await w.as(user)).get('/dashboard').expect(200);
      expect(dash.text).toContain(`href="/companies/${w.a.id}"`);
      expect(dash.text).not.toContain('href="/companies"');
      await (await w.as(user)).get(`/companies/${w.a.id}`).expect(200);
    }
    const su = await (await w.as(w.su)).get('/dashboard').expect(200);
    expect(su.text).toContain('href="/companies"');
  });

  it('shows their own company read-only and hides every other one', async () => {
    const w = await makeWorld(ctx);
    for (const user of [w.managerA, w.staffA]) {
      const s = await w.as(user);
      const own = await s.get(`/companies/${w.a.id}`).expect(200);
      expect(own.text).toContain('Alpha Works');
      expect(own.text).not.toContain(`/companies/${w.a.id}/edit`);
      expect(own.text).not.toContain('Deactivate');
      const other = await s.get(`/companies/${w.b.id}`).expect(404);
      expect(other.text).not.toContain('Bravo Trading');
      await s.get('/companies').expect(403);
      await s.get('/companies/new').expect(403);
      await s.get(`/companies/${w.a.id}/edit`).expect(403);
    }
  });

  it('refuses their writes with 403 and changes nothing', async () => {
    const w = await makeWorld(ctx);
    const before = await snapshot(() => ctx.prisma.company.findMany({ orderBy: { id: 'asc' } }));
    for (const user of [w.managerA, w.staffA]) {
      const s = await w.as(user);
      await s.post('/companies', { name: 'Sneaky', slug: 'sneaky' }).expect(403);
      await s.post(`/companies/${w.a.id}`, { name: 'Renamed', slug: 'alpha-works', version: '1' }).expect(403);
      await s.post(`/companies/${w.a.id}/delete`).expect(403);
      await s.post(`/companies/${w.b.id}/delete`).expect(403);
    }
    expect(await snapshot(() => ctx.prisma.company.findMany({ orderBy: { id: 'asc' } }))).toBe(before);
    expect(
      await request(ctx.app)
        .post(`/companies/${w.a.id}/delete`)
        .then((r) => r.status),
    ).toBe(401);
  });
});

// Issue 14 items 1 and 2: a company's currency and its open stages' win probabilities. Account managers
// change their own company's on /company/settings; superusers choose the currency when creating a company and
// change both on its edit form. Refusals: staff 403, bad input 422 (form kept, nothing saved), stale version
// 409, missing CSRF 403, and the scope lets a manager change nothing else of the company.
import { beforeEach, describe, expect, it } from 'vitest';
import { scope } from '../../src/access/scope.ts';
import { Forbidden } from '../../src/web/errors.ts';
import { useTestContext } from '../helpers/context.ts';
import { fieldError, fieldValue, first, optionValues, postForm } from '../helpers/html.ts';
import { buildWorld, type World } from '../helpers/world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await buildWorld(ctx);
});

const settingsOf = (id: number) =>
  ctx.prisma.company.findUniqueOrThrow({
    where: { id },
    select: {
      name: true,
      currency: true,
      probabilityNew: true,
      probabilityContacted: true,
      probabilityQualified: true,
      version: true,
    },
  });

const form = (version: number, o: Record<string, string> = {}) => ({
  currency: 'USD',
  probabilityNew: '5',
  probabilityContacted: '25',
  probabilityQualified: '70',
  version: String(version),
  ...o,
});

describe('/company/settings', () => {
  it('lets an account manager change the currency and probabilities, used from the next request', async () => {
    const m = await w.as(w.managerA);
    const show = await m.get(`/companies/${w.a.id}`).expect(200);
    expect(first(show, 'a[href="/company/settings"]')).toBeDefined();
    const page = await m.get('/company/settings').expect(200);
    const f = postForm(page, '/company/settings')!;
    expect(fieldValue(f, 'probabilityNew')).toBe('10');
    expect(optionValues(page, 'currency')).toContain('JPY');
    const before = await settingsOf(w.a.id);
    const res = await m.post('/company/settings', form(before.version)).expect(303);
    expect(res.headers.location).toBe('/company/settings');
    expect(await settingsOf(w.a.id)).toMatchObject({
      currency: 'USD',
      probabilityNew: 5,
      probabilityContacted: 25,
      probabilityQualified: 70,
      version: before.version + 1,
    });
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Company', action: 'update' } });
    expect(entry.changes).toEqual({
      currency: ['EUR', 'USD'],
      probabilityNew: [10, 5],
      probabilityContacted: [20, 25],
      probabilityQualified: [50, 70],
    });
    // The next request's user carries them: a lead's value shows in dollars, staff included.
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { estimatedValue: '1234.5' });
    const staffPage = await (await w.as(w.staffA)).get(`/leads/${lead.id}`).expect(200);
    expect(staffPage.text).toContain('$1,234.50');
  });

  it('refuses bad values with 422, keeping the form, and saves nothing', async () => {
    const m = await w.as(w.managerA);
    const before = await settingsOf(w.a.id);
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ currency: 'XXY' }, 'currency', /Choose a currency/],
      [{ currency: '' }, 'currency', /Choose a currency/],
      [{ probabilityNew: '101' }, 'probabilityNew', /0 to 100/],
      [{ probabilityContacted: '-1' }, 'probabilityContacted', /0 to 100/],
      [{ probabilityQualified: '12.5' }, 'probabilityQualified', /0 to 100/],
      [{ probabilityQualified: 'half' }, 'probabilityQualified', /0 to 100/],
    ];
    for (const [change, name, message] of cases) {
      const res = await m.post('/company/settings', form(before.version, change)).expect(422);
      expect(fieldError(res, name)).toMatch(message);
      expect(fieldValue(postForm(res, '/company/settings')!, 'probabilityContacted')).toBe(
        change.probabilityContacted ?? '25',
      );
    }
    await m.agent.post('/company/settings').type('form').send(form(before.version)).expect(403);
    expect(await settingsOf(w.a.id)).toEqual(before);
  });

  it('answers a stale version with 409 showing the saved settings, and keeps them', async () => {
    const m = await w.as(w.managerA);
    const before = await settingsOf(w.a.id);
    await ctx.prisma.company.update({
      where: { id: w.a.id },
      data: { currency: 'GBP', version: { increment: 1 } },
    });
    const res = await m.post('/company/settings', form(before.version)).expect(409);
    expect(res.text).toContain('GBP');
    expect(fieldValue(postForm(res, '/company/settings')!, 'version')).toBe(String(before.version + 1));
    expect(await settingsOf(w.a.id)).toMatchObject({ currency: 'GBP', probabilityNew: 10 });
  });

  it('is not for staff (403); a superuser is sent to the companies; B cannot touch A', async () => {
    const staff = await w.as(w.staffA);
    await staff.get('/company/settings').expect(403);
    await staff.post('/company/settings', form(1)).expect(403);
    expect((await staff.get(`/companies/${w.a.id}`).expect(200)).text).not.toContain('/company/settings');
    const su = await w.as(w.su);
    expect((await su.get('/company/settings').expect(303)).headers.location).toBe('/companies');
    const before = await settingsOf(w.a.id);
    // Manager B changes B only, whatever is posted.
    const b = await w.as(w.managerB);
    const bVersion = (await settingsOf(w.b.id)).version;
    await b.post('/company/settings', { ...form(bVersion), companyId: String(w.a.id), id: String(w.a.id) }).expect(303);
    expect(await settingsOf(w.a.id)).toEqual(before);
    expect((await settingsOf(w.b.id)).currency).toBe('USD');
    await b.get(`/companies/${w.a.id}/edit`).expect(403);
    await b.post(`/companies/${w.a.id}`, { name: 'Mine', slug: 'mine', ...form(before.version) }).expect(403);
  });

  it('the scope lets an account manager change only the pipeline settings of their own company', async () => {
    const manager = scope(ctx.prisma, w.managerA);
    await manager.company.update({ where: { id: w.a.id }, data: { currency: 'CHF' } });
    await expect(manager.company.update({ where: { id: w.a.id }, data: { name: 'Renamed' } })).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(
      manager.company.update({ where: { id: w.a.id }, data: { active: false, currency: 'CHF' } }),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(manager.company.update({ where: { id: w.b.id }, data: { currency: 'CHF' } })).rejects.toThrow();
    await expect(manager.company.delete({ where: { id: w.a.id } })).rejects.toBeInstanceOf(Forbidden);
    await expect(manager.company.deleteMany({})).rejects.toBeInstanceOf(Forbidden);
    expect(await ctx.prisma.company.count({ where: { id: w.a.id } })).toBe(1);
    const staff = scope(ctx.prisma, w.staffA);
    await expect(staff.company.update({ where: { id: w.a.id }, data: { currency: 'USD' } })).rejects.toBeInstanceOf(
      Forbidden,
    );
    expect((await settingsOf(w.a.id)).currency).toBe('CHF');
    expect((await settingsOf(w.b.id)).currency).toBe('EUR');
  });
});

describe("a superuser's company forms", () => {
  it('choose the currency on create (unknown code 422) and change all settings on edit', async () => {
    const su = await w.as(w.su);
    const page = await su.get('/companies/new').expect(200);
    expect(fieldValue(postForm(page, '/companies')!, 'currency')).toBe('EUR');
    const bad = await su.post('/companies', { name: 'Delta', slug: '', currency: 'ABC' }).expect(422);
    expect(fieldError(bad, 'currency')).toMatch(/Choose a currency/);
    expect(fieldValue(postForm(bad, '/companies')!, 'name')).toBe('Delta');
    await su.post('/companies', { name: 'Delta', slug: '', currency: 'JPY' }).expect(303);
    const delta = await ctx.prisma.company.findUniqueOrThrow({ where: { slug: 'delta' } });
    expect(delta.currency).toBe('JPY');
    const edit = await su.get(`/companies/${w.a.id}/edit`).expect(200);
    expect(fieldValue(postForm(edit, `/companies/${w.a.id}`)!, 'probabilityQualified')).toBe('50');
    const v = (await settingsOf(w.a.id)).version;
    const wrong = await su
      .post(`/companies/${w.a.id}`, { name: 'Alpha Works', slug: 'alpha-works', ...form(v, { probabilityNew: '' }) })
      .expect(422);
    expect(fieldError(wrong, 'probabilityNew')).toMatch(/0 to 100/);
    await su.post(`/companies/${w.a.id}`, { name: 'Alpha Works', slug: 'alpha-works', ...form(v) }).expect(303);
    expect(await settingsOf(w.a.id)).toMatchObject({ currency: 'USD', probabilityQualified: 70 });
  });
});

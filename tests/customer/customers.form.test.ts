// Customers: create, show, edit for each role, with their refusals (SPEC sections 2, 3, 5, 7).
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { limitedStaff, makeWorld, type World } from './world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const form = (o: Record<string, string> = {}) => ({
  name: 'Acme GmbH',
  email: 'Info@Acme.test',
  phone: '+49 30 1234',
  organisation: 'Acme Group',
  address: 'Main St 1',
  notes: 'Met at fair',
  ...o,
});

describe('creating customers', () => {
  it('staff create a customer in their company; the owner defaults to them and the audit records it', async () => {
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get('/customers/new').expect(200);
    expect(page.text).toMatch(new RegExp(`<option value="${w.staffA.id}" selected>`));
    expect(page.text).not.toContain('name="companyId"');
    const res = await s
      .post('/customers', form({ ownerId: String(w.staffA.id), companyId: String(w.b.id) }))
      .expect(303);
    const c = await ctx.prisma.customer.findFirstOrThrow();
    expect(res.headers.location).toBe(`/customers/${c.id}`);
    expect(c).toMatchObject({
      companyId: w.a.id,
      name: 'Acme GmbH',
      email: 'info@acme.test',
      ownerId: w.staffA.id,
      version: 1,
    });
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Customer' } });
    expect(audit).toMatchObject({ action: 'create', actorId: w.staffA.id, companyId: w.a.id, recordId: String(c.id) });
    const show = await s.get(`/customers/${c.id}`).expect(200);
    expect(show.text).toContain('Customer &#34;Acme GmbH&#34; created.');
  });

  it(
    'an account manager picks another owner of the ' + 'company; an owner of another company is a field error',
    async () => {
      const s = await signInAs(ctx, w.managerA);
      await s.post('/customers', form({ ownerId: String(w.colleagueA.id) })).expect(303);
      expect((await ctx.prisma.customer.findFirstOrThrow()).ownerId).toBe(w.colleagueA.id);
      const bad = await s.post('/customers', form({ name: 'Other', ownerId: String(w.managerB.id) })).expect(422);
      expect(bad.text).toContain('Choose an active user of the company.');
      expect(bad.text).toContain('value="Other"');
      await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { active: false } });
      const inactive = await s.post('/customers', form({ name: 'Other', ownerId: String(w.staffA.id) })).expect(422);
      expect(inactive.text).toContain('Choose an active user of the company.');
      expect(await ctx.prisma.customer.count()).toBe(1);
    },
  );

  it('invalid input answers 422 with messages beside the fields and the values kept; nothing is written', async () => {
    const s = await signInAs(ctx, w.managerA);
    const res = await s
      .post('/customers', form({ name: '  ', email: 'not-an-email', phone: 'call me<b>', ownerId: 'abc' }))
      .expect(422);
    expect(res.text).toContain('Enter the name.');
    expect(res.text).toContain('Enter a valid email address.');
    expect(res.text).toContain('Use digits, spaces and + ( ) - . / only.');
    expect(res.text).toContain('Choose a valid owner.');
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).toContain('value="call me&lt;b&gt;"');
    expect(res.text).toContain('aria-invalid="true"');
    const repeated = await s.agent
      .post('/customers')
      .type('form')
      .send(`_csrf=${encodeURIComponent(s.csrf)}&name=a&name=b`)
      .expect(422);
    expect(repeated.text).toContain('Enter a single value.');
    expect(await ctx.prisma.customer.count()).toBe(0);
  });

  it('a superuser first chooses the company, then the owners come from that company', async () => {
    const s = await signInAs(ctx, w.su);
    const step1 = await s.get('/customers/new').expect(200);
    expect(step1.text).toContain('Which company is the customer for?');
    expect(step1.text).toContain('Alpha Ltd');
    const step2 = await s.get(`/customers/new?companyId=${w.b.id}`).expect(200);
    expect(step2.text).toContain('Bob Manager');
    expect(step2.text).not.toContain('Ann Manager');
    await s.get('/customers/new?companyId=99999').expect(422);
    await s.post('/customers', form({ companyId: String(w.b.id), ownerId: String(w.managerA.id) })).expect(422);
    await s.post('/customers', form({ companyId: String(w.b.id), ownerId: String(w.managerB.id) })).expect(303);
    expect(await ctx.prisma.customer.findFirstOrThrow()).toMatchObject({ companyId: w.b.id, ownerId: w.managerB.id });
    await s.post('/customers', form({ ownerId: '' })).expect(422);
    expect(await ctx.prisma.customer.count()).toBe(1);
  });

  it('refuses without permission (403), without CSRF (403) and without sign-in (401)', async () => {
    const viewer = await limitedStaff(ctx, w.a.id, ['customer.view']);
    const s = await signInAs(ctx, viewer);
    const page = await s.get('/customers').expect(200);
    expect(page.text).not.toContain('New customer');
    const denied = await s.get('/customers/new').expect(403);
    expect(denied.text).toContain('customer.add');
    await s.post('/customers', form()).expect(403);
    const am = await signInAs(ctx, w.managerA);
    await am.agent.post('/customers').type('form').send(form()).expect(403);
    await request(ctx.app).post('/customers').type('form').send(form()).expect(401);
    expect(await ctx.prisma.customer.count()).toBe(0);
  });
});

describe('showing and editing customers', () => {
  it('staff see and edit any customer of their company; other companies and bad ids are 404', async () => {
    const mine = await ctx.make.customer(w.a.id, { name: 'Kiwi Co', ownerId: w.colleagueA.id });
    const theirs = await ctx.make.customer(w.b.id, { name: 'Beta Customer' });
    const s = await signInAs(ctx, w.staffA);
    const show = await s.get(`/customers/${mine.id}`).expect(200);
    expect(show.text).toContain('Kiwi Co');
    expect(show.text).toContain('Tia Staff');
    expect(show.text).not.toContain('/delete');
    await s.get(`/customers/${mine.id}/edit`).expect(200);
    for (const path of [
      `/customers/${theirs.id}`,
      `/customers/${theirs.id}/edit`,
      '/customers/abc',
      '/customers/99999999999',
      '/customers/0',
      '/customers/1.5',
    ]) {
      await s.get(path).expect(404);
    }
    await s.post(`/customers/${theirs.id}`, form({ version: '1' })).expect(404);
    expect((await ctx.prisma.customer.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBe('Beta Customer');
    const saved = await s
      .post(`/customers/${mine.id}`, form({ name: 'Kiwi Company', ownerId: String(w.colleagueA.id), version: '1' }))
      .expect(303);
    expect(saved.headers.location).toBe(`/customers/${mine.id}`);
    expect(await ctx.prisma.customer.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      name: 'Kiwi Company',
      version: 2,
    });
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { action: 'update' } });
    expect(audit.changes).toMatchObject({ name: ['Kiwi Co', 'Kiwi Company'] });
  });

  it(
    'a stale version answers 409 with the newer values, ' + 'the typed ones kept and the new version in the form',
    async () => {
      const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
      const s = await signInAs(ctx, w.managerA);
      await s.post(`/customers/${c.id}`, form({ name: 'First save', version: '1' })).expect(303);
      const stale = await s.post(`/customers/${c.id}`, form({ name: 'Second save', version: '1' })).expect(409);
      expect(stale.text).toContain('Someone else saved this record');
      expect(stale.text).toContain('First save');
      expect(stale.text).toContain('value="Second save"');
      expect(stale.text).toContain('name="version" value="2"');
      expect((await ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).name).toBe('First save');
      await s.post(`/customers/${c.id}`, form({ name: 'Second save', version: '2' })).expect(303);
      expect(await ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
        name: 'Second save',
        version: 3,
      });
    },
  );

  it('edit keeps a deactivated owner but refuses to pick one; bad input is 422; missing version is 422', async () => {
    const c = await ctx.make.customer(w.a.id, { ownerId: w.staffA.id });
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { active: false } });
    const s = await signInAs(ctx, w.managerA);
    const page = await s.get(`/customers/${c.id}/edit`).expect(200);
    expect(page.text).toContain('Sam Staff (inactive)');
    await s.post(`/customers/${c.id}`, form({ ownerId: String(w.staffA.id), version: '1' })).expect(303);
    await ctx.prisma.customer.update({ where: { id: c.id }, data: { ownerId: w.managerA.id } });
    await s.post(`/customers/${c.id}`, form({ ownerId: String(w.staffA.id), version: '2' })).expect(422);
    const noVersion = await s.post(`/customers/${c.id}`, form({ email: 'x@' })).expect(422);
    expect(noVersion.text).toContain('Enter a valid email address.');
    expect(await ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
      ownerId: w.managerA.id,
      version: 2,
    });
  });

  it('account managers of another company get 404 everywhere; a superuser sees every company', async () => {
    const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
    const b = await signInAs(ctx, w.managerB);
    await b.get(`/customers/${c.id}`).expect(404);
    await b.get(`/customers/${c.id}/edit`).expect(404);
    await b.post(`/customers/${c.id}`, form({ version: '1' })).expect(404);
    const su = await signInAs(ctx, w.su);
    const show = await su.get(`/customers/${c.id}`).expect(200);
    expect(show.text).toContain('Alpha Ltd');
    await su
      .post(`/customers/${c.id}`, form({ name: 'By super', ownerId: String(w.managerA.id), version: '1' }))
      .expect(303);
    expect((await ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).name).toBe('By super');
  });

  it(
    'the detail page is a timeline of leads, tasks and ' + 'appointments, newest first; staff see only their own',
    async () => {
      const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
      const day = (n: number) => new Date(Date.UTC(2026, 0, n, 9));
      await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Old lead of Sam', customerId: c.id, createdAt: day(1) });
      await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Lead of Tia', customerId: c.id, createdAt: day(3) });
      await ctx.make.task(w.a.id, w.staffA.id, { title: 'Task of Sam', customerId: c.id, createdAt: day(5) });
      await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Task of Tia', customerId: c.id, createdAt: day(6) });
      await ctx.make.appointment(w.a.id, [w.staffA.id], {
        title: 'Visit with Sam',
        customerId: c.id,
        startsAt: day(7),
      });
      await ctx.make.appointment(w.a.id, [w.colleagueA.id], {
        title: 'Visit with Tia',
        customerId: c.id,
        startsAt: day(8),
      });
      await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Lead of nobody else' });
      const staff = await signInAs(ctx, w.staffA);
      const mine = await staff.get(`/customers/${c.id}`).expect(200);
      const order = ['Visit with Sam', 'Task of Sam', 'Old lead of Sam'].map((t) => mine.text.indexOf(t));
      expect(order.every((i) => i > 0)).toBe(true);
      expect([...order].sort((x, y) => x - y)).toEqual(order);
      for (const hidden of ['Lead of Tia', 'Task of Tia', 'Visit with Tia', 'Lead of nobody else'])
        expect(mine.text).not.toContain(hidden);
      expect(mine.text).toMatch(/href="\/leads\/\d+">Old lead of Sam/);
      const am = await signInAs(ctx, w.managerA);
      const all = await am.get(`/customers/${c.id}`).expect(200);
      const amOrder = [
        'Visit with Tia',
        'Visit with Sam',
        'Task of Tia',
        'Task of Sam',
        'Lead of Tia',
        'Old lead of Sam',
      ].map((t) => all.text.indexOf(t));
      expect(amOrder.every((i) => i > 0)).toBe(true);
      expect([...amOrder].sort((x, y) => x - y)).toEqual(amOrder);
    },
  );
});

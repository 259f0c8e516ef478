// /users: superusers across companies, account managers in their own company; invitations by
// email (no password is ever mailed or set by the creator); nobody raises or deactivates themself.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { downloadCsv } from '../helpers/csv.ts';
import { csrfFrom, signIn } from '../helpers/session.ts';
import { expectRedirect, makeWorld, snapshot } from './world.ts';

const ctx = useTestContext();
const users = () =>
  snapshot(() => ctx.prisma.user.findMany({ orderBy: { id: 'asc' }, include: { memberships: true } }));
const linkFrom = (text: string) => /http:\/\/crm\.test(\/password\/reset\/[A-Za-z0-9_-]+)/.exec(text)![1];

describe('the user list', () => {
  it(
    "shows an account manager their company's users only, " + 'with filters; ?companyId of another company is ignored',
    async () => {
      const w = await makeWorld(ctx);
      await ctx.make.staff(w.a.id, { name: 'Olga Inactive', active: false });
      const m = await w.as(w.managerA);
      let res = await m.get('/users').expect(200);
      for (const name of ['Maria Alpha', 'Steve Alpha', 'Carla Alpha', 'Olga Inactive'])
        expect(res.text).toContain(name);
      for (const name of ['Mike Bravo', 'Sue Bravo', 'Sam Super']) expect(res.text).not.toContain(name);
      res = await m.get(`/users?companyId=${w.b.id}`).expect(200);
      expect(res.text).toContain('Steve Alpha');
      expect(res.text).not.toContain('Sue Bravo');
      res = await m.get('/users?role=ACCOUNT_MANAGER').expect(200);
      expect(res.text).toContain('Maria Alpha');
      expect(res.text).not.toContain('Steve Alpha');
      res = await m.get('/users?status=inactive').expect(200);
      expect(res.text).toContain('Olga Inactive');
      expect(res.text).not.toContain('Carla Alpha');
      res = await m.get('/users?q=carla').expect(200);
      expect(res.text).toContain('Carla Alpha');
      expect(res.text).not.toContain('Steve Alpha');
      res = await m.get('/users?role=SUPERUSER').expect(200);
      expect(res.text).not.toContain('Sam Super');
      const sales = await ctx.make.group(w.a.id, ['lead.view'], { name: 'Sales' });
      await ctx.prisma.groupMember.create({ data: { groupId: sales.id, userId: w.colleagueA.id } });
      res = await m.get(`/users?groupId=${sales.id}`).expect(200);
      expect(res.text).toContain('Carla Alpha');
      expect(res.text).not.toContain('Steve Alpha');
      const csv = await downloadCsv(m.get('/users/export.csv?role=STAFF&status=active'), 'users.csv');
      expect(csv.header).toEqual(['id', 'name', 'email', 'company', 'role', 'active', 'groups', 'last sign-in (UTC)']);
      expect(csv.rows.map((r) => r[2])).toContain('steve@alpha.test');
      expect(csv.text).not.toContain('maria@alpha.test');
      expect(csv.text).not.toContain('bravo');
    },
  );

  it('runs a fixed number of queries whatever the page length, and pages', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    ctx.takeQueryCount();
    await m.get('/users').expect(200);
    const few = ctx.takeQueryCount();
    for (let i = 0; i < 30; i++) await ctx.make.staff(w.a.id);
    ctx.takeQueryCount();
    const res = await m.get('/users').expect(200);
    expect(ctx.takeQueryCount()).toBe(few);
    expect(res.text).toContain('Showing 1–25 of 33 users');
  });

  it('shows a superuser every company with company and role filters', async () => {
    const w = await makeWorld(ctx);
    const su = await w.as(w.su);
    let res = await su.get('/users').expect(200);
    for (const name of ['Maria Alpha', 'Sue Bravo']) expect(res.text).toContain(name);
    res = await su.get(`/users?companyId=${w.b.id}&role=STAFF`).expect(200);
    expect(res.text).toContain('Sue Bravo');
    expect(res.text).not.toContain('Mike Bravo');
    expect(res.text).not.toContain('Steve Alpha');
    res = await su.get('/users?sort=company&dir=desc').expect(200);
    expect(res.text.indexOf('Sue Bravo')).toBeLessThan(res.text.indexOf('Steve Alpha'));
  });

  it('is closed to staff, and their navigation does not offer it', async () => {
    const w = await makeWorld(ctx);
    const s = await w.as(w.staffA);
    await s.get('/users').expect(403);
    await s.get(`/users/${w.colleagueA.id}`).expect(403);
    const dash = await s.get('/dashboard').expect(200);
    expect(dash.text).not.toContain('href="/users"');
    expect(dash.text).not.toContain('href="/groups"');
    expect(dash.text).not.toContain('href="/audit"');
    expect((await (await w.as(w.managerA)).get('/dashboard')).text).toContain('href="/users"');
  });
});

describe('inviting a user', () => {
  it(
    'creates a staff user in the Staff group, without a ' + 'password, and emails a set-password link that works',
    async () => {
      const w = await makeWorld(ctx);
      const m = await w.as(w.managerA);
      const form = await m.get('/users/new').expect(200);
      expect(form.text).not.toContain('name="companyId"');
      expect(form.text).not.toContain('value="SUPERUSER"');
      expect(form.text).toContain('<option value="UTC" selected>');
      expect(form.text).toMatch(/name="groupIds" value="\d+" id="f-group-\d+" checked>/);
      const managerForm = await m.get('/users/new?role=ACCOUNT_MANAGER').expect(200);
      expect(managerForm.text).not.toMatch(/name="groupIds"[^>]* checked>/);
      const res = await m.post('/users', {
        name: 'Nina New',
        email: 'Nina@Alpha.test',
        role: 'STAFF',
        timeZone: 'Europe/Berlin',
      });
      const nina = await ctx.prisma.user.findUniqueOrThrow({
        where: { email: 'nina@alpha.test' },
        include: { memberships: { include: { group: true } } },
      });
      expectRedirect(res, `/users/${nina.id}`);
      expect([nina.companyId, nina.role, nina.passwordHash, nina.timeZone]).toEqual([
        w.a.id,
        'STAFF',
        null,
        'Europe/Berlin',
      ]);
      expect(nina.memberships.map((x) => x.group.name)).toEqual(['Staff']);
      const audit = await ctx.prisma.auditEntry.findFirstOrThrow({
        where: { model: 'User', recordId: String(nina.id) },
      });
      expect([audit.action, audit.companyId, audit.actorId]).toEqual(['create', w.a.id, w.managerA.id]);
      expect(JSON.stringify(audit.changes)).not.toMatch(/password|token/i);
      const mail = await ctx.mail.latestTo('nina@alpha.test');
      expect(mail.subject).toContain('Alpha Works');
      const link = linkFrom(mail.text);
      const page = await signInlessGet(link);
      expect(page.text).toContain('Set your password');
      const anon = (await import('supertest')).default.agent(ctx.app);
      const setPage = await anon.get(link).expect(200);
      await anon
        .post(link)
        .type('form')
        .send({
          password: 'orchid-canyon-42-river',
          passwordConfirm: 'orchid-canyon-42-river',
          _csrf: csrfFrom(setPage.text),
        })
        .expect(303);
      const s = await signIn(ctx, nina, 'orchid-canyon-42-river');
      await s.get('/dashboard').expect(200);
    },
  );

  it('joins only the groups the creator picks', async () => {
    const w = await makeWorld(ctx);
    const sales = await ctx.make.group(w.a.id, ['lead.view'], { name: 'Sales' });
    const m = await w.as(w.managerA);
    await m
      .post('/users', {
        name: 'Pia Picked',
        email: 'pia@alpha.test',
        role: 'STAFF',
        timeZone: 'UTC',
        groupIds: [String(sales.id)],
      })
      .expect(303);
    const pia = await ctx.prisma.user.findUniqueOrThrow({
      where: { email: 'pia@alpha.test' },
      include: { memberships: true },
    });
    expect(pia.memberships.map((x) => x.groupId)).toEqual([sales.id]);
  });

  it('refuses a crafted superuser, another company, foreign groups and bad input; nothing is written', async () => {
    const w = await makeWorld(ctx);
    const groupB = await ctx.prisma.group.findFirstOrThrow({ where: { companyId: w.b.id } });
    const m = await w.as(w.managerA);
    const staff = await w.as(w.staffA);
    const before = await users();
    let res = await m
      .post('/users', { name: 'Evil', email: 'evil@alpha.test', role: 'SUPERUSER', timeZone: 'UTC' })
      .expect(422);
    expect(res.text).toContain('Choose Staff or Account manager.');
    await m
      .post('/users', {
        name: 'Evil',
        email: 'evil@alpha.test',
        role: 'STAFF',
        timeZone: 'UTC',
        companyId: String(w.b.id),
      })
      .expect(403);
    res = await m
      .post('/users', {
        name: 'Evil',
        email: 'evil@alpha.test',
        role: 'STAFF',
        timeZone: 'UTC',
        groupIds: String(groupB.id),
      })
      .expect(422);
    expect(res.text).toContain('Choose groups of this company only.');
    res = await m.post('/users', { name: '', email: 'not-an-email', role: 'STAFF', timeZone: 'Mars/Base' }).expect(422);
    expect(res.text).toContain('Enter the full name.');
    expect(res.text).toContain('Enter a valid email address.');
    expect(res.text).toContain('Choose a time zone from the list.');
    expect(res.text).toContain('value="not-an-email"');
    res = await m
      .post('/users', { name: 'Dup', email: 'STEVE@alpha.test', role: 'STAFF', timeZone: 'UTC' })
      .expect(422);
    expect(res.text).toContain('Another account already uses this email address.');
    expect(res.text).toContain('value="Dup"');
    await m.post('/users', { name: 'Dup', email: 'sue@bravo.test', role: 'STAFF', timeZone: 'UTC' }).expect(422);
    await m.agent
      .post('/users')
      .type('form')
      .send({ name: 'No Token', email: 'nt@alpha.test', role: 'STAFF', timeZone: 'UTC' })
      .expect(403);
    await staff
      .post('/users', { name: 'Staff Made', email: 'sm@alpha.test', role: 'STAFF', timeZone: 'UTC' })
      .expect(403);
    expect(await users()).toBe(before);
    expect(await ctx.prisma.passwordResetToken.count()).toBe(0);
    expect(ctx.mail.messages.filter((x) => x.subject.includes('invited'))).toHaveLength(0);
  });

  it('under a race for the same email, one user is created and the other request gets the field error', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    const form = { name: 'Twin', email: 'twin@alpha.test', role: 'STAFF', timeZone: 'UTC' };
    const [r1, r2] = await Promise.all([m.post('/users', form), m.post('/users', form)]);
    expect([r1.status, r2.status].sort()).toEqual([303, 422]);
    expect(await ctx.prisma.user.count({ where: { email: 'twin@alpha.test' } })).toBe(1);
    expect(await ctx.prisma.passwordResetToken.count()).toBe(1);
  });

  it('lets a superuser pick the company first and create its account manager', async () => {
    const w = await makeWorld(ctx);
    const dormant = await ctx.make.company({ name: 'Dormant Co', active: false });
    const su = await w.as(w.su);
    let res = await su.get('/users/new').expect(200);
    expect(res.text).toContain('choose the company');
    expect(res.text).not.toContain('Dormant Co');
    res = await su.get(`/users/new?companyId=${w.b.id}&role=ACCOUNT_MANAGER`).expect(200);
    expect(res.text).toContain(`name="companyId" value="${w.b.id}"`);
    expect(res.text).toMatch(/<option value="ACCOUNT_MANAGER" selected>/);
    res = await su.post('/users', {
      companyId: String(w.b.id),
      name: 'Bea Boss',
      email: 'bea@bravo.test',
      role: 'ACCOUNT_MANAGER',
      timeZone: 'UTC',
    });
    const bea = await ctx.prisma.user.findUniqueOrThrow({ where: { email: 'bea@bravo.test' } });
    expectRedirect(res, `/users/${bea.id}`);
    expect([bea.companyId, bea.role]).toEqual([w.b.id, 'ACCOUNT_MANAGER']);
    expect((await ctx.mail.latestTo('bea@bravo.test')).text).toContain(
      'Sam Super created a CRM account for you at Bravo Trading',
    );
    await su
      .post('/users', { companyId: String(dormant.id), name: 'X', email: 'x@d.test', role: 'STAFF', timeZone: 'UTC' })
      .expect(422);
    await su
      .post('/users', { companyId: '999999', name: 'X', email: 'x@d.test', role: 'STAFF', timeZone: 'UTC' })
      .expect(422);
    await su
      .post('/users', { companyId: String(w.a.id), name: 'X', email: 'x@d.test', role: 'SUPERUSER', timeZone: 'UTC' })
      .expect(422);
    expect(await ctx.prisma.user.count({ where: { email: 'x@d.test' } })).toBe(0);
  });

  it(
    'keeps the account when the mail server refuses the ' + 'invitation, and the invitation can be sent again',
    async () => {
      const w = await makeWorld(ctx);
      const m = await w.as(w.managerA);
      ctx.mail.refuse = true;
      const res = await m
        .post('/users', { name: 'Mo Mailless', email: 'mo@alpha.test', role: 'STAFF', timeZone: 'UTC' })
        .expect(303);
      const page = await m.get(res.headers.location).expect(200);
      expect(page.text).not.toContain('could not be sent');
      const mo = await ctx.prisma.user.findUniqueOrThrow({ where: { email: 'mo@alpha.test' } });
      ctx.mail.refuse = false;
      // The queued invitation goes out once the server accepts again; then a new link replaces it.
      await ctx.mail.latestTo('mo@alpha.test', 15_000);
      ctx.mail.clear();
      await m.post(`/users/${mo.id}/invite`).expect(303);
      const link = linkFrom((await ctx.mail.latestTo('mo@alpha.test')).text);
      await signInlessGet(link);
      const tokens = await ctx.prisma.passwordResetToken.findMany({ where: { userId: mo.id }, orderBy: { id: 'asc' } });
      expect(tokens.map((t) => t.usedAt !== null)).toEqual([true, false]);
      // Someone with a password is not re-invited.
      await m.post(`/users/${w.staffA.id}/invite`).expect(403);
    },
  );
});

async function signInlessGet(path: string) {
  const request = (await import('supertest')).default;
  return request(ctx.app).get(path).expect(200);
}

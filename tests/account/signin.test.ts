// SPEC section 4.1, 4.4, 4.5: the password step and its refusals, signing in, sessions, signing out.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { codeFrom, csrfFrom, signIn } from '../helpers/session.ts';
import { codeStep, cookiePair, passwordStep, sessionRow, sidOf } from './support.ts';

const ctx = useTestContext();

const attempts = (userId: number) =>
  ctx.prisma.loginAttempt.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });

describe('/login: the password step', () => {
  it(
    'wrong password, unknown email, deactivated user and ' + 'user of a deactivated company get the same answer',
    async () => {
      const company = await ctx.make.company();
      const active = await ctx.make.staff(company.id);
      const inactive = await ctx.make.staff(company.id, { active: false });
      const closed = await ctx.make.company({ active: false });
      const ofClosed = await ctx.make.manager(closed.id);
      const cases = [
        { email: active.email, password: 'not-the-password-42' },
        { email: 'nobody-here@example.test', password: PASSWORD },
        { email: inactive.email, password: PASSWORD },
        { email: ofClosed.email, password: PASSWORD },
      ];
      const answers = [];
      for (const c of cases) {
        const agent = request.agent(ctx.app);
        const page = await agent.get('/login').expect(200);
        const csrf = csrfFrom(page.text);
        const res = await agent
          .post('/login')
          .type('form')
          .send({ ...c, _csrf: csrf });
        answers.push({
          status: res.status,
          body: res.text.replaceAll(csrf, 'CSRF').replaceAll(c.email, 'EMAIL'),
          headers: Object.keys(res.headers).sort(),
          contentType: res.headers['content-type'],
          cacheControl: res.headers['cache-control'],
        });
        expect(
          await agent
            .get('/dashboard')
            .expect(302)
            .then((r) => r.headers.location),
        ).toBe('/login?next=%2Fdashboard');
      }
      expect(answers[0].status).toBe(422);
      expect(answers[0].body).toContain('The email or password is not right.');
      for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
      expect(await ctx.prisma.loginAttempt.count()).toBe(0);
      expect(ctx.mail.messages).toHaveLength(0);
    },
  );

  it('keeps the email typed and asks for missing fields (422)', async () => {
    const agent = request.agent(ctx.app);
    const res = await passwordStep(agent, 'someone@example.test', '');
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="someone@example.test"');
    expect(res.text).toContain('Enter your password.');
  });

  it('accepts the email in any case', async () => {
    const user = await ctx.make.superuser();
    const res = await passwordStep(request.agent(ctx.app), user.email.toUpperCase());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login/verify');
  });

  it('the password step alone signs nobody in: every non-public route refuses', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    const res = await passwordStep(agent, user.email);
    expect(res.status).toBe(303);
    const verifyPage = await agent.get('/login/verify').expect(200);
    const csrf = csrfFrom(verifyPage.text);
    const guarded = ctx.routes.filter((r) => r.access !== 'public');
    expect(guarded.length).toBeGreaterThan(2);
    for (const r of guarded) {
      const path = r.path.replace(/:\w+/g, '1');
      if (r.method === 'get') {
        const answer = await agent.get(path);
        expect(answer.status, `GET ${path}`).toBe(302);
        expect(answer.headers.location, `GET ${path}`).toBe(`/login?next=${encodeURIComponent(path)}`);
      } else {
        const answer = await agent.post(path).type('form').send({ _csrf: csrf });
        expect(answer.status, `POST ${path}`).toBe(401);
      }
    }
    expect((await agent.get('/').expect(302)).headers.location).toMatch(/^\/login(\?|$)/);
    // Still pending, still usable: the walk did not sign in nor break the attempt.
    const [attempt] = await attempts(user.id);
    expect(attempt.endedAt).toBeNull();
    expect((await codeStep(agent, codeFrom((await ctx.mail.latestTo(user.email)).text))).headers.location).toBe(
      '/dashboard',
    );
  });
});

describe('signing in', () => {
  it('regenerates the session id: the pre-login cookie no longer works, the CSRF token rotates', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    const loginPage = await agent.get('/login').expect(200);
    const before = sidOf(loginPage);
    const oldCookie = cookiePair(loginPage);
    const oldCsrf = csrfFrom(loginPage.text);
    await agent.post('/login').type('form').send({ email: user.email, password: PASSWORD, _csrf: oldCsrf }).expect(303);
    const done = await codeStep(agent, codeFrom((await ctx.mail.latestTo(user.email)).text));
    expect(done.headers.location).toBe('/dashboard');
    const after = sidOf(done);
    expect(after).not.toBe(before);
    expect(await sessionRow(ctx, before)).toBeUndefined();
    const row = await sessionRow(ctx, after);
    expect(row?.sess.passport.user).toBe(user.id);
    expect(row?.sess.loginAttemptId).toBeUndefined();

    const replay = await request(ctx.app).get('/dashboard').set('Cookie', oldCookie);
    expect(replay.status).toBe(302);
    const dashboard = await agent.get('/dashboard').expect(200);
    expect(csrfFrom(dashboard.text)).not.toBe(oldCsrf);
    const profile = await agent.get('/profile').expect(200);
    await agent.post('/profile').type('form').send({ name: 'Changed', timeZone: 'UTC', _csrf: oldCsrf }).expect(403);
    expect(profile.status).toBe(200);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe(user.name);
  });

  it.each([
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '/\tevil',
  ])('sends next=%j to /dashboard', async (next) => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    const page = await agent.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
    expect(page.text).toContain('name="next" value="/dashboard"');
    await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: PASSWORD, next, _csrf: csrfFrom(page.text) })
      .expect(303);
    const done = await codeStep(agent, codeFrom((await ctx.mail.latestTo(user.email)).text));
    expect(done.headers.location).toBe('/dashboard');
  });

  it('sends a local next to that path', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    const res = await passwordStep(agent, user.email, PASSWORD, { next: '/profile?tab=1' });
    expect(res.status).toBe(303);
    const done = await codeStep(agent, codeFrom((await ctx.mail.latestTo(user.email)).text));
    expect(done.headers.location).toBe('/profile?tab=1');
  });

  it.each(['user', 'company'] as const)(
    'deactivating the %s ends existing sessions on the next request',
    async (what) => {
      const company = await ctx.make.company();
      const user = await ctx.make.staff(company.id);
      const s = await signIn(ctx, user);
      const sid = sidOf(await s.get('/dashboard').expect(200));
      if (what === 'user') await ctx.prisma.user.update({ where: { id: user.id }, data: { active: false } });
      else await ctx.prisma.company.update({ where: { id: company.id }, data: { active: false } });
      expect((await s.get('/dashboard')).status).toBe(302);
      expect((await s.post('/profile', { name: 'Still here', timeZone: 'UTC' })).status).toBe(401);
      expect((await sessionRow(ctx, sid))?.sess.passport?.user).toBeUndefined();
      // Reactivating does not bring the old session back.
      await ctx.prisma.user.update({ where: { id: user.id }, data: { active: true } });
      await ctx.prisma.company.update({ where: { id: company.id }, data: { active: true } });
      expect((await s.get('/dashboard')).status).toBe(302);
      expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe(user.name);
    },
  );

  it('a user deactivated between the two steps is refused at the code step', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    await passwordStep(agent, user.email);
    await ctx.prisma.user.update({ where: { id: user.id }, data: { active: false } });
    const res = await codeStep(agent, codeFrom((await ctx.mail.latestTo(user.email)).text));
    expect(res.headers.location).toBe('/login');
    await agent.get('/dashboard').expect(302);
  });

  it('POST /logout deletes the session row; without a CSRF token it changes nothing', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const sid = sidOf(await s.get('/dashboard').expect(200));
    await s.agent.post('/logout').type('form').send({}).expect(403);
    expect(await sessionRow(ctx, sid)).toBeDefined();
    await s.get('/dashboard').expect(200);
    const res = await s.post('/logout');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(await sessionRow(ctx, sid)).toBeUndefined();
    expect((await s.get('/dashboard')).status).toBe(302);
  });
});

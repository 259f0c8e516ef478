// Issue 10 items 9 and 10: a real user's own correct use is never throttled, and an early "Send a
// new code" keeps them on the code form.
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { codeFrom, csrfFrom } from '../helpers/session.ts';
import { codeStep, passwordStep, resendTooEarly, wrongCode, type Agent } from './support.ts';

const ctx = useTestContext();
// Eight full sign-ins per test (argon2 each time): allow for a busy machine.
vi.setConfig({ testTimeout: 120_000 });

/** A counter's points, undefined when there is no row (so a wrong key cannot pass for 0). */
const limit = async (key: string) =>
  (await ctx.db.pool.query('SELECT points FROM rate_limits WHERE key = $1', [key])).rows[0]?.points as
    | number
    | undefined;
const codeIpRows = async () =>
  (await ctx.db.pool.query(`SELECT points FROM rate_limits WHERE key LIKE 'code_ip:%'`)).rows as { points: number }[];
const attemptsOf = (userId: number) =>
  ctx.prisma.loginAttempt.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });

/** Both steps as the user does them, the code read from the mail the SMTP server received. */
async function signInOnce(agent: Agent, email: string, typos = 0) {
  ctx.mail.clear();
  const step = await passwordStep(agent, email);
  expect(step.status, 'password step').toBe(303);
  expect(step.headers.location).toBe('/login/verify');
  const code = codeFrom((await ctx.mail.latestTo(email)).text);
  for (let i = 0; i < typos; i++) expect((await codeStep(agent, wrongCode(code))).status, 'wrong code').toBe(422);
  const done = await codeStep(agent, code);
  expect(done.status, 'code step').toBe(303);
  expect(done.headers.location).toBe('/dashboard');
  const dashboard = await agent.get('/dashboard').expect(200);
  return csrfFrom(dashboard.text);
}

describe('a user who signs in correctly eight times in an hour', () => {
  it('is never refused, signing out between in the same browser', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    for (let i = 1; i <= 8; i++) {
      const csrf = await signInOnce(agent, user.email);
      await agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
    }
    const rows = await attemptsOf(user.id);
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.endedAt !== null)).toBe(true);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).not.toBeNull();
    // What the right user's own use filled is given back.
    expect(await limit(`code_send:${user.id}`)).toBe(0);
  });

  it('is never refused from a new browser each time, with typos in the code', async () => {
    const user = await ctx.make.superuser();
    for (let i = 1; i <= 8; i++) await signInOnce(request.agent(ctx.app), user.email, 3);
    expect(await attemptsOf(user.id)).toHaveLength(8);
    expect(await limit(`code_send:${user.id}`)).toBe(0);
    expect(await codeIpRows()).toEqual([{ points: 0 }]);
  });

  it('codes mailed without a verified code still count: the seventh unfinished one is refused', async () => {
    const user = await ctx.make.superuser();
    await signInOnce(request.agent(ctx.app), user.email);
    for (let i = 0; i < 6; i++) expect((await passwordStep(request.agent(ctx.app), user.email)).status).toBe(303);
    const refused = await passwordStep(request.agent(ctx.app), user.email);
    expect(refused.status).toBe(429);
    expect(await limit(`code_send:${user.id}`)).toBeGreaterThanOrEqual(6);
    expect(await attemptsOf(user.id)).toHaveLength(7);
  });
});

describe('"Send a new code" within the first minute', () => {
  it(
    'stays on the code form (429, Retry-After) saying when ' + 'a new code can be sent; the mailed code still works',
    async () => {
      const user = await ctx.make.superuser();
      const agent = request.agent(ctx.app);
      await passwordStep(agent, user.email).then((r) => expect(r.status).toBe(303));
      const code = codeFrom((await ctx.mail.latestTo(user.email)).text);
      const [before] = await attemptsOf(user.id);
      const csrf = csrfFrom((await agent.get('/login/verify').expect(200)).text);

      const early = await resendTooEarly(agent, csrf);
      const retryAfter = Number(early.headers['retry-after']);
      expect(early.headers['cache-control']).toBe('no-store');
      // The code form, with the message and the wait beside it.
      expect(early.text).toContain('action="/login/verify"');
      expect(early.text).toMatch(/name="code"/);
      expect(early.text).toContain('action="/login/resend"');
      const said = /You can send a new code in (\d+) seconds?/.exec(early.text);
      expect(said).not.toBeNull();
      expect(Math.abs(Number(said![1]) - retryAfter)).toBeLessThanOrEqual(1);

      const [after] = await attemptsOf(user.id);
      expect(after.codeHash).toBe(before.codeHash);
      expect(after.lastSentAt.getTime()).toBe(before.lastSentAt.getTime());
      expect(after.endedAt).toBeNull();
      expect(ctx.mail.messages).toHaveLength(1);
      // The form on that page signs in with the code already mailed.
      const done = await agent
        .post('/login/verify')
        .type('form')
        .send({ code, _csrf: csrfFrom(early.text) });
      expect(done.headers.location).toBe('/dashboard');
    },
  );

  it('over the hourly cap of codes, also stays on the code form and keeps the current code', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    await passwordStep(agent, user.email).then((r) => expect(r.status).toBe(303));
    const code = codeFrom((await ctx.mail.latestTo(user.email)).text);
    await ctx.db.pool.query('UPDATE rate_limits SET points = 6 WHERE key = $1', [`code_send:${user.id}`]);
    const lastSentAt = new Date(Date.now() - 61_000);
    await ctx.prisma.loginAttempt.updateMany({ where: { userId: user.id }, data: { lastSentAt } });
    const csrf = csrfFrom((await agent.get('/login/verify').expect(200)).text);
    const res = await agent.post('/login/resend').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(60);
    expect(res.text).toContain('action="/login/verify"');
    expect(res.text).toMatch(/You can send a new code in \d+ minutes/);
    const [row] = await attemptsOf(user.id);
    expect(row.lastSentAt.getTime()).toBe(lastSentAt.getTime());
    expect(ctx.mail.messages).toHaveLength(1);
    expect((await codeStep(agent, code)).headers.location).toBe('/dashboard');
  });
});

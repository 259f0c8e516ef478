// SPEC section 4.7: failures are throttled per account+IP and per IP, with 429 + Retry-After,
// and the counters live in PostgreSQL so every app process sees them.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { codeFrom, csrfFrom } from '../helpers/session.ts';
import { buildSecondApp, codeStep, passwordStep, wrongCode, type Agent } from './support.ts';

const ctx = useTestContext();
// Dozens of argon2 checks per test: allow for a busy machine.
vi.setConfig({ testTimeout: 90_000 });
// A second process on the same database, behind one proxy (so X-Forwarded-For names the client).
let proxied: ReturnType<typeof buildSecondApp>;
beforeAll(() => {
  proxied = buildSecondApp(ctx, { TRUST_PROXY: '1' });
});
afterAll(async () => {
  await proxied?.close();
});

/** An agent on `app` with a CSRF token, posting the login form from the given client address. */
async function loginForm(app: Parameters<typeof request.agent>[0], ip?: string) {
  const agent: Agent = request.agent(app);
  const page = await (ip ? agent.get('/login').set('X-Forwarded-For', ip) : agent.get('/login')).expect(200);
  const csrf = csrfFrom(page.text);
  return (email: string, password: string) => {
    const req = agent.post('/login').type('form').send({ email, password, _csrf: csrf });
    return ip ? req.set('X-Forwarded-For', ip) : req;
  };
}

const limits = async (prefix: string) =>
  (await ctx.db.pool.query('SELECT key, points FROM rate_limits WHERE key LIKE $1 ORDER BY key', [`${prefix}:%`]))
    .rows as { key: string; points: number }[];

describe('wrong passwords', () => {
  it('per account+IP: the sixth try answers 429 with Retry-After, counted in rate_limits across two apps', async () => {
    const user = await ctx.make.superuser();
    const first = await loginForm(ctx.app);
    const other = buildSecondApp(ctx);
    try {
      const second = await loginForm(other.app);
      for (let i = 0; i < 3; i++) expect((await first(user.email, 'wrong-password-1')).status).toBe(422);
      for (let i = 0; i < 2; i++) expect((await second(user.email, 'wrong-password-2')).status).toBe(422);
      const rows = await limits('login_acct_ip');
      expect(rows).toHaveLength(1);
      expect(rows[0].key).toContain(user.email);
      expect(rows[0].points).toBe(5);
      for (const attempt of [first, second]) {
        const res = await attempt(user.email, PASSWORD);
        expect(res.status).toBe(429);
        const retryAfter = Number(res.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(60);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        expect(res.text).toContain('Too many attempts');
      }
    } finally {
      await other.close();
    }
    expect(await ctx.prisma.loginAttempt.count()).toBe(0);
    expect(ctx.mail.messages).toHaveLength(0);
  });

  it('the real user can still sign in from another IP; a forged X-Forwarded-For does not reset the limit', async () => {
    const user = await ctx.make.superuser();
    const attacker = await loginForm(proxied.app, '203.0.113.5');
    for (let i = 0; i < 5; i++) expect((await attacker(user.email, 'guess-' + i)).status).toBe(422);
    expect((await attacker(user.email, 'guess-6')).status).toBe(429);

    const owner = request.agent(proxied.app);
    const page = await owner.get('/login').set('X-Forwarded-For', '198.51.100.7').expect(200);
    const res = await owner
      .post('/login')
      .set('X-Forwarded-For', '198.51.100.7')
      .type('form')
      .send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    const code = codeFrom((await ctx.mail.latestTo(user.email)).text);
    const verify = await owner.get('/login/verify').set('X-Forwarded-For', '198.51.100.7').expect(200);
    const done = await owner
      .post('/login/verify')
      .set('X-Forwarded-For', '198.51.100.7')
      .type('form')
      .send({ code, _csrf: csrfFrom(verify.text) });
    expect(done.headers.location).toBe('/dashboard');

    // The app without a proxy ignores X-Forwarded-For: changing it does not give fresh tries.
    const direct = await loginForm(ctx.app);
    for (let i = 0; i < 5; i++) await direct(user.email, 'guess-' + i);
    const spoofer = await loginForm(ctx.app, '192.0.2.99');
    expect((await spoofer(user.email, PASSWORD)).status).toBe(429);
  });

  it('per IP: many accounts tried from one address are cut off, other addresses are not', async () => {
    const user = await ctx.make.superuser();
    const sprayer = await loginForm(proxied.app, '203.0.113.9');
    for (let i = 0; i < 30; i++) expect((await sprayer(`nobody${i}@example.test`, 'Summer2024!')).status).toBe(422);
    const blocked = await sprayer(user.email, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const [ipCount] = await limits('login_ip');
    expect(ipCount.points).toBeGreaterThanOrEqual(30);
    const elsewhere = await loginForm(proxied.app, '198.51.100.8');
    expect((await elsewhere(user.email, PASSWORD)).status).toBe(303);
  });

  it('a successful password step clears the account+IP count and does not count against the IP', async () => {
    const user = await ctx.make.superuser();
    const attempt = await loginForm(ctx.app);
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, 'oops-' + i)).status).toBe(422);
    expect((await attempt(user.email, PASSWORD)).status).toBe(303);
    expect((await limits('login_ip'))[0].points).toBe(4);
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, 'oops-again-' + i)).status).toBe(422);
  });
});

describe('codes', () => {
  it('wrong codes are limited per IP across attempts', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    for (let round = 0; round < 4; round++) {
      await passwordStep(agent, user.email).then((r) => expect(r.status).toBe(303));
      const code = codeFrom((await ctx.mail.latestTo(user.email)).text);
      for (let i = 0; i < 5; i++) await codeStep(agent, wrongCode(code));
      ctx.mail.clear();
    }
    await passwordStep(agent, user.email).then((r) => expect(r.status).toBe(303));
    const code = codeFrom((await ctx.mail.latestTo(user.email)).text);
    const res = await codeStep(agent, code);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await agent.get('/dashboard').expect(302);
  });

  it('codes sent to one account are capped per hour', async () => {
    const user = await ctx.make.superuser();
    for (let i = 0; i < 6; i++) expect((await passwordStep(request.agent(ctx.app), user.email)).status).toBe(303);
    const res = await passwordStep(request.agent(ctx.app), user.email);
    expect(res.status).toBe(429);
    expect(ctx.mail.messages).toHaveLength(6);
  });
});

describe('password reset requests', () => {
  it('per email: the fourth in an hour answers 429, for known and unknown addresses alike', async () => {
    const user = await ctx.make.superuser();
    for (const email of [user.email, 'nobody@example.test']) {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/password/forgot').expect(200);
      const send = () =>
        agent
          .post('/password/forgot')
          .type('form')
          .send({ email, _csrf: csrfFrom(page.text) });
      for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
      const res = await send();
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(await ctx.prisma.passwordResetToken.count({ where: { userId: user.id } })).toBe(3);
  });

  it('per IP: many addresses from one client are cut off', async () => {
    const agent = request.agent(proxied.app);
    const page = await agent.get('/password/forgot').set('X-Forwarded-For', '203.0.113.20').expect(200);
    const send = (email: string) =>
      agent
        .post('/password/forgot')
        .set('X-Forwarded-For', '203.0.113.20')
        .type('form')
        .send({ email, _csrf: csrfFrom(page.text) });
    for (let i = 0; i < 20; i++) expect((await send(`someone${i}@example.test`)).status).toBe(200);
    expect((await send('one-more@example.test')).status).toBe(429);
  });
});

describe('concurrent guesses', () => {
  it('wrong passwords sent at once are counted before any is checked', async () => {
    const lines: string[] = [];
    const logged = buildSecondApp(ctx, { LOG_LEVEL: 'info' }, { write: (line: string) => void lines.push(line) });
    try {
      const user = await ctx.make.superuser();
      const attempt = await loginForm(logged.app);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => attempt(user.email, `parallel-guess-${i}`)),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 422)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
      const checked = lines.map((l) => JSON.parse(l)).filter((e) => e.event === 'signin.password_failed');
      expect(checked.length).toBeLessThanOrEqual(5);
    } finally {
      await logged.close();
    }
  });

  it('codes sent at once: at most five are compared, the attempt ends', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    await passwordStep(agent, user.email);
    const code = codeFrom((await ctx.mail.latestTo(user.email)).text);
    const csrf = csrfFrom((await agent.get('/login/verify').expect(200)).text);
    const guesses = Array.from({ length: 15 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.all(
      guesses.map((g) => agent.post('/login/verify').type('form').send({ code: g, _csrf: csrf })),
    );
    expect(answers.filter((r) => r.status === 422).length).toBeLessThanOrEqual(4);
    const [row] = await ctx.prisma.loginAttempt.findMany({ where: { userId: user.id } });
    expect(row.failedCodes).toBeLessThanOrEqual(5);
    expect(row.endedAt).not.toBeNull();
    await agent.get('/dashboard').expect(302);
  });

  it('resends sent at once mail one new code', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    await passwordStep(agent, user.email);
    await ctx.mail.latestTo(user.email);
    await ctx.prisma.loginAttempt.updateMany({
      where: { userId: user.id },
      data: { lastSentAt: new Date(Date.now() - 61_000) },
    });
    const csrf = csrfFrom((await agent.get('/login/verify').expect(200)).text);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => agent.post('/login/resend').type('form').send({ _csrf: csrf })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([303, 429, 429, 429, 429]);
    await new Promise((r) => setTimeout(r, 300));
    expect(ctx.mail.messages).toHaveLength(2);
    expect((await codeStep(agent, codeFrom(ctx.mail.messages[1].text))).headers.location).toBe('/dashboard');
  });
});

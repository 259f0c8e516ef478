// Issue 10 item 8: a per-account limit on wrong passwords across every IP, without handing
// strangers a way to lock the real user out (OWASP device cookies): a browser that completed
// sign-in for the account carries a signed device cookie and keeps its own allowance.
import request from 'supertest';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { codeFrom, csrfFrom } from '../helpers/session.ts';
import { buildSecondApp, cookiePair, type Agent } from './support.ts';

const ctx = useTestContext();
vi.setConfig({ testTimeout: 120_000 });
// Behind one proxy, so X-Forwarded-For names the client: the attacker can come from many addresses.
let proxied: ReturnType<typeof buildSecondApp>;
beforeAll(() => {
  proxied = buildSecondApp(ctx, { TRUST_PROXY: '1' });
});
afterAll(async () => {
  await proxied?.close();
});

const points = async (key: string) =>
  (await ctx.db.pool.query('SELECT points FROM rate_limits WHERE key = $1', [key])).rows[0]?.points as
    | number
    | undefined;
const deviceCookieOf = (res: Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('crm.device='));

/** The password step from a browser with no cookies but its session (and the device cookie given). */
async function tryPassword(ip: string, email: string, password: string, deviceCookie?: string) {
  const page = await request(proxied.app).get('/login').set('X-Forwarded-For', ip).expect(200);
  const cookie = [cookiePair(page), deviceCookie].filter(Boolean).join('; ');
  return request(proxied.app)
    .post('/login')
    .set('X-Forwarded-For', ip)
    .set('Cookie', cookie)
    .type('form')
    .send({ email, password, _csrf: csrfFrom(page.text) });
}

/** Both steps in `agent` (a browser keeping its cookies) from `ip`; returns the code step's answer. */
async function signInFrom(agent: Agent, ip: string, email: string, wrongFirst: string[] = []) {
  ctx.mail.clear();
  const page = await agent.get('/login').set('X-Forwarded-For', ip).expect(200);
  const csrf = csrfFrom(page.text);
  for (const wrong of wrongFirst) {
    expect(
      (await agent.post('/login').set('X-Forwarded-For', ip).type('form').send({ email, password: wrong, _csrf: csrf }))
        .status,
    ).toBe(422);
  }
  const step = await agent
    .post('/login')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ email, password: PASSWORD, _csrf: csrf });
  if (step.status !== 303) return step;
  const code = codeFrom((await ctx.mail.latestTo(email)).text);
  const verify = await agent.get('/login/verify').set('X-Forwarded-For', ip).expect(200);
  return agent
    .post('/login/verify')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ code, _csrf: csrfFrom(verify.text) });
}

describe('wrong passwords for one account spread over many IPs', () => {
  it('lock the account for unknown browsers, never for a browser that signed in to it before', async () => {
    const user = await ctx.make.superuser();
    const owner: Agent = request.agent(proxied.app);
    const first = await signInFrom(owner, '198.51.100.7', user.email);
    expect(first.headers.location).toBe('/dashboard');
    const issued = deviceCookieOf(first);
    expect(issued).toMatch(/HttpOnly/);
    expect(issued).toMatch(/SameSite=Lax/i);
    await owner
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom((await owner.get('/dashboard').expect(200)).text) })
      .expect(303);
    ctx.mail.clear();

    // Ten guesses, each from another address: the per-IP limits alone never see more than one.
    for (let i = 1; i <= 10; i++)
      expect((await tryPassword(`203.0.113.${i}`, user.email, `guess-${i}`)).status).toBe(422);
    expect(await points(`login_acct:${user.email}`)).toBe(10);

    // The eleventh unknown browser is refused even with the right password: no code is mailed.
    const locked = await tryPassword('203.0.113.77', user.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    expect(locked.text).toContain('Too many attempts');
    expect(locked.text).toContain('name="password"');
    expect(await ctx.prisma.loginAttempt.count({ where: { userId: user.id } })).toBe(1);
    expect(ctx.mail.messages).toHaveLength(0);
    // So is the real user in a browser they never used, and a forged or foreign device cookie.
    expect((await tryPassword('198.51.100.7', user.email, PASSWORD)).status).toBe(429);
    const [pair] = issued!.split(';');
    const forged = pair.replace(/.(?=$)/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await tryPassword('198.51.100.7', user.email, PASSWORD, forged)).status).toBe(429);
    const other = await ctx.make.superuser();
    const otherBrowser: Agent = request.agent(proxied.app);
    const otherDone = await signInFrom(otherBrowser, '198.51.100.8', other.email);
    expect(
      (await tryPassword('198.51.100.8', user.email, PASSWORD, deviceCookieOf(otherDone)!.split(';')[0])).status,
    ).toBe(429);
    expect(await ctx.prisma.loginAttempt.count({ where: { userId: user.id } })).toBe(1);

    // The owner's own browser, even from a new address, signs in.
    const again = await signInFrom(owner, '192.0.2.44', user.email);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/dashboard');
    expect(await ctx.prisma.loginAttempt.count({ where: { userId: user.id, endedAt: { not: null } } })).toBe(2);
    // A new device cookie each time; the attack's count stands for unknown browsers.
    expect(deviceCookieOf(again)!.split(';')[0]).not.toBe(pair);
    expect(await points(`login_acct:${user.email}`)).toBeGreaterThanOrEqual(10);
    expect((await tryPassword('203.0.113.78', user.email, PASSWORD)).status).toBe(429);
  });
});

describe('a known browser', () => {
  it(
    'has its own allowance: its wrong passwords count on ' + 'it, not on the account, and past it it counts as unknown',
    async () => {
      const user = await ctx.make.superuser();
      const owner: Agent = request.agent(proxied.app);
      const done = await signInFrom(owner, '198.51.100.20', user.email);
      const device = deviceCookieOf(done)!.split(';')[0];
      for (let i = 1; i <= 5; i++)
        expect((await tryPassword(`192.0.2.${i}`, user.email, `typo-${i}`, device)).status).toBe(422);
      const { rows } = await ctx.db.pool.query(`SELECT points FROM rate_limits WHERE key LIKE 'login_device:%'`);
      expect(rows).toEqual([{ points: 5 }]);
      // (0: the first sign-in, from an unknown browser, counted and gave back its try.)
      expect(await points(`login_acct:${user.email}`)).toBe(0);
      // The sixth: this browser's allowance is used up, so it counts as an unknown browser.
      expect((await tryPassword('192.0.2.6', user.email, 'typo-6', device)).status).toBe(422);
      expect(await points(`login_acct:${user.email}`)).toBe(1);
    },
  );
});

describe("the right user's own wrong passwords", () => {
  it('are given back once this browser verifies its code', async () => {
    const user = await ctx.make.superuser();
    const browser: Agent = request.agent(proxied.app);
    const done = await signInFrom(browser, '198.51.100.30', user.email, ['typo-1', 'typo-2', 'typo-3']);
    expect(done.headers.location).toBe('/dashboard');
    expect(await points(`login_acct:${user.email}`)).toBe(0);
    expect(await points('login_ip:198.51.100.30')).toBe(0);
  });

  it('are not given back when the sign-in is not completed', async () => {
    const user = await ctx.make.superuser();
    const browser: Agent = request.agent(proxied.app);
    const page = await browser.get('/login').set('X-Forwarded-For', '198.51.100.31').expect(200);
    for (const wrong of ['typo-1', 'typo-2']) {
      await browser
        .post('/login')
        .set('X-Forwarded-For', '198.51.100.31')
        .type('form')
        .send({ email: user.email, password: wrong, _csrf: csrfFrom(page.text) })
        .expect(422);
    }
    await browser
      .post('/login')
      .set('X-Forwarded-For', '198.51.100.31')
      .type('form')
      .send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(await points(`login_acct:${user.email}`)).toBe(2);
    expect(await points('login_ip:198.51.100.31')).toBe(2);
  });
});

describe('in production', () => {
  it('the device cookie is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/, signed, for 180 days', async () => {
    const prod = buildSecondApp(ctx, { NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(40), TRUST_PROXY: '1' });
    try {
      const user = await ctx.make.superuser();
      const https = (r: request.Test) => r.set('X-Forwarded-Proto', 'https').set('X-Forwarded-For', '198.51.100.60');
      const page = await https(request(prod.app).get('/login')).expect(200);
      const csrf = csrfFrom(page.text);
      const sid = ([] as string[]).concat(page.headers['set-cookie'] ?? [])[0].split(';')[0];
      const step = await https(request(prod.app).post('/login'))
        .set('Cookie', sid)
        .type('form')
        .send({ email: user.email, password: PASSWORD, _csrf: csrf });
      expect(step.status).toBe(303);
      const code = codeFrom((await ctx.mail.latestTo(user.email)).text);
      const done = await https(request(prod.app).post('/login/verify'))
        .set('Cookie', sid)
        .type('form')
        .send({ code, _csrf: csrf });
      expect(done.headers.location).toBe('/dashboard');
      const cookie = ([] as string[])
        .concat(done.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('__Host-crm.device='))!;
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(cookie).toMatch(/Max-Age=15552000/);
      // Signed (s:…); the account is named by a keyed hash, not by its email.
      const value = decodeURIComponent(cookie.split(';')[0].split('=').slice(1).join('='));
      expect(value).toMatch(/^s:j:\[\{"a":"[\w-]{22}","n":"[\w-]{22}"\}\]\.[\w+/-]+$/);
      expect(value).not.toContain(user.email);
    } finally {
      await prod.close();
    }
  });
});

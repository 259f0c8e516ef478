// SECURITY.md "Web baseline", "Passwords", "Sessions", "Errors and logs" as they concern sign-in.
import { Algorithm, hash } from '@node-rs/argon2';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/account/passwords.ts';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { codeFrom, csrfFrom, signIn } from '../helpers/session.ts';
import { buildSecondApp, codeStep, passwordStep, sessionCookie, sessionRow, sidOf, wrongCode } from './support.ts';

const ctx = useTestContext();

describe('CSRF', () => {
  it('POST /login without or with a wrong token: 403, no code sent, no attempt', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    const page = await agent.get('/login').expect(200);
    expect((await agent.post('/login').type('form').send({ email: user.email, password: PASSWORD })).status).toBe(403);
    expect(
      (
        await agent
          .post('/login')
          .type('form')
          .send({ email: user.email, password: PASSWORD, _csrf: 'x' + csrfFrom(page.text).slice(1) })
      ).status,
    ).toBe(403);
    // A token of another browser's session does not count either.
    const other = request.agent(ctx.app);
    const foreign = csrfFrom((await other.get('/login').expect(200)).text);
    expect(
      (await agent.post('/login').type('form').send({ email: user.email, password: PASSWORD, _csrf: foreign })).status,
    ).toBe(403);
    expect(
      (
        await request(ctx.app)
          .post('/login')
          .type('form')
          .send({ email: user.email, password: PASSWORD, _csrf: foreign })
      ).status,
    ).toBe(403);
    expect(await ctx.prisma.loginAttempt.count()).toBe(0);
    expect(ctx.mail.messages).toHaveLength(0);
  });

  it('POST /login/verify and /login/resend without a valid token: 403, the attempt untouched', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    await passwordStep(agent, user.email);
    const code = codeFrom((await ctx.mail.latestTo(user.email)).text);
    expect((await agent.post('/login/verify').type('form').send({ code })).status).toBe(403);
    expect((await agent.post('/login/verify').type('form').send({ code, _csrf: 'forged-token' })).status).toBe(403);
    await ctx.prisma.loginAttempt.updateMany({ data: { lastSentAt: new Date(Date.now() - 120_000) } });
    expect((await agent.post('/login/resend').type('form').send({})).status).toBe(403);
    const [attempt] = await ctx.prisma.loginAttempt.findMany();
    expect(attempt).toMatchObject({ endedAt: null, failedCodes: 0 });
    expect(ctx.mail.messages).toHaveLength(1);
    await agent.get('/dashboard').expect(302);
    expect((await codeStep(agent, code)).headers.location).toBe('/dashboard');
  });

  it('POST /profile and /password/forgot without a valid token: 403, nothing changed', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const form = {
      name: 'Hijacked',
      timeZone: 'Asia/Tokyo',
      currentPassword: PASSWORD,
      newPassword: 'hijacked-password-99',
      newPasswordConfirm: 'hijacked-password-99',
    };
    expect((await s.agent.post('/profile').type('form').send(form)).status).toBe(403);
    expect(
      (
        await s.agent
          .post('/profile')
          .type('form')
          .send({ ...form, _csrf: s.csrf.slice(0, -2) })
      ).status,
    ).toBe(403);
    const row = await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ name: user.name, timeZone: user.timeZone, passwordHash: user.passwordHash });
    expect((await request(ctx.app).post('/password/forgot').type('form').send({ email: user.email })).status).toBe(403);
    expect(await ctx.prisma.passwordResetToken.count()).toBe(0);
  });
});

describe('cookies and headers', () => {
  it('the session cookie is HttpOnly, SameSite=Lax, Path=/, no Domain, and lasts the idle timeout', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    const page = await agent.get('/login').expect(200);
    const done = await (async () => {
      await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(page.text) })
        .expect(303);
      return codeStep(agent, codeFrom((await ctx.mail.latestTo(user.email)).text));
    })();
    for (const res of [page, done]) {
      const cookie = sessionCookie(res)!;
      const attrs = cookie.split(';').map((a) => a.trim().toLowerCase());
      expect(cookie).toMatch(/^crm\.sid=/);
      expect(attrs).toContain('httponly');
      expect(attrs).toContain('samesite=lax');
      expect(attrs).toContain('path=/');
      expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
      const expires = Date.parse(attrs.find((a) => a.startsWith('expires='))!.slice(8));
      expect(expires - Date.now()).toBeGreaterThan(25 * 60_000);
      expect(expires - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 5000);
    }
  });

  it('in production the cookie is __Host- and Secure, and HSTS is sent', async () => {
    const prod = buildSecondApp(ctx, { NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(40), TRUST_PROXY: '1' });
    try {
      const res = await request(prod.app).get('/login').set('X-Forwarded-Proto', 'https').expect(200);
      const cookie = sessionCookie(res)!;
      expect(cookie).toMatch(/^__Host-crm\.sid=/);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{6,}/);
      // Over plain HTTP no secure cookie is handed out at all.
      const plain = await request(prod.app).get('/login').expect(200);
      expect(sessionCookie(plain)).toBeUndefined();
    } finally {
      await prod.close();
    }
  });

  it('helmet headers and a strict CSP on public, error and signed-in pages; signed-in pages are no-store', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const pages = [
      ['/login', await request(ctx.app).get('/login')],
      ['/password/forgot', await request(ctx.app).get('/password/forgot')],
      ['reset 404', await request(ctx.app).get('/password/reset/not-a-token-at-all-xxxxxxxx')],
      ['/dashboard', await s.get('/dashboard')],
      ['/profile', await s.get('/profile')],
      ['signed-in 404', await s.get('/no-such-page')],
    ] as const;
    for (const [name, res] of pages) {
      const csp = res.headers['content-security-policy'];
      for (const d of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
      ]) {
        expect(csp, name).toContain(d);
      }
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined();
      // CSP forbids inline code: the pages carry none.
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
      expect(res.text).not.toMatch(/\sstyle="/);
      expect(res.text).not.toMatch(/\son[a-z]+="/);
    }
    for (const [name, res] of pages.slice(3)) expect(res.headers['cache-control'], name).toBe('no-store');
    // Nothing to revalidate on a no-store page: no ETag is computed over it (src/app.ts).
    for (const [name, res] of pages) expect(res.headers.etag, name).toBeUndefined();
  });
});

describe('passwords', () => {
  it('argon2id with m ≥ 19456, t ≥ 2, p = 1; equal passwords give different hashes', async () => {
    const [a, b] = [await hashPassword(PASSWORD), await hashPassword(PASSWORD)];
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(a)!;
    expect(Number(m[1])).toBeGreaterThanOrEqual(19456);
    expect(Number(m[2])).toBeGreaterThanOrEqual(2);
    expect(Number(m[3])).toBe(1);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, PASSWORD)).toBe(true);
    expect(await verifyPassword(b, PASSWORD)).toBe(true);
    expect(await verifyPassword(a, PASSWORD + 'x')).toBe(false);
  });

  it('a password longer than 72 bytes counts whole, with its case', async () => {
    const long = 'Correct-Horse-Battery-Staple-'.repeat(4) + 'ünïcødé-tail';
    expect(Buffer.byteLength(long)).toBeGreaterThan(100);
    const user = await ctx.make.superuser({ passwordHash: await hashPassword(long) });
    const prefix = Buffer.from(long).subarray(0, 72).toString();
    expect((await passwordStep(request.agent(ctx.app), user.email, prefix)).status).toBe(422);
    expect((await passwordStep(request.agent(ctx.app), user.email, long.toLowerCase())).status).toBe(422);
    expect((await passwordStep(request.agent(ctx.app), user.email, long.slice(0, -1))).status).toBe(422);
    await signIn(ctx, user, long);
  });

  it('a hash with weaker parameters is upgraded at the next sign-in', async () => {
    const weak = await hash(PASSWORD, { algorithm: Algorithm.Argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    const user = await ctx.make.superuser({ passwordHash: weak });
    expect((await passwordStep(request.agent(ctx.app), user.email)).status).toBe(303);
    const row = await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(row.passwordHash!, PASSWORD)).toBe(true);
  });
});

describe('session timeouts', () => {
  it(
    'idle: a session row past its expiry is refused even ' + 'before pruning; each request moves it 30 minutes on',
    async () => {
      const user = await ctx.make.superuser();
      const s = await signIn(ctx, user);
      const sid = sidOf(await s.get('/dashboard').expect(200));
      const { rows } = await ctx.db.pool.query(
        `SELECT extract(epoch FROM expire - now()::timestamp)::int AS left FROM "session" WHERE sid = $1`,
        [sid],
      );
      expect(rows[0].left).toBeGreaterThan(25 * 60);
      expect(rows[0].left).toBeLessThanOrEqual(30 * 60 + 5);
      await ctx.db.pool.query(`UPDATE "session" SET expire = now()::timestamp - interval '1 minute' WHERE sid = $1`, [
        sid,
      ]);
      const res = await s.get('/dashboard');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/login?next=%2Fdashboard');
      expect((await s.post('/profile', { name: 'Late', timeZone: 'UTC' })).status).toBe(401);
      expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe(user.name);
    },
  );

  it('absolute: 12 hours after sign-in the session ends however busy it was', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const sid = sidOf(await s.get('/dashboard').expect(200));
    const row = await sessionRow(ctx, sid);
    expect(Date.now() - row!.sess.signedInAt).toBeLessThan(60_000);
    const age = async (hours: number) =>
      ctx.db.pool.query(
        `UPDATE "session" SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json WHERE sid = $1`,
        [sid, Date.now() - hours * 3600_000],
      );
    await age(11.5);
    await s.get('/dashboard').expect(200);
    await age(12.1);
    const res = await s.get('/dashboard');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fdashboard');
    expect(await sessionRow(ctx, sid)).toBeUndefined();
    expect((await s.get('/dashboard')).status).toBe(302);
    // The browser can start over at once.
    expect((await s.get('/login')).status).toBe(200);
  });
});

describe('logs', () => {
  it(
    'hold sign-in successes and failures with user and IP, ' +
      'and never a password, code, token, session id or cookie',
    async () => {
      const lines: string[] = [];
      const logged = buildSecondApp(ctx, { LOG_LEVEL: 'info' }, { write: (line: string) => void lines.push(line) });
      const secrets: string[] = [PASSWORD];
      try {
        const user = await ctx.make.superuser();
        const agent = request.agent(logged.app);
        expect((await passwordStep(agent, user.email, 'wrong-horse-secret-77')).status).toBe(422);
        secrets.push('wrong-horse-secret-77');
        expect((await passwordStep(agent, user.email)).status).toBe(303);
        const code = codeFrom((await ctx.mail.latestTo(user.email)).text);
        secrets.push(code);
        expect((await codeStep(agent, wrongCode(code))).status).toBe(422);
        const done = await codeStep(agent, code);
        expect(done.headers.location).toBe('/dashboard');
        const sid = sidOf(done);
        secrets.push(sid, sessionCookie(done)!.split(';')[0].split('=')[1]);

        ctx.mail.clear();
        const forgot = await agent.get('/password/forgot').expect(200);
        await agent
          .post('/password/forgot')
          .type('form')
          .send({ email: user.email, _csrf: csrfFrom(forgot.text) })
          .expect(200);
        const token = /\/password\/reset\/([A-Za-z0-9_-]+)/.exec((await ctx.mail.latestTo(user.email)).text)![1];
        secrets.push(token);
        const resetPage = await agent.get(`/password/reset/${token}`).expect(200);
        await agent
          .post(`/password/reset/${token}`)
          .type('form')
          .send({ password: 'short', passwordConfirm: 'short' })
          .expect(403);
        const newPassword = 'lichen-orbit-36-saffron';
        secrets.push(newPassword);
        await agent
          .post(`/password/reset/${token}`)
          .type('form')
          .send({ password: newPassword, passwordConfirm: newPassword, _csrf: csrfFrom(resetPage.text) })
          .expect(303);
      } finally {
        await logged.close();
      }
      const text = lines.join('');
      for (const secret of secrets) expect(text, `log holds ${secret}`).not.toContain(secret);
      const entries = lines.map((l) => JSON.parse(l));
      const failed = entries.find((e) => e.event === 'signin.password_failed');
      expect(failed).toMatchObject({
        email: expect.stringContaining('@'),
        ip: expect.any(String),
        userId: expect.any(Number),
      });
      expect(typeof failed.time).toBe('number');
      expect(entries.find((e) => e.event === 'signin.success')).toMatchObject({
        userId: expect.any(Number),
        ip: expect.any(String),
      });
      expect(entries.find((e) => e.event === 'signin.code_failed')).toMatchObject({ userId: expect.any(Number) });
      expect(entries.some((e) => e.msg === 'access denied')).toBe(true);
    },
  );
});

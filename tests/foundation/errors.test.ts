// Error pages (404, 500 with a request id, 401, 403, 400/413/415 for bodies the parser refuses)
// and the security headers every answer carries.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { buildLoggedApp, removeTempDirs, type LoggedApp } from './support.ts';

const ctx = useTestContext();

/** Nothing internal on a page: no stack frame, no SQL, no driver or ORM names. */
function expectNothingInternal(html: string) {
  expect(html).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules/);
  expect(html).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE) |\bFROM "|"public"\./);
  expect(html).not.toMatch(/prisma|does not exist|ReferenceError|TypeError|ECONNREFUSED/i);
}

describe('404', () => {
  it('an unknown path shows the not-found page to a signed-in user', async () => {
    const s = await signInAs(ctx, await ctx.make.staff((await ctx.make.company()).id));
    const res = await s.get('/no/such/page').expect(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<title>Not found · CRM</title>');
    expect(res.text).toContain('There is nothing at this address');
    expect(res.text).not.toContain('request id');
    expectNothingInternal(res.text);
  });

  it('a visitor on an unknown path is sent to sign in (nothing is public by default)', async () => {
    const res = await request(ctx.app).get('/no/such/page').expect(302);
    expect(res.headers.location).toBe('/login?next=%2Fno%2Fsuch%2Fpage');
  });
});

describe('500', () => {
  let logged: LoggedApp;
  beforeAll(() => {
    logged = buildLoggedApp(ctx.db.url, { smtpUrl: `smtp://127.0.0.1:${ctx.mail.port}` });
  });
  afterAll(async () => {
    await logged.close();
    removeTempDirs();
  });

  it(
    'a real database error shows the request id of the X-Request-Id ' +
      'header, which the log line carries too, and nothing internal',
    async () => {
      const user = await ctx.make.staff((await ctx.make.company()).id);
      const s = await signInAs({ app: logged.app, db: ctx.db }, user);
      // Every signed-in request loads the user with their company: take that table away.
      await ctx.db.pool.query('ALTER TABLE "Company" RENAME TO "Company_moved"');
      let res: Awaited<ReturnType<typeof s.get>>;
      try {
        res = await s.get('/dashboard').expect(500);
      } finally {
        await ctx.db.pool.query('ALTER TABLE "Company_moved" RENAME TO "Company"');
      }
      const id = res.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('Something went wrong');
      expect(res.text).toContain(`<code>${id}</code>`);
      expectNothingInternal(res.text);
      expect(res.text).not.toContain('Company_moved');

      const line = logged.logs.find((l) => l.msg === 'request failed' && l.requestId === id);
      expect(line).toBeDefined();
      expect(line!.level).toBe(50);
      expect(JSON.stringify(line!.err)).toContain('Company');
      // The log keeps no secret: no cookie, no password.
      expect(JSON.stringify(logged.logs)).not.toMatch(/crm\.sid=|violet-harbour/);
      // The database is whole again: the same session works.
      await s.get('/dashboard').expect(200);
    },
  );
});

describe('refused requests', () => {
  it('401 for a visitor POST to a page that needs sign-in, before any CSRF check', async () => {
    const res = await request(ctx.app).post('/profile').type('form').send({ name: 'x' }).expect(401);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Sign-in required');
    expectNothingInternal(res.text);
  });

  it('403 for a POST without (or with a wrong) CSRF token, and the session is left as it was', async () => {
    const s = await signInAs(ctx, await ctx.make.staff((await ctx.make.company()).id));
    for (const form of [{}, { _csrf: 'not-the-token' }]) {
      const res = await s.agent.post('/logout').type('form').send(form).expect(403);
      expect(res.text).toContain('The form was out of date');
      expectNothingInternal(res.text);
    }
    await s.get('/dashboard').expect(200);
  });

  it('400/413/415 for bodies the parser refuses — never a 500', async () => {
    const form = 'application/x-www-form-urlencoded';
    const cases: Array<[number, string, (r: request.Test) => request.Test]> = [
      [400, 'Bad request', (r) => r.set('Content-Type', form).set('Content-Encoding', 'gzip').send('email=not-gzip')],
      [415, 'Unsupported', (r) => r.set('Content-Type', `${form}; charset=klingon`).send('email=a')],
      [415, 'Unsupported', (r) => r.set('Content-Type', form).set('Content-Encoding', 'bogus').send('email=a')],
      [
        413,
        'Too large',
        (r) => r.set('Content-Type', form).send(Array.from({ length: 600 }, (_, i) => `f${i}=1`).join('&')),
      ],
      [413, 'Too large', (r) => r.set('Content-Type', form).send(`notes=${'x'.repeat(300_000)}`)],
    ];
    for (const [status, title, send] of cases) {
      const res = await send(request(ctx.app).post('/login'));
      expect(res.status).toBe(status);
      expect(res.text).toContain(`<title>${title} · CRM</title>`);
      expectNothingInternal(res.text);
    }
  });

  it('400 for a malformed percent-encoding in a path parameter', async () => {
    const res = await request(ctx.app).get('/password/reset/%E0%A4%A').expect(400);
    expect(res.text).toContain('<title>Bad request · CRM</title>');
  });
});

describe('security headers', () => {
  it('on pages, error pages and health checks: a strict CSP, nosniff, no X-Powered-By', async () => {
    const s = await signInAs(ctx, await ctx.make.staff((await ctx.make.company()).id));
    for (const res of [
      await request(ctx.app).get('/login').expect(200),
      await s.get('/no/such/page').expect(404),
      await request(ctx.app).post('/profile').expect(401),
      await request(ctx.app).get('/healthz').expect(200),
    ]) {
      const csp = String(res.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim());
      expect(csp).toEqual(
        expect.arrayContaining([
          "default-src 'self'",
          "script-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'",
          "form-action 'self'",
        ]),
      );
      expect(csp.join(';')).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-request-id']).toBeTruthy();
    }
  });
});

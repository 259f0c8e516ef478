// Signed-in agents for tests. signInAs: the fast way, for tests not about signing in — a real
// session row written through the app's own session store, with the shape the code step leaves
// (passport's user id, the sign-in time, a CSRF token), and the cookie signed with the test secret.
// No route or code path exists for it in the app. signIn: the real two steps (password, then the code
// read from the mail), for the sign-in tests.
import { createHmac, randomBytes } from 'node:crypto';
import session from 'express-session';
import type pg from 'pg';
import request from 'supertest';
import { IDLE_TIMEOUT_MS, ThrottledPgStore } from '../../src/web/session.ts';
import { TEST_SESSION_SECRET } from './app.ts';
import type { TestContext } from './context.ts';
import { PASSWORD } from './world.ts';
import { csrfFrom } from './html.ts';

export { csrfFrom } from './html.ts';

export type Session = {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  get: (path: string) => request.Test;
  /** POSTs a form with this session's CSRF token. */
  post: (path: string, form?: Record<string, string | string[]>) => request.Test;
};

export function codeFrom(text: string): string {
  const m = /\b(\d{6})\b/.exec(text);
  if (!m) throw new Error('no code in the mail');
  return m[1];
}

export function sessionFor(agent: ReturnType<typeof request.agent>, csrf: string): Session {
  return {
    agent,
    csrf,
    get: (path) => agent.get(path),
    post: (path, form = {}) =>
      agent
        .post(path)
        .type('form')
        .send({ ...form, _csrf: csrf }),
  };
}

/** What the code step leaves in a session: passport's user id, the sign-in time, a CSRF token (once a form showed). */
export function signedInSessionData(userId: number, csrfToken: string, now = Date.now()) {
  // express-session's own cookie (its declared constructor takes no options; the real one does).
  const Cookie = session.Cookie as unknown as new (o: object) => session.Cookie;
  const cookie = new Cookie({ httpOnly: true, sameSite: 'lax', secure: false, path: '/', maxAge: IDLE_TIMEOUT_MS });
  return { cookie, passport: { user: userId }, signedInAt: now, csrfToken };
}

/** Writes a signed-in session row through the app's session store; returns its id and CSRF token. */
export async function createSignedInSession(pool: pg.Pool, userId: number): Promise<{ sid: string; csrf: string }> {
  const sid = randomBytes(24).toString('base64url');
  const csrf = randomBytes(128).toString('hex');
  const store = new ThrottledPgStore({
    pool,
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: false,
  });
  await new Promise<void>((resolve, reject) =>
    store.set(sid, signedInSessionData(userId, csrf) as session.SessionData, (err) => (err ? reject(err) : resolve())),
  );
  return { sid, csrf };
}

/** The `crm.sid` cookie the app would set for session `sid` (signed with the test secret). */
export function sessionCookieFor(sid: string, secret = TEST_SESSION_SECRET): string {
  // cookie-signature's format, which express-session reads: `s:` + value + '.' + unpadded base64 HMAC-SHA256.
  const mac = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `crm.sid=${encodeURIComponent(`s:${sid}.${mac}`)}`;
}

/**
 * A supertest agent signed in as `user` without the two steps (see the top of this file), with the
 * session's CSRF token for its forms.
 */
export async function signInAs(ctx: Pick<TestContext, 'app' | 'db'>, user: { id: number }): Promise<Session> {
  const { sid, csrf } = await createSignedInSession(ctx.db.pool, user.id);
  const agent = request.agent(ctx.app);
  agent.jar.setCookie(`${sessionCookieFor(sid)}; Path=/; HttpOnly`, '127.0.0.1', '/');
  return sessionFor(agent, csrf);
}

/** Signs in through the real two steps: the password, then the code read from the captured mail. */
export async function signIn(ctx: TestContext, user: { email: string }, password = PASSWORD): Promise<Session> {
  const agent = request.agent(ctx.app);
  const loginPage = await agent.get('/login').expect(200);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ email: user.email, password, _csrf: csrfFrom(loginPage.text) });
  if (res.status !== 303) throw new Error(`password step answered ${res.status}`);
  const mail = await ctx.mail.latestTo(user.email);
  const verifyPage = await agent.get('/login/verify').expect(200);
  const done = await agent
    .post('/login/verify')
    .type('form')
    .send({ code: codeFrom(mail.text), _csrf: csrfFrom(verifyPage.text) });
  if (done.status !== 303) throw new Error(`code step answered ${done.status}`);
  const dashboard = await agent.get('/dashboard').expect(200);
  return sessionFor(agent, csrfFrom(dashboard.text));
}

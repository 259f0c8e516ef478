// Sign-in test helpers: the two steps done by hand (so each can be refused), the session id of a
// response, and a second app built on the same database (a second "process").
import request from 'supertest';
import type { Response } from 'supertest';
import { expect } from 'vitest';
import { buildTestApp } from '../helpers/app.ts';
import type { TestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { codeFrom, csrfFrom, type Session } from '../helpers/session.ts';

export type Agent = ReturnType<typeof request.agent>;

/** GET /login, then POST the form; returns the POST's response. */
export async function passwordStep(
  agent: Agent,
  email: string,
  password = PASSWORD,
  extra: Record<string, string> = {},
): Promise<Response> {
  const page = await agent.get('/login').expect(200);
  return agent
    .post('/login')
    .type('form')
    .send({ email, password, _csrf: csrfFrom(page.text), ...extra });
}

/** GET /login/verify, then POST the code; returns the POST's response. */
export async function codeStep(agent: Agent, code: string): Promise<Response> {
  const page = await agent.get('/login/verify').expect(200);
  return agent
    .post('/login/verify')
    .type('form')
    .send({ code, _csrf: csrfFrom(page.text) });
}

/** A new browser past the password step of `user`: the agent and the code the mail brought. */
export async function pendingSignIn(
  ctx: TestContext,
  user: { email: string },
): Promise<{ agent: Agent; code: string }> {
  const agent = request.agent(ctx.app);
  await passwordStep(agent, user.email);
  return { agent, code: codeFrom((await ctx.mail.latestTo(user.email)).text) };
}

/** POST /login/resend before the minute is up: 429 with a Retry-After of 1 to 60 seconds. */
export async function resendTooEarly(agent: Agent, csrf: string): Promise<Response> {
  const early = await agent.post('/login/resend').type('form').send({ _csrf: csrf });
  expect(early.status).toBe(429);
  const retryAfter = Number(early.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  return early;
}

/** The profile form changing the signed-in user's password from the factories' one to `newPassword`. */
export function changePassword(s: Session, user: { name: string }, newPassword: string) {
  return s.post('/profile', {
    name: user.name,
    timeZone: 'UTC',
    currentPassword: PASSWORD,
    newPassword,
    newPasswordConfirm: newPassword,
  });
}

/** A 6-digit code that is not `code`. */
export const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

/** The `crm.sid` Set-Cookie header of a response, if any. */
export function sessionCookie(res: Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => /^(__Host-)?crm\.sid=/.test(c));
}

/** The session id (the store's `sid`) inside a signed `crm.sid` cookie. */
export function sidOf(res: Response): string {
  const cookie = sessionCookie(res);
  if (!cookie) throw new Error('no session cookie in the response');
  const value = decodeURIComponent(cookie.split(';')[0].split('=').slice(1).join('='));
  const m = /^s:(.+)\.[^.]+$/.exec(value);
  if (!m) throw new Error(`unexpected cookie value ${value}`);
  return m[1];
}

/** The `name=value` part of the session cookie, to replay it later. */
export const cookiePair = (res: Response) => sessionCookie(res)!.split(';')[0];

export async function sessionRow(ctx: TestContext, sid: string) {
  const { rows } = await ctx.db.pool.query('SELECT sid, sess, expire FROM "session" WHERE sid = $1', [sid]);
  return rows[0] as { sid: string; sess: Record<string, any>; expire: Date } | undefined;
}

export { TEST_SESSION_SECRET } from '../helpers/app.ts';

/**
 * Another app on the test file's database, with its own pool, throttles and mailer — what a
 * second process would be. `env` overrides the configuration; `logStream` receives its log lines.
 */
export function buildSecondApp(
  ctx: TestContext,
  env: Record<string, string> = {},
  logStream?: { write: (line: string) => void },
) {
  const built = buildTestApp({ db: ctx.db.url, smtpUrl: `smtp://127.0.0.1:${ctx.mail.port}`, env, logStream });
  return { app: built.app, routes: built.routes, dataDir: built.dataDir, close: built.close };
}

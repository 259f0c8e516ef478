// Signing in as a real user would: password, then the code read from the captured mail.
import request from 'supertest';
import type { TestContext } from './context.ts';
import { PASSWORD } from './factories.ts';

export type Session = {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  get: (path: string) => request.Test;
  /** POSTs a form with this session's CSRF token. */
  post: (path: string, form?: Record<string, string | string[]>) => request.Test;
};

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

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
    post: (path, form = {}) => agent.post(path).type('form').send({ ...form, _csrf: csrf }),
  };
}

export async function signIn(ctx: TestContext, user: { email: string }, password = PASSWORD): Promise<Session> {
  const agent = request.agent(ctx.app);
  const loginPage = await agent.get('/login').expect(200);
  const res = await agent.post('/login').type('form').send({ email: user.email, password, _csrf: csrfFrom(loginPage.text) });
  if (res.status !== 303) throw new Error(`password step answered ${res.status}`);
  const mail = await ctx.mail.latestTo(user.email);
  const verifyPage = await agent.get('/login/verify').expect(200);
  const done = await agent.post('/login/verify').type('form').send({ code: codeFrom(mail.text), _csrf: csrfFrom(verifyPage.text) });
  if (done.status !== 303) throw new Error(`code step answered ${done.status}`);
  const dashboard = await agent.get('/dashboard').expect(200);
  return sessionFor(agent, csrfFrom(dashboard.text));
}

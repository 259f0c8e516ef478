// Issue 10 item 2: `next` after sign-in never leads to another host, whatever normalising the URL
// turns it into (`/.//evil.test` → `//evil.test`).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/web/auth.ts';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { codeFrom, csrfFrom, signIn } from '../helpers/session.ts';
import { codeStep, sessionRow, sidOf } from './support.ts';

const ctx = useTestContext();

// Each one is a path on its face, and each names another host once normalised or decoded.
const HOSTILE = [
  '/.//evil.test/phish',
  '/..//evil.test',
  '/%2e%2e/%2e%2e//evil.test',
  '/%2E%2E//evil.test',
  '/././/evil.test',
  '/a/../..//evil.test',
  '/%2f%2fevil.test',
  '/%2F/evil.test',
  '/%5c%5cevil.test',
  '/%5C/evil.test',
  '/.\\/evil.test',
  '/\\/evil.test',
  '/x/..\\..\\evil.test',
];

describe('safeNext', () => {
  it.each(HOSTILE)('%j falls back to /dashboard', (next) => {
    expect(safeNext(next)).toBe('/dashboard');
  });

  it('keeps local paths with their query and hash, normalised', () => {
    expect(safeNext('/customers?q=a%2Fb&page=2#top')).toBe('/customers?q=a%2Fb&page=2#top');
    expect(safeNext('/leads/./12')).toBe('/leads/12');
    expect(safeNext('/tasks?next=//evil.test')).toBe('/tasks?next=//evil.test');
  });

  it('whatever it returns starts with one slash and resolves on this site', () => {
    for (const n of [...HOSTILE, '/a//b', '/a/.//b', '//', '/%2e%2e', '/.', '/..']) {
      const out = safeNext(n);
      expect(out, n).toMatch(/^\/(?![/\\])/);
      expect(new URL(out, 'http://crm.test').host, n).toBe('crm.test');
    }
  });
});

describe('GET /login?next= when signed in', () => {
  it.each(HOSTILE)('%j redirects to /dashboard', async (next) => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const res = await s.get(`/login?next=${encodeURIComponent(next)}`).expect(302);
    expect(res.headers.location).toBe('/dashboard');
  });
});

describe('next through both sign-in steps', () => {
  it.each(['/.//evil.test/phish', '/..//evil.test', '/%2e%2e/%2e%2e//evil.test'])(
    '%j: the code step sends to /dashboard',
    async (next) => {
      const user = await ctx.make.superuser();
      const agent = request.agent(ctx.app);
      const page = await agent.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
      expect(page.text).toContain('name="next" value="/dashboard"');
      // A crafted form posts the hostile value itself.
      const step = await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: PASSWORD, next, _csrf: csrfFrom(page.text) })
        .expect(303);
      const stored = await sessionRow(ctx, sidOf(step));
      expect(stored?.sess.loginNext).toBe('/dashboard');
      const done = await codeStep(agent, codeFrom((await ctx.mail.latestTo(user.email)).text));
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/dashboard');
    },
  );
});

// signInAs, the fast sign-in of the tests not about signing in, must make the same session as the
// real two steps: a row in the session store that the app reads like any other, nothing more.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from './context.ts';
import { text } from './html.ts';
import { createSignedInSession, sessionCookieFor, signIn, signInAs } from './session.ts';

const ctx = useTestContext();

const storedSession = async (sid?: string) => {
  const { rows } = await ctx.db.pool.query(
    sid ? 'SELECT sess FROM "session" WHERE sid = $1' : 'SELECT sess FROM "session"',
    sid ? [sid] : [],
  );
  return rows as { sess: Record<string, any> }[];
};

describe('signInAs', () => {
  it('signs the user in without a code mail, and its forms pass the CSRF check', async () => {
    const staff = await ctx.make.staff((await ctx.make.company()).id, { name: 'Quick Start' });
    const s = await signInAs(ctx, staff);
    const page = await s.get('/dashboard').expect(200);
    expect(text(page.text, 'nav')).toContain('Quick Start');
    expect(ctx.mail.messages).toHaveLength(0);
    await s.agent.post('/logout').type('form').send({}).expect(403);
    await s.post('/logout').expect(303);
    await s.get('/dashboard').expect(302);
  });

  it('writes the row the code step writes: the same keys and the same user id', async () => {
    const staff = await ctx.make.staff((await ctx.make.company()).id);
    await signIn(ctx, staff);
    const [real] = await storedSession();
    const { sid } = await createSignedInSession(ctx.db.pool, staff.id);
    const [fast] = await storedSession(sid);
    expect(Object.keys(fast.sess).sort()).toEqual(Object.keys(real.sess).sort());
    expect(Object.keys(fast.sess.cookie).sort()).toEqual(Object.keys(real.sess.cookie).sort());
    expect(fast.sess.passport).toEqual(real.sess.passport);
    expect(fast.sess.passport).toEqual({ user: staff.id });
  });

  it('is a session like any other: a cookie signed with another secret is not accepted', async () => {
    const staff = await ctx.make.staff((await ctx.make.company()).id);
    const { sid } = await createSignedInSession(ctx.db.pool, staff.id);
    await request(ctx.app).get('/dashboard').set('Cookie', sessionCookieFor(sid)).expect(200);
    const forged = sessionCookieFor(sid, 'another-secret-another-secret-another-1');
    const res = await request(ctx.app).get('/dashboard').set('Cookie', forged).expect(302);
    expect(res.headers.location).toBe('/login?next=%2Fdashboard');
  });

  it('follows the user: a deactivated user is signed out on the next request', async () => {
    const staff = await ctx.make.staff((await ctx.make.company()).id);
    const s = await signInAs(ctx, staff);
    await s.get('/dashboard').expect(200);
    await ctx.prisma.user.update({ where: { id: staff.id }, data: { active: false } });
    await s.get('/dashboard').expect(302);
  });
});

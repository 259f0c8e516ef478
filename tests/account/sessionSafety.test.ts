// Issue 10 item 8: the sign-in, code and reset-link pages are never cached, and changing one's own
// password gives this browser a new session id (the old cookie signs nobody in) while it stays signed in.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/account/passwords.ts';
import { useTestContext } from '../helpers/context.ts';
import { csrfFrom, signIn } from '../helpers/session.ts';
import { changePassword, cookiePair, passwordStep, sessionRow, sidOf } from './support.ts';

const ctx = useTestContext();
const NEW_PASSWORD = 'copper-meadow-91-quartz';

describe('Cache-Control: no-store', () => {
  it('on /login, /login/verify and /password/reset/:token, and on their refusals', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    const login = await agent.get('/login').expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const refused = await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: 'not-the-password', _csrf: csrfFrom(login.text) });
    expect(refused.status).toBe(422);
    expect(refused.headers['cache-control']).toBe('no-store');
    expect((await passwordStep(agent, user.email)).status).toBe(303);
    const verify = await agent.get('/login/verify').expect(200);
    expect(verify.headers['cache-control']).toBe('no-store');
    expect(await ctx.prisma.loginAttempt.count({ where: { userId: user.id, endedAt: null } })).toBe(1);

    const forgot = await agent.get('/password/forgot').expect(200);
    expect(forgot.headers['cache-control']).toBe('no-store');
    ctx.mail.clear();
    await agent
      .post('/password/forgot')
      .type('form')
      .send({ email: user.email, _csrf: csrfFrom(forgot.text) })
      .expect(200);
    const mailed = (await ctx.mail.latestTo(user.email)).text;
    const link = new URL(/https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]+/.exec(mailed)![0]).pathname;
    const reset = await request(ctx.app).get(link).expect(200);
    expect(reset.headers['cache-control']).toBe('no-store');
    const unknown = await request(ctx.app).get('/password/reset/' + 'x'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(unknown.headers['cache-control']).toBe('no-store');
    // The link was only shown, not used.
    expect(await ctx.prisma.passwordResetToken.count({ where: { userId: user.id, usedAt: null } })).toBe(1);
  });
});

describe("changing one's own password in /profile", () => {
  it('rotates the session id: the old cookie is dead, this browser stays signed in with its sign-in time', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const before = await s.get('/profile').expect(200);
    const oldSid = sidOf(before);
    const oldCookie = cookiePair(before);
    const signedInAt = (await sessionRow(ctx, oldSid))!.sess.signedInAt;
    expect(typeof signedInAt).toBe('number');

    const res = await changePassword(s, user, NEW_PASSWORD);
    expect(res.status).toBe(303);
    const newSid = sidOf(res);
    expect(newSid).not.toBe(oldSid);
    expect(await sessionRow(ctx, oldSid)).toBeUndefined();
    const row = await sessionRow(ctx, newSid);
    expect(row?.sess.passport.user).toBe(user.id);
    expect(row?.sess.signedInAt).toBe(signedInAt);
    expect(
      await verifyPassword(
        (await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash!,
        NEW_PASSWORD,
      ),
    ).toBe(true);

    const page = await s.get('/profile').expect(200);
    expect(page.text).toContain('Your password is changed');
    // The copied old cookie: not signed in, and no session row comes back for it.
    const replay = await request(ctx.app).get('/dashboard').set('Cookie', oldCookie);
    expect(replay.status).toBe(302);
    expect(replay.headers.location).toBe('/login?next=%2Fdashboard');
    expect(await sessionRow(ctx, oldSid)).toBeUndefined();
    // This browser's forms keep working after the rotation.
    await s.post('/profile', { name: 'Renamed After', timeZone: 'UTC' }).expect(303);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe('Renamed After');
  });

  it('a refused change (wrong current password) keeps the session id and the password', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const oldSid = sidOf(await s.get('/profile').expect(200));
    const hash = (await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    const res = await s.post('/profile', {
      name: user.name,
      timeZone: 'UTC',
      currentPassword: 'wrong-one',
      newPassword: NEW_PASSWORD,
      newPasswordConfirm: NEW_PASSWORD,
    });
    expect(res.status).toBe(422);
    expect(sidOf(res)).toBe(oldSid);
    expect(await sessionRow(ctx, oldSid)).toBeDefined();
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(hash);
  });
});

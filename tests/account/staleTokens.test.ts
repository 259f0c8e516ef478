// Issue 10 item 3: whenever a password is set (invitation, reset link, profile), every unused link
// of that user stops working, and an invitation link works only while the user has no password.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPasswordToken } from '../../src/account/passwordReset.ts';
import { verifyPassword } from '../../src/account/passwords.ts';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { csrfFrom, signIn } from '../helpers/session.ts';

const ctx = useTestContext();
const RESET_PASSWORD = 'copper-meadow-91-quartz';
const LATE_PASSWORD = 'orchid-canyon-42-river';

const linkIn = (text: string) => new URL(/https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]+/.exec(text)![0]).pathname;

/** An account manager invites a new staff user through /users; returns the user and the mailed link. */
async function invite(email: string) {
  const company = await ctx.make.company();
  const manager = await ctx.make.manager(company.id);
  const m = await signIn(ctx, manager);
  await m.post('/users', { name: 'Nina New', email, role: 'STAFF', timeZone: 'UTC' }).expect(303);
  const user = await ctx.prisma.user.findUniqueOrThrow({ where: { email } });
  return { user, path: linkIn((await ctx.mail.latestTo(email)).text) };
}

async function forgotLink(email: string) {
  ctx.mail.clear();
  const agent = request.agent(ctx.app);
  const page = await agent.get('/password/forgot').expect(200);
  await agent
    .post('/password/forgot')
    .type('form')
    .send({ email, _csrf: csrfFrom(page.text) })
    .expect(200);
  return linkIn((await ctx.mail.latestTo(email)).text);
}

/** Opens a link's form now; the returned function posts it later. */
async function openForm(path: string) {
  const agent = request.agent(ctx.app);
  const page = await agent.get(path).expect(200);
  const csrf = csrfFrom(page.text);
  return (password: string) => agent.post(path).type('form').send({ password, passwordConfirm: password, _csrf: csrf });
}

const userRow = (id: number) => ctx.prisma.user.findUniqueOrThrow({ where: { id } });
const unusedTokens = (userId: number) => ctx.prisma.passwordResetToken.findMany({ where: { userId, usedAt: null } });

describe('an invitation after the password was set by a reset link', () => {
  it('no longer sets a password: 404 on the page and on a form opened before, the password stays', async () => {
    const { user, path: invitation } = await invite('nina@example.test');
    const lateInvitationForm = await openForm(invitation);
    const reset = await forgotLink(user.email);
    expect((await (await openForm(reset))(RESET_PASSWORD)).status).toBe(303);
    const afterReset = await userRow(user.id);
    expect(await verifyPassword(afterReset.passwordHash!, RESET_PASSWORD)).toBe(true);
    expect(await unusedTokens(user.id)).toEqual([]);

    expect((await request(ctx.app).get(invitation)).status).toBe(404);
    const late = await lateInvitationForm(LATE_PASSWORD);
    expect(late.status).toBe(404);
    const row = await userRow(user.id);
    expect(row.passwordHash).toBe(afterReset.passwordHash);
    expect(
      await ctx.prisma.auditEntry.count({
        where: { model: 'User', recordId: String(user.id), action: 'password.reset' },
      }),
    ).toBe(1);
    await signIn(ctx, user, RESET_PASSWORD);
  });
});

describe('an invitation link once the user has a password', () => {
  it('is refused even if it was never used or voided (404), and sets nothing', async () => {
    const user = await ctx.make.superuser();
    const before = await userRow(user.id);
    const url = await createPasswordToken(ctx.prisma, 'http://crm.test', user.id, 'invite');
    const path = new URL(url).pathname;
    expect((await request(ctx.app).get(path)).status).toBe(404);
    // Posting straight away (a form from another page's CSRF token) is refused the same way.
    const agent = request.agent(ctx.app);
    const csrf = csrfFrom((await agent.get('/password/forgot').expect(200)).text);
    const res = await agent
      .post(path)
      .type('form')
      .send({ password: LATE_PASSWORD, passwordConfirm: LATE_PASSWORD, _csrf: csrf });
    expect(res.status).toBe(404);
    expect((await userRow(user.id)).passwordHash).toBe(before.passwordHash);
    expect(await ctx.prisma.loginAttempt.count()).toBe(0);
  });
});

describe('an invitation used to set the first password', () => {
  it('voids a reset link asked for before it', async () => {
    const { user, path: invitation } = await invite('olga@example.test');
    const reset = await forgotLink(user.email);
    const lateResetForm = await openForm(reset);
    expect((await (await openForm(invitation))(RESET_PASSWORD)).status).toBe(303);
    expect(await unusedTokens(user.id)).toEqual([]);
    const hash = (await userRow(user.id)).passwordHash;
    expect((await lateResetForm(LATE_PASSWORD)).status).toBe(404);
    expect((await request(ctx.app).get(reset)).status).toBe(404);
    expect((await userRow(user.id)).passwordHash).toBe(hash);
  });
});

describe('a password changed in /profile', () => {
  it('voids the reset links asked for before: 404, the profile password stays', async () => {
    const user = await ctx.make.superuser();
    const reset = await forgotLink(user.email);
    const lateResetForm = await openForm(reset);
    const s = await signIn(ctx, user);
    await s
      .post('/profile', {
        name: user.name,
        timeZone: 'UTC',
        currentPassword: PASSWORD,
        newPassword: RESET_PASSWORD,
        newPasswordConfirm: RESET_PASSWORD,
      })
      .expect(303);
    const changed = await userRow(user.id);
    expect(await verifyPassword(changed.passwordHash!, RESET_PASSWORD)).toBe(true);
    const tokens = await ctx.prisma.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(tokens).toHaveLength(1);
    expect(tokens[0].usedAt).not.toBeNull();

    expect((await request(ctx.app).get(reset)).status).toBe(404);
    expect((await lateResetForm(LATE_PASSWORD)).status).toBe(404);
    expect((await userRow(user.id)).passwordHash).toBe(changed.passwordHash);
  });

  it('a profile save without a new password leaves the links working', async () => {
    const user = await ctx.make.superuser();
    const reset = await forgotLink(user.email);
    const s = await signIn(ctx, user);
    await s.post('/profile', { name: 'Renamed', timeZone: 'UTC' }).expect(303);
    expect(await unusedTokens(user.id)).toHaveLength(1);
    await request(ctx.app).get(reset).expect(200);
  });
});

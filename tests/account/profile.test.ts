// GET/POST /profile: own name, time zone and password.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/account/passwords.ts';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { signIn } from '../helpers/session.ts';
import { changePassword, passwordStep, sessionRow, sidOf } from './support.ts';

const ctx = useTestContext();
const NEW_PASSWORD = 'granite-willow-58-ember';

const userRow = (id: number) => ctx.prisma.user.findUniqueOrThrow({ where: { id } });

describe('/profile', () => {
  it('shows the own name and time zone, not cached', async () => {
    const company = await ctx.make.company();
    const user = await ctx.make.staff(company.id, { name: 'Ada Lovelace', timeZone: 'Europe/London' });
    const s = await signIn(ctx, user);
    const page = await s.get('/profile').expect(200);
    expect(page.text).toContain('value="Ada Lovelace"');
    expect(page.text).toMatch(/<option value="Europe\/London" selected>/);
    expect(page.headers['cache-control']).toBe('no-store');
    for (const id of ['f-name', 'f-timeZone', 'f-currentPassword', 'f-newPassword', 'f-newPasswordConfirm']) {
      expect(page.text).toContain(`<label for="${id}"`);
    }
  });

  it('keeps a UTC user in UTC when they save their name', async () => {
    const company = await ctx.make.company();
    const user = await ctx.make.staff(company.id, { name: 'Grace Hopper' });
    const s = await signIn(ctx, user);
    const page = await s.get('/profile').expect(200);
    expect(page.text).toMatch(/<option value="UTC" selected>/);
    await s.post('/profile', { name: 'Grace B. Hopper', timeZone: 'UTC' }).expect(303);
    expect(await userRow(user.id)).toMatchObject({ name: 'Grace B. Hopper', timeZone: 'UTC' });
  });

  it('changes name and time zone, and nothing else it is sent', async () => {
    const company = await ctx.make.company();
    const user = await ctx.make.staff(company.id);
    const s = await signIn(ctx, user);
    const res = await s.post('/profile', {
      name: 'Grace Hopper',
      timeZone: 'America/New_York',
      role: 'SUPERUSER',
      email: 'x@evil.test',
      companyId: '999',
      active: 'false',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    const row = await userRow(user.id);
    expect(row).toMatchObject({
      name: 'Grace Hopper',
      timeZone: 'America/New_York',
      role: 'STAFF',
      email: user.email,
      companyId: company.id,
      active: true,
    });
    expect(row.passwordHash).toBe(user.passwordHash);
    expect((await s.get('/profile').expect(200)).text).toContain('Profile saved.');
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'User', recordId: String(user.id) } });
    expect(audit.changes).toMatchObject({ name: [user.name, 'Grace Hopper'] });
  });

  it('refuses a bad name or time zone with 422 beside the field, keeping the input', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const res = await s.post('/profile', { name: '', timeZone: 'Mars/Olympus' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-name-error"[^>]*>Enter the name/);
    expect(res.text).toMatch(/id="f-timeZone-error"[^>]*>Choose a time zone from the list/);
    const twice = await s.post('/profile', { name: ['A', 'B'], timeZone: 'UTC' });
    expect(twice.status).toBe(422);
    const row = await userRow(user.id);
    expect(row.name).toBe(user.name);
    expect(row.timeZone).toBe(user.timeZone);
  });

  it('a password change needs the right current password', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    for (const currentPassword of ['', 'not-my-password-1']) {
      const res = await s.post('/profile', {
        name: user.name,
        timeZone: 'UTC',
        currentPassword,
        newPassword: NEW_PASSWORD,
        newPasswordConfirm: NEW_PASSWORD,
      });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="f-currentPassword-error"[^>]*>Your current password is not right/);
    }
    expect((await userRow(user.id)).passwordHash).toBe(user.passwordHash);
  });

  it.each([
    ['short', 'abc123', /Use at least 8 characters/, 'newPassword'],
    ['common', 'iloveyou', /too common/, 'newPassword'],
    ['common in capitals', 'Sunshine', /too common/, 'newPassword'],
    ['mismatched', NEW_PASSWORD, /The two passwords differ/, 'newPasswordConfirm'],
  ])('refuses a %s new password (422, beside its field)', async (_what, newPassword, message, fieldName) => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const res = await s.post('/profile', {
      name: 'Renamed',
      timeZone: 'UTC',
      currentPassword: PASSWORD,
      newPassword,
      newPasswordConfirm: fieldName === 'newPasswordConfirm' ? 'something-else-123' : newPassword,
    });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(new RegExp(`id="f-${fieldName}-error"[^>]*>[^<]*${message.source}`));
    expect(res.text).toContain('value="Renamed"');
    const row = await userRow(user.id);
    expect(row.passwordHash).toBe(user.passwordHash);
    expect(row.name).toBe(user.name);
  });

  it('a new password ends the other sessions and pending sign-ins; this one stays, with a new id', async () => {
    const user = await ctx.make.superuser();
    const other = await signIn(ctx, user);
    const s = await signIn(ctx, user);
    const pending = request.agent(ctx.app);
    expect((await passwordStep(pending, user.email)).status).toBe(303);
    const mySid = sidOf(await s.get('/dashboard').expect(200));
    const otherSid = sidOf(await other.get('/dashboard').expect(200));

    const res = await changePassword(s, user, NEW_PASSWORD);
    expect(res.status).toBe(303);
    const row = await userRow(user.id);
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash!, NEW_PASSWORD)).toBe(true);

    expect((await s.get('/dashboard')).status).toBe(200);
    expect((await other.get('/dashboard')).status).toBe(302);
    // This browser stays signed in, under a new session id (the old id's row is gone).
    const newSid = sidOf(res);
    expect(newSid).not.toBe(mySid);
    expect(await sessionRow(ctx, mySid)).toBeUndefined();
    expect((await sessionRow(ctx, newSid))?.sess.passport.user).toBe(user.id);
    expect(await sessionRow(ctx, otherSid)).toBeUndefined();
    expect(await ctx.prisma.loginAttempt.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    expect((await pending.get('/login/verify')).headers.location).toBe('/login');

    expect((await passwordStep(request.agent(ctx.app), user.email, PASSWORD)).status).toBe(422);
    await signIn(ctx, user, NEW_PASSWORD);
  });
});

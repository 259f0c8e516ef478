// Issue 11: the session read brings the signed-in user along (their company and permissions joined in),
// so a signed-in request reads both in one statement, with the same rules as reading the user apart:
// a deactivated user or company is signed out, group and role changes apply on the next request, a
// session whose user id is not one passport wrote is signed out, and nothing of the user is ever stored.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signIn } from '../helpers/session.ts';
import { recordStatements } from '../helpers/statements.ts';
import { sessionRow, sidOf } from './support.ts';

const ctx = useTestContext();
let recorder: ReturnType<typeof recordStatements>;

beforeAll(() => {
  recorder = recordStatements(ctx.db.pool);
});

async function staffSession() {
  const company = await ctx.make.company();
  const staff = await ctx.make.staff(company.id, { name: 'Sally Session' });
  const s = await signIn(ctx, staff);
  const sid = sidOf(await s.get('/profile').expect(200));
  return { company, staff, s, sid };
}

/** Writes the stored session's passport user as `user` (JSON), as a tampered or foreign row would hold it. */
async function setStoredUser(sid: string, user: string) {
  await ctx.db.pool.query(
    `UPDATE "session" SET sess = json_build_object('cookie', sess->'cookie', 'passport',
    json_build_object('user', $2::json), 'signedInAt', sess->'signedInAt') WHERE sid = $1`,
    [sid, user],
  );
}

/** The profile page's own reads: its calendar feed row and the reminder settings. */
const PROFILE_OWN_READ = /FROM "public"\."CalendarFeed"|"taskReminder"::text, .*FROM "public"\."User"/;

describe('the session read joins the signed-in user', () => {
  it('one statement reads the session and the user; the page shows that user', async () => {
    const { s } = await staffSession();
    const { result, statements } = await recorder.during(() => s.get('/profile'));
    expect(result.status).toBe(200);
    expect(result.text).toContain('Sally Session');
    // The profile's own reads (its calendar feed and reminder sections: src/calendar, src/reminder) aside, the
    // request costs one.
    expect(statements.filter((q) => !PROFILE_OWN_READ.test(q))).toHaveLength(1);
    expect(statements[0]).toMatch(/FROM "session"/);
    expect(statements[0]).toMatch(/"User"/);
  });

  it('group permissions read with the session apply on the next request, both ways', async () => {
    const { company, s } = await staffSession();
    await s.get('/leads').expect(200);
    await ctx.prisma.group.updateMany({ where: { companyId: company.id }, data: { permissions: [] } });
    await s.get('/leads').expect(403);
    await ctx.prisma.group.updateMany({ where: { companyId: company.id }, data: { permissions: ['lead.view'] } });
    await s.get('/leads').expect(200);
    await s.get('/customers').expect(403);
  });

  it('a role change applies on the next request', async () => {
    const { staff, s } = await staffSession();
    await s.get('/users').expect(403);
    await ctx.prisma.user.update({ where: { id: staff.id }, data: { role: 'ACCOUNT_MANAGER' } });
    await s.get('/users').expect(200);
  });

  it('a deactivated user, or a user of a deactivated company, is signed out and stays out', async () => {
    const first = await staffSession();
    await ctx.prisma.user.update({ where: { id: first.staff.id }, data: { active: false } });
    expect((await first.s.get('/profile')).status).toBe(302);
    await ctx.prisma.user.update({ where: { id: first.staff.id }, data: { active: true } });
    // Signed out means the session forgot the user: reactivating does not sign it back in.
    expect((await first.s.get('/profile')).status).toBe(302);
    expect((await sessionRow(ctx, first.sid))?.sess.passport?.user).toBeUndefined();

    const second = await staffSession();
    await ctx.prisma.company.update({ where: { id: second.company.id }, data: { active: false } });
    expect((await second.s.get('/profile')).status).toBe(302);
  });

  it('a stored user id that is not a number, or names nobody, signs the session out (never a 500)', async () => {
    for (const stored of ['"1"', '{"id": 1}', '[1]', '1.5', '-1', '99999999', '1e3', '1e12', 'null']) {
      const { s, sid } = await staffSession();
      await setStoredUser(sid, stored);
      const res = await s.get('/profile');
      expect(res.status, stored).toBe(302);
      expect(res.headers.location, stored).toMatch(/^\/login/);
    }
  });

  it('a session written by the request stores no part of the user row', async () => {
    const { s, sid } = await staffSession();
    await s.post('/profile', { name: 'Sally Saved', timeZone: 'UTC' }).expect(303);
    const stored = (await sessionRow(ctx, sid))!.sess;
    expect(stored.flash ?? stored.passport).toBeDefined();
    expect(stored).not.toHaveProperty('userRow');
    expect(stored).not.toHaveProperty('storedExpiresAt');
    expect(JSON.stringify(stored)).not.toContain('groupPermissions');
    await s.get('/profile').expect(200);
  });
});

// /users/:id: editing (role, groups, time zone), optimistic locking, deactivation; nobody raises or
// deactivates themself, and nobody touches another company's users.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signIn } from '../helpers/session.ts';
import { fieldValue } from '../helpers/html.ts';
import { expectRedirect, makeWorld, snapshot } from './world.ts';

const ctx = useTestContext();
const users = () =>
  snapshot(() => ctx.prisma.user.findMany({ orderBy: { id: 'asc' }, include: { memberships: true } }));

describe('editing a user', () => {
  it('saves name, role, groups and time zone, auditing role and group changes on their own', async () => {
    const w = await makeWorld(ctx);
    const sales = await ctx.make.group(w.a.id, ['lead.view'], { name: 'Sales' });
    const m = await w.as(w.managerA);
    const steve = await w.as(w.staffA);
    await steve.get('/users').expect(403);
    const form = await m.get(`/users/${w.staffA.id}/edit`).expect(200);
    const version = fieldValue(form.text, 'version')!;
    const res = await m.post(`/users/${w.staffA.id}`, {
      name: 'Steve Promoted',
      email: 'steve@alpha.test',
      role: 'ACCOUNT_MANAGER',
      timeZone: 'Asia/Tokyo',
      active: 'on',
      groupIds: String(sales.id),
      version,
    });
    expectRedirect(res, `/users/${w.staffA.id}`);
    const row = await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.staffA.id }, include: { memberships: true } });
    expect([row.name, row.role, row.timeZone, row.version]).toEqual([
      'Steve Promoted',
      'ACCOUNT_MANAGER',
      'Asia/Tokyo',
      2,
    ]);
    expect(row.memberships.map((x) => x.groupId)).toEqual([sales.id]);
    // The new role applies to Steve's open session on his next request.
    await steve.get('/users').expect(200);
    const audit = await ctx.prisma.auditEntry.findMany({
      where: { model: 'User', recordId: String(w.staffA.id) },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.changes])).toEqual([
      ['update', { name: ['Steve Alpha', 'Steve Promoted'], timeZone: ['UTC', 'Asia/Tokyo'] }],
      ['role', { role: ['STAFF', 'ACCOUNT_MANAGER'] }],
      ['groups', { added: ['Sales'], removed: ['Staff'] }],
    ]);
  });

  it('answers 409 on a stale version, keeping what was typed and showing the saved values', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    await ctx.prisma.user.update({
      where: { id: w.staffA.id },
      data: { name: 'Renamed Meanwhile', version: { increment: 1 } },
    });
    const res = await m
      .post(`/users/${w.staffA.id}`, {
        name: 'Mine',
        email: 'steve@alpha.test',
        role: 'STAFF',
        timeZone: 'UTC',
        active: 'on',
        version: '1',
      })
      .expect(409);
    expect(res.text).toContain('Renamed Meanwhile');
    expect(res.text).toContain('value="Mine"');
    expect(fieldValue(res.text, 'version')).toBe('2');
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.staffA.id } })).name).toBe('Renamed Meanwhile');
  });

  it('never lets an account manager raise or deactivate themself, or touch another company', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    const form = await m.get(`/users/${w.managerA.id}/edit`).expect(200);
    expect(form.text).not.toContain('name="role"');
    expect(form.text).not.toContain('name="active"');
    const before = await users();
    const base = { name: 'Maria', email: 'maria@alpha.test', timeZone: 'UTC', version: '1' };
    await m.post(`/users/${w.managerA.id}`, { ...base, role: 'SUPERUSER' }).expect(403);
    await m.post(`/users/${w.managerA.id}`, { ...base, role: 'STAFF' }).expect(403);
    await m.post(`/users/${w.managerA.id}`, { ...base, active: '' }).expect(403);
    await m.post(`/users/${w.managerA.id}/delete`).expect(403);
    await m
      .post(`/users/${w.staffA.id}`, { ...base, email: 'steve@alpha.test', role: 'SUPERUSER', active: 'on' })
      .expect(422);
    await m
      .post(`/users/${w.staffA.id}`, {
        ...base,
        email: 'steve@alpha.test',
        role: 'STAFF',
        active: 'on',
        companyId: String(w.b.id),
      })
      .expect(403);
    await m
      .post(`/users/${w.staffB.id}`, { ...base, email: 'sue@bravo.test', role: 'STAFF', active: 'on' })
      .expect(404);
    await m.post(`/users/${w.staffB.id}/delete`).expect(404);
    await m.get(`/users/${w.su.id}`).expect(404);
    await m.post(`/users/${w.su.id}/delete`).expect(404);
    expect(await users()).toBe(before);
    // Their own name and time zone they may change.
    await m.post(`/users/${w.managerA.id}`, { ...base, name: 'Maria Renamed' }).expect(303);
    const me = await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.managerA.id } });
    expect([me.name, me.role, me.active]).toEqual(['Maria Renamed', 'ACCOUNT_MANAGER', true]);
  });

  it('refuses a taken email with a field error', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    const res = await m
      .post(`/users/${w.staffA.id}`, {
        name: 'Steve',
        email: 'Carla@alpha.test',
        role: 'STAFF',
        timeZone: 'UTC',
        active: 'on',
        version: '1',
      })
      .expect(422);
    expect(res.text).toContain('Another account already uses this email address.');
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.staffA.id } })).email).toBe('steve@alpha.test');
  });
});

describe('deactivating a user', () => {
  it('signs them out on their next request and keeps them out until reactivated', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    const steve = await w.as(w.staffA);
    await m.get(`/users/${w.staffA.id}/delete`).expect(200);
    expectRedirect(await m.post(`/users/${w.staffA.id}/delete`), `/users/${w.staffA.id}`);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.staffA.id } })).active).toBe(false);
    expect((await steve.get('/dashboard')).status).toBe(302);
    await expect(signIn(ctx, w.staffA)).rejects.toThrow();
    expect(
      await ctx.prisma.auditEntry.count({
        where: { model: 'User', action: 'deactivate', recordId: String(w.staffA.id) },
      }),
    ).toBe(1);
    await m.post(`/users/${w.staffA.id}/reactivate`).expect(303);
    await (await signIn(ctx, w.staffA)).get('/dashboard').expect(200);
  });

  it('through the edit form as well, and a session already open stops at once', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    const carla = await w.as(w.colleagueA);
    await m
      .post(`/users/${w.colleagueA.id}`, {
        name: 'Carla Alpha',
        email: 'carla@alpha.test',
        role: 'STAFF',
        timeZone: 'UTC',
        version: '1',
      })
      .expect(303);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.colleagueA.id } })).active).toBe(false);
    expect((await carla.post('/profile', { name: 'Still me', timeZone: 'UTC' })).status).toBe(401);
  });

  it('is refused to staff (403) and to another company (404)', async () => {
    const w = await makeWorld(ctx);
    await (await w.as(w.staffA)).post(`/users/${w.colleagueA.id}/delete`).expect(403);
    await (await w.as(w.managerB)).post(`/users/${w.colleagueA.id}/delete`).expect(404);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.colleagueA.id } })).active).toBe(true);
  });
});

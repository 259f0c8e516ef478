// /groups: account managers (their company) and superusers manage groups; a change of groups or
// permissions changes what a staff user may do on their next request, without signing in again.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { fieldValue } from '../helpers/html.ts';
import { expectRedirect, makeWorld, snapshot } from './world.ts';

const ctx = useTestContext();
const groups = () =>
  snapshot(() =>
    ctx.prisma.group.findMany({ orderBy: { id: 'asc' }, include: { members: { orderBy: { userId: 'asc' } } } }),
  );

describe('group permissions take effect on the next request', () => {
  it('adding a permission to a group, removing a member, and moving a user between groups', async () => {
    const w = await makeWorld(ctx);
    const viewers = await ctx.make.group(w.a.id, [], { name: 'Viewers' });
    const steveGroups = await ctx.prisma.groupMember.deleteMany({ where: { userId: w.staffA.id } });
    expect(steveGroups.count).toBe(1);
    await ctx.prisma.groupMember.create({ data: { groupId: viewers.id, userId: w.staffA.id } });
    const steve = await w.as(w.staffA);
    const m = await w.as(w.managerA);
    await steve.get('/customers').expect(403);
    expect((await steve.get('/dashboard')).text).not.toContain('href="/customers"');

    const edit = await m.get(`/groups/${viewers.id}/edit`).expect(200);
    expect(edit.text).toContain('value="customer.view"');
    expect(edit.text).not.toContain('value="user.manage"');
    await m
      .post(`/groups/${viewers.id}`, {
        name: 'Viewers',
        permissions: ['customer.view'],
        memberIds: [String(w.staffA.id)],
        version: fieldValue(edit.text, 'version')!,
      })
      .expect(303);
    await steve.get('/customers').expect(200);
    expect((await steve.get('/dashboard')).text).toContain('href="/customers"');

    await m
      .post(`/groups/${viewers.id}`, { name: 'Viewers', permissions: ['customer.view'], version: '2' })
      .expect(303);
    await steve.get('/customers').expect(403);

    // Moving between groups on the user's own form.
    const staffGroup = await ctx.prisma.group.findFirstOrThrow({ where: { companyId: w.a.id, name: 'Staff' } });
    await m
      .post(`/users/${w.staffA.id}`, {
        name: 'Steve Alpha',
        email: 'steve@alpha.test',
        role: 'STAFF',
        timeZone: 'UTC',
        active: 'on',
        groupIds: String(staffGroup.id),
        version: '1',
      })
      .expect(303);
    await steve.get('/customers').expect(200);
    await steve.get('/customers/new').expect(200);
    const audit = await ctx.prisma.auditEntry.findMany({
      where: { model: 'Group', recordId: String(viewers.id) },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.changes])).toEqual([
      ['update', { permissions: [[], ['customer.view']] }],
      ['groups', { added: [], removed: ['Steve Alpha'] }],
    ]);
    const userAudit = await ctx.prisma.auditEntry.findFirstOrThrow({
      where: { model: 'User', recordId: String(w.staffA.id), action: 'groups' },
    });
    expect(userAudit.changes).toEqual({ added: ['Staff'], removed: [] });
  });

  it('a group cannot hand staff user or group administration, even when the database says so', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    const before = await groups();
    const res = await m.post('/groups', { name: 'Admins', permissions: ['user.manage'] }).expect(422);
    expect(res.text).toContain('Choose permissions from the list.');
    expect(res.text).toContain('value="Admins"');
    expect(await groups()).toBe(before);
    await ctx.make
      .group(w.a.id, ['user.manage', 'group.manage'], { name: 'Sneaky' })
      .then((g) => ctx.prisma.groupMember.create({ data: { groupId: g.id, userId: w.staffA.id } }));
    const steve = await w.as(w.staffA);
    await steve.get('/users').expect(403);
    await steve.get('/groups').expect(403);
    expect((await steve.get('/dashboard')).text).not.toContain('href="/users"');
  });
});

describe('managing groups', () => {
  it('lists the company groups only, creates a group with permissions and members, and audits it', async () => {
    const w = await makeWorld(ctx);
    await ctx.make.group(w.b.id, [], { name: 'Bravo Secret Circle' });
    const m = await w.as(w.managerA);
    let res = await m.get('/groups').expect(200);
    expect(res.text).toContain('Staff');
    expect(res.text).not.toContain('Bravo Secret Circle');
    res = await m.get(`/groups?companyId=${w.b.id}`).expect(200);
    expect(res.text).not.toContain('Bravo Secret Circle');
    const form = await m.get('/groups/new').expect(200);
    expect(form.text).toContain('Carla Alpha');
    expect(form.text).not.toContain('Sue Bravo');
    res = await m.post('/groups', {
      name: 'Closers',
      permissions: ['lead.view', 'lead.assign'],
      memberIds: [String(w.staffA.id), String(w.colleagueA.id)],
    });
    const g = await ctx.prisma.group.findFirstOrThrow({ where: { name: 'Closers' }, include: { members: true } });
    expectRedirect(res, `/groups/${g.id}`);
    expect([g.companyId, g.permissions, g.members.map((x) => x.userId).sort()]).toEqual([
      w.a.id,
      ['lead.assign', 'lead.view'],
      [w.staffA.id, w.colleagueA.id].sort(),
    ]);
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Group', recordId: String(g.id) } });
    expect(audit.changes).toEqual({
      name: 'Closers',
      permissions: ['lead.assign', 'lead.view'],
      members: ['Steve Alpha', 'Carla Alpha'],
    });
    const show = await m.get(`/groups/${g.id}`).expect(200);
    expect(show.text).toContain('Carla Alpha');
  });

  it(
    'refuses foreign members, another company, duplicates, ' + 'bad input and a missing token; nothing changes',
    async () => {
      const w = await makeWorld(ctx);
      const m = await w.as(w.managerA);
      const before = await groups();
      let res = await m
        .post('/groups', { name: 'Mixed', memberIds: [String(w.staffA.id), String(w.staffB.id)] })
        .expect(422);
      expect(res.text).toContain('Choose members among this company');
      await m.post('/groups', { name: 'Mixed', memberIds: String(w.su.id) }).expect(422);
      await m.post('/groups', { name: 'Elsewhere', companyId: String(w.b.id) }).expect(403);
      res = await m.post('/groups', { name: 'staff'.toUpperCase() === 'STAFF' ? 'Staff' : '' }).expect(422);
      expect(res.text).toContain('already has a group with this name');
      await m.post('/groups', { name: '' }).expect(422);
      await m.post('/groups', { name: 'Weird', memberIds: 'abc' }).expect(422);
      await m.agent.post('/groups').type('form').send({ name: 'No token' }).expect(403);
      await (await w.as(w.staffA)).post('/groups', { name: 'By staff' }).expect(403);
      expect(await groups()).toBe(before);
    },
  );

  it('renames with optimistic locking: 409 on a stale version, keeping the typed values', async () => {
    const w = await makeWorld(ctx);
    const staffGroup = await ctx.prisma.group.findFirstOrThrow({ where: { companyId: w.a.id } });
    const m = await w.as(w.managerA);
    await ctx.prisma.group.update({ where: { id: staffGroup.id }, data: { name: 'Team', version: { increment: 1 } } });
    const res = await m
      .post(`/groups/${staffGroup.id}`, { name: 'Crew', permissions: ['task.view'], version: '1' })
      .expect(409);
    expect(res.text).toContain('Team');
    expect(res.text).toContain('value="Crew"');
    expect(fieldValue(res.text, 'version')).toBe('2');
    const row = await ctx.prisma.group.findUniqueOrThrow({ where: { id: staffGroup.id }, include: { members: true } });
    expect([row.name, row.members.length]).toEqual(['Team', 2]);
    await m
      .post(`/groups/${staffGroup.id}`, {
        name: 'Crew',
        permissions: ['task.view'],
        memberIds: [String(w.staffA.id)],
        version: '2',
      })
      .expect(303);
    const saved = await ctx.prisma.group.findUniqueOrThrow({
      where: { id: staffGroup.id },
      include: { members: true },
    });
    expect([saved.name, saved.permissions, saved.members.map((x) => x.userId)]).toEqual([
      'Crew',
      ['task.view'],
      [w.staffA.id],
    ]);
  });

  it("deletes a group and its memberships, but never another company's", async () => {
    const w = await makeWorld(ctx);
    const extra = await ctx.make.group(w.a.id, ['lead.view'], { name: 'Temp' });
    await ctx.prisma.groupMember.create({ data: { groupId: extra.id, userId: w.staffA.id } });
    const groupB = await ctx.prisma.group.findFirstOrThrow({ where: { companyId: w.b.id } });
    const m = await w.as(w.managerA);
    await m.get(`/groups/${extra.id}/delete`).expect(200);
    expectRedirect(await m.post(`/groups/${extra.id}/delete`), '/groups');
    expect(await ctx.prisma.group.count({ where: { id: extra.id } })).toBe(0);
    expect(await ctx.prisma.groupMember.count({ where: { groupId: extra.id } })).toBe(0);
    expect(
      await ctx.prisma.auditEntry.count({ where: { model: 'Group', action: 'delete', recordId: String(extra.id) } }),
    ).toBe(1);
    await m.post(`/groups/${groupB.id}/delete`).expect(404);
    await m.get(`/groups/${groupB.id}`).expect(404);
    await m.get('/groups/abc').expect(404);
    expect(await ctx.prisma.group.count({ where: { id: groupB.id } })).toBe(1);
  });

  it('lets a superuser choose the company, filter by company, and create there', async () => {
    const w = await makeWorld(ctx);
    const su = await w.as(w.su);
    let res = await su.get('/groups/new').expect(200);
    expect(res.text).toContain('choose the company');
    await ctx.make.group(w.a.id, [], { name: 'Alpha Only' });
    await ctx.make.group(w.b.id, [], { name: 'Bravo Only' });
    res = await su.get(`/groups?companyId=${w.b.id}`).expect(200);
    expect(res.text).toContain('Bravo Only');
    expect(res.text).not.toContain('Alpha Only');
    await su
      .post('/groups', {
        companyId: String(w.b.id),
        name: 'Bravo Leads',
        permissions: 'lead.view',
        memberIds: String(w.staffA.id),
      })
      .expect(422);
    await su
      .post('/groups', {
        companyId: String(w.b.id),
        name: 'Bravo Leads',
        permissions: 'lead.view',
        memberIds: String(w.staffB.id),
      })
      .expect(303);
    const g = await ctx.prisma.group.findFirstOrThrow({ where: { name: 'Bravo Leads' }, include: { members: true } });
    expect([g.companyId, g.members.map((x) => x.userId)]).toEqual([w.b.id, [w.staffB.id]]);
  });
});

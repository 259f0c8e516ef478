// The tenancy core itself: scope(prisma, user) adds the company and role conditions to every
// operation, refuses what nobody declared (deny by default), and keeps them inside transactions.
import { describe, expect, it } from 'vitest';
import { loadCurrentUser } from '../../src/access/currentUser.ts';
import { can, canManageUser } from '../../src/access/policy.ts';
import { scope, scopeCache } from '../../src/access/scope.ts';
import { Forbidden, NotFound } from '../../src/web/errors.ts';
import { useTestContext } from '../helpers/context.ts';
import { makeWorld } from './world.ts';

const ctx = useTestContext();

async function setup() {
  const w = await makeWorld(ctx);
  const load = async (u: { id: number }) => (await loadCurrentUser(ctx.prisma, u.id))!;
  const [su, managerA, staffA, colleagueA, managerB] = await Promise.all(
    [w.su, w.managerA, w.staffA, w.colleagueA, w.managerB].map(load),
  );
  const leadOwn = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Own lead' });
  const leadColleague = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Colleague lead' });
  const leadB = await ctx.make.lead(w.b.id, w.staffB.id, { title: 'Bravo lead' });
  return { w, su, managerA, staffA, colleagueA, managerB, leadOwn, leadColleague, leadB };
}

describe('scope(prisma, user)', () => {
  it(
    'filters reads, counts and updates by company and, ' + 'for staff, by assignment — also inside transactions',
    async () => {
      const s = await setup();
      const staff = scope(ctx.prisma, s.staffA);
      expect((await staff.lead.findMany()).map((l) => l.title)).toEqual(['Own lead']);
      expect(await staff.lead.count()).toBe(1);
      expect(await staff.lead.findUnique({ where: { id: s.leadColleague.id } })).toBeNull();
      expect(await staff.lead.findFirst({ where: { id: s.leadB.id } })).toBeNull();
      await expect(
        staff.lead.update({ where: { id: s.leadColleague.id }, data: { title: 'Taken' } }),
      ).rejects.toBeInstanceOf(NotFound);
      expect((await staff.lead.updateMany({ data: { notes: 'bulk' } })).count).toBe(1);
      await staff.$transaction(async (tx) => {
        expect((await tx.lead.findMany()).map((l) => l.title)).toEqual(['Own lead']);
      });
      const manager = scope(ctx.prisma, s.managerA);
      expect((await manager.lead.findMany({ orderBy: { id: 'asc' } })).map((l) => l.title)).toEqual([
        'Own lead',
        'Colleague lead',
      ]);
      await expect(manager.lead.delete({ where: { id: s.leadB.id } })).rejects.toBeInstanceOf(NotFound);
      expect(await scope(ctx.prisma, s.su).lead.count()).toBe(3);
      const rows = await ctx.prisma.lead.findMany({ orderBy: { id: 'asc' } });
      expect(rows.map((l) => [l.title, l.notes])).toEqual([
        ['Own lead', 'bulk'],
        ['Colleague lead', ''],
        ['Bravo lead', ''],
      ]);
    },
  );

  it("adds the scope to a unique lookup's own AND instead of replacing it", async () => {
    const s = await setup();
    const manager = scope(ctx.prisma, s.managerA);
    // The caller's condition still holds: this lead is not titled "Other".
    expect(await manager.lead.findUnique({ where: { id: s.leadOwn.id, AND: [{ title: 'Other' }] } })).toBeNull();
    expect(await manager.lead.findUnique({ where: { id: s.leadOwn.id, AND: { title: 'Own lead' } } })).not.toBeNull();
    // …and so does the scope.
    expect(await manager.lead.findUnique({ where: { id: s.leadB.id, AND: [{ title: 'Bravo lead' }] } })).toBeNull();
    await expect(
      manager.lead.update({ where: { id: s.leadOwn.id, AND: [{ version: 99 }] }, data: { title: 'Stale' } }),
    ).rejects.toBeInstanceOf(NotFound);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: s.leadOwn.id } })).title).toBe('Own lead');
  });

  it('refuses models nobody scoped and raw SQL (deny by default)', async () => {
    const s = await setup();
    for (const user of [s.su, s.managerA, s.staffA]) {
      const db = scope(ctx.prisma, user);
      await expect(db.passwordResetToken.findMany()).rejects.toBeInstanceOf(NotFound);
      await expect(db.loginAttempt.count()).rejects.toBeInstanceOf(NotFound);
      await expect(db.session.deleteMany()).rejects.toBeInstanceOf(Forbidden);
      await expect(
        db.passwordResetToken.create({ data: { userId: user.id, tokenHash: `x${user.id}`, expiresAt: new Date() } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(db.$queryRawUnsafe('SELECT 1')).rejects.toBeInstanceOf(Forbidden);
    }
    const staff = scope(ctx.prisma, s.staffA);
    await expect(staff.group.findMany()).rejects.toBeInstanceOf(NotFound);
    await expect(staff.auditEntry.findMany()).rejects.toBeInstanceOf(NotFound);
    expect(await ctx.prisma.passwordResetToken.count()).toBe(0);
  });

  it(
    'refuses creates in another company, superusers made ' + 'by non-superusers, and moves to another company',
    async () => {
      const s = await setup();
      const { w } = s;
      const manager = scope(ctx.prisma, s.managerA);
      await expect(
        manager.user.create({ data: { email: 'x@b.test', name: 'X', role: 'STAFF', companyId: w.b.id } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(
        manager.user.create({ data: { email: 'y@a.test', name: 'Y', role: 'SUPERUSER', companyId: w.a.id } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(
        manager.user.update({ where: { id: w.staffA.id }, data: { role: 'SUPERUSER' } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(
        manager.user.updateMany({ where: { id: w.staffA.id }, data: { companyId: w.b.id } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(
        manager.lead.update({ where: { id: s.leadOwn.id }, data: { companyId: w.b.id } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(
        manager.company.update({ where: { id: w.a.id }, data: { name: 'Mine now' } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(manager.company.create({ data: { name: 'New', slug: 'new' } })).rejects.toBeInstanceOf(Forbidden);
      await expect(
        manager.lead.create({ data: { companyId: w.b.id, title: 'Planted', assigneeId: w.staffB.id } }),
      ).rejects.toBeInstanceOf(Forbidden);
      const groupB = await ctx.prisma.group.findFirstOrThrow({ where: { companyId: w.b.id } });
      const groupA = await ctx.prisma.group.findFirstOrThrow({ where: { companyId: w.a.id } });
      await expect(
        manager.groupMember.create({ data: { groupId: groupB.id, userId: w.staffA.id } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(
        manager.groupMember.create({ data: { groupId: groupA.id, userId: w.staffB.id } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(manager.groupMember.deleteMany({ where: { groupId: groupB.id } })).resolves.toEqual({ count: 0 });
      const staff = scope(ctx.prisma, s.staffA);
      await expect(
        staff.user.update({ where: { id: w.colleagueA.id }, data: { name: 'Renamed by staff' } }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(staff.group.create({ data: { companyId: w.a.id, name: 'Staff made' } })).rejects.toBeInstanceOf(
        Forbidden,
      );
      // Staff write the audit entries of their own changes, in their company only, and never read or edit the trail.
      await expect(
        staff.auditEntry.create({
          data: { companyId: w.a.id, actorId: w.staffA.id, action: 'update', model: 'Lead', recordId: '1' },
        }),
      ).resolves.toBeTruthy();
      await expect(
        staff.auditEntry.create({
          data: { companyId: w.b.id, actorId: w.staffA.id, action: 'update', model: 'Lead', recordId: '1' },
        }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(manager.auditEntry.deleteMany()).rejects.toBeInstanceOf(Forbidden);
      expect(
        await ctx.prisma.user.count({
          where: { OR: [{ email: { in: ['x@b.test', 'y@a.test'] } }, { role: 'SUPERUSER', id: { not: w.su.id } }] },
        }),
      ).toBe(0);
      expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.staffA.id } })).companyId).toBe(w.a.id);
      expect((await ctx.prisma.company.findUniqueOrThrow({ where: { id: w.a.id } })).name).toBe('Alpha Works');
      expect(await ctx.prisma.groupMember.count()).toBe(3);
      expect(await ctx.prisma.auditEntry.count()).toBe(1);
    },
  );
});

describe('can(user, permission, record)', () => {
  it('denies by default: no user, a missing permission, another company, staff administration', async () => {
    const s = await setup();
    expect(can(null, 'lead.view')).toBe(false);
    expect(can(s.staffA, 'lead.view')).toBe(true);
    expect(can(s.staffA, 'lead.delete')).toBe(false);
    expect(can(s.staffA, 'lead.view', { companyId: s.w.a.id })).toBe(true);
    expect(can(s.staffA, 'lead.view', { companyId: s.w.b.id })).toBe(false);
    expect(can(s.staffA, 'lead.view', null)).toBe(false);
    expect(can(s.managerA, 'lead.delete', { companyId: s.w.b.id })).toBe(false);
    expect(can(s.su, 'lead.delete', { companyId: s.w.b.id })).toBe(true);
    const staffWithAdmin = { ...s.staffA, permissions: new Set([...s.staffA.permissions, 'user.manage' as const]) };
    expect(can(staffWithAdmin, 'user.manage')).toBe(false);
    expect(canManageUser(s.managerA, { companyId: s.w.a.id, role: 'STAFF' })).toBe(true);
    expect(canManageUser(s.managerA, { companyId: s.w.b.id, role: 'STAFF' })).toBe(false);
    expect(canManageUser(s.managerA, { companyId: null, role: 'SUPERUSER' })).toBe(false);
    expect(canManageUser(s.staffA, { companyId: s.w.a.id, role: 'STAFF' })).toBe(false);
  });
});

describe('child rows created at the top level', () => {
  it('attendees must be of an appointment and a user the caller may use', async () => {
    const s = await setup();
    const { w } = s;
    const appointmentA = await ctx.make.appointment(w.a.id, [w.staffA.id]);
    const appointmentB = await ctx.make.appointment(w.b.id, [w.staffB.id]);
    const manager = scope(ctx.prisma, s.managerA);
    await expect(
      manager.appointmentAttendee.create({ data: { appointmentId: appointmentB.id, userId: w.staffA.id } }),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(
      manager.appointmentAttendee.create({ data: { appointmentId: appointmentA.id, userId: w.staffB.id } }),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(
      scope(ctx.prisma, s.colleagueA).appointmentAttendee.create({
        data: { appointmentId: appointmentA.id, userId: w.colleagueA.id },
      }),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(
      manager.appointmentAttendee.create({ data: { appointmentId: appointmentA.id, userId: w.colleagueA.id } }),
    ).resolves.toBeTruthy();
    expect(await ctx.prisma.appointmentAttendee.count()).toBe(3);
  });
});

describe("the request's scoped client (scopeCache) and its transactions", () => {
  it(
    'keeps the scope on writes inside an interactive ' + 'transaction: out of scope is not found, and rolls back',
    async () => {
      const s = await setup();
      const staff = scopeCache(ctx.prisma)(s.staffA);
      await expect(
        staff.$transaction(async (tx) => {
          await tx.lead.update({ where: { id: s.leadOwn.id }, data: { notes: 'in the transaction' } });
          await tx.lead.update({ where: { id: s.leadColleague.id }, data: { notes: 'taken' } });
        }),
      ).rejects.toBeInstanceOf(NotFound);
      await expect(
        staff.$transaction(async (tx) => {
          expect((await tx.lead.updateMany({ data: { notes: 'bulk in tx' } })).count).toBe(1);
          await tx.lead.create({ data: { companyId: s.w.b.id, assigneeId: s.w.staffA.id, title: 'Planted' } });
        }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(staff.$transaction(async (tx) => tx.$queryRawUnsafe('SELECT 1'))).rejects.toBeInstanceOf(Forbidden);
      // The first transaction rolled back entirely, the second with it: nothing was written.
      const rows = await ctx.prisma.lead.findMany({ orderBy: { id: 'asc' }, select: { title: true, notes: true } });
      expect(rows).toEqual([
        { title: 'Own lead', notes: '' },
        { title: 'Colleague lead', notes: '' },
        { title: 'Bravo lead', notes: '' },
      ]);
    },
  );

  it('is built once per user, role and company, and anew when the role or company changes', async () => {
    const s = await setup();
    const scopeOf = scopeCache(ctx.prisma, 2);
    const renamed = { ...s.staffA, name: 'Renamed' };
    expect(scopeOf(s.staffA)).toBe(scopeOf(renamed));
    const promoted = scopeOf({ ...s.staffA, role: 'ACCOUNT_MANAGER' });
    expect(promoted).not.toBe(scopeOf(s.staffA));
    expect(await promoted.lead.count()).toBe(2);
    expect(await scopeOf(s.staffA).lead.count()).toBe(1);
    expect(await scopeOf({ ...s.staffA, companyId: s.w.b.id }).lead.count()).toBe(0);
    // A full cache drops its least recently used client; the scope it gives stays right.
    expect(await scopeOf(s.managerB).lead.count()).toBe(1);
    expect(await scopeOf(s.staffA).lead.count()).toBe(1);
  });
});

// The one world builder of the suite. makeFactories: every record (companies, users of each role,
// groups, customers, leads, tasks, appointments) with overrides; users get a known password.
// buildWorld: the cast most tests share — companies A and B, an account manager and staff in each,
// a colleague of staffA, a superuser — each one's fields overridable, and `as(user)` for a signed-in
// session (signInAs: no two-step sign-in).
import { hashPassword } from '../../src/account/passwords.ts';
import { DEFAULT_STAFF_GROUP, type Permission } from '../../src/access/permissions.ts';
import type { Prisma, PrismaClient } from '../../src/generated/prisma/client.ts';
import type { TestContext } from './context.ts';
import { type Session, signInAs } from './session.ts';

export const PASSWORD = 'violet-harbour-7-lantern';
let passwordHash: Promise<string> | undefined;
let seq = 0;
const next = () => ++seq;

export type Factories = ReturnType<typeof makeFactories>;

export function makeFactories(prisma: PrismaClient) {
  const make = {
    /** A company with its default Staff group. */
    async company(overrides: Partial<Prisma.CompanyUncheckedCreateInput> = {}) {
      const n = next();
      const company = await prisma.company.create({
        data: { name: `Company ${n}`, slug: `company-${n}`, ...overrides },
      });
      await prisma.group.create({
        data: { companyId: company.id, name: DEFAULT_STAFF_GROUP.name, permissions: DEFAULT_STAFF_GROUP.permissions },
      });
      return company;
    },
    async user(overrides: Partial<Prisma.UserUncheckedCreateInput> & { groups?: string[] } = {}) {
      const n = next();
      const { groups, ...data } = overrides;
      const role = data.role ?? 'STAFF';
      const companyId = role === 'SUPERUSER' ? null : (data.companyId ?? (await make.company()).id);
      passwordHash ??= hashPassword(PASSWORD);
      const user = await prisma.user.create({
        data: {
          email: `user${n}@example.test`,
          name: `User ${n}`,
          passwordHash: await passwordHash,
          ...data,
          role,
          companyId,
        },
      });
      if (role === 'STAFF' && companyId) {
        const names = groups ?? [DEFAULT_STAFF_GROUP.name];
        for (const name of names) {
          const group = await prisma.group.findUnique({ where: { companyId_name: { companyId, name } } });
          if (group) await prisma.groupMember.create({ data: { groupId: group.id, userId: user.id } });
        }
      }
      return user;
    },
    superuser: (o: Partial<Prisma.UserUncheckedCreateInput> = {}) => make.user({ ...o, role: 'SUPERUSER' }),
    manager: (companyId: number, o: Partial<Prisma.UserUncheckedCreateInput> = {}) =>
      make.user({ ...o, role: 'ACCOUNT_MANAGER', companyId }),
    staff: (companyId: number, o: Partial<Prisma.UserUncheckedCreateInput> & { groups?: string[] } = {}) =>
      make.user({ ...o, role: 'STAFF', companyId }),
    group: (companyId: number, permissions: Permission[], o: Partial<Prisma.GroupUncheckedCreateInput> = {}) =>
      prisma.group.create({ data: { companyId, name: `Group ${next()}`, permissions, ...o } }),
    customer: (companyId: number, o: Partial<Prisma.CustomerUncheckedCreateInput> = {}) =>
      prisma.customer.create({ data: { companyId, name: `Customer ${next()}`, email: `c${seq}@customer.test`, ...o } }),
    lead: (companyId: number, assigneeId: number, o: Partial<Prisma.LeadUncheckedCreateInput> = {}) =>
      prisma.lead.create({
        // A lead made in the past was given to its assignee then (the database sets assignedAt to now otherwise).
        data: {
          companyId,
          assigneeId,
          title: `Lead ${next()}`,
          contactName: `Contact ${seq}`,
          assignedAt: o.createdAt,
          ...o,
        },
      }),
    task: (companyId: number, assigneeId: number, o: Partial<Prisma.TaskUncheckedCreateInput> = {}) =>
      prisma.task.create({ data: { companyId, assigneeId, title: `Task ${next()}`, ...o } }),
    /** A call (or the kind given) about a lead, a customer or both, written by `authorId`, an hour ago. */
    activity: (companyId: number, authorId: number | null, o: Partial<Prisma.ActivityUncheckedCreateInput> = {}) =>
      prisma.activity.create({
        data: {
          companyId,
          authorId,
          kind: 'CALL',
          summary: `Activity ${next()}`,
          occurredAt: new Date(Date.now() - 3600_000),
          ...o,
        },
      }),
    async appointment(
      companyId: number,
      attendeeIds: number[],
      o: Partial<Prisma.AppointmentUncheckedCreateInput> = {},
    ) {
      const startsAt = o.startsAt ? new Date(o.startsAt) : new Date(Date.now() + 24 * 3600_000);
      return prisma.appointment.create({
        data: {
          companyId,
          title: `Appointment ${next()}`,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 3600_000),
          organiserId: attendeeIds[0],
          ...o,
          attendees: { create: attendeeIds.map((userId) => ({ userId })) },
        },
      });
    },
  };
  return make;
}

type CompanyFields = Partial<Prisma.CompanyUncheckedCreateInput>;
type UserFields = Partial<Prisma.UserUncheckedCreateInput> & { groups?: string[] };

/** The cast of buildWorld; each key's fields can be overridden. */
export type WorldOverrides = {
  a?: CompanyFields;
  b?: CompanyFields;
  su?: UserFields;
  managerA?: UserFields;
  staffA?: UserFields;
  colleagueA?: UserFields;
  managerB?: UserFields;
  staffB?: UserFields;
};

/** The default cast: what the tenancy, dashboard and hardening tests read on their pages. */
export const DEFAULT_CAST = {
  a: { name: 'Alpha Works', slug: 'alpha-works' },
  b: { name: 'Bravo Trading', slug: 'bravo-trading' },
  su: { name: 'Sam Super', email: 'sam@service.test' },
  managerA: { name: 'Maria Alpha', email: 'maria@alpha.test' },
  staffA: { name: 'Steve Alpha', email: 'steve@alpha.test' },
  colleagueA: { name: 'Carla Alpha', email: 'carla@alpha.test' },
  managerB: { name: 'Mike Bravo', email: 'mike@bravo.test' },
  staffB: { name: 'Sue Bravo', email: 'sue@bravo.test' },
} satisfies Required<WorldOverrides>;

/**
 * Companies A and B; in A an account manager, staffA and colleagueA (staff, default Staff group);
 * in B an account manager and staffB; a superuser. `as(user)` signs a user in (once, then reused).
 */
export async function buildWorld(ctx: TestContext, overrides: WorldOverrides = {}) {
  const company = (key: 'a' | 'b') => ({ ...DEFAULT_CAST[key], ...overrides[key] });
  type Person = Exclude<keyof WorldOverrides, 'a' | 'b'>;
  const cast = (key: Person): UserFields => ({ ...DEFAULT_CAST[key], ...overrides[key] });
  const { make } = ctx;
  const a = await make.company(company('a'));
  const b = await make.company(company('b'));
  const su = await make.superuser(cast('su'));
  const managerA = await make.manager(a.id, cast('managerA'));
  const staffA = await make.staff(a.id, cast('staffA'));
  const colleagueA = await make.staff(a.id, cast('colleagueA'));
  const managerB = await make.manager(b.id, cast('managerB'));
  const staffB = await make.staff(b.id, cast('staffB'));
  const sessions = new Map<number, Session>();
  const as = async (user: { id: number }) => {
    let s = sessions.get(user.id);
    if (!s) sessions.set(user.id, (s = await signInAs(ctx, user)));
    return s;
  };
  return { a, b, su, managerA, staffA, colleagueA, managerB, staffB, as };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** A staff user of the company whose only group holds exactly these permissions. */
export async function limitedStaff(ctx: TestContext, companyId: number, permissions: Permission[], name = 'Lim Ited') {
  const group = await ctx.make.group(companyId, permissions);
  return ctx.make.staff(companyId, { name, groups: [group.name] });
}

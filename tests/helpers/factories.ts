// Factories for every record, with overrides. Users get a known password.
import { hashPassword } from '../../src/account/passwords.ts';
import { DEFAULT_STAFF_GROUP, type Permission } from '../../src/access/permissions.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import type { Prisma } from '../../src/generated/prisma/client.ts';

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
      const company = await prisma.company.create({ data: { name: `Company ${n}`, slug: `company-${n}`, ...overrides } });
      await prisma.group.create({ data: { companyId: company.id, name: DEFAULT_STAFF_GROUP.name, permissions: DEFAULT_STAFF_GROUP.permissions } });
      return company;
    },
    async user(overrides: Partial<Prisma.UserUncheckedCreateInput> & { groups?: string[] } = {}) {
      const n = next();
      const { groups, ...data } = overrides;
      const role = data.role ?? 'STAFF';
      const companyId = role === 'SUPERUSER' ? null : (data.companyId ?? (await make.company()).id);
      passwordHash ??= hashPassword(PASSWORD);
      const user = await prisma.user.create({
        data: { email: `user${n}@example.test`, name: `User ${n}`, passwordHash: await passwordHash, ...data, role, companyId },
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
    manager: (companyId: number, o: Partial<Prisma.UserUncheckedCreateInput> = {}) => make.user({ ...o, role: 'ACCOUNT_MANAGER', companyId }),
    staff: (companyId: number, o: Partial<Prisma.UserUncheckedCreateInput> & { groups?: string[] } = {}) => make.user({ ...o, role: 'STAFF', companyId }),
    group: (companyId: number, permissions: Permission[], o: Partial<Prisma.GroupUncheckedCreateInput> = {}) =>
      prisma.group.create({ data: { companyId, name: `Group ${next()}`, permissions, ...o } }),
    customer: (companyId: number, o: Partial<Prisma.CustomerUncheckedCreateInput> = {}) =>
      prisma.customer.create({ data: { companyId, name: `Customer ${next()}`, email: `c${seq}@customer.test`, ...o } }),
    lead: (companyId: number, assigneeId: number, o: Partial<Prisma.LeadUncheckedCreateInput> = {}) =>
      prisma.lead.create({ data: { companyId, assigneeId, title: `Lead ${next()}`, contactName: `Contact ${seq}`, ...o } }),
    task: (companyId: number, assigneeId: number, o: Partial<Prisma.TaskUncheckedCreateInput> = {}) =>
      prisma.task.create({ data: { companyId, assigneeId, title: `Task ${next()}`, ...o } }),
    async appointment(companyId: number, attendeeIds: number[], o: Partial<Prisma.AppointmentUncheckedCreateInput> = {}) {
      const startsAt = o.startsAt ? new Date(o.startsAt) : new Date(Date.now() + 24 * 3600_000);
      return prisma.appointment.create({
        data: {
          companyId, title: `Appointment ${next()}`, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000),
          organiserId: attendeeIds[0], ...o, attendees: { create: attendeeIds.map((userId) => ({ userId })) },
        },
      });
    },
  };
  return make;
}

// The appointment reads in SQL (src/appointment/readSql.ts: the week's cells, the dashboards' lists) give exactly
// the rows and counts of the Prisma queries they replaced, through each role's scope: staff read only the
// appointments they attend (the access core's rule as an EXISTS), another company's rows never show, and the
// attendees' names come in user id order. Shapes the translation does not know are refused, not read wrongly.
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCurrentUser } from '../../src/access/currentUser.ts';
import { readScopeSql, scope } from '../../src/access/scope.ts';
import { scopedSql } from '../../src/access/scopedSql.ts';
import { appointmentListSelect, appointmentListWhere, appointmentOrderBy } from '../../src/appointment/queries.ts';
import {
  APPOINTMENT_TABLE,
  appointmentCountSql,
  appointmentListPageSql,
  appointmentRowsSql,
} from '../../src/appointment/readSql.ts';
import { appointmentListSpec } from '../../src/appointment/schema.ts';
import { whereSql } from '../../src/db/selectSql.ts';
import { pageWindow } from '../../src/web/list.ts';
import { useTestContext } from '../helpers/context.ts';
import { appointmentWorld } from './world.ts';

const ctx = useTestContext();
let w: Awaited<ReturnType<typeof appointmentWorld>>;
const HOUR = 3600_000;
const BASE = new Date('2030-03-04T00:00:00Z');

beforeEach(async () => {
  w = await appointmentWorld(ctx);
  const customer = await ctx.db.prisma.customer.create({ data: { companyId: w.a.id, name: 'Zed Customer' } });
  const lead = await ctx.db.prisma.lead.create({
    data: { companyId: w.a.id, title: 'Relaunch', assigneeId: w.staffA.id, createdById: w.managerA.id },
  });
  // 60 appointments in A and 20 in B over two weeks, ties on the start and title included; attendees vary (none,
  // one, two, three), a customer, a lead or an organiser on some, an empty location on others.
  for (const [companyId, people, n] of [
    [w.a.id, [w.managerA.id, w.staffA.id, w.colleagueA.id], 60],
    [w.b.id, [w.managerB.id, w.staffB.id], 20],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const startsAt = new Date(BASE.getTime() + Math.floor(i / 2) * 7 * HOUR);
      const attendees = people.filter((_, k) => (i + k) % 4 !== 0).slice(0, i % 4);
      await ctx.db.prisma.appointment.create({
        data: {
          companyId,
          title: `Meeting ${i % 23}`,
          startsAt,
          endsAt: new Date(startsAt.getTime() + (1 + (i % 3)) * HOUR),
          location: i % 5 === 0 ? '' : `Room ${i % 7}`,
          customerId: companyId === w.a.id && i % 3 === 0 ? customer.id : null,
          leadId: companyId === w.a.id && i % 4 === 1 ? lead.id : null,
          organiserId: i % 5 === 2 ? people[i % people.length] : null,
          attendees: { create: attendees.map((userId) => ({ userId })) },
        },
      });
    }
  }
});

const select = (withCompany: boolean) =>
  ({
    id: true,
    title: true,
    startsAt: true,
    endsAt: true,
    location: true,
    customer: { select: { id: true, name: true } },
    company: withCompany ? { select: { name: true } } : false,
  }) as const;

async function readers(id: number) {
  const user = (await loadCurrentUser(ctx.db.prisma, id))!;
  return { user, scoped: scope(ctx.db.prisma, user), sql: scopedSql(ctx.db.pool, user) };
}

describe('appointment reads in SQL', () => {
  it('read the same rows, names and counts as Prisma for every role and filter', async () => {
    const from = new Date(BASE.getTime() + 30 * HOUR);
    const wheres: Record<string, unknown>[] = [
      {},
      { startsAt: { gte: from, lt: new Date(from.getTime() + 7 * 24 * HOUR) }, endsAt: { gt: from } },
      { attendees: { some: { userId: w.staffA.id } } },
      { attendees: { some: { userId: w.colleagueA.id } }, OR: [{ startsAt: { gte: from } }, { endsAt: { lt: from } }] },
      { attendees: { some: { userId: w.staffB.id } } },
    ];
    let compared = 0;
    for (const person of [w.managerA, w.staffA, w.colleagueA, w.su, w.staffB]) {
      const { user, scoped, sql } = await readers(person.id);
      for (const where of wheres) {
        for (const take of [5, 100]) {
          const expected = await scoped.appointment.findMany({
            where,
            select: {
              ...select(user.role === 'SUPERUSER'),
              attendees: { select: { user: { select: { name: true } } }, orderBy: { userId: 'asc' } },
            },
            orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
            take,
          });
          const got = await appointmentRowsSql(sql, where, select(user.role === 'SUPERUSER'), take, {
            attendeeNames: true,
          });
          const label = `${user.role} ${user.id} ${JSON.stringify(where)} take ${take}`;
          expect(got, label).toStrictEqual(
            expected.map(({ attendees, ...a }) => ({ ...a, attendeeNames: attendees.map((x) => x.user.name) })),
          );
          compared += got.length;
        }
        expect(await appointmentCountSql(sql, where)).toBe(await scoped.appointment.count({ where }));
      }
    }
    expect(compared).toBeGreaterThan(300);
    // Staff read only what they attend; a manager of A nothing of B, whatever the filter names.
    const staff = await readers(w.staffA.id);
    const attended = await ctx.db.prisma.appointmentAttendee.count({ where: { userId: w.staffA.id } });
    expect(attended).toBeGreaterThan(10);
    expect(await appointmentCountSql(staff.sql, {})).toBe(attended);
    const manager = await readers(w.managerA.id);
    expect(await appointmentCountSql(manager.sql, { attendees: { some: { userId: w.staffB.id } } })).toBe(0);
    expect(await appointmentCountSql(manager.sql, {})).toBe(60);
  });

  it('read the list’s pages and totals as Prisma does: each sort both ways, when, attendee and company', async () => {
    // "Now" in the middle of A's appointments: some upcoming, some past, one in progress.
    const now = new Date(BASE.getTime() + 70 * HOUR + 30 * 60_000);
    type Query = Parameters<typeof appointmentListWhere>[1];
    const query = (o: Partial<Query> = {}): Query => ({
      q: '',
      sort: appointmentListSpec.defaultSort,
      dir: appointmentListSpec.defaultDir,
      page: 1,
      perPage: 25,
      filters: {},
      ...o,
    });
    const queries: Query[] = [];
    for (const sort of appointmentListSpec.sorts)
      for (const dir of ['asc', 'desc'] as const)
        for (const when of [undefined, 'past', 'all'] as const)
          queries.push(query({ sort, dir, filters: when ? { when } : {} }), query({ sort, dir, page: 2 }));
    queries.push(
      query({ filters: { when: 'all', attendeeId: String(w.colleagueA.id) }, perPage: 10, page: 2 }),
      query({ filters: { when: 'all', attendeeId: String(w.staffB.id) } }),
      query({ filters: { when: 'all', companyId: String(w.b.id) } }),
      query({ filters: { when: 'all' }, page: 9 }),
    );
    let compared = 0;
    for (const person of [w.managerA, w.staffA, w.su, w.staffB]) {
      const { user, scoped, sql } = await readers(person.id);
      for (const q of queries) {
        const where = appointmentListWhere(user, q, now);
        const expected = await scoped.appointment.findMany({
          where,
          select: appointmentListSelect,
          orderBy: appointmentOrderBy(q),
          ...pageWindow(q),
        });
        const label = `${user.role} ${user.id} ${JSON.stringify(q)}`;
        expect(await appointmentListPageSql(sql, where, q, q.page), label).toStrictEqual(expected);
        expect(await appointmentCountSql(sql, where), label).toBe(await scoped.appointment.count({ where }));
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('refuses the shapes it does not translate instead of reading them wrongly', () => {
    expect(() => whereSql(APPOINTMENT_TABLE, 'a', { attendees: { every: { userId: 1 } } })).toThrow(/attendees/);
    expect(() => whereSql(APPOINTMENT_TABLE, 'a', { attendees: { some: { user: { name: 'x' } } } })).toThrow();
    expect(() => whereSql(APPOINTMENT_TABLE, 'a', { lead: { is: { id: 1 } } })).toThrow();
    // The staff rule translates as an EXISTS on the attendee rows; another rule's relation filter does not.
    const staff = { id: 7, role: 'STAFF' as const, companyId: 3 };
    const rule = readScopeSql('Appointment', staff, 'a');
    expect(rule.text).toMatch(/EXISTS \(SELECT 1 FROM "AppointmentAttendee" x WHERE x."appointmentId" = "a"."id"/);
    expect(rule.values).toEqual([3, 7]);
    expect(readScopeSql('Appointment', { ...staff, role: 'ACCOUNT_MANAGER' }, 'a').text).not.toMatch(/EXISTS/);
  });
});

// The demo seed (npm run db:seed) and the bulk builders the bench uses, against a real database.
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/account/passwords.ts';
import { DEFAULT_STAFF_GROUP } from '../../src/access/permissions.ts';
import { seedLeads } from '../../src/seed/leads.ts';
import { DEMO, DemoSeedError, SECOND_SIZES, seedDemo } from '../../src/seed/demo.ts';
import { createRandom } from '../../src/seed/random.ts';
import { useTestContext } from '../helpers/context.ts';
import { signIn } from '../helpers/session.ts';

const ctx = useTestContext();

/** Rows of every company-owned table, per company. */
async function countsOf(companyId: number) {
  const p = ctx.prisma;
  return {
    users: await p.user.count({ where: { companyId } }),
    customers: await p.customer.count({ where: { companyId } }),
    leads: await p.lead.count({ where: { companyId } }),
    tasks: await p.task.count({ where: { companyId } }),
    appointments: await p.appointment.count({ where: { companyId } }),
    activities: await p.activity.count({ where: { companyId } }),
  };
}

describe('the demo seed', () => {
  it('fills the demo company, and every seeded row belongs to it', async () => {
    const summary = await seedDemo(ctx.prisma);
    const company = await ctx.prisma.company.findUniqueOrThrow({ where: { slug: 'acme-demo' } });
    expect(company.name).toBe('Acme Demo');
    expect(summary.company.id).toBe(company.id);
    const { activities, ...counts } = await countsOf(company.id);
    expect(counts).toEqual({ users: 4, customers: 50, leads: 200, tasks: 100, appointments: 40 });
    expect(activities).toBe(summary.counts.activities);
    expect(activities).toBeGreaterThan(200);
    // The second demo company, smaller, in another currency.
    const second = await ctx.prisma.company.findUniqueOrThrow({ where: { slug: DEMO.second.slug } });
    expect([second.name, second.currency, company.currency]).toEqual([DEMO.second.companyName, 'EUR', 'GBP']);
    const { activities: secondActivities, ...secondCounts } = await countsOf(second.id);
    const { staff: secondStaff, ...secondSizes } = SECOND_SIZES;
    expect(secondCounts).toEqual({ users: 1 + secondStaff, ...secondSizes });
    expect(secondActivities).toBe(summary.second.counts.activities);
    expect(await ctx.prisma.activity.count()).toBe(activities + secondActivities);
    // Nothing outside the two companies but the demo superuser.
    expect(await ctx.prisma.company.count()).toBe(2);
    expect(await ctx.prisma.customer.count()).toBe(50 + SECOND_SIZES.customers);
    expect(await ctx.prisma.lead.count()).toBe(200 + SECOND_SIZES.leads);
    expect(await ctx.prisma.task.count()).toBe(100 + SECOND_SIZES.tasks);
    expect(await ctx.prisma.appointment.count()).toBe(40 + SECOND_SIZES.appointments);
    expect(await ctx.prisma.user.findMany({ where: { companyId: null }, select: { email: true, role: true } })).toEqual(
      [{ email: DEMO.superuser.email, role: 'SUPERUSER' }],
    );

    const users = await ctx.prisma.user.findMany({
      where: { companyId: company.id },
      include: { memberships: { include: { group: true } } },
    });
    const ids = new Set(users.map((u) => u.id));
    expect(users.filter((u) => u.role === 'ACCOUNT_MANAGER').map((u) => u.email)).toEqual([DEMO.manager.email]);
    const staff = users.filter((u) => u.role === 'STAFF');
    expect(staff).toHaveLength(3);
    for (const s of staff)
      expect(s.memberships.map((m) => [m.group.name, m.group.companyId, m.group.permissions])).toEqual([
        [DEFAULT_STAFF_GROUP.name, company.id, DEFAULT_STAFF_GROUP.permissions],
      ]);

    const companyId = company.id;
    const leads = await ctx.prisma.lead.findMany({ where: { companyId }, include: { customer: true } });
    expect(new Set(leads.map((l) => l.status))).toEqual(new Set(['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST']));
    expect(new Set(leads.map((l) => l.source))).toEqual(
      new Set(['WEBSITE', 'REFERRAL', 'EVENT', 'COLD_CALL', 'OTHER']),
    );
    expect(new Set(leads.map((l) => l.assigneeId)).size).toBe(4);
    for (const l of leads) {
      expect(ids.has(l.assigneeId)).toBe(true);
      if (l.customer) expect(l.customer.companyId).toBe(company.id);
      if (l.status === 'WON') expect(l.customerId && l.convertedAt).toBeTruthy();
    }
    const tasks = await ctx.prisma.task.findMany({ where: { companyId }, include: { customer: true } });
    const now = new Date();
    expect(tasks.filter((t) => t.status !== 'DONE' && t.dueAt && t.dueAt < now).length).toBeGreaterThan(5);
    const done = tasks.filter((t) => t.status === 'DONE');
    expect(done.length).toBeGreaterThan(5);
    for (const t of done) expect(t.completedAt).not.toBeNull();
    for (const t of tasks) {
      expect(ids.has(t.assigneeId)).toBe(true);
      if (t.customer) expect(t.customer.companyId).toBe(company.id);
    }
    const appointments = await ctx.prisma.appointment.findMany({
      where: { companyId },
      include: { attendees: true, customer: true },
    });
    expect(appointments.filter((a) => a.attendees.length >= 2).length).toBeGreaterThan(5);
    for (const a of appointments) {
      expect(a.attendees.length).toBeGreaterThanOrEqual(1);
      expect(a.endsAt > a.startsAt).toBe(true);
      for (const x of a.attendees) expect(ids.has(x.userId)).toBe(true);
      expect(a.attendees.map((x) => x.userId)).toContain(a.organiserId);
      if (a.customer) expect(a.customer.companyId).toBe(company.id);
    }
    expect(appointments.some((a) => a.startsAt > now) && appointments.some((a) => a.startsAt < now)).toBe(true);
    const owners = await ctx.prisma.customer.findMany({ where: { companyId }, select: { ownerId: true } });
    for (const o of owners) expect(ids.has(o.ownerId!)).toBe(true);
    expect(summary.counts).toMatchObject({
      customers: 50,
      leads: 200,
      tasks: 100,
      appointments: 40,
      doneTasks: done.length,
    });
  });

  it('logs activities on the demo leads and customers, each about a record of the same company', async () => {
    const summary = await seedDemo(ctx.prisma);
    const companyId = summary.company.id;
    const now = new Date();
    const activities = await ctx.prisma.activity.findMany({
      where: { companyId },
      include: { lead: true, customer: true, author: true },
    });
    expect(activities.length).toBe(summary.counts.activities);
    expect(new Set(activities.map((a) => a.kind))).toEqual(new Set(['CALL', 'EMAIL', 'MEETING', 'NOTE']));
    for (const a of activities) {
      expect(a.companyId).toBe(companyId);
      // About a lead or a customer (or both), every one of the same company, written by one of its users.
      expect(a.lead || a.customer).toBeTruthy();
      if (a.lead) expect(a.lead.companyId).toBe(companyId);
      if (a.customer) expect(a.customer.companyId).toBe(companyId);
      expect(a.author?.companyId).toBe(companyId);
      // By the lead's assignee, or the customer's owner when it is about the customer alone.
      if (a.lead) {
        expect(a.authorId).toBe(a.lead.assigneeId);
        // On a converted lead's customer too, so it shows on the customer's page.
        expect(a.customerId).toBe(a.lead.convertedAt ? a.lead.customerId : null);
      } else {
        expect(a.authorId).toBe(a.customer!.ownerId);
      }
      // Calls carry an outcome (and, unless nobody answered, a duration); other kinds neither.
      if (a.kind === 'CALL') {
        expect(a.callOutcome).not.toBeNull();
        if (a.callOutcome !== 'NO_ANSWER') expect(a.durationMinutes).toBeGreaterThan(0);
      } else {
        expect([a.callOutcome, a.durationMinutes]).toEqual([null, null]);
      }
      // Over the last weeks, never before the lead existed, never in the future.
      expect(a.occurredAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(a.occurredAt.getTime()).toBeGreaterThan(now.getTime() - 43 * 24 * 3600_000);
      if (a.lead) expect(a.occurredAt.getTime()).toBeGreaterThanOrEqual(a.lead.createdAt.getTime() - 60_000);
      expect(a.summary.length).toBeGreaterThan(0);
    }
    const onLeads = activities.filter((a) => a.leadId);
    const onCustomersAlone = activities.filter((a) => !a.leadId);
    const viaConvertedLeads = activities.filter((a) => a.leadId && a.customerId);
    expect(onLeads.length).toBeGreaterThan(100);
    expect(onCustomersAlone.length).toBeGreaterThan(10);
    expect(viaConvertedLeads.length).toBeGreaterThan(10);
    expect(new Set(onLeads.map((a) => a.leadId)).size).toBeGreaterThan(50);
    expect(new Set(activities.map((a) => a.authorId)).size).toBe(4);
    // The database's triggers kept each lead's last activity.
    const leads = await ctx.prisma.lead.findMany({ where: { companyId } });
    for (const l of leads) {
      const mine = onLeads.filter((a) => a.leadId === l.id).map((a) => a.occurredAt.getTime());
      expect(l.lastActivityAt?.getTime() ?? null).toBe(mine.length ? Math.max(...mine) : null);
    }

    // The lead fields the form has: a next step and an expected close date on many open leads.
    const open = leads.filter((l) => ['NEW', 'CONTACTED', 'QUALIFIED'].includes(l.status));
    expect(open.filter((l) => l.nextStep !== '').length).toBeGreaterThan(open.length / 3);
    expect(open.filter((l) => l.expectedCloseDate).length).toBeGreaterThan(open.length / 4);
    for (const l of leads) {
      if (l.expectedCloseDate) expect(l.expectedCloseDate.getUTCHours()).toBe(0);
      if (!['NEW', 'CONTACTED', 'QUALIFIED'].includes(l.status)) expect(l.nextStep).toBe('');
      // Given to its assignee when it came in, not when the seed ran ("New leads since yesterday" on My day).
      expect(l.assignedAt).toEqual(l.createdAt);
    }

    // Tasks and appointments on open leads: the lead's assignee's, on the lead's customer.
    const leadTasks = await ctx.prisma.task.findMany({
      where: { companyId, leadId: { not: null } },
      include: { lead: true },
    });
    expect(leadTasks.length).toBe(summary.counts.leadTasks);
    expect(leadTasks.length).toBeGreaterThanOrEqual(5);
    for (const t of leadTasks) {
      expect(t.lead!.companyId).toBe(companyId);
      expect(t.assigneeId).toBe(t.lead!.assigneeId);
      expect(t.customerId).toBe(t.lead!.customerId);
    }
    const leadMeetings = await ctx.prisma.appointment.findMany({
      where: { companyId, leadId: { not: null } },
      include: { lead: true, attendees: true },
    });
    expect(leadMeetings.length).toBe(summary.counts.leadAppointments);
    expect(leadMeetings.length).toBeGreaterThanOrEqual(2);
    for (const a of leadMeetings) {
      expect(a.lead!.companyId).toBe(companyId);
      expect(a.organiserId).toBe(a.lead!.assigneeId);
      expect(a.attendees.map((x) => x.userId)).toContain(a.lead!.assigneeId);
      expect(a.customerId).toBe(a.lead!.customerId);
    }
  });

  it('uses a demo password the password policy accepts, and the demo users sign in with it', async () => {
    expect(passwordProblem(DEMO.password, { email: DEMO.manager.email })).toBeNull();
    const summary = await seedDemo(ctx.prisma);
    for (const user of [summary.manager, summary.staff[0], { email: DEMO.superuser.email }]) {
      const s = await signIn(ctx, user, DEMO.password);
      const page = await s.get('/dashboard').expect(200);
      expect(page.text).toContain(user.email);
    }
    // The staff user's dashboard counts their own seeded leads.
    const s = await signIn(ctx, summary.staff[1], DEMO.password);
    const page = (await s.get('/dashboard').expect(200)).text;
    const mine = await ctx.prisma.lead.count({ where: { assigneeId: summary.staff[1].id, status: 'NEW' } });
    expect(page).toMatch(new RegExp(`data-metric="leads-NEW"[^>]*>${mine}<`));
  });

  it(
    'refuses to run twice and changes nothing; --reset re-creates ' +
      'it without duplicates and leaves other companies alone',
    async () => {
      const other = await ctx.make.company({ name: 'Keep Me' });
      const keeper = await ctx.make.manager(other.id);
      await ctx.make.lead(other.id, keeper.id);
      const first = await seedDemo(ctx.prisma);
      const before = await countsOf(first.company.id);
      await expect(seedDemo(ctx.prisma)).rejects.toThrow(DemoSeedError);
      await expect(seedDemo(ctx.prisma)).rejects.toThrow(/already exists; nothing was changed.*--reset/);
      expect(await countsOf(first.company.id)).toEqual(before);
      expect(await ctx.prisma.company.count()).toBe(3);

      const second = await seedDemo(ctx.prisma, { reset: true });
      expect(second.reset).toBe(true);
      expect(await ctx.prisma.company.findMany({ where: { slug: 'acme-demo' } })).toHaveLength(1);
      expect(await countsOf(second.company.id)).toEqual(before);
      expect(await ctx.prisma.company.findUnique({ where: { id: first.company.id } })).toBeNull();
      expect(await countsOf(other.id)).toEqual({
        users: 1,
        customers: 0,
        leads: 1,
        tasks: 0,
        appointments: 0,
        activities: 0,
      });
      // The superuser of the first run is kept and not duplicated.
      expect(second.superuser).toEqual({ created: false, email: null });
      expect(await ctx.prisma.user.count({ where: { role: 'SUPERUSER' } })).toBe(1);
    },
  );

  it('creates no demo superuser when one exists', async () => {
    const su = await ctx.make.superuser();
    const summary = await seedDemo(ctx.prisma);
    expect(summary.superuser.created).toBe(false);
    expect(await ctx.prisma.user.findMany({ where: { role: 'SUPERUSER' }, select: { id: true } })).toEqual([
      { id: su.id },
    ]);
  });

  it('refuses, writing nothing, when a demo email belongs to another account', async () => {
    const other = await ctx.make.company();
    await ctx.make.staff(other.id, { email: DEMO.staff[1].email });
    await expect(seedDemo(ctx.prisma)).rejects.toThrow(/jonas\.fischer@acme-demo\.example.*Nothing was changed/);
    expect(await ctx.prisma.company.findUnique({ where: { slug: 'acme-demo' } })).toBeNull();
    expect(await ctx.prisma.lead.count()).toBe(0);
    expect(await ctx.prisma.user.count({ where: { role: 'SUPERUSER' } })).toBe(0);
  });
});

describe('the bulk builders', () => {
  it('insert more leads than one batch holds, all in the given company and to the given assignees', async () => {
    const company = await ctx.make.company();
    const a = await ctx.make.staff(company.id);
    const b = await ctx.make.staff(company.id);
    const customer = await ctx.make.customer(company.id);
    const batches: number[] = [];
    await seedLeads(ctx.prisma, {
      companyId: company.id,
      random: createRandom(1),
      assigneeIds: [a.id, b.id],
      customerIds: [customer.id],
      count: 12_001,
      onBatch: (done) => batches.push(done),
    });
    expect(batches).toEqual([5_000, 10_000, 12_001]);
    expect(await ctx.prisma.lead.count()).toBe(12_001);
    expect(await ctx.prisma.lead.count({ where: { companyId: company.id, assigneeId: { in: [a.id, b.id] } } })).toBe(
      12_001,
    );
    expect(await ctx.prisma.lead.count({ where: { customerId: { not: null, notIn: [customer.id] } } })).toBe(0);
    // Stored values read back through Prisma as written (enums, decimals, timestamps): a closed lead was last
    // changed when it closed.
    const sample = await ctx.prisma.lead.findFirstOrThrow({ where: { estimatedValue: { not: null } } });
    expect(Number(sample.estimatedValue) % 50).toBe(0);
    expect(sample.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(sample.updatedAt.getTime()).toBe((sample.closedAt ?? sample.createdAt).getTime());
  });
});

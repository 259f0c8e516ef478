// Deleting customers: confirmation page with counts, refusal while records point at it, detach.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { limitedStaff, makeWorld, type World } from './world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

async function customerWithRecords() {
  const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
  const leads = [
    await ctx.make.lead(w.a.id, w.staffA.id, { customerId: c.id }),
    await ctx.make.lead(w.a.id, w.colleagueA.id, { customerId: c.id }),
  ];
  const task = await ctx.make.task(w.a.id, w.colleagueA.id, { customerId: c.id });
  const appt = await ctx.make.appointment(w.a.id, [w.colleagueA.id], { customerId: c.id });
  return { c, leads, task, appt };
}

describe('deleting customers', () => {
  it('deletes a customer nothing points at, after a confirmation page, with an audit entry', async () => {
    const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
    const s = await signInAs(ctx, w.managerA);
    const show = await s.get(`/customers/${c.id}`).expect(200);
    expect(show.text).toContain(`href="/customers/${c.id}/delete"`);
    const confirm = await s.get(`/customers/${c.id}/delete`).expect(200);
    expect(confirm.text).toContain('No leads, tasks or appointments point at this customer.');
    expect(confirm.text).not.toContain('name="detach"');
    const res = await s.post(`/customers/${c.id}/delete`).expect(303);
    expect(res.headers.location).toBe('/customers');
    expect(await ctx.prisma.customer.count()).toBe(0);
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { action: 'delete' } });
    expect(audit).toMatchObject({
      model: 'Customer',
      recordId: String(c.id),
      actorId: w.managerA.id,
      companyId: w.a.id,
    });
    const list = await s.get('/customers').expect(200);
    expect(list.text).toContain('Customer &#34;Kiwi Co&#34; deleted.');
  });

  it(
    'the confirmation counts every lead, task and appointment of ' +
      'the company; the delete is refused until they are detached',
    async () => {
      const { c, leads, task, appt } = await customerWithRecords();
      const s = await signInAs(ctx, w.managerA);
      const confirm = await s.get(`/customers/${c.id}/delete`).expect(200);
      expect(confirm.text).toContain('2 leads');
      expect(confirm.text).toContain('1 task<');
      expect(confirm.text).toContain('1 appointment<');
      expect(confirm.text).toContain('name="detach"');
      const refused = await s.post(`/customers/${c.id}/delete`).expect(409);
      expect(refused.text).toContain('still has 2 leads, 1 task, 1 appointment');
      expect(await ctx.prisma.customer.count()).toBe(1);
      expect(await ctx.prisma.lead.count({ where: { customerId: c.id } })).toBe(2);
      await s.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(303);
      expect(await ctx.prisma.customer.count()).toBe(0);
      expect(
        (await ctx.prisma.lead.findMany({ where: { id: { in: leads.map((l) => l.id) } } })).map((l) => l.customerId),
      ).toEqual([null, null]);
      expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).customerId).toBeNull();
      expect((await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).customerId).toBeNull();
      const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { action: 'delete' } });
      expect(audit.changes).toMatchObject({ name: 'Kiwi Co', detached: { leads: 2, tasks: 1, appointments: 1 } });
    },
  );

  it('detaching writes an audit entry for every detached row and bumps its version', async () => {
    const { c, leads, task, appt } = await customerWithRecords();
    const s = await signInAs(ctx, w.managerA);
    await s.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(303);
    const detached = await ctx.prisma.auditEntry.findMany({
      where: { action: 'detach' },
      orderBy: [{ model: 'asc' }, { recordId: 'asc' }],
    });
    expect(detached.map((e) => [e.model, e.recordId, e.actorId, e.companyId, e.changes])).toEqual([
      ['Appointment', String(appt.id), w.managerA.id, w.a.id, { customerId: [c.id, null] }],
      ...leads
        .map((l) => ['Lead', String(l.id), w.managerA.id, w.a.id, { customerId: [c.id, null] }])
        .sort((x, y) => String(x[1]).localeCompare(String(y[1]))),
      ['Task', String(task.id), w.managerA.id, w.a.id, { customerId: [c.id, null] }],
    ]);
    expect(
      (await ctx.prisma.lead.findMany({ where: { id: { in: leads.map((l) => l.id) } } })).map((l) => l.version),
    ).toEqual([2, 2]);
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).version).toBe(2);
    expect((await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).version).toBe(2);
  });

  it('staff with customer.delete count their own rows only and detach them with audit entries', async () => {
    const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
    const deleter = await limitedStaff(ctx, w.a.id, ['customer.view', 'customer.delete', 'lead.view']);
    const mine = await ctx.make.lead(w.a.id, deleter.id, { customerId: c.id });
    const myTask = await ctx.make.task(w.a.id, deleter.id, { customerId: c.id });
    const s = await signInAs(ctx, deleter);
    const confirm = await s.get(`/customers/${c.id}/delete`).expect(200);
    expect(confirm.text).toContain('1 lead<');
    expect(confirm.text).toContain('1 task<');
    expect(confirm.text).toContain('0 appointments<');
    await s.post(`/customers/${c.id}/delete`).expect(409);
    expect(await ctx.prisma.customer.count()).toBe(1);
    const done = await s.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(303);
    expect(done.headers.location).toBe('/customers');
    expect(await ctx.prisma.customer.count()).toBe(0);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      customerId: null,
      version: 2,
    });
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: myTask.id } })).toMatchObject({
      customerId: null,
      version: 2,
    });
    const entries = await ctx.prisma.auditEntry.findMany({ orderBy: { id: 'asc' } });
    expect(entries.map((e) => [e.action, e.model, e.recordId, e.actorId])).toEqual([
      ['detach', 'Lead', String(mine.id), deleter.id],
      ['detach', 'Task', String(myTask.id), deleter.id],
      ['delete', 'Customer', String(c.id), deleter.id],
    ]);
  });

  it(
    'staff with customer.delete are refused, without any count, ' +
      "while colleagues' rows point at the customer; nothing changes",
    async () => {
      const { c, leads, task, appt } = await customerWithRecords();
      const deleter = await limitedStaff(ctx, w.a.id, ['customer.view', 'customer.delete', 'lead.view']);
      const mine = await ctx.make.lead(w.a.id, deleter.id, { customerId: c.id });
      const before = JSON.stringify(
        await Promise.all([
          ctx.prisma.customer.findMany(),
          ctx.prisma.lead.findMany({ orderBy: { id: 'asc' } }),
          ctx.prisma.task.findMany(),
          ctx.prisma.appointment.findMany(),
        ]),
      );
      const s = await signInAs(ctx, deleter);
      const confirm = await s.get(`/customers/${c.id}/delete`).expect(200);
      expect(confirm.text).toContain('Records you cannot see point at this customer, so you cannot delete it.');
      // No number of anything: neither the colleagues' rows nor the total.
      const main = confirm.text.slice(confirm.text.indexOf('<main'));
      expect(main).not.toMatch(/\d+ (lead|task|appointment|record)/);
      expect(main).not.toContain('name="detach"');
      expect(main).not.toContain(`action="/customers/${c.id}/delete"`);
      for (const form of [{}, { detach: 'on' }] as Record<string, string>[]) {
        const refused = await s.post(`/customers/${c.id}/delete`, form).expect(409);
        expect(refused.text).toContain('Records you cannot see point at this customer');
        expect(refused.text.slice(refused.text.indexOf('<main'))).not.toMatch(/\d+ (lead|task|appointment|record)/);
      }
      const after = JSON.stringify(
        await Promise.all([
          ctx.prisma.customer.findMany(),
          ctx.prisma.lead.findMany({ orderBy: { id: 'asc' } }),
          ctx.prisma.task.findMany(),
          ctx.prisma.appointment.findMany(),
        ]),
      );
      expect(after).toBe(before);
      expect(
        await ctx.prisma.lead.count({ where: { id: { in: [...leads.map((l) => l.id), mine.id] }, customerId: c.id } }),
      ).toBe(3);
      expect(await ctx.prisma.task.count({ where: { id: task.id, customerId: c.id } })).toBe(1);
      expect(await ctx.prisma.appointment.count({ where: { id: appt.id, customerId: c.id } })).toBe(1);
      expect(await ctx.prisma.auditEntry.count()).toBe(0);
      // An account manager, who sees every row, can.
      const am = await signInAs(ctx, w.managerA);
      await am.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(303);
      expect(await ctx.prisma.customer.count()).toBe(0);
    },
  );

  it("a colleague's row attached after the page was shown still stops the delete", async () => {
    const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
    const deleter = await limitedStaff(ctx, w.a.id, ['customer.view', 'customer.delete']);
    const s = await signInAs(ctx, deleter);
    const confirm = await s.get(`/customers/${c.id}/delete`).expect(200);
    expect(confirm.text).toContain('No leads, tasks or appointments point at this customer.');
    const theirs = await ctx.make.appointment(w.a.id, [w.colleagueA.id], { customerId: c.id });
    const refused = await s.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(409);
    expect(refused.text).toContain('Records you cannot see point at this customer');
    expect(await ctx.prisma.customer.count()).toBe(1);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      customerId: c.id,
      version: 1,
    });
  });

  it(
    'a row attached at the last moment makes the foreign key ' +
      'refuse: the detaches roll back, nothing is half-written',
    async () => {
      const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
      const deleter = await limitedStaff(ctx, w.a.id, ['customer.view', 'customer.delete']);
      const mine = await ctx.make.lead(w.a.id, deleter.id, { customerId: c.id });
      // A colleague's lead attached between the re-count and the DELETE: a trigger stands in for a concurrent request.
      await ctx.prisma.$executeRawUnsafe(`CREATE FUNCTION attach_at_last_moment() RETURNS trigger AS $$ BEGIN
      INSERT INTO "Lead" ("companyId", title, "assigneeId", "customerId", "updatedAt")
      VALUES (OLD."companyId", 'Sneaked in', ${w.colleagueA.id}, OLD.id, now());
      RETURN OLD; END $$ LANGUAGE plpgsql`);
      await ctx.prisma.$executeRawUnsafe(
        'CREATE TRIGGER attach_at_last_moment BEFORE DELETE ON ' +
          '"Customer" FOR EACH ROW EXECUTE FUNCTION attach_at_last_moment()',
      );
      try {
        const s = await signInAs(ctx, deleter);
        const refused = await s.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(409);
        expect(refused.text).toContain('was changed meanwhile');
      } finally {
        await ctx.prisma.$executeRawUnsafe('DROP TRIGGER attach_at_last_moment ON "Customer"');
        await ctx.prisma.$executeRawUnsafe('DROP FUNCTION attach_at_last_moment()');
      }
      expect(await ctx.prisma.customer.count()).toBe(1);
      expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
        customerId: c.id,
        version: 1,
      });
      expect(await ctx.prisma.lead.count()).toBe(1);
      expect(await ctx.prisma.auditEntry.count()).toBe(0);
    },
  );

  it('refuses default staff (403, no button), other companies and bad ids (404), missing CSRF (403)', async () => {
    const c = await ctx.make.customer(w.a.id);
    const staff = await signInAs(ctx, w.staffA);
    const show = await staff.get(`/customers/${c.id}`).expect(200);
    expect(show.text).not.toContain('/delete');
    await staff.get(`/customers/${c.id}/delete`).expect(403);
    const denied = await staff.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(403);
    expect(denied.text).toContain('customer.delete');
    const b = await signInAs(ctx, w.managerB);
    await b.get(`/customers/${c.id}/delete`).expect(404);
    await b.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(404);
    await b.post('/customers/abc/delete').expect(404);
    await b.post('/customers/99999999999/delete').expect(404);
    const a = await signInAs(ctx, w.managerA);
    await a.agent.post(`/customers/${c.id}/delete`).type('form').send({ detach: 'on' }).expect(403);
    expect(await ctx.prisma.customer.count()).toBe(1);
  });

  it('a superuser deletes in any company', async () => {
    const c = await ctx.make.customer(w.b.id);
    const s = await signInAs(ctx, w.su);
    await s.get(`/customers/${c.id}/delete`).expect(200);
    await s.post(`/customers/${c.id}/delete`).expect(303);
    expect(await ctx.prisma.customer.count()).toBe(0);
  });
});

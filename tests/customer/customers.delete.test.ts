// Deleting customers: confirmation page with counts, refusal while records point at it, detach.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signIn } from '../helpers/session.ts';
import { limitedStaff, makeWorld, type World } from './world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

async function customerWithRecords() {
  const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
  const leads = [await ctx.make.lead(w.a.id, w.staff1.id, { customerId: c.id }), await ctx.make.lead(w.a.id, w.staff2.id, { customerId: c.id })];
  const task = await ctx.make.task(w.a.id, w.staff2.id, { customerId: c.id });
  const appt = await ctx.make.appointment(w.a.id, [w.staff2.id], { customerId: c.id });
  return { c, leads, task, appt };
}

describe('deleting customers', () => {
  it('deletes a customer nothing points at, after a confirmation page, with an audit entry', async () => {
    const c = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
    const s = await signIn(ctx, w.amA);
    const show = await s.get(`/customers/${c.id}`).expect(200);
    expect(show.text).toContain(`href="/customers/${c.id}/delete"`);
    const confirm = await s.get(`/customers/${c.id}/delete`).expect(200);
    expect(confirm.text).toContain('No leads, tasks or appointments point at this customer.');
    expect(confirm.text).not.toContain('name="detach"');
    const res = await s.post(`/customers/${c.id}/delete`).expect(303);
    expect(res.headers.location).toBe('/customers');
    expect(await ctx.prisma.customer.count()).toBe(0);
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { action: 'delete' } });
    expect(audit).toMatchObject({ model: 'Customer', recordId: String(c.id), actorId: w.amA.id, companyId: w.a.id });
    const list = await s.get('/customers').expect(200);
    expect(list.text).toContain('Customer &#34;Kiwi Co&#34; deleted.');
  });

  it('the confirmation counts every lead, task and appointment of the company; the delete is refused until they are detached', async () => {
    const { c, leads, task, appt } = await customerWithRecords();
    const s = await signIn(ctx, w.amA);
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
    expect((await ctx.prisma.lead.findMany({ where: { id: { in: leads.map((l) => l.id) } } })).map((l) => l.customerId)).toEqual([null, null]);
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).customerId).toBeNull();
    expect((await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).customerId).toBeNull();
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { action: 'delete' } });
    expect(audit.changes).toMatchObject({ name: 'Kiwi Co', detached: { leads: 2, tasks: 1, appointments: 1 } });
  });

  it('a staff user allowed to delete sees company-wide counts and detaching covers rows they cannot see', async () => {
    const { c, leads } = await customerWithRecords();
    const deleter = await limitedStaff(ctx, w.a.id, ['customer.view', 'customer.delete', 'lead.view']);
    await ctx.make.lead(w.a.id, deleter.id, { customerId: c.id });
    const s = await signIn(ctx, deleter);
    const confirm = await s.get(`/customers/${c.id}/delete`).expect(200);
    expect(confirm.text).toContain('3 leads');
    await s.post(`/customers/${c.id}/delete`).expect(409);
    await s.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(303);
    expect(await ctx.prisma.customer.count()).toBe(0);
    expect(await ctx.prisma.lead.count({ where: { customerId: { not: null } } })).toBe(0);
    expect(await ctx.prisma.lead.count({ where: { id: { in: leads.map((l) => l.id) } } })).toBe(2);
  });

  it('refuses default staff (403, no button), other companies and bad ids (404), missing CSRF (403)', async () => {
    const c = await ctx.make.customer(w.a.id);
    const staff = await signIn(ctx, w.staff1);
    const show = await staff.get(`/customers/${c.id}`).expect(200);
    expect(show.text).not.toContain('/delete');
    await staff.get(`/customers/${c.id}/delete`).expect(403);
    const denied = await staff.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(403);
    expect(denied.text).toContain('customer.delete');
    const b = await signIn(ctx, w.amB);
    await b.get(`/customers/${c.id}/delete`).expect(404);
    await b.post(`/customers/${c.id}/delete`, { detach: 'on' }).expect(404);
    await b.post('/customers/abc/delete').expect(404);
    await b.post('/customers/99999999999/delete').expect(404);
    const a = await signIn(ctx, w.amA);
    await a.agent.post(`/customers/${c.id}/delete`).type('form').send({ detach: 'on' }).expect(403);
    expect(await ctx.prisma.customer.count()).toBe(1);
  });

  it('a superuser deletes in any company', async () => {
    const c = await ctx.make.customer(w.b.id);
    const s = await signIn(ctx, w.su);
    await s.get(`/customers/${c.id}/delete`).expect(200);
    await s.post(`/customers/${c.id}/delete`).expect(303);
    expect(await ctx.prisma.customer.count()).toBe(0);
  });
});

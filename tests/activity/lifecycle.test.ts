// Activities through their records' lives: a lead's conversion gives its lone activities the customer (in the
// conversion's transaction, also a colleague's notes), and deleting a lead or a customer deletes the activities
// about it alone (the confirmation says how many) while those also about the other record stay there.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { activityWorld } from './world.ts';

const ctx = useTestContext();

describe('conversion', () => {
  it("staff convert their lead to a new customer: all its lone activities move, a manager's note too", async () => {
    const w = await activityWorld(ctx);
    const managerNote = await ctx.make.activity(w.a.id, w.managerA.id, {
      kind: 'NOTE',
      summary: 'Manager hint Pearl',
      leadId: w.staffLead.id,
    });
    // Its follow-ups about no customer yet go with it; one already about another customer stays there.
    const followUp = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Call back Orchid', leadId: w.staffLead.id });
    const elsewhere = await ctx.make.task(w.a.id, w.staffA.id, { leadId: w.staffLead.id, customerId: w.customer.id });
    const meeting = await ctx.make.appointment(w.a.id, [w.managerA.id], { leadId: w.staffLead.id });
    const s = await signInAs(ctx, w.staffA);
    await s
      .post(`/leads/${w.staffLead.id}/convert`, {
        mode: 'new',
        name: 'Orchid Holdings',
        email: 'orchid@holdings.test',
        phone: '',
        organisation: '',
        address: '',
        notes: '',
        ownerId: '',
      })
      .expect(303);
    const customer = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Orchid Holdings' } });
    const moved = await ctx.prisma.activity.findMany({ where: { leadId: w.staffLead.id }, orderBy: { id: 'asc' } });
    expect(moved.map((a) => [a.id, a.customerId])).toEqual([
      [w.act.staffOwn.id, customer.id],
      [managerNote.id, customer.id],
    ]);
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Lead', action: 'convert' } });
    expect(audit.changes).toMatchObject({ activitiesMoved: 2, tasksMoved: 1, appointmentsMoved: 1 });
    const [task, other, appointment] = await Promise.all([
      ctx.prisma.task.findUniqueOrThrow({ where: { id: followUp.id } }),
      ctx.prisma.task.findUniqueOrThrow({ where: { id: elsewhere.id } }),
      ctx.prisma.appointment.findUniqueOrThrow({ where: { id: meeting.id } }),
    ]);
    expect([task.customerId, task.version]).toEqual([customer.id, 2]);
    expect([other.customerId, other.version]).toEqual([w.customer.id, 1]);
    expect([appointment.customerId, appointment.version]).toEqual([customer.id, 2]);
    // Now the colleague sees them, through the customer.
    const c = await signInAs(ctx, w.colleagueA);
    const list = await c.get('/activities').expect(200);
    expect(list.text).toContain('Steve call Quartz');
    expect(list.text).toContain('Manager hint Pearl');
    expect(list.text).not.toContain('Steve lead Orchid');
    await c.get(`/activities/${w.act.staffOwn.id}`).expect(200);
  });

  it('conversion to an existing customer moves the lone activities; others of the company are untouched', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    await s
      .post(`/leads/${w.colleagueLead.id}/convert`, { mode: 'existing', customerId: String(w.customer.id) })
      .expect(303);
    expect(await ctx.prisma.activity.findUniqueOrThrow({ where: { id: w.act.colleagueLone.id } })).toMatchObject({
      leadId: w.colleagueLead.id,
      customerId: w.customer.id,
    });
    expect(await ctx.prisma.activity.findUniqueOrThrow({ where: { id: w.act.staffOwn.id } })).toMatchObject({
      customerId: null,
    });
  });
});

describe('deleting what an activity is about', () => {
  it('a lead: its lone activities go (the confirmation says how many); those with a customer stay', async () => {
    const w = await activityWorld(ctx);
    const both = await ctx.make.activity(w.a.id, w.colleagueA.id, {
      summary: 'On lead and customer',
      leadId: w.colleagueLead.id,
      customerId: w.customer.id,
    });
    await ctx.make.activity(w.a.id, w.managerA.id, { summary: 'Second lone', leadId: w.colleagueLead.id });
    const s = await signInAs(ctx, w.managerA);
    const confirm = await s.get(`/leads/${w.colleagueLead.id}/delete`).expect(200);
    expect(confirm.text).toContain('2 activities about this lead alone will be deleted with it');
    await s.post(`/leads/${w.colleagueLead.id}/delete`).expect(303);
    expect(
      await ctx.prisma.activity.count({ where: { summary: { in: ['Carla secret Obsidian', 'Second lone'] } } }),
    ).toBe(0);
    expect(await ctx.prisma.activity.findUniqueOrThrow({ where: { id: both.id } })).toMatchObject({
      leadId: null,
      customerId: w.customer.id,
    });
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Lead', action: 'delete' } });
    expect(audit.changes).toMatchObject({ activitiesDeleted: 2 });
  });

  it('a customer: its lone activities go with it; those also about a lead stay with the lead', async () => {
    const w = await activityWorld(ctx);
    const customer = await ctx.make.customer(w.a.id, { name: 'Short-lived Ltd' });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Stays Lead' });
    const lone = await ctx.make.activity(w.a.id, w.colleagueA.id, {
      summary: 'Lone on customer',
      customerId: customer.id,
    });
    const both = await ctx.make.activity(w.a.id, w.staffA.id, {
      summary: 'On both',
      leadId: lead.id,
      customerId: customer.id,
    });
    const s = await signInAs(ctx, w.managerA);
    const confirm = await s.get(`/customers/${customer.id}/delete`).expect(200);
    expect(confirm.text).toContain('1 activity about this');
    await s.post(`/customers/${customer.id}/delete`).expect(303);
    expect(await ctx.prisma.customer.findUnique({ where: { id: customer.id } })).toBeNull();
    expect(await ctx.prisma.activity.findUnique({ where: { id: lone.id } })).toBeNull();
    expect(await ctx.prisma.activity.findUniqueOrThrow({ where: { id: both.id } })).toMatchObject({
      leadId: lead.id,
      customerId: null,
    });
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Customer', action: 'delete' } });
    expect(audit.changes).toMatchObject({ activitiesDeleted: 1 });
  });
});

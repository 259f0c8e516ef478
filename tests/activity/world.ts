// What the activity tests share: the suite's world with a lead per staff user (staffA's converted to a customer,
// colleagueA's without one), an activity of each kind of visibility, and an activity form builder.
import type { TestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

export async function activityWorld(ctx: TestContext) {
  const w = await buildWorld(ctx);
  const customer = await ctx.make.customer(w.a.id, { name: 'Harbour Supplies' });
  const staffLead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Steve lead Orchid' });
  const convertedLead = await ctx.make.lead(w.a.id, w.staffA.id, {
    title: 'Steve converted Lily',
    customerId: customer.id,
  });
  const colleagueLead = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Carla lead Tulip' });
  const foreignLead = await ctx.make.lead(w.b.id, w.staffB.id, { title: 'Bravo lead Cactus' });
  const foreignCustomer = await ctx.make.customer(w.b.id, { name: 'Bravo Customer Fern' });
  const a = {
    /** staffA's call on their own lead alone: staffA and the manager see it. */
    staffOwn: await ctx.make.activity(w.a.id, w.staffA.id, { summary: 'Steve call Quartz', leadId: staffLead.id }),
    /** colleagueA's note on their own lead alone: staffA never sees it. */
    colleagueLone: await ctx.make.activity(w.a.id, w.colleagueA.id, {
      kind: 'NOTE',
      summary: 'Carla secret Obsidian',
      details: 'Carla details Garnet',
      leadId: colleagueLead.id,
    }),
    /** colleagueA's email about the customer: the whole company sees it. */
    colleagueCustomer: await ctx.make.activity(w.a.id, w.colleagueA.id, {
      kind: 'EMAIL',
      summary: 'Carla email Amber',
      customerId: customer.id,
    }),
    /** Company B's meeting: nobody of A sees it. */
    foreign: await ctx.make.activity(w.b.id, w.staffB.id, {
      kind: 'MEETING',
      summary: 'Bravo meeting Jade',
      leadId: foreignLead.id,
    }),
  };
  return { ...w, customer, staffLead, convertedLead, colleagueLead, foreignLead, foreignCustomer, act: a };
}

export type ActivityWorld = Awaited<ReturnType<typeof activityWorld>>;

/** A complete activity form; override what the test is about. */
export function activityForm(o: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'CALL',
    summary: 'Called about the offer',
    details: '',
    occurredAt: '',
    callOutcome: '',
    durationMinutes: '',
    leadId: '',
    customerId: '',
    followUpTitle: '',
    followUpDue: '',
    ...o,
  };
}

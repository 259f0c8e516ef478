// Lead conversion (one transaction) and pipeline steps.
import { beforeEach, describe, expect, it } from 'vitest';
import { limitedStaff, makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const newCustomer = (o: Record<string, string> = {}) => ({
  mode: 'new',
  name: 'Dana Deal',
  email: 'dana@deal.test',
  phone: '+44 20',
  organisation: 'Deal Corp',
  address: '1 High St',
  notes: '',
  ownerId: '',
  ...o,
});

async function leadOf(assigneeId: number, o: Record<string, unknown> = {}) {
  return ctx.make.lead(w.a.id, assigneeId, {
    title: 'Roof deal',
    contactName: 'Dana Deal',
    email: 'dana@deal.test',
    phone: '+44 20',
    organisation: 'Deal Corp',
    notes: 'Needs it by May',
    status: 'QUALIFIED',
    ...o,
  });
}

async function unchanged(leadId: number) {
  const lead = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
  expect(lead).toMatchObject({ convertedAt: null, customerId: null, status: 'QUALIFIED', version: 1 });
  expect(await ctx.prisma.auditEntry.count({ where: { action: 'convert' } })).toBe(0);
}

describe('converting a lead', () => {
  it(
    'the choice page prefills a new customer from the lead ' + 'and suggests matching customers of the company only',
    async () => {
      const lead = await leadOf(w.staffA.id);
      await ctx.make.customer(w.a.id, { name: 'Deal Corporation HQ', organisation: 'Deal Corp' });
      await ctx.make.customer(w.a.id, { name: 'Unrelated Ltd' });
      await ctx.make.customer(w.b.id, { name: 'Deal Corp in Beta', organisation: 'Deal Corp' });
      const s = await signInAs(ctx, w.staffA);
      const show = await s.get(`/leads/${lead.id}`).expect(200);
      expect(show.text).toContain(`href="/leads/${lead.id}/convert"`);
      const page = await s.get(`/leads/${lead.id}/convert`).expect(200);
      expect(page.text).toContain('id="f-name" name="name" type="text" value="Dana Deal"');
      expect(page.text).toContain('value="Deal Corp"');
      expect(page.text).toContain('Needs it by May');
      expect(page.text).toContain('Deal Corporation HQ');
      expect(page.text).not.toContain('Unrelated Ltd');
      expect(page.text).not.toContain('Deal Corp in Beta');
      const searched = await s.get(`/leads/${lead.id}/convert?q=unrelated`).expect(200);
      expect(searched.text).toContain('Unrelated Ltd');
      expect(searched.text).not.toContain('Deal Corporation HQ');
      const beta = await s.get(`/leads/${lead.id}/convert?q=beta`).expect(200);
      expect(beta.text).toContain('No customer matches your search.');
    },
  );

  it(
    "to a new customer: customer created in the lead's " + 'company, lead won, converted and linked, audited together',
    async () => {
      const lead = await leadOf(w.staffA.id);
      const s = await signInAs(ctx, w.staffA);
      const res = await s
        .post(`/leads/${lead.id}/convert`, newCustomer({ ownerId: String(w.staffA.id), companyId: String(w.b.id) }))
        .expect(303);
      const customer = await ctx.prisma.customer.findFirstOrThrow();
      expect(res.headers.location).toBe(`/customers/${customer.id}`);
      expect(customer).toMatchObject({
        companyId: w.a.id,
        name: 'Dana Deal',
        email: 'dana@deal.test',
        organisation: 'Deal Corp',
        address: '1 High St',
        ownerId: w.staffA.id,
      });
      const after = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
      expect(after).toMatchObject({ status: 'WON', customerId: customer.id, version: 2 });
      expect(after.convertedAt).toBeInstanceOf(Date);
      const audits = await ctx.prisma.auditEntry.findMany({ orderBy: { id: 'asc' } });
      expect(audits.map((a) => [a.action, a.model])).toEqual([
        ['create', 'Customer'],
        ['convert', 'Lead'],
      ]);
      expect(audits[1].changes).toMatchObject({
        status: ['QUALIFIED', 'WON'],
        customerId: [null, customer.id],
        newCustomer: true,
      });
      const timeline = await s.get(`/customers/${customer.id}`).expect(200);
      expect(timeline.text).toContain('Roof deal');
      expect(timeline.text).toContain('converted');
    },
  );

  it('to an existing customer of the company: no new customer, the lead is linked and won', async () => {
    const lead = await leadOf(w.colleagueA.id);
    const existing = await ctx.make.customer(w.a.id, { name: 'Deal Corporation HQ' });
    const s = await signInAs(ctx, w.managerA);
    await s.post(`/leads/${lead.id}/convert`, { mode: 'existing', customerId: String(existing.id) }).expect(303);
    expect(await ctx.prisma.customer.count()).toBe(1);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      status: 'WON',
      customerId: existing.id,
    });
  });

  it(
    'a customer of another company is 422 and nothing changes; ' + 'so is no pick, no mode, or an invalid new customer',
    async () => {
      const lead = await leadOf(w.staffA.id);
      const foreign = await ctx.make.customer(w.b.id, { name: 'Beta Customer' });
      const su = await signInAs(ctx, w.su);
      const res = await su
        .post(`/leads/${lead.id}/convert`, { mode: 'existing', customerId: String(foreign.id) })
        .expect(422);
      expect(res.text).toContain('Choose a customer of this lead&#39;s company.');
      const s = await signInAs(ctx, w.staffA);
      await s.post(`/leads/${lead.id}/convert`, { mode: 'existing', customerId: String(foreign.id) }).expect(422);
      const none = await s.post(`/leads/${lead.id}/convert`, { mode: 'existing' }).expect(422);
      expect(none.text).toContain('Choose a customer.');
      const noMode = await s.post(`/leads/${lead.id}/convert`, { customerId: String(foreign.id) }).expect(422);
      expect(noMode.text).toContain('Choose a new or an existing customer.');
      const invalid = await s
        .post(`/leads/${lead.id}/convert`, newCustomer({ name: '', email: 'bad@', ownerId: String(w.managerB.id) }))
        .expect(422);
      expect(invalid.text).toContain('Enter the name.');
      expect(invalid.text).toContain('value="bad@"');
      const badOwner = await s
        .post(`/leads/${lead.id}/convert`, newCustomer({ ownerId: String(w.managerB.id) }))
        .expect(422);
      expect(badOwner.text).toContain('Choose an active user of the company.');
      expect(await ctx.prisma.customer.count({ where: { companyId: w.a.id } })).toBe(0);
      await unchanged(lead.id);
    },
  );

  it('a failure in the middle of the transaction leaves nothing: no customer, lead unchanged, no audit', async () => {
    const lead = await leadOf(w.staffA.id);
    await ctx.db.pool.query(
      `CREATE OR REPLACE FUNCTION test_refuse_lead_update() RETURNS trigger AS $$ ` +
        `BEGIN RAISE EXCEPTION 'forced failure for the test'; END $$ LANGUAGE plpgsql`,
    );
    await ctx.db.pool.query(
      'CREATE TRIGGER test_refuse_lead_update BEFORE UPDATE ON ' +
        '"Lead" FOR EACH ROW EXECUTE FUNCTION test_refuse_lead_update()',
    );
    try {
      const s = await signInAs(ctx, w.staffA);
      const res = await s.post(`/leads/${lead.id}/convert`, newCustomer()).expect(500);
      expect(res.text).not.toContain('forced failure');
      expect(await ctx.prisma.customer.count()).toBe(0);
      expect(await ctx.prisma.auditEntry.count()).toBe(0);
      await unchanged(lead.id);
    } finally {
      await ctx.db.pool.query('DROP TRIGGER test_refuse_lead_update ON "Lead"');
    }
  });

  it('an already converted lead is refused clearly (409) and nothing is created', async () => {
    const lead = await leadOf(w.staffA.id);
    const s = await signInAs(ctx, w.staffA);
    await s.post(`/leads/${lead.id}/convert`, newCustomer()).expect(303);
    const show = await s.get(`/leads/${lead.id}`).expect(200);
    expect(show.text).not.toContain(`/leads/${lead.id}/convert`);
    const again = await s.post(`/leads/${lead.id}/convert`, newCustomer({ name: 'Second' })).expect(409);
    expect(again.text).toContain('This lead was already converted to the customer &#34;Dana Deal&#34;');
    await s.get(`/leads/${lead.id}/convert`).expect(409);
    expect(await ctx.prisma.customer.count()).toBe(1);
    expect(await ctx.prisma.auditEntry.count({ where: { action: 'convert' } })).toBe(1);
  });

  it("refusals: colleague's or other company's lead 404, missing permissions 403, missing CSRF 403", async () => {
    const lead = await leadOf(w.colleagueA.id);
    const existing = await ctx.make.customer(w.a.id);
    const staff = await signInAs(ctx, w.staffA);
    await staff.get(`/leads/${lead.id}/convert`).expect(404);
    await staff.post(`/leads/${lead.id}/convert`, newCustomer()).expect(404);
    const b = await signInAs(ctx, w.managerB);
    await b.post(`/leads/${lead.id}/convert`, { mode: 'existing', customerId: String(existing.id) }).expect(404);
    const viewer = await limitedStaff(ctx, w.a.id, ['lead.view', 'customer.view'], 'Vic Viewer');
    const mine = await leadOf(viewer.id);
    const v = await signInAs(ctx, viewer);
    await v.get(`/leads/${mine.id}/convert`).expect(403);
    await v.post(`/leads/${mine.id}/convert`, { mode: 'existing', customerId: String(existing.id) }).expect(403);
    const changer = await limitedStaff(ctx, w.a.id, ['lead.view', 'lead.change'], 'Cal Changer');
    const hers = await leadOf(changer.id);
    const c = await signInAs(ctx, changer);
    await c.post(`/leads/${hers.id}/convert`, newCustomer()).expect(403);
    await c.post(`/leads/${hers.id}/convert`, { mode: 'existing', customerId: String(existing.id) }).expect(403);
    const s2 = await signInAs(ctx, w.colleagueA);
    await s2.agent.post(`/leads/${lead.id}/convert`).type('form').send(newCustomer()).expect(403);
    for (const id of [lead.id, mine.id, hers.id]) await unchanged(id);
    expect(await ctx.prisma.customer.count()).toBe(1);
  });
});

describe('pipeline steps', () => {
  it('moves an open lead to any stage (the board moves between columns), refusing steps after won', async () => {
    const lead = await leadOf(w.staffA.id, { status: 'NEW' });
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get(`/leads/${lead.id}`).expect(200);
    for (const button of ['Mark contacted', 'Mark qualified', 'Mark won', 'Mark lost'])
      expect(page.text).toContain(button);
    for (const status of ['QUALIFIED', 'CONTACTED', 'WON'])
      await s.post(`/leads/${lead.id}/status`, { status }).expect(303);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      status: 'WON',
      version: 4,
    });
    const after = await s.post(`/leads/${lead.id}/status`, { status: 'LOST', lostReason: 'PRICE' }).expect(422);
    expect(after.text).toContain('A won lead cannot become lost.');
    await s.post(`/leads/${lead.id}/status`, { status: 'SOLD' }).expect(422);
    const audits = await ctx.prisma.auditEntry.findMany({
      where: { model: 'Lead', action: 'update' },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => a.changes)).toEqual([
      { status: ['NEW', 'QUALIFIED'] },
      { status: ['QUALIFIED', 'CONTACTED'] },
      { status: ['CONTACTED', 'WON'] },
    ]);
  });

  it('a lost lead can be reopened; a converted lead stays won (buttons and edit form)', async () => {
    const lost = await leadOf(w.staffA.id, { status: 'LOST' });
    const converted = await leadOf(w.staffA.id, { status: 'WON', convertedAt: new Date() });
    const s = await signInAs(ctx, w.staffA);
    await s.post(`/leads/${lost.id}/status`, { status: 'NEW' }).expect(303);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lost.id } })).status).toBe('NEW');
    expect((await s.get(`/leads/${converted.id}`).expect(200)).text).not.toContain('Mark lost');
    await s.post(`/leads/${converted.id}/status`, { status: 'LOST' }).expect(422);
    const edit = await s
      .post(`/leads/${converted.id}`, { title: 'Roof deal', source: 'OTHER', status: 'LOST', version: '1' })
      .expect(422);
    expect(edit.text).toContain('A converted lead stays won.');
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: converted.id } })).status).toBe('WON');
  });

  it("refuses a colleague's lead (404), a viewer (403), missing CSRF (403)", async () => {
    const lead = await leadOf(w.colleagueA.id, { status: 'NEW' });
    const s = await signInAs(ctx, w.staffA);
    await s.post(`/leads/${lead.id}/status`, { status: 'CONTACTED' }).expect(404);
    await s.post('/leads/abc/status', { status: 'CONTACTED' }).expect(404);
    const viewer = await limitedStaff(ctx, w.a.id, ['lead.view']);
    const mine = await leadOf(viewer.id, { status: 'NEW' });
    const v = await signInAs(ctx, viewer);
    expect((await v.get(`/leads/${mine.id}`).expect(200)).text).not.toContain('Mark contacted');
    await v.post(`/leads/${mine.id}/status`, { status: 'CONTACTED' }).expect(403);
    const s2 = await signInAs(ctx, w.colleagueA);
    await s2.agent.post(`/leads/${lead.id}/status`).type('form').send({ status: 'CONTACTED' }).expect(403);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe('NEW');
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe('NEW');
  });
});

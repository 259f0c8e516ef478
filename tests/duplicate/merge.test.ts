// Merging two customers or two leads (issue 16 item 6): every relation moves, audit, 301 for the removed id, and
// the refusals (404 another company, 403 staff, 409 stale, 403 without CSRF), re-reading the database each time.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { makeWorld, type World } from './world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

async function twoCustomers() {
  const kept = await w.customer(w.a.id, { name: 'Ada Lovelace', email: 'ada@example.test', phone: '' });
  const other = await w.customer(w.a.id, { name: 'Ada Lovelace', email: 'ada@engines.test', phone: '020 7946 0000' });
  const lead = await w.lead(w.a.id, w.staffA.id, { customerId: other.id });
  const task = await ctx.make.task(w.a.id, w.staffA.id, { customerId: other.id });
  const appointment = await ctx.make.appointment(w.a.id, [w.staffA.id, w.colleagueA.id], { customerId: other.id });
  const activity = await ctx.make.activity(w.a.id, w.staffA.id, { customerId: other.id });
  return { kept, other, lead, task, appointment, activity };
}

const mergeBody = (other: { id: number; version: number }, kept: { version: number }, extra = {}) => ({
  otherId: String(other.id),
  keptVersion: String(kept.version),
  otherVersion: String(other.version),
  ...extra,
});

describe('merging customers', () => {
  it('shows both side by side, asks first, moves every relation, audits, redirects the removed id', async () => {
    const { kept, other, lead, task, appointment, activity } = await twoCustomers();
    const s = await w.as(w.managerA);
    const pick = await s.get(`/customers/${kept.id}/merge`).expect(200);
    expect(pick.text).toContain(`/customers/${kept.id}/merge?with=${other.id}`);
    const compare = await s.get(`/customers/${kept.id}/merge?with=${other.id}`).expect(200);
    expect(compare.text).toContain('name="pick_email"');
    expect(compare.text).not.toContain('name="pick_name"'); // the same on both: nothing to choose
    const confirm = await s
      .post(`/customers/${kept.id}/merge`, mergeBody(other, kept, { pick_phone: 'other' }))
      .expect(200);
    expect(confirm.text).toContain('Merge these two customers?');
    expect(confirm.text).toContain('1 lead, 1 task, 1 appointment, 1 activity');
    expect(await ctx.prisma.customer.count({ where: { id: other.id } })).toBe(1); // nothing written yet
    const done = await s
      .post(`/customers/${kept.id}/merge`, mergeBody(other, kept, { pick_phone: 'other', confirm: 'on' }))
      .expect(303);
    expect(done.headers.location).toBe(`/customers/${kept.id}`);
    expect(await ctx.prisma.customer.findUnique({ where: { id: other.id } })).toBeNull();
    const now = await ctx.prisma.customer.findUniqueOrThrow({ where: { id: kept.id } });
    expect(now).toMatchObject({ email: 'ada@example.test', phone: '020 7946 0000', phoneKey: '+442079460000' });
    expect(now.version).toBe(kept.version + 1);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).customerId).toBe(kept.id);
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).customerId).toBe(kept.id);
    const appt = await ctx.prisma.appointment.findUniqueOrThrow({
      where: { id: appointment.id },
      include: { attendees: true },
    });
    expect(appt.customerId).toBe(kept.id);
    expect(appt.attendees).toHaveLength(2);
    expect((await ctx.prisma.activity.findUniqueOrThrow({ where: { id: activity.id } })).customerId).toBe(kept.id);
    const audit = await ctx.prisma.auditEntry.findMany({ where: { action: 'merge' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.model, a.recordId, a.actorId])).toEqual([
      ['Customer', String(kept.id), w.managerA.id],
      ['Customer', String(other.id), w.managerA.id],
    ]);
    expect(audit[0].changes).toMatchObject({
      mergedFrom: other.id,
      phone: ['', '020 7946 0000'],
      moved: { leads: 1, tasks: 1, appointments: 1, activities: 1 },
    });
    const keptPage = await s.get(`/customers/${kept.id}`).expect(200);
    expect(keptPage.text).toContain('Maria Alpha merged &#34;Ada Lovelace&#34; into it');
    expect(keptPage.text).not.toContain('[object Object]');
    const trail = await s.get('/audit').expect(200);
    expect(trail.text).toContain('Merged');
    expect(trail.text).not.toContain('[object Object]');
    const moved = await s.get(`/customers/${other.id}`).expect(301);
    expect(moved.headers.location).toBe(`/customers/${kept.id}`);
    expect((await s.get(`/customers/${other.id}/edit`).expect(301)).headers.location).toBe(
      `/customers/${kept.id}/edit`,
    );
    // Staff of the company follow it too (the company's shared directory); another company's users do not.
    expect((await (await w.as(w.staffA)).get(`/customers/${other.id}`).expect(301)).headers.location).toBe(
      `/customers/${kept.id}`,
    );
    await (await w.as(w.managerB)).get(`/customers/${other.id}`).expect(404);
    // A POST to the removed id is not redirected.
    await s.post(`/customers/${other.id}/merge`, mergeBody(other, kept)).expect(404);
  });

  it('a later merge of the kept record carries the redirect on', async () => {
    const { kept, other } = await twoCustomers();
    const third = await w.customer(w.a.id, { name: 'Ada King' });
    const s = await w.as(w.managerA);
    await s.post(`/customers/${kept.id}/merge`, mergeBody(other, kept, { confirm: 'on' })).expect(303);
    const keptNow = await ctx.prisma.customer.findUniqueOrThrow({ where: { id: kept.id } });
    await s.post(`/customers/${third.id}/merge`, mergeBody(keptNow, third, { confirm: 'on' })).expect(303);
    expect((await s.get(`/customers/${other.id}`).expect(301)).headers.location).toBe(`/customers/${third.id}`);
  });

  it('refuses staff (403), another company’s ids (404), stale versions (409), a missing CSRF token (403)', async () => {
    const { kept, other } = await twoCustomers();
    const foreign = await w.customer(w.b.id, { name: 'Ada Lovelace' });
    const staff = await w.as(w.staffA);
    await staff.get(`/customers/${kept.id}/merge`).expect(403);
    await staff.post(`/customers/${kept.id}/merge`, mergeBody(other, kept, { confirm: 'on' })).expect(403);
    const s = await w.as(w.managerA);
    await s.get(`/customers/${kept.id}/merge?with=${foreign.id}`).expect(404);
    await s.get(`/customers/${kept.id}/merge?with=999999`).expect(404);
    await s.get(`/customers/${kept.id}/merge?with=${kept.id}`).expect(404);
    const malformed = await s.get(`/customers/${kept.id}/merge?with=abc`).expect(422);
    expect(malformed.text).toContain('Enter the number of a customer.');
    expect(malformed.text).toContain('value="abc"');
    await s.post(`/customers/${kept.id}/merge`, mergeBody(foreign, kept, { confirm: 'on' })).expect(404);
    await (await w.as(w.managerB)).get(`/customers/${kept.id}/merge`).expect(404);
    await s
      .post(`/customers/${kept.id}/merge`, mergeBody({ ...other, version: 7 }, kept, { confirm: 'on' }))
      .expect(409);
    await s.post(`/customers/${kept.id}/merge`, mergeBody(other, { version: 7 }, { confirm: 'on' })).expect(409);
    await s.agent
      .post(`/customers/${kept.id}/merge`)
      .type('form')
      .send(mergeBody(other, kept, { confirm: 'on' }))
      .expect(403);
    // Nothing changed by any of these.
    expect(await ctx.prisma.customer.count()).toBe(3);
    expect(await ctx.prisma.mergedRecord.count()).toBe(0);
    expect(await ctx.prisma.auditEntry.count({ where: { action: 'merge' } })).toBe(0);
    expect((await ctx.prisma.customer.findUniqueOrThrow({ where: { id: kept.id } })).version).toBe(kept.version);
  });

  it('a failure inside the merge leaves both records and their relations as they were', async () => {
    const { kept, other, lead } = await twoCustomers();
    // The database refuses the merge's last rows: everything written before must roll back.
    await ctx.prisma.$executeRawUnsafe(
      `CREATE FUNCTION refuse_merge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`,
    );
    await ctx.prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_merge BEFORE INSERT ON "MergedRecord" FOR EACH ROW EXECUTE FUNCTION refuse_merge()`,
    );
    const s = await w.as(w.managerA);
    try {
      await s.post(`/customers/${kept.id}/merge`, mergeBody(other, kept, { confirm: 'on' })).expect(500);
    } finally {
      // The database outlives the test (only its rows are reset): the trigger goes with it.
      await ctx.prisma.$executeRawUnsafe('DROP TRIGGER refuse_merge ON "MergedRecord"');
    }
    expect(await ctx.prisma.customer.count({ where: { id: { in: [kept.id, other.id] } } })).toBe(2);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).customerId).toBe(other.id);
    expect(await ctx.prisma.auditEntry.count({ where: { action: 'merge' } })).toBe(0);
  });
});

describe('merging leads', () => {
  it('moves tasks, appointments and activities, keeps the freshness right, redirects the removed lead', async () => {
    const kept = await w.lead(w.a.id, w.staffA.id, { title: 'Engines', contactName: 'Ada Lovelace' });
    const other = await w.lead(w.a.id, w.colleagueA.id, { title: 'Engines deal', contactName: 'Ada Lovelace' });
    const task = await ctx.make.task(w.a.id, w.colleagueA.id, { leadId: other.id, dueAt: new Date(Date.now() + 3e6) });
    const appointment = await ctx.make.appointment(w.a.id, [w.colleagueA.id], { leadId: other.id });
    const activity = await ctx.make.activity(w.a.id, w.colleagueA.id, { leadId: other.id });
    const s = await w.as(w.managerA);
    const pick = await s.get(`/leads/${kept.id}/merge`).expect(200);
    expect(pick.text).toContain(`/leads/${kept.id}/merge?with=${other.id}`);
    await s.get(`/leads/${kept.id}/merge?with=${other.id}`).expect(200);
    await s.post(`/leads/${kept.id}/merge`, mergeBody(other, kept, { pick_title: 'other', confirm: 'on' })).expect(303);
    expect(await ctx.prisma.lead.findUnique({ where: { id: other.id } })).toBeNull();
    const now = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: kept.id } });
    expect(now).toMatchObject({ title: 'Engines deal', assigneeId: w.staffA.id, nextTaskId: task.id });
    expect(now.lastActivityAt).not.toBeNull();
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).leadId).toBe(kept.id);
    expect((await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).leadId).toBe(kept.id);
    expect((await ctx.prisma.activity.findUniqueOrThrow({ where: { id: activity.id } })).leadId).toBe(kept.id);
    expect(await ctx.prisma.auditEntry.count({ where: { action: 'merge', model: 'Lead' } })).toBe(2);
    expect((await s.get(`/leads/${other.id}`).expect(301)).headers.location).toBe(`/leads/${kept.id}`);
    // Staff follow the redirect only to a lead they see: the kept lead is staffA's, not colleagueA's.
    expect((await (await w.as(w.staffA)).get(`/leads/${other.id}`).expect(301)).headers.location).toBe(
      `/leads/${kept.id}`,
    );
    await (await w.as(w.colleagueA)).get(`/leads/${other.id}`).expect(404);
    await (await w.as(w.managerB)).get(`/leads/${other.id}`).expect(404);
  });

  it('refuses staff (403) and another company’s lead (404)', async () => {
    const kept = await w.lead(w.a.id, w.staffA.id);
    const foreign = await w.lead(w.b.id, w.staffB.id);
    await (await w.as(w.staffA)).get(`/leads/${kept.id}/merge`).expect(403);
    await (await w.as(w.managerA)).get(`/leads/${kept.id}/merge?with=${foreign.id}`).expect(404);
    expect(await ctx.prisma.lead.count()).toBe(2);
  });
});

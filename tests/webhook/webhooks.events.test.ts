// Events of the other domains, made through the pages by a staff user (whose scope reads the company's endpoints;
// the cancellation by their manager): customer.created, task.done, appointment.created / moved / cancelled, each
// once with its record; a refused form sends nothing, and with no subscribed endpoint nothing is enqueued.
// Events of the JSON API's writes, as the pages' (README): a lead PATCHed to LOST with a new assignee sends
// lead.assigned and lead.lost; a conversion lead.won and, for a new customer, customer.created; each once, signed,
// with its record's id; refused API writes (422, 412, 403, another company's or a colleague's lead) send nothing.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { apptForm } from '../appointment/world.ts';
import { taskForm } from '../task/world.ts';
import { makeToken } from '../token/world.ts';
import { type Received, startReceiver, verifySignature, waitFor } from './receiver.ts';
import { registerWebhook } from './world.ts';

const ctx = useTestContext();
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
const events = () => receiver.received.map((r) => JSON.parse(r.body));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhook events of customers, tasks and appointments', () => {
  it('arrive once each, with their record, when staff make the changes', async () => {
    const w = await buildWorld(ctx);
    const types = [
      'customer.created',
      'task.done',
      'appointment.created',
      'appointment.moved',
      'appointment.cancelled',
    ];
    await registerWebhook(await w.as(w.managerA), { url: receiver.url, events: types });
    const s = await w.as(w.staffA);
    await s
      .post('/customers', { name: 'Hook Customer', email: '', phone: '', organisation: '', address: '', notes: '' })
      .expect(303);
    await s.post('/tasks', taskForm({ title: 'Hook task' })).expect(303);
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Hook task' } });
    await s.post(`/tasks/${task.id}/done`).expect(303);
    await s.post(`/tasks/${task.id}/done`).expect(303); // already done: no second event
    await s.post('/appointments', apptForm({ title: 'Hook meeting', attendeeIds: [String(w.staffA.id)] })).expect(303);
    const appt = await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Hook meeting' } });
    const moved = apptForm({
      title: 'Hook meeting',
      startsAt: '2030-01-15T09:00',
      endsAt: '2030-01-15T10:00',
      attendeeIds: [String(w.staffA.id)],
      version: String(appt.version),
    });
    await s.post(`/appointments/${appt.id}`, moved).expect(303);
    // Staff may not delete appointments (appointment.delete): their account manager cancels it.
    await (await w.as(w.managerA)).post(`/appointments/${appt.id}/delete`).expect(303);
    await waitFor('five events', () => receiver.received.length >= 5);
    await sleep(1500);
    // Deliveries run side by side, so they may arrive in any order: each event says when it happened.
    const got = events().sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    expect(got.map((e) => e.type)).toEqual(types);
    const customer = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Hook Customer' } });
    expect(got[0]).toMatchObject({ companyId: w.a.id, data: { id: customer.id, name: 'Hook Customer' } });
    expect(got[1].data).toMatchObject({ id: task.id, title: 'Hook task', status: 'DONE', assigneeId: w.staffA.id });
    expect(got[1].data.completedAt).toEqual(expect.any(String));
    expect(got[2].data).toMatchObject({
      id: appt.id,
      startsAt: '2030-01-14T09:00:00.000Z',
      attendeeIds: [w.staffA.id],
    });
    expect(got[3].data).toMatchObject({ id: appt.id, startsAt: '2030-01-15T09:00:00.000Z', version: appt.version + 1 });
    expect(got[4].data).toMatchObject({ id: appt.id, title: 'Hook meeting', attendeeIds: [w.staffA.id] });
  });

  it('send nothing for a refused change or another company; nothing enqueued with no endpoint subscribed', async () => {
    receiver.received.length = 0;
    const w = await buildWorld(ctx);
    await registerWebhook(await w.as(w.managerB), { url: receiver.url, events: ['customer.created', 'task.done'] });
    const s = await w.as(w.staffA);
    await s
      .post('/customers', { name: '', email: '', phone: '', organisation: '', address: '', notes: '' })
      .expect(422);
    ctx.takeQueryCount();
    await s
      .post('/customers', { name: 'Quiet', email: '', phone: '', organisation: '', address: '', notes: '' })
      .expect(303);
    const statements = ctx.takeQueryCount();
    await sleep(1500);
    expect(receiver.received).toEqual([]);
    const jobs = await ctx.db.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'webhook'`);
    expect(jobs.rows[0].n).toBe(0);
    // The create's request: the session and user, duplicate checks, the write with its audit entry, and one look-up
    // of subscribed endpoints (an upper bound, so the test does not pin the form's other statements).
    expect(statements).toBeLessThanOrEqual(14);
  });
});

describe("webhook events of the JSON API's writes", () => {
  const api = (method: 'post' | 'patch', path: string, token: string) =>
    request(ctx.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
  const webhookJobs = async () =>
    (await ctx.db.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'webhook'`)).rows[0].n;
  /** Every delivery received, checked signed with `secret` and labelled with its event; the events, by type. */
  function signedEvents(secret: string) {
    for (const r of receiver.received) {
      const event = JSON.parse(r.body);
      expect(verifySignature(secret, String(r.headers['x-crm-signature']), r.body)).toBe(true);
      expect(r.headers['x-crm-event']).toBe(event.type);
      expect(r.headers['x-crm-delivery']).toBe(event.id);
    }
    const events = receiver.received.map((r: Received) => JSON.parse(r.body));
    // Each event once: no id delivered twice.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    return Object.fromEntries(events.map((e) => [e.type, e]));
  }

  it('a PATCH to LOST with a new assignee: lead.assigned and lead.lost once each; refused ones nothing', async () => {
    receiver.received.length = 0;
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const { id, secret } = await registerWebhook(s, { url: receiver.url, events: ['lead.assigned', 'lead.lost'] });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Lost cause' });
    const manager = await makeToken(s, { name: 'Sync' });
    const reader = await makeToken(s, { name: 'Reader', access: 'READ' });
    const foreign = await makeToken(await w.as(w.managerB), { name: 'Bravo' });
    const colleague = await makeToken(await w.as(w.colleagueA), { name: 'Colleague' });
    const change = { status: 'LOST', lostReason: 'PRICE', assigneeId: w.colleagueA.id };
    const path = `/leads/${lead.id}`;
    const before = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    const jobs = await webhookJobs();
    await api('patch', path, manager).send({ status: 'LOST', assigneeId: w.colleagueA.id }).expect(422);
    await api('patch', path, manager).set('If-Match', '"7"').send(change).expect(412);
    await api('patch', path, reader).send(change).expect(403);
    await api('patch', path, foreign).send(change).expect(404);
    await api('patch', path, colleague).send(change).expect(404);
    await sleep(1500);
    expect(receiver.received).toEqual([]);
    expect(await webhookJobs()).toBe(jobs);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toEqual(before);

    await api('patch', path, manager).send(change).expect(200);
    await waitFor('two events', () => receiver.received.length >= 2);
    await sleep(1500); // nothing more comes
    expect(receiver.received).toHaveLength(2);
    const got = signedEvents(secret);
    expect(Object.keys(got).sort()).toEqual(['lead.assigned', 'lead.lost']);
    for (const e of Object.values(got))
      expect(e).toMatchObject({
        companyId: w.a.id,
        data: { id: lead.id, status: 'LOST', lostReason: 'PRICE', assignee: { id: w.colleagueA.id } },
      });
    const log = await ctx.prisma.webhookDelivery.findMany({ where: { endpointId: id } });
    expect(log.map((t) => [t.eventType, t.attempt, t.succeeded]).sort()).toEqual([
      ['lead.assigned', 1, true],
      ['lead.lost', 1, true],
    ]);
  });

  it('a conversion sends lead.won and customer.created (a new customer) once each; refused ones nothing', async () => {
    receiver.received.length = 0;
    const w = await buildWorld(ctx);
    const { secret } = await registerWebhook(await w.as(w.managerA), {
      url: receiver.url,
      events: ['lead.won', 'customer.created'],
    });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Roof', contactName: 'Rita Roof' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'Converter' });
    const foreign = await makeToken(await w.as(w.staffB), { name: 'Bravo' });
    const colleague = await makeToken(await w.as(w.colleagueA), { name: 'Colleague' });
    const path = `/leads/${lead.id}/convert`;
    const before = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    const customers = await ctx.prisma.customer.count();
    const jobs = await webhookJobs();
    await api('post', path, foreign).send({}).expect(404);
    await api('post', path, colleague).send({}).expect(404);
    await api('post', path, staff).send({ email: 'not an email' }).expect(422);
    await sleep(1500);
    expect(receiver.received).toEqual([]);
    expect(await webhookJobs()).toBe(jobs);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toEqual(before);
    expect(await ctx.prisma.customer.count()).toBe(customers);

    const res = await api('post', path, staff).send({}).expect(200);
    const customerId = res.body.customer.id as number;
    await waitFor('two events', () => receiver.received.length >= 2);
    // A second conversion is refused (409): nothing more.
    await api('post', path, staff).send({}).expect(409);
    await sleep(1500);
    expect(receiver.received).toHaveLength(2);
    const got = signedEvents(secret);
    expect(Object.keys(got).sort()).toEqual(['customer.created', 'lead.won']);
    expect(got['lead.won']).toMatchObject({
      companyId: w.a.id,
      data: { id: lead.id, status: 'WON', customer: { id: customerId } },
    });
    expect(got['lead.won'].data.convertedAt).toEqual(expect.any(String));
    expect(got['customer.created']).toMatchObject({
      companyId: w.a.id,
      data: { id: customerId, name: 'Rita Roof' },
    });

    // To an existing customer: lead.won alone. A customer made through the API: customer.created.
    receiver.received.length = 0;
    const other = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Gutter' });
    await api('post', `/leads/${other.id}/convert`, staff).send({ customerId }).expect(200);
    const made = await api('post', '/customers', staff).send({ name: 'Posted Ltd' }).expect(201);
    await waitFor('two more events', () => receiver.received.length >= 2);
    await sleep(1500);
    expect(receiver.received).toHaveLength(2);
    const more = signedEvents(secret);
    expect(more['lead.won']).toMatchObject({ data: { id: other.id, status: 'WON', customer: { id: customerId } } });
    expect(more['customer.created']).toMatchObject({ data: { id: made.body.id, name: 'Posted Ltd' } });
  });
});

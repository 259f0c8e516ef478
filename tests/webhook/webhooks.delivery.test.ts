// Webhook deliveries end to end with a real HTTP receiver: events emitted by the pages' writes arrive once, signed
// as the README documents; a 500 is retried and then delivered once, every try in the log; 410 and 400 are not
// retried; "Send a test event" delivers a ping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { leadForm } from '../lead/form.ts';
import { startReceiver, verifySignature, waitFor } from './receiver.ts';
import { registerWebhook } from './world.ts';

const ctx = useTestContext();
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

const tries = (endpointId: number) =>
  ctx.prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: { id: 'asc' } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bodies = () => receiver.received.map((r) => JSON.parse(r.body));

describe('webhook deliveries', () => {
  it('send a lead created, assigned and won once each, signed, with the lead as the API presents it', async () => {
    receiver.received.length = 0;
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const events = ['lead.created', 'lead.assigned', 'lead.won'];
    const { id, secret } = await registerWebhook(s, { url: receiver.url, events });
    await s.post('/leads', leadForm({ title: 'Hooked deal', assigneeId: String(w.staffA.id) })).expect(303);
    const lead = await ctx.prisma.lead.findFirstOrThrow({ where: { title: 'Hooked deal' } });
    await waitFor('lead.created', () => receiver.received.length === 1);
    await s.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.colleagueA.id) }).expect(303);
    await waitFor('lead.assigned', () => receiver.received.length === 2);
    await s.post(`/leads/${lead.id}/status`, { status: 'WON' }).expect(303);
    await waitFor('lead.won', () => receiver.received.length === 3);
    await sleep(1500); // nothing more comes
    expect(receiver.received).toHaveLength(3);
    const [created, assigned, won] = bodies();
    expect(created).toMatchObject({
      type: 'lead.created',
      companyId: w.a.id,
      data: { id: lead.id, title: 'Hooked deal', status: 'NEW', assignee: { id: w.staffA.id, name: w.staffA.name } },
    });
    expect(created.id).toMatch(/^evt_[0-9a-f-]{36}$/);
    expect(new Date(created.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(assigned).toMatchObject({ type: 'lead.assigned', data: { assignee: { id: w.colleagueA.id } } });
    expect(won).toMatchObject({ type: 'lead.won', data: { id: lead.id, status: 'WON' } });
    expect(new Set(bodies().map((b) => b.id)).size).toBe(3);
    for (const r of receiver.received) {
      const event = JSON.parse(r.body);
      expect(r.path).toBe('/hooks/crm');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-crm-event']).toBe(event.type);
      expect(r.headers['x-crm-delivery']).toBe(event.id);
      expect(verifySignature(secret, String(r.headers['x-crm-signature']), r.body)).toBe(true);
      // A wrong secret or a changed body does not verify.
      expect(verifySignature(`${secret}x`, String(r.headers['x-crm-signature']), r.body)).toBe(false);
      expect(verifySignature(secret, String(r.headers['x-crm-signature']), `${r.body} `)).toBe(false);
    }
    const log = await tries(id);
    expect(log.map((t) => [t.eventType, t.attempt, t.statusCode, t.succeeded])).toEqual([
      ['lead.created', 1, 200, true],
      ['lead.assigned', 1, 200, true],
      ['lead.won', 1, 200, true],
    ]);
    // An endpoint not subscribed to an event, or switched off, gets nothing.
    await s
      .post('/leads', { ...leadForm({ title: 'Another', assigneeId: String(w.staffA.id) }), saveAnyway: 'yes' })
      .expect(303);
    await waitFor('the other lead', () => receiver.received.length === 4);
    await s.post(`/webhooks/${id}`, { url: receiver.url, description: '', events: ['lead.won'] }).expect(303);
    await s
      .post('/leads', { ...leadForm({ title: 'Unheard', assigneeId: String(w.staffA.id) }), saveAnyway: 'yes' })
      .expect(303);
    await sleep(1500);
    expect(bodies().map((b) => b.data.title)).toEqual(['Hooked deal', 'Hooked deal', 'Hooked deal', 'Another']);
  });

  it('retry after a 500, then deliver once; the log and the page show each try', async () => {
    receiver.received.length = 0;
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const { id, secret } = await registerWebhook(s, { url: receiver.url, events: ['customer.created'] });
    receiver.answer(500);
    await s.post('/webhooks/0/test').expect(404);
    await s.post(`/webhooks/${id}/test`).expect(303);
    await waitFor('the retry', async () => (await tries(id)).length === 2);
    await sleep(3000); // no third try: delivered once
    const log = await tries(id);
    expect(log.map((t) => [t.eventType, t.attempt, t.statusCode, t.succeeded])).toEqual([
      ['ping', 1, 500, false],
      ['ping', 2, 200, true],
    ]);
    expect(log[0].excerpt).toBe('answer 500');
    expect(log[0].eventId).toBe(log[1].eventId);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0].headers['x-crm-delivery']).toBe(receiver.received[1].headers['x-crm-delivery']);
    const ping = JSON.parse(receiver.received[1].body);
    expect(ping).toMatchObject({ type: 'ping', companyId: w.a.id, data: { endpointId: id } });
    expect(
      verifySignature(secret, String(receiver.received[1].headers['x-crm-signature']), receiver.received[1].body),
    ).toBe(true);
    const page = await s.get(`/webhooks/${id}`).expect(200);
    expect(page.text).toMatch(/data-event="ping" data-status="500"/);
    expect(page.text).toMatch(/data-event="ping" data-status="200"/);
    const list = await s.get('/webhooks').expect(200);
    expect(list.text).toMatch(/data-last-delivery>\s*<span class="badge text-bg-success">Delivered<\/span> 200/);
  });

  it.each([410, 400])('do not retry a %i', async (status) => {
    receiver.received.length = 0;
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const { id } = await registerWebhook(s, { url: receiver.url, events: ['task.done'] });
    receiver.answer(status);
    await s.post(`/webhooks/${id}/test`).expect(303);
    await waitFor('the try', async () => (await tries(id)).length === 1);
    await sleep(3500); // past the tests' 1-2 s retry delay
    const log = await tries(id);
    expect(log.map((t) => [t.attempt, t.statusCode, t.succeeded])).toEqual([[1, status, false]]);
    expect(receiver.received).toHaveLength(1);
  });

  it('retry a connection refused, recorded with its error', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const dead = await startReceiver();
    await dead.close();
    const { id } = await registerWebhook(s, { url: dead.url, events: ['task.done'] });
    await s.post(`/webhooks/${id}/test`).expect(303);
    await waitFor('two tries', async () => (await tries(id)).length >= 2);
    const [first] = await tries(id);
    expect(first).toMatchObject({ attempt: 1, statusCode: null, error: 'Connection refused.', succeeded: false });
  });
});

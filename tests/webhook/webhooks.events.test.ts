// Events of the other domains, made through the pages by a staff user (whose scope reads the company's endpoints;
// the cancellation by their manager): customer.created, task.done, appointment.created / moved / cancelled, each
// once with its record; a refused form sends nothing, and with no subscribed endpoint nothing is enqueued.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { apptForm } from '../appointment/world.ts';
import { taskForm } from '../task/world.ts';
import { startReceiver, waitFor } from './receiver.ts';
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

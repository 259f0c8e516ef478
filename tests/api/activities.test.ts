// The API's activities, read and logged: the list answers exactly the caller's scope (staff: activities about a
// customer, and about their own leads alone) with the page's filters and the cursor; one activity with its version
// as ETag. POST logs one on a lead or customer in scope, with the form's follow-up task, audited naming the token;
// the lead's lastActivityAt follows (the database's trigger). Refusals: a lead or customer out of scope or missing →
// 422 "Unknown lead" (the same answer either way), invalid → 422 with each field's problem and nothing written,
// no activity.view/add or a read-only token → 403, another company's or a colleague's private activity → 404.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { activityApiSchema, activityCreatedApiSchema } from '../../src/api/activities.ts';
import { activityWorld } from '../activity/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { recordStatements } from '../helpers/statements.ts';
import { limitedStaff } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const api = (method: 'get' | 'post', path: string, token: string) =>
  request(ctx.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
const counts = async () => [
  await ctx.prisma.activity.count(),
  await ctx.prisma.task.count(),
  await ctx.prisma.auditEntry.count(),
];

async function allIds(path: string, token: string) {
  const ids: number[] = [];
  let next: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: request.Response = await api('get', `${path}${next ? `${sep}cursor=${next}` : ''}`, token).expect(200);
    for (const row of res.body.data) activityApiSchema.parse(row);
    ids.push(...res.body.data.map((a: { id: number }) => a.id));
    next = res.body.next;
  } while (next);
  return ids;
}

describe('API activities: reads', () => {
  it("lists the caller's scope in the page's order, with its filters", async () => {
    const w = await activityWorld(ctx);
    const order = [{ occurredAt: 'desc' as const }, { id: 'desc' as const }];
    const expected = async (where: object) =>
      (await ctx.prisma.activity.findMany({ where, orderBy: order, select: { id: true } })).map((a) => a.id);
    const manager = await makeToken(await w.as(w.managerA), { name: 'M', access: 'READ' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'S', access: 'READ' });
    expect(await allIds('/activities?limit=1', manager)).toEqual(await expected({ companyId: w.a.id }));
    const mine = await allIds('/activities?limit=2', staff);
    expect(mine).toEqual(await expected({ id: { in: [w.act.staffOwn.id, w.act.colleagueCustomer.id] } }));
    expect(await allIds('/activities?kind=EMAIL', manager)).toEqual([w.act.colleagueCustomer.id]);
    expect(await allIds(`/activities?leadId=${w.colleagueLead.id}`, manager)).toEqual([w.act.colleagueLone.id]);
    expect(await allIds(`/activities?leadId=${w.colleagueLead.id}`, staff)).toEqual([]);
    expect(await allIds(`/activities?customerId=${w.customer.id}`, staff)).toEqual([w.act.colleagueCustomer.id]);
    expect(await allIds('/activities?q=quartz', staff)).toEqual([w.act.staffOwn.id]);
    // A value the filter does not know is not read (as on the page): the whole scope.
    expect(await allIds('/activities?kind=PARTY&limit=100', manager)).toEqual(await expected({ companyId: w.a.id }));
  });

  it('one activity with its ETag; out of scope 404; no activity.view 403', async () => {
    const w = await activityWorld(ctx);
    const staff = await makeToken(await w.as(w.staffA), { name: 'S', access: 'READ' });
    const res = await api('get', `/activities/${w.act.colleagueCustomer.id}`, staff).expect(200);
    expect(res.headers.etag).toBe('"1"');
    expect(activityApiSchema.parse(res.body)).toMatchObject({
      kind: 'EMAIL',
      summary: 'Carla email Amber',
      author: { id: w.colleagueA.id },
      customer: { id: w.customer.id, name: 'Harbour Supplies' },
      lead: null,
    });
    for (const id of [w.act.colleagueLone.id, w.act.foreign.id]) {
      const hidden = await api('get', `/activities/${id}`, staff).expect(404);
      expect(hidden.text).not.toMatch(/Obsidian|Jade/);
    }
    // A fixed number of statements: the token, its rate limit, the read (rows with their names in one).
    const recorder = recordStatements(ctx.db.pool);
    const one = await recorder.during(() => api('get', `/activities/${w.act.staffOwn.id}`, staff));
    const list = await recorder.during(() => api('get', '/activities?limit=100', staff));
    expect([one.result.status, one.statements.length, list.result.status, list.statements.length]).toEqual([
      200, 3, 200, 3,
    ]);
    const blind = await makeToken(await w.as(await limitedStaff(ctx, w.a.id, ['lead.view'])), { name: 'B' });
    await api('get', '/activities', blind).expect(403);
    await api('get', `/activities/${w.act.colleagueCustomer.id}`, blind).expect(403);
  });
});

describe('API activities: logging', () => {
  it('logs a call with its follow-up task (201); lastActivityAt follows; the audit names the token', async () => {
    const w = await activityWorld(ctx);
    const token = await makeToken(await w.as(w.staffA), { name: 'Dialer' });
    const res = await api('post', '/activities', token)
      .send({
        kind: 'CALL',
        summary: 'Discussed the offer',
        callOutcome: 'REACHED',
        durationMinutes: '15',
        occurredAt: '2026-11-30T09:30:00+01:00',
        leadId: w.convertedLead.id,
        followUpDue: '2026-12-04',
      })
      .expect(201);
    const row = await ctx.prisma.activity.findFirstOrThrow({ where: { summary: 'Discussed the offer' } });
    expect(res.headers.location).toBe(`/api/v1/activities/${row.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(activityCreatedApiSchema.parse(res.body)).toMatchObject({ id: row.id, lead: { id: w.convertedLead.id } });
    // A converted lead brings its customer, as on the page.
    expect(row).toMatchObject({ authorId: w.staffA.id, customerId: w.customer.id, callOutcome: 'REACHED' });
    expect(row).toMatchObject({ companyId: w.a.id, durationMinutes: 15 });
    expect(row.occurredAt.toISOString()).toBe('2026-11-30T08:30:00.000Z');
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { leadId: w.convertedLead.id } });
    expect(res.body.followUpTask).toEqual({ id: task.id, title: 'Follow up on Discussed the offer' });
    expect(task).toMatchObject({ assigneeId: w.staffA.id, status: 'OPEN' });
    const lead = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: w.convertedLead.id } });
    expect(lead.lastActivityAt?.toISOString()).toBe('2026-11-30T08:30:00.000Z');
    const tokenRow = await ctx.prisma.apiToken.findFirstOrThrow({ where: { name: 'Dialer' } });
    for (const model of ['Activity', 'Task']) {
      const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model, action: 'create' } });
      expect((entry.changes as Record<string, unknown>).via).toBe(`API token "Dialer" (#${tokenRow.id})`);
    }
    // On a customer alone, without a time: now.
    const note = await api('post', '/activities', token)
      .send({ kind: 'NOTE', summary: 'Prefers mail', customerId: w.customer.id })
      .expect(201);
    expect(Date.now() - Date.parse(note.body.occurredAt)).toBeLessThan(60_000);
    expect(note.body.followUpTask).toBeNull();
    // A superuser logs on any company's lead: the activity is the lead's company's.
    const su = await makeToken(await w.as(w.su), { name: 'Admin' });
    const b = await api('post', '/activities', su).send({ kind: 'NOTE', summary: 'Su note', leadId: w.foreignLead.id });
    expect([b.status, b.body.companyId, b.body.author?.id]).toEqual([201, w.b.id, w.su.id]);
  });

  it('a lead or customer out of scope, or missing, is "Unknown lead" (422); nothing written', async () => {
    const w = await activityWorld(ctx);
    const token = await makeToken(await w.as(w.staffA), { name: 'Dialer' });
    const before = await counts();
    const answers: string[] = [];
    for (const leadId of [w.colleagueLead.id, w.foreignLead.id, 99_999_999]) {
      const res = await api('post', '/activities', token).send({ kind: 'NOTE', summary: 'x', leadId }).expect(422);
      expect(res.body.errors).toEqual({ leadId: 'Unknown lead.' });
      answers.push(JSON.stringify(res.body));
    }
    expect(new Set(answers).size).toBe(1);
    const foreign = await api('post', '/activities', token)
      .send({ kind: 'NOTE', summary: 'x', customerId: w.foreignCustomer.id })
      .expect(422);
    expect(foreign.body.errors).toEqual({ customerId: 'Unknown customer.' });
    expect(await counts()).toEqual(before);
  });

  it('refuses invalid fields with each problem (422); 403 for a read-only token or missing permission', async () => {
    const w = await activityWorld(ctx);
    const token = await makeToken(await w.as(w.staffA), { name: 'Dialer' });
    const noTasks = await limitedStaff(ctx, w.a.id, ['activity.add', 'activity.view', 'customer.view']);
    const limited = await makeToken(await w.as(noTasks), { name: 'Limited' });
    const reader = await makeToken(await w.as(w.managerA), { name: 'Reader', access: 'READ' });
    const blind = await makeToken(await w.as(await limitedStaff(ctx, w.a.id, ['activity.view'], 'B')), { name: 'V' });
    const before = await counts();
    const bad = await api('post', '/activities', token)
      .send({ kind: 'PARTY', summary: '', occurredAt: 'yesterday', durationMinutes: 15, colour: 'red' })
      .expect(422);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.body.errors).toMatchObject({
      kind: expect.any(String),
      summary: expect.any(String),
      occurredAt: expect.any(String),
      durationMinutes: 'Must be a string or null.',
      colour: 'Unknown field.',
      leadId: expect.any(String),
    });
    const email = await api('post', '/activities', token)
      .send({ kind: 'EMAIL', summary: 'Sent', callOutcome: 'REACHED', leadId: w.staffLead.id, followUpTitle: 'X' })
      .expect(422);
    expect(Object.keys(email.body.errors).sort()).toEqual(['callOutcome', 'followUpDue']);
    const followUp = { kind: 'NOTE', summary: 'x', customerId: w.customer.id, followUpDue: '2026-12-04' };
    const refused = await api('post', '/activities', limited).send(followUp).expect(422);
    expect(refused.body.errors).toHaveProperty('followUpTitle');
    for (const t of [reader, blind])
      await api('post', '/activities', t).send({ kind: 'NOTE', summary: 'x', customerId: w.customer.id }).expect(403);
    expect(await counts()).toEqual(before);
  });
});

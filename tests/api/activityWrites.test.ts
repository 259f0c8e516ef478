// The API's activity corrections and deletes, with the pages' rules: only its author and account managers change
// or delete an activity (another who sees it: 403; one who does not: 404), what it is about does not change, a
// stale version is 409 (If-Match: 412), nothing sent changes nothing; each change audited naming the token, and the
// lead's lastActivityAt follows (the database's trigger). Every refusal re-reads the row: unchanged.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { activityApiSchema } from '../../src/api/activities.ts';
import { activityWorld } from '../activity/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { limitedStaff } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const api = (method: 'patch' | 'delete', path: string, token: string) =>
  request(ctx.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
const row = (id: number) => ctx.prisma.activity.findUnique({ where: { id } });

describe('API activities: corrections and deletes', () => {
  it('PATCH by its author changes what is sent; stale 409/412; audited naming the token', async () => {
    const w = await activityWorld(ctx);
    const id = w.act.staffOwn.id;
    const token = await makeToken(await w.as(w.staffA), { name: 'Fixer' });
    const res = await api('patch', `/activities/${id}`, token)
      .send({ summary: 'Steve call Quartz, corrected', occurredAt: '2026-11-29T10:00:00Z', durationMinutes: '5' })
      .expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(activityApiSchema.parse(res.body)).toMatchObject({ summary: 'Steve call Quartz, corrected', version: 2 });
    const saved = await row(id);
    expect(saved).toMatchObject({ summary: 'Steve call Quartz, corrected', kind: 'CALL', durationMinutes: 5 });
    expect(saved!.occurredAt.toISOString()).toBe('2026-11-29T10:00:00.000Z');
    const lead = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: w.staffLead.id } });
    expect(lead.lastActivityAt?.toISOString()).toBe('2026-11-29T10:00:00.000Z');
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Activity', action: 'update' } });
    expect(Object.keys(entry.changes as object).sort()).toEqual(['durationMinutes', 'occurredAt', 'summary', 'via']);
    expect((entry.changes as Record<string, unknown>).via).toMatch(/^API token "Fixer"/);
    await api('patch', `/activities/${id}`, token).send({ summary: 'Old', version: 1 }).expect(409);
    await api('patch', `/activities/${id}`, token).set('If-Match', '"1"').send({ summary: 'Old' }).expect(412);
    // Nothing sent, or the saved values: answered as saved, no new version.
    await api('patch', `/activities/${id}`, token).send({}).expect(200);
    await api('patch', `/activities/${id}`, token).send({ summary: 'Steve call Quartz, corrected' }).expect(200);
    expect(await row(id)).toEqual(saved);
    await api('patch', `/activities/${id}`, token).set('If-Match', '"2"').send({ details: 'More' }).expect(200);
    expect((await row(id))!.version).toBe(3);
  });

  it('refuses invalid changes with each problem (422), and changing what it is about', async () => {
    const w = await activityWorld(ctx);
    const id = w.act.staffOwn.id;
    const token = await makeToken(await w.as(w.staffA), { name: 'Fixer' });
    const before = await row(id);
    const bad = await api('patch', `/activities/${id}`, token)
      .send({ summary: '', kind: 'PARTY', occurredAt: '2026-13-40', leadId: w.colleagueLead.id, version: 'one' })
      .expect(422);
    expect(bad.body.errors).toEqual({ version: 'Must be a whole number.' });
    const res = await api('patch', `/activities/${id}`, token)
      .send({ summary: '', kind: 'PARTY', occurredAt: '2026-13-40', leadId: w.colleagueLead.id, customerId: null })
      .expect(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(['customerId', 'kind', 'leadId', 'occurredAt', 'summary']);
    // A call's outcome on a note is refused, not dropped.
    await api('patch', `/activities/${id}`, token).send({ kind: 'NOTE', callOutcome: 'REACHED' }).expect(422);
    expect(await row(id)).toEqual(before);
  });

  it("staff: a colleague's visible activity 403, a private one 404; another company 404; read-only 403", async () => {
    const w = await activityWorld(ctx);
    const staff = await makeToken(await w.as(w.staffA), { name: 'S' });
    const managerB = await makeToken(await w.as(w.managerB), { name: 'B' });
    const reader = await makeToken(await w.as(w.managerA), { name: 'R', access: 'READ' });
    const deleter = await limitedStaff(ctx, w.a.id, ['activity.view', 'activity.change', 'activity.delete']);
    const staffDeleter = await makeToken(await w.as(deleter), { name: 'D' });
    const ids = [w.act.colleagueCustomer.id, w.act.colleagueLone.id, w.act.staffOwn.id];
    const before = await Promise.all(ids.map(row));
    const cases: [string, 'patch' | 'delete', number, number][] = [
      [staff, 'patch', w.act.colleagueCustomer.id, 403],
      [staff, 'patch', w.act.colleagueLone.id, 404],
      [staff, 'delete', w.act.staffOwn.id, 403], // the Staff group has no activity.delete
      [staffDeleter, 'delete', w.act.colleagueCustomer.id, 403],
      [staffDeleter, 'patch', w.act.colleagueCustomer.id, 403],
      [managerB, 'patch', w.act.staffOwn.id, 404],
      [managerB, 'delete', w.act.staffOwn.id, 404],
      [reader, 'patch', w.act.staffOwn.id, 403],
      [reader, 'delete', w.act.staffOwn.id, 403],
    ];
    for (const [token, method, id, status] of cases) {
      const res = await api(method, `/activities/${id}`, token).send(method === 'patch' ? { summary: 'Hacked' } : {});
      expect(res.status, `${method} ${id}`).toBe(status);
      expect(res.text).not.toMatch(/Obsidian|Garnet/);
    }
    expect(await Promise.all(ids.map(row))).toEqual(before);
  });

  it('DELETE by an account manager or the author (activity.delete): 204, audited; lastActivityAt follows', async () => {
    const w = await activityWorld(ctx);
    const manager = await makeToken(await w.as(w.managerA), { name: 'Cleaner' });
    await api('delete', `/activities/${w.act.staffOwn.id}`, manager).expect(204);
    expect(await row(w.act.staffOwn.id)).toBeNull();
    const lead = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: w.staffLead.id } });
    expect(lead.lastActivityAt).toBeNull();
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Activity', action: 'delete' } });
    expect((entry.changes as Record<string, unknown>).via).toMatch(/^API token "Cleaner"/);
    const author = await limitedStaff(ctx, w.a.id, ['activity.view', 'activity.delete', 'customer.view']);
    const own = await ctx.make.activity(w.a.id, author.id, { summary: 'Mine', customerId: w.customer.id });
    await api('delete', `/activities/${own.id}`, await makeToken(await w.as(author), { name: 'A' })).expect(204);
    expect(await row(own.id)).toBeNull();
  });
});

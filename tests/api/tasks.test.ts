// The API's tasks: the list answers the caller's scope (staff: their own tasks) with the page's quick views,
// filters and order; create (staff's tasks are their own; a manager's pick is mailed), partial update (marking done
// sets the completion time; stale version → 409, stale If-Match → 412), delete; each audited naming the token.
// Refusals: invalid → 422 with each field's problem and nothing written; read-only token or a group without the
// permission → 403; a colleague's or another company's task → 404.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { taskApiSchema } from '../../src/api/tasks.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const call = (method: 'get' | 'post' | 'patch' | 'delete', path: string, token: string) =>
  request(ctx.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
const counts = async () => [await ctx.prisma.task.count(), await ctx.prisma.auditEntry.count()];
const viaOf = (entry: { changes: unknown }) => (entry.changes as Record<string, unknown>).via;
const HOUR = 3600_000;

describe('API tasks', () => {
  it("lists the caller's scope in the page's order, with its filters and quick views", async () => {
    const w = await buildWorld(ctx);
    const now = Date.now();
    const mine = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Call back', dueAt: new Date(now + 2 * HOUR) });
    const late = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Late', dueAt: new Date(now - HOUR) });
    const done = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Done', status: 'DONE', priority: 'HIGH' });
    const carla = await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Carla call', dueAt: new Date(now) });
    await ctx.make.task(w.b.id, w.staffB.id, { title: 'Bravo' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'S', access: 'READ' });
    const manager = await makeToken(await w.as(w.managerA), { name: 'M', access: 'READ' });
    const ids = async (path: string, token: string) => {
      const res = await call('get', path, token).expect(200);
      for (const t of res.body.data) taskApiSchema.parse(t);
      return res.body.data.map((t: { id: number }) => t.id);
    };
    expect(await ids('/tasks', staff)).toEqual([late.id, mine.id, done.id]);
    expect(await ids('/tasks', manager)).toEqual([late.id, carla.id, mine.id, done.id]);
    expect(await ids('/tasks?show=overdue', staff)).toEqual([late.id]);
    expect(await ids('/tasks?priority=HIGH', staff)).toEqual([done.id]);
    expect(await ids('/tasks?q=call', manager)).toEqual([carla.id, mine.id]);
    expect(await ids(`/tasks?assigneeId=${w.colleagueA.id}`, manager)).toEqual([carla.id]);
    // A staff user's ?assigneeId= is not read: still their own tasks only.
    expect(await ids(`/tasks?assigneeId=${w.colleagueA.id}`, staff)).toEqual([late.id, mine.id, done.id]);
    await call('get', `/tasks/${carla.id}`, staff).expect(404);
    const one = await call('get', `/tasks/${mine.id}`, staff).expect(200);
    expect(one.headers.etag).toBe('"1"');
    expect(one.body).toMatchObject({ id: mine.id, title: 'Call back', assignee: { id: w.staffA.id } });
  });

  it("creates a staff user's task as theirs, times in ISO 8601; audited naming the token", async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.staffA), { name: 'Planner' });
    const res = await call('post', '/tasks', token)
      .send({ title: 'Send quote', dueAt: '2030-03-01T09:30:00Z', priority: 'HIGH' })
      .expect(201);
    taskApiSchema.parse(res.body);
    const row = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Send quote' } });
    expect(res.headers.location).toBe(`/api/v1/tasks/${row.id}`);
    expect(row).toMatchObject({ companyId: w.a.id, assigneeId: w.staffA.id, priority: 'HIGH', status: 'OPEN' });
    expect(row.dueAt?.toISOString()).toBe('2030-03-01T09:30:00.000Z');
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Task', action: 'create' } });
    expect(viaOf(entry)).toMatch(/^API token "Planner"/);
    const before = await counts();
    const bad = await call('post', '/tasks', token)
      .send({ title: '', dueAt: 'soon', priority: 'URGENT', assigneeId: w.colleagueA.id, colour: 'red' })
      .expect(422);
    expect(bad.body.errors).toMatchObject({
      title: expect.any(String),
      dueAt: expect.any(String),
      priority: expect.any(String),
      assigneeId: 'You may not set this field.',
      colour: 'Unknown field.',
    });
    expect(await counts()).toEqual(before);
  });

  it("a manager's assignee is mailed on create and on reassignment; another company's user is refused", async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.managerA), { name: 'Dispatcher' });
    const res = await call('post', '/tasks', token).send({ title: 'Visit site', assigneeId: w.colleagueA.id });
    expect(res.status).toBe(201);
    expect((await ctx.mail.latestTo(w.colleagueA.email)).subject).toContain('Visit site');
    const id = res.body.id as number;
    await call('patch', `/tasks/${id}`, token).send({ assigneeId: w.staffA.id }).expect(200);
    expect((await ctx.mail.latestTo(w.staffA.email)).subject).toContain('Visit site');
    const before = await counts();
    await call('patch', `/tasks/${id}`, token).send({ assigneeId: w.staffB.id }).expect(422);
    await call('post', '/tasks', token).send({ title: 'X', assigneeId: w.staffB.id }).expect(422);
    expect(await counts()).toEqual(before);
  });

  it('PATCH marks done (completion time), keeps what is not sent; stale version 409, stale If-Match 412', async () => {
    const w = await buildWorld(ctx);
    const due = new Date('2030-01-02T03:04:05.678Z');
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Ship', description: 'Keep me', dueAt: due });
    const token = await makeToken(await w.as(w.staffA), { name: 'Sync' });
    const path = `/tasks/${task.id}`;
    const res = await call('patch', path, token).send({ status: 'DONE' }).expect(200);
    expect(res.headers.etag).toBe('"2"');
    const saved = await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(saved).toMatchObject({ title: 'Ship', description: 'Keep me', status: 'DONE', dueAt: due, version: 2 });
    expect(saved.completedAt).not.toBeNull();
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Task', action: 'update' } });
    expect(Object.keys(entry.changes as object).sort()).toEqual(['completedAt', 'status', 'via']);
    await call('patch', path, token).send({ title: 'Old', version: 1 }).expect(409);
    await call('patch', path, token).set('If-Match', '"1"').send({ title: 'Old' }).expect(412);
    await call('patch', path, token).send({ status: 'LATER', title: 7 }).expect(422);
    expect((await call('patch', path, token).send({}).expect(200)).body.version).toBe(2);
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toEqual(saved);
    await call('patch', path, token).set('If-Match', '"2"').send({ status: 'OPEN' }).expect(200);
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).completedAt).toBeNull();
  });

  it("DELETE as the page; refused without the permission, on a colleague's or another company's task", async () => {
    const w = await buildWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Gone soon' });
    const carla = await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Carla' });
    const other = await ctx.make.task(w.b.id, w.staffB.id, { title: 'Bravo' });
    const manager = await makeToken(await w.as(w.managerA), { name: 'Cleaner' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'Staff' });
    const reader = await makeToken(await w.as(w.managerA), { name: 'Reader', access: 'READ' });
    const viewer = await limitedStaff(ctx, w.a.id, ['task.view']);
    const own = await ctx.make.task(w.a.id, viewer.id, { title: 'Viewed' });
    const limited = await makeToken(await w.as(viewer), { name: 'Limited' });
    const before = await counts();
    await call('delete', `/tasks/${task.id}`, staff).expect(403); // the Staff group has no task.delete
    await call('delete', `/tasks/${other.id}`, manager).expect(404);
    await call('patch', `/tasks/${carla.id}`, staff).send({ title: 'Mine' }).expect(404);
    await call('patch', `/tasks/${other.id}`, manager).send({ title: 'Mine' }).expect(404);
    for (const t of [reader, limited]) {
      await call('post', '/tasks', t).send({ title: 'New' }).expect(403);
      await call('patch', `/tasks/${own.id}`, t).send({ title: 'Changed' }).expect(403);
      await call('delete', `/tasks/${own.id}`, t).expect(403);
    }
    expect(await counts()).toEqual(before);
    await call('delete', `/tasks/${task.id}`, manager).expect(204);
    expect(await ctx.prisma.task.count({ where: { id: task.id } })).toBe(0);
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Task', action: 'delete' } });
    expect(viaOf(entry)).toMatch(/^API token "Cleaner"/);
  });
});

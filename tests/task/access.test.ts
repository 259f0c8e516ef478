// Who may reach which task: out-of-scope rows answer 404 on every route, missing permissions 403,
// and a refused request changes nothing.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signInAs, type Session } from '../helpers/session.ts';
import { taskForm, taskWorld } from './world.ts';

const ctx = useTestContext();

/** Every route that names a task, with the answer expected for a row the user cannot see. */
async function expectInvisible(s: Session, id: number | string) {
  await s.get(`/tasks/${id}`).expect(404);
  await s.get(`/tasks/${id}/edit`).expect(404);
  await s.post(`/tasks/${id}`, taskForm({ title: 'Hijacked', version: '1' })).expect(404);
  await s.post(`/tasks/${id}/done`).expect(404);
  await s.post(`/tasks/${id}/reopen`).expect(404);
}

describe('task scope', () => {
  it('a task of another company does not exist for an account manager, and is unchanged', async () => {
    const w = await taskWorld(ctx);
    const task = await ctx.make.task(w.b.id, w.staffB.id, {
      title: 'Bolt task',
      status: 'DONE',
      completedAt: new Date(),
    });
    const s = await signInAs(ctx, w.managerA);
    await expectInvisible(s, task.id);
    await s.get(`/tasks/${task.id}/delete`).expect(404);
    await s.post(`/tasks/${task.id}/delete`).expect(404);
    const list = await s.get('/tasks').expect(200);
    expect(list.text).not.toContain('Bolt task');
    const csv = await s.get('/tasks/export.csv').expect(200);
    expect(csv.text).not.toContain('Bolt task');
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      title: 'Bolt task',
      status: 'DONE',
      version: 1,
    });
  });

  it('staff cannot see a colleague’s task (404 everywhere), only their own', async () => {
    const w = await taskWorld(ctx);
    const theirs = await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Colleague task' });
    const mine = await ctx.make.task(w.a.id, w.staffA.id, { title: 'My task' });
    const s = await signInAs(ctx, w.staffA);
    await expectInvisible(s, theirs.id);
    const list = await s.get('/tasks').expect(200);
    expect(list.text).toContain('My task');
    expect(list.text).not.toContain('Colleague task');
    // Filters naming someone else change nothing for staff.
    const filtered = await s.get(`/tasks?assigneeId=${w.colleagueA.id}&companyId=${w.b.id}`).expect(200);
    expect(filtered.text).toContain('My task');
    expect(filtered.text).not.toContain('Colleague task');
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      title: 'Colleague task',
      version: 1,
    });
    await s.get(`/tasks/${mine.id}`).expect(200);
  });

  it('the account manager sees every task of the company; the superuser every company’s', async () => {
    const w = await taskWorld(ctx);
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Acme one' });
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Acme two' });
    const other = await ctx.make.task(w.b.id, w.staffB.id, { title: 'Bolt one' });
    const am = await signInAs(ctx, w.managerA);
    const amList = (await am.get('/tasks').expect(200)).text;
    expect(amList).toContain('Acme one');
    expect(amList).toContain('Acme two');
    expect(amList).not.toContain('Bolt one');
    const su = await signInAs(ctx, w.su);
    const suList = (await su.get('/tasks').expect(200)).text;
    for (const t of ['Acme one', 'Acme two', 'Bolt one']) expect(suList).toContain(t);
    const onlyBolt = (await su.get(`/tasks?companyId=${w.b.id}`).expect(200)).text;
    expect(onlyBolt).not.toContain('Acme one');
    await su.get(`/tasks/${other.id}/edit`).expect(200);
    await su
      .post(
        `/tasks/${other.id}`,
        taskForm({ title: 'Fixed by support', assigneeId: String(w.staffB.id), version: '1' }),
      )
      .expect(303);
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: other.id } })).title).toBe('Fixed by support');
  });

  it('malformed and unknown ids answer 404, never 500', async () => {
    const w = await taskWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    for (const id of ['abc', '99999999999', '0', '1.5', '-1', '2147483648', '999999']) await expectInvisible(s, id);
  });

  it('a visitor is sent to sign in; a POST without a session is 401', async () => {
    const w = await taskWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id);
    const res = await request(ctx.app).get('/tasks').expect(302);
    expect(res.headers.location).toBe('/login?next=%2Ftasks');
    await request(ctx.app).post(`/tasks/${task.id}/delete`).expect(401);
    expect(await ctx.prisma.task.count()).toBe(1);
  });
});

describe('task permissions', () => {
  it('default staff have no task.delete: no Delete link, and the route answers 403', async () => {
    const w = await taskWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id);
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get(`/tasks/${task.id}`).expect(200);
    expect(page.text).not.toContain(`href="/tasks/${task.id}/delete"`);
    expect(page.text).toContain(`href="/tasks/${task.id}/edit"`);
    await s.get(`/tasks/${task.id}/delete`).expect(403);
    const res = await s.post(`/tasks/${task.id}/delete`).expect(403);
    expect(res.text).toContain('task.delete');
    expect(await ctx.prisma.task.count()).toBe(1);
  });

  it('staff with task.view only: no add or change (403), no buttons for them', async () => {
    const w = await taskWorld(ctx);
    const group = await ctx.make.group(w.a.id, ['task.view']);
    const viewer = await ctx.make.staff(w.a.id, { groups: [group.name] });
    const task = await ctx.make.task(w.a.id, viewer.id, { title: 'Look only' });
    const s = await signInAs(ctx, viewer);
    const list = await s.get('/tasks').expect(200);
    expect(list.text).not.toContain('href="/tasks/new"');
    expect(list.text).not.toContain(`/tasks/${task.id}/done`);
    const page = await s.get(`/tasks/${task.id}`).expect(200);
    expect(page.text).not.toContain('Mark done');
    await s.get('/tasks/new').expect(403);
    await s.post('/tasks', taskForm()).expect(403);
    await s.get(`/tasks/${task.id}/edit`).expect(403);
    await s.post(`/tasks/${task.id}`, taskForm({ title: 'Changed', version: '1' })).expect(403);
    await s.post(`/tasks/${task.id}/done`).expect(403);
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      title: 'Look only',
      status: 'OPEN',
      version: 1,
    });
    expect(await ctx.prisma.task.count()).toBe(1);
  });

  it('staff without task.view cannot open the list, the export or a task', async () => {
    const w = await taskWorld(ctx);
    const group = await ctx.make.group(w.a.id, ['customer.view']);
    const outsider = await ctx.make.staff(w.a.id, { groups: [group.name] });
    const task = await ctx.make.task(w.a.id, outsider.id);
    const s = await signInAs(ctx, outsider);
    await s.get('/tasks').expect(403);
    await s.get('/tasks/export.csv').expect(403);
    await s.get(`/tasks/${task.id}`).expect(403);
    expect((await s.get('/dashboard').expect(200)).text).not.toContain('href="/tasks"');
  });
});

// Task create and edit, for each role: the role-adaptive assignee, validation, time zones,
// optimistic locking, completion time, audit entries and assignment mail.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { fieldValue, optionValues } from '../helpers/html.ts';
import { taskForm, taskWorld } from './world.ts';

const ctx = useTestContext();

describe('creating tasks', () => {
  it(
    '?customerId= preselects a customer of the company; ' + "another company's customer is neither selected nor shown",
    async () => {
      const w = await taskWorld(ctx);
      const own = await ctx.make.customer(w.a.id, { name: 'Own Customer Ltd' });
      const foreign = await ctx.make.customer(w.b.id, { name: 'Foreign Secret GmbH' });
      const s = await signInAs(ctx, w.managerA);
      const page = await s.get(`/tasks/new?customerId=${own.id}`).expect(200);
      expect(fieldValue(page.text, 'customerId')).toBe(String(own.id));
      const other = await s.get(`/tasks/new?customerId=${foreign.id}`).expect(200);
      expect(fieldValue(other.text, 'customerId')).toBe('');
      expect(other.text).not.toContain('Foreign Secret GmbH');
      // A superuser who names no company gets the company of the customer.
      const su = await signInAs(ctx, w.su);
      const suPage = await su.get(`/tasks/new?customerId=${foreign.id}`).expect(200);
      expect(fieldValue(suPage.text, 'customerId')).toBe(String(foreign.id));
      expect(suPage.text).toContain('Bolt');
      // …and a customer of another company than the one the superuser named is not carried over.
      const mixed = await su.get(`/tasks/new?companyId=${w.a.id}&customerId=${foreign.id}`).expect(200);
      expect(fieldValue(mixed.text, 'customerId')).toBe('');
      expect(mixed.text).not.toContain('Foreign Secret GmbH');
      const appt = await s.get(`/appointments/new?customerId=${own.id}`).expect(200);
      expect(fieldValue(appt.text, 'customerId')).toBe(String(own.id));
      expect(await ctx.prisma.task.count()).toBe(0);
    },
  );

  it('staff: no assignee field; the task is theirs whatever the POST says, and nobody is mailed', async () => {
    const w = await taskWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get('/tasks/new').expect(200);
    expect(page.text).not.toContain('name="assigneeId"');
    expect(page.text).toContain('<label for="f-title"');
    ctx.mail.clear();
    const res = await s
      .post('/tasks', taskForm({ title: 'Mine', assigneeId: String(w.colleagueA.id), companyId: String(w.b.id) }))
      .expect(303);
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Mine' } });
    expect(res.headers.location).toBe(`/tasks/${task.id}`);
    expect(task).toMatchObject({
      assigneeId: w.staffA.id,
      companyId: w.a.id,
      createdById: w.staffA.id,
      status: 'OPEN',
      completedAt: null,
    });
    expect(ctx.mail.messages).toHaveLength(0);
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Task', recordId: String(task.id) } });
    expect(audit).toMatchObject({ action: 'create', actorId: w.staffA.id, companyId: w.a.id });
    const shown = await s.get(res.headers.location).expect(200);
    expect(shown.text).toContain('Task &#34;Mine&#34; created.');
  });

  it('account manager: assignee options are the active users of the company; the assignee is mailed', async () => {
    const w = await taskWorld(ctx);
    const gone = await ctx.make.staff(w.a.id, { name: 'Gone Away', active: false });
    const s = await signInAs(ctx, w.managerA);
    const page = await s.get('/tasks/new').expect(200);
    const options = optionValues(page.text, 'assigneeId');
    expect(options).toEqual(
      expect.arrayContaining([String(w.managerA.id), String(w.staffA.id), String(w.colleagueA.id)]),
    );
    expect(options).not.toContain(String(w.staffB.id));
    expect(options).not.toContain(String(gone.id));
    ctx.mail.clear();
    await s.post('/tasks', taskForm({ title: 'Prepare offer', assigneeId: String(w.staffA.id) })).expect(303);
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Prepare offer' } });
    expect(task.assigneeId).toBe(w.staffA.id);
    const mail = await ctx.mail.latestTo(w.staffA.email);
    expect(mail.subject).toBe('Task assigned to you: Prepare offer');
    expect(mail.text).toContain(`http://crm.test/tasks/${task.id}`);
    expect(mail.text).toContain('Mona Manager');
  });

  it('account manager assigning to themselves sends no mail', async () => {
    const w = await taskWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    ctx.mail.clear();
    await s.post('/tasks', taskForm({ title: 'Self', assigneeId: String(w.managerA.id) })).expect(303);
    expect(await ctx.prisma.task.count({ where: { title: 'Self', assigneeId: w.managerA.id } })).toBe(1);
    expect(ctx.mail.messages).toHaveLength(0);
  });

  it('an assignee or customer outside the company is a field error (422, values kept), nothing saved', async () => {
    const w = await taskWorld(ctx);
    const otherCustomer = await ctx.make.customer(w.b.id);
    const gone = await ctx.make.staff(w.a.id, { active: false });
    const s = await signInAs(ctx, w.managerA);
    for (const bad of [{ assigneeId: String(w.staffB.id) }, { assigneeId: String(gone.id) }, { assigneeId: '' }]) {
      const res = await s.post('/tasks', taskForm({ title: 'Kept title', ...bad })).expect(422);
      expect(res.text).toContain('id="f-assigneeId-error"');
      expect(fieldValue(res.text, 'title')).toBe('Kept title');
    }
    const res = await s
      .post(
        '/tasks',
        taskForm({ title: 'Kept', assigneeId: String(w.staffA.id), customerId: String(otherCustomer.id) }),
      )
      .expect(422);
    expect(res.text).toContain('Choose a customer of this company.');
    expect(await ctx.prisma.task.count()).toBe(0);
  });

  it('bad input answers 422 with a message beside each field and the typed values kept', async () => {
    const w = await taskWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const res = await s
      .post('/tasks', taskForm({ title: '  ', description: 'Keep me', dueAt: '2026-02-30T09:00', priority: 'URGENT' }))
      .expect(422);
    expect(res.text).toContain('Enter the title.');
    expect(res.text).toContain('id="f-dueAt-error"');
    expect(res.text).toContain('Choose a priority.');
    expect(fieldValue(res.text, 'description')).toBe('Keep me');
    expect(fieldValue(res.text, 'dueAt')).toBe('2026-02-30T09:00');
    for (const dueAt of ['9999-12-31T23:59', '0001-01-01T00:00', '2026-1-5', 'tomorrow']) {
      const res = await s.post('/tasks', taskForm({ dueAt })).expect(422);
      expect(res.text).toContain('id="f-dueAt-error"');
    }
    // A repeated field is refused too, never a 500.
    await s.post('/tasks', { ...taskForm(), title: ['a', 'b'] }).expect(422);
    expect(await ctx.prisma.task.count()).toBe(0);
  });

  it('a POST without the CSRF token is refused and saves nothing', async () => {
    const w = await taskWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    await s.agent.post('/tasks').type('form').send(taskForm()).expect(403);
    expect(await ctx.prisma.task.count()).toBe(0);
  });

  it('superuser: picks the company first, then gets that company’s users only', async () => {
    const w = await taskWorld(ctx);
    const s = await signInAs(ctx, w.su);
    const step = await s.get('/tasks/new').expect(200);
    expect(step.text).toContain('First choose the company');
    expect(optionValues(step.text, 'companyId')).toEqual(expect.arrayContaining([String(w.a.id), String(w.b.id)]));
    const form = await s.get(`/tasks/new?companyId=${w.a.id}`).expect(200);
    expect(optionValues(form.text, 'assigneeId')).toContain(String(w.staffA.id));
    expect(optionValues(form.text, 'assigneeId')).not.toContain(String(w.staffB.id));
    await s.post('/tasks', taskForm({ companyId: String(w.a.id), assigneeId: String(w.staffB.id) })).expect(422);
    await s.post('/tasks', taskForm({ assigneeId: String(w.staffA.id) })).expect(422);
    expect(await ctx.prisma.task.count()).toBe(0);
    await s
      .post('/tasks', taskForm({ title: 'For Acme', companyId: String(w.a.id), assigneeId: String(w.staffA.id) }))
      .expect(303);
    expect(await ctx.prisma.task.findFirstOrThrow({ where: { title: 'For Acme' } })).toMatchObject({
      companyId: w.a.id,
      assigneeId: w.staffA.id,
    });
  });

  it('the due date is entered and shown in the user’s time zone and stored in UTC', async () => {
    const w = await taskWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'Europe/Paris' } });
    const s = await signInAs(ctx, w.staffA);
    await s.post('/tasks', taskForm({ title: 'Paris', dueAt: '2026-01-15T09:00' })).expect(303);
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Paris' } });
    expect(task.dueAt?.toISOString()).toBe('2026-01-15T08:00:00.000Z');
    const edit = await s.get(`/tasks/${task.id}/edit`).expect(200);
    expect(fieldValue(edit.text, 'dueAt')).toBe('2026-01-15T09:00');
    expect((await s.get(`/tasks/${task.id}`).expect(200)).text).toContain('2026-01-15 09:00');
    // Summer time: 09:00 in Paris is 07:00Z.
    await s
      .post(`/tasks/${task.id}`, taskForm({ title: 'Paris', dueAt: '2026-07-15T09:00', version: '1' }))
      .expect(303);
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).dueAt?.toISOString()).toBe(
      '2026-07-15T07:00:00.000Z',
    );
  });
});

describe('editing tasks', () => {
  it('saves the form, bumps the version and audits the changed fields', async () => {
    const w = await taskWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Old' });
    const s = await signInAs(ctx, w.staffA);
    const edit = await s.get(`/tasks/${task.id}/edit`).expect(200);
    expect(fieldValue(edit.text, 'version')).toBe('1');
    await s.post(`/tasks/${task.id}`, taskForm({ title: 'New', priority: 'HIGH', version: '1' })).expect(303);
    const row = await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(row).toMatchObject({ title: 'New', priority: 'HIGH', version: 2, assigneeId: w.staffA.id });
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Task', action: 'update' } });
    expect(audit.changes).toMatchObject({ title: ['Old', 'New'], priority: ['NORMAL', 'HIGH'] });
  });

  it(
    'a stale version answers 409 with the newer values shown, ' +
      'the typed values kept and the new version in the form',
    async () => {
      const w = await taskWorld(ctx);
      const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Original' });
      await ctx.prisma.task.update({ where: { id: task.id }, data: { title: 'Saved by someone else', version: 2 } });
      const s = await signInAs(ctx, w.staffA);
      const res = await s.post(`/tasks/${task.id}`, taskForm({ title: 'My version', version: '1' })).expect(409);
      expect(res.text).toContain('Saved by someone else');
      expect(fieldValue(res.text, 'title')).toBe('My version');
      expect(fieldValue(res.text, 'version')).toBe('2');
      expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).title).toBe('Saved by someone else');
      // Saving again with the version the conflict page gave keeps the user's version.
      await s.post(`/tasks/${task.id}`, taskForm({ title: 'My version', version: '2' })).expect(303);
      expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).title).toBe('My version');
    },
  );

  it(
    'reassignment by an account manager mails the new ' + 'assignee; with the mail server away the mail waits',
    async () => {
      const w = await taskWorld(ctx);
      const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Hand over' });
      const s = await signInAs(ctx, w.managerA);
      ctx.mail.clear();
      await s
        .post(`/tasks/${task.id}`, taskForm({ title: 'Hand over', assigneeId: String(w.colleagueA.id), version: '1' }))
        .expect(303);
      expect((await ctx.mail.latestTo(w.colleagueA.email, 10_000, 'Task assigned to you: Hand over')).subject).toBe(
        'Task assigned to you: Hand over',
      );
      expect(ctx.mail.messages.some((m) => m.to.includes(w.staffA.email))).toBe(false);
      ctx.mail.refuse = true;
      const res = await s
        .post(`/tasks/${task.id}`, taskForm({ title: 'Hand over', assigneeId: String(w.staffA.id), version: '2' }))
        .expect(303);
      expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).assigneeId).toBe(w.staffA.id);
      const page = await s.get(res.headers.location).expect(200);
      expect(page.text).not.toContain('could not be sent');
      // The queue retries: the mail goes out once the server accepts again.
      ctx.mail.refuse = false;
      expect((await ctx.mail.latestTo(w.staffA.email, 15_000)).subject).toBe('Task assigned to you: Hand over');
    },
  );

  it('setting the status to done records the completion time; reopening clears it', async () => {
    const w = await taskWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id);
    const s = await signInAs(ctx, w.staffA);
    await s.post(`/tasks/${task.id}`, taskForm({ title: task.title, status: 'DONE', version: '1' })).expect(303);
    const done = await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(done.completedAt).toBeInstanceOf(Date);
    await s.post(`/tasks/${task.id}`, taskForm({ title: 'still done', status: 'DONE', version: '2' })).expect(303);
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).completedAt).toEqual(done.completedAt);
    await s.post(`/tasks/${task.id}`, taskForm({ title: task.title, status: 'IN_PROGRESS', version: '3' })).expect(303);
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).completedAt).toBeNull();
  });

  it('the "Mark done" and "Reopen" buttons set and clear the completion time and return to the list', async () => {
    const w = await taskWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id);
    const s = await signInAs(ctx, w.staffA);
    const list = await s.get('/tasks?show=mine').expect(200);
    expect(list.text).toContain(`action="/tasks/${task.id}/done"`);
    const res = await s.post(`/tasks/${task.id}/done`, { returnTo: '/tasks?show=mine' }).expect(303);
    expect(res.headers.location).toBe('/tasks?show=mine');
    const row = await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(row).toMatchObject({ status: 'DONE', version: 2 });
    expect(row.completedAt).toBeInstanceOf(Date);
    // An outside address is not followed.
    const again = await s.post(`/tasks/${task.id}/reopen`, { returnTo: 'https://evil.test/' }).expect(303);
    expect(again.headers.location).toBe(`/tasks/${task.id}`);
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: 'OPEN',
      completedAt: null,
      version: 3,
    });
    expect(
      await ctx.prisma.auditEntry.count({ where: { model: 'Task', recordId: String(task.id), action: 'update' } }),
    ).toBe(2);
  });

  it('deletes after a confirmation page, with an audit entry', async () => {
    const w = await taskWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Obsolete' });
    const s = await signInAs(ctx, w.managerA);
    const confirm = await s.get(`/tasks/${task.id}/delete`).expect(200);
    expect(confirm.text).toContain('Delete task &#34;Obsolete&#34;?');
    await s.post(`/tasks/${task.id}/delete`).expect(303);
    expect(await ctx.prisma.task.count()).toBe(0);
    expect(
      await ctx.prisma.auditEntry.count({ where: { model: 'Task', action: 'delete', recordId: String(task.id) } }),
    ).toBe(1);
  });
});

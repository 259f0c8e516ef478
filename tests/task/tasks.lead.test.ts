// Tasks linked to a lead (issue 13 item 4): the lead field of the task form for each role, "Add task" from a
// lead's and a customer's page (the form opened with the lead, customer and assignee set, then back to the
// record), the refusals (another company's lead, a colleague's lead for staff, CSRF, a stale version), the lead
// shown on the task's page, list, CSV, 409 rows and audit trail, and the lead's next task kept by the database.
import { describe, expect, it } from 'vitest';
import { downloadCsv } from '../helpers/csv.ts';
import { useTestContext } from '../helpers/context.ts';
import { all, fieldError, fieldValue, formFields, optionValues, textOf, type Html } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { taskForm, taskWorld } from './world.ts';

const ctx = useTestContext();

/** The href of the page's link whose text is `label` (entities decoded). */
export function linkHref(html: Html, label: string): string {
  const a = all(html, 'a').find((el) => textOf(el) === label);
  if (!a) throw new Error(`no link "${label}" on the page`);
  return a.attribs.href;
}

/** A world with, in company A, a customer and a lead of staffA's linked to it; in company B a lead too. */
async function leadWorld() {
  const w = await taskWorld(ctx);
  const customer = await ctx.make.customer(w.a.id, { name: 'Dupont SA' });
  const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Dupont rollout', customerId: customer.id });
  const bare = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Loose lead' });
  const colleagues = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Colleague secret lead' });
  const foreign = await ctx.make.lead(w.b.id, w.staffB.id, { title: 'Bolt secret lead' });
  return { ...w, customer, lead, bare, colleagues, foreign };
}

const auditOf = (id: number, action: string) =>
  ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Task', recordId: String(id), action } });

describe('"Add task" from a lead page', () => {
  it('account manager: the form has the lead, its customer and its assignee; saving returns to the lead', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.managerA);
    const leadPage = await s.get(`/leads/${w.lead.id}`).expect(200);
    const href = linkHref(leadPage, 'Add task');
    expect(href).toBe(`/tasks/new?leadId=${w.lead.id}&customerId=${w.customer.id}&returnTo=%2Fleads%2F${w.lead.id}`);
    const form = await s.get(href).expect(200);
    expect(fieldValue(form, 'leadId')).toBe(String(w.lead.id));
    expect(fieldValue(form, 'customerId')).toBe(String(w.customer.id));
    expect(fieldValue(form, 'assigneeId')).toBe(String(w.staffA.id));
    expect(fieldValue(form, 'returnTo')).toBe(`/leads/${w.lead.id}`);
    expect(linkHref(form, 'Cancel')).toBe(`/leads/${w.lead.id}`);
    // The lead picker offers the company's leads (the manager sees them all), never another company's.
    expect(optionValues(form, 'leadId')).toEqual(expect.arrayContaining([String(w.colleagues.id)]));
    expect(form.text).not.toContain('Bolt secret lead');
    ctx.mail.clear();
    const res = await s
      .post('/tasks', { ...formFields(form, '/tasks'), title: 'Send the offer', dueAt: '2030-03-01T10:00' })
      .expect(303);
    expect(res.headers.location).toBe(`/leads/${w.lead.id}`);
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Send the offer' } });
    expect(task).toMatchObject({
      leadId: w.lead.id,
      customerId: w.customer.id,
      assigneeId: w.staffA.id,
      createdById: w.managerA.id,
    });
    // The database keeps the lead's next step: the soonest open task's due date.
    const lead = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: w.lead.id } });
    expect(lead.nextTaskId).toBe(task.id);
    expect(lead.nextTaskDueAt?.toISOString()).toBe('2030-03-01T10:00:00.000Z');
    expect((await ctx.mail.latestTo(w.staffA.email, 10_000, 'Task assigned to you: Send the offer')).subject).toBe(
      'Task assigned to you: Send the offer',
    );
    expect((await auditOf(task.id, 'create')).changes).toMatchObject({
      leadId: [null, w.lead.id],
      customerId: [null, w.customer.id],
    });
    // The task's page links the lead, and its History names it.
    const page = await s.get(`/tasks/${task.id}`).expect(200);
    expect(page.text).toContain(`<a href="/leads/${w.lead.id}">Dupont rollout</a>`);
    const history = all(page, 'section[aria-labelledby="history-heading"]').map(textOf).join(' ');
    expect(history).toMatch(/Lead:?\s.*Dupont rollout/);
  });

  it('staff: their own lead is set, the task is theirs; the "Schedule meeting" link is there too', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.staffA);
    const leadPage = await s.get(`/leads/${w.bare.id}`).expect(200);
    expect(linkHref(leadPage, 'Schedule meeting')).toBe(
      `/appointments/new?leadId=${w.bare.id}&returnTo=%2Fleads%2F${w.bare.id}`,
    );
    const form = await s.get(linkHref(leadPage, 'Add task')).expect(200);
    expect(fieldValue(form, 'leadId')).toBe(String(w.bare.id));
    expect(fieldValue(form, 'customerId')).toBe('');
    expect(fieldValue(form, 'assigneeId')).toBeNull();
    // Staff pick among their own leads only.
    expect(optionValues(form, 'leadId')).not.toContain(String(w.colleagues.id));
    expect(form.text).not.toContain('Colleague secret lead');
    const res = await s.post('/tasks', { ...formFields(form, '/tasks'), title: 'Call again' }).expect(303);
    expect(res.headers.location).toBe(`/leads/${w.bare.id}`);
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Call again' } });
    expect(task).toMatchObject({ leadId: w.bare.id, customerId: null, assigneeId: w.staffA.id });
    const shown = await s.get(`/tasks/${task.id}`).expect(200);
    expect(shown.text).toContain(`<a href="/leads/${w.bare.id}">Loose lead</a>`);
  });

  it('superuser: the form opens in the lead’s company, without the choose-company step', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.su);
    const form = await s.get(linkHref(await s.get(`/leads/${w.foreign.id}`).expect(200), 'Add task')).expect(200);
    expect(fieldValue(form, 'companyId')).toBe(String(w.b.id));
    expect(fieldValue(form, 'leadId')).toBe(String(w.foreign.id));
    expect(fieldValue(form, 'assigneeId')).toBe(String(w.staffB.id));
    await s.post('/tasks', { ...formFields(form, '/tasks'), title: 'Bolt follow-up' }).expect(303);
    expect(await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Bolt follow-up' } })).toMatchObject({
      companyId: w.b.id,
      leadId: w.foreign.id,
      assigneeId: w.staffB.id,
    });
    // A lead of another company than the one the form is for is refused.
    const res = await s
      .post(
        '/tasks',
        taskForm({ companyId: String(w.a.id), assigneeId: String(w.staffA.id), leadId: String(w.foreign.id) }),
      )
      .expect(422);
    expect(fieldError(res, 'leadId')).toBe('Choose a lead you can see.');
  });
});

describe('"Add task" from a customer page', () => {
  it('the form has the customer and no lead; saving returns to the customer', async () => {
    const w = await leadWorld();
    for (const user of [w.managerA, w.staffA]) {
      const s = await signInAs(ctx, user);
      const customerPage = await s.get(`/customers/${w.customer.id}`).expect(200);
      const href = linkHref(customerPage, 'Add task');
      expect(href).toBe(`/tasks/new?customerId=${w.customer.id}&returnTo=%2Fcustomers%2F${w.customer.id}`);
      expect(linkHref(customerPage, 'Schedule meeting')).toBe(
        `/appointments/new?customerId=${w.customer.id}&returnTo=%2Fcustomers%2F${w.customer.id}`,
      );
      const form = await s.get(href).expect(200);
      expect(fieldValue(form, 'customerId')).toBe(String(w.customer.id));
      expect(fieldValue(form, 'leadId')).toBe('');
      const fields = { ...formFields(form, '/tasks'), title: `For Dupont ${user.id}`, assigneeId: String(user.id) };
      const res = await s.post('/tasks', fields).expect(303);
      expect(res.headers.location).toBe(`/customers/${w.customer.id}`);
      expect(await ctx.prisma.task.findFirstOrThrow({ where: { title: `For Dupont ${user.id}` } })).toMatchObject({
        customerId: w.customer.id,
        leadId: null,
        assigneeId: user.id,
      });
    }
  });

  it('without task.add or appointment.add the buttons are not shown', async () => {
    const w = await leadWorld();
    const group = await ctx.make.group(w.a.id, ['lead.view', 'customer.view', 'task.view'], { name: 'Viewers' });
    const viewer = await ctx.make.staff(w.a.id, { groups: [group.name] });
    const lead = await ctx.make.lead(w.a.id, viewer.id, { title: 'Viewer lead' });
    const s = await signInAs(ctx, viewer);
    for (const path of [`/leads/${lead.id}`, `/customers/${w.customer.id}`]) {
      const page = await s.get(path).expect(200);
      expect(page.text).not.toContain('>Add task</a>');
      expect(page.text).not.toContain('>Schedule meeting</a>');
    }
  });
});

describe('the lead field: refusals and prefill that is ignored', () => {
  it('another company’s lead: 422 beside the field with the form kept on POST, ignored on GET', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.managerA);
    const res = await s
      .post('/tasks', taskForm({ title: 'Kept', assigneeId: String(w.staffA.id), leadId: String(w.foreign.id) }))
      .expect(422);
    expect(fieldError(res, 'leadId')).toBe('Choose a lead you can see.');
    expect(fieldValue(res, 'title')).toBe('Kept');
    expect(res.text).not.toContain('Bolt secret lead');
    for (const query of [
      `leadId=${w.foreign.id}`,
      `leadId=${w.foreign.id}&customerId=${w.customer.id}`,
      'leadId=abc&customerId=x1',
      'leadId=99999999999&customerId=-3',
      'leadId=0',
      'leadId[]=1&customerId[a]=2',
    ]) {
      const form = await s.get(`/tasks/new?${query}`).expect(200);
      expect(fieldValue(form, 'leadId')).toBe('');
      expect(form.text).not.toContain('Bolt secret lead');
    }
    // A malformed lead id posted is a field error too, never a 500.
    for (const leadId of ['abc', '-1', '99999999999']) {
      const bad = await s.post('/tasks', taskForm({ assigneeId: String(w.staffA.id), leadId })).expect(422);
      expect(fieldError(bad, 'leadId')).toBeTruthy();
    }
    await s.post('/tasks', { ...taskForm({ assigneeId: String(w.staffA.id) }), leadId: ['1', '2'] }).expect(422);
    expect(await ctx.prisma.task.count()).toBe(0);
  });

  it('staff with a colleague’s lead: 422 on POST (create and edit), ignored on GET; nothing saved', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.staffA);
    const res = await s.post('/tasks', taskForm({ title: 'Sneaky', leadId: String(w.colleagues.id) })).expect(422);
    expect(fieldError(res, 'leadId')).toBe('Choose a lead you can see.');
    expect(fieldValue(res, 'title')).toBe('Sneaky');
    expect(res.text).not.toContain('Colleague secret lead');
    const form = await s.get(`/tasks/new?leadId=${w.colleagues.id}&returnTo=%2Fleads%2F${w.colleagues.id}`);
    expect(form.status).toBe(200);
    expect(fieldValue(form, 'leadId')).toBe('');
    expect(form.text).not.toContain('Colleague secret lead');
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Mine' });
    const edit = await s
      .post(`/tasks/${task.id}`, taskForm({ title: 'Mine', leadId: String(w.colleagues.id), version: '1' }))
      .expect(422);
    expect(fieldError(edit, 'leadId')).toBe('Choose a lead you can see.');
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      leadId: null,
      version: 1,
    });
    expect(await ctx.prisma.task.count({ where: { title: 'Sneaky' } })).toBe(0);
  });

  it('a POST without the CSRF token is refused and links nothing', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.staffA);
    await s.agent
      .post('/tasks')
      .type('form')
      .send(taskForm({ leadId: String(w.lead.id) }))
      .expect(403);
    const task = await ctx.make.task(w.a.id, w.staffA.id);
    await s.agent
      .post(`/tasks/${task.id}`)
      .type('form')
      .send(taskForm({ leadId: String(w.lead.id), version: '1' }))
      .expect(403);
    expect(await ctx.prisma.task.count({ where: { leadId: { not: null } } })).toBe(0);
  });

  it('a lead with a customer gives the task that customer unless the form names another', async () => {
    const w = await leadWorld();
    const other = await ctx.make.customer(w.a.id, { name: 'Other Ltd' });
    const s = await signInAs(ctx, w.staffA);
    await s.post('/tasks', taskForm({ title: 'Inherits', leadId: String(w.lead.id) })).expect(303);
    expect(await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Inherits' } })).toMatchObject({
      leadId: w.lead.id,
      customerId: w.customer.id,
    });
    await s
      .post('/tasks', taskForm({ title: 'Named', leadId: String(w.lead.id), customerId: String(other.id) }))
      .expect(303);
    expect(await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Named' } })).toMatchObject({
      leadId: w.lead.id,
      customerId: other.id,
    });
  });
});

describe('returnTo', () => {
  it('only a lead’s or customer’s page of this site is followed after saving', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.staffA);
    const ok = await s
      .post('/tasks', taskForm({ title: 'Back to customer', returnTo: `/customers/${w.customer.id}` }))
      .expect(303);
    expect(ok.headers.location).toBe(`/customers/${w.customer.id}`);
    for (const [i, returnTo] of [
      'https://evil.test',
      '//evil.test',
      '/tasks',
      '/leads/1/../../x',
      '/\\evil.test',
      '',
    ].entries()) {
      const res = await s.post('/tasks', taskForm({ title: `Stay ${i}`, returnTo })).expect(303);
      const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: `Stay ${i}` } });
      expect(res.headers.location).toBe(`/tasks/${task.id}`);
      const form = await s.get(`/tasks/new?returnTo=${encodeURIComponent(returnTo)}`).expect(200);
      expect(fieldValue(form, 'returnTo')).toBeNull();
      expect(linkHref(form, 'Cancel')).toBe('/tasks');
    }
    // A 422 keeps the returnTo for the next try.
    const bad = await s.post('/tasks', taskForm({ title: '', returnTo: `/leads/${w.lead.id}` })).expect(422);
    expect(fieldValue(bad, 'returnTo')).toBe(`/leads/${w.lead.id}`);
  });
});

describe('editing the lead of a task', () => {
  it('account manager: changes and clears the lead; each change is audited with the lead’s name', async () => {
    const w = await leadWorld();
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Old task without a lead' });
    const s = await signInAs(ctx, w.managerA);
    const edit = await s.get(`/tasks/${task.id}/edit`).expect(200);
    expect(fieldValue(edit, 'leadId')).toBe('');
    const fields = { ...formFields(edit, `/tasks/${task.id}`), leadId: String(w.colleagues.id) };
    await s.post(`/tasks/${task.id}`, fields).expect(303);
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      leadId: w.colleagues.id,
      version: 2,
    });
    expect((await auditOf(task.id, 'update')).changes).toMatchObject({ leadId: [null, w.colleagues.id] });
    const again = await s.get(`/tasks/${task.id}/edit`).expect(200);
    expect(fieldValue(again, 'leadId')).toBe(String(w.colleagues.id));
    await s.post(`/tasks/${task.id}`, { ...formFields(again, `/tasks/${task.id}`), leadId: '' }).expect(303);
    const entries = await ctx.prisma.auditEntry.findMany({
      where: { model: 'Task', recordId: String(task.id), action: 'update' },
      orderBy: { id: 'asc' },
    });
    expect(entries.map((e) => e.changes)).toEqual([
      { leadId: [null, w.colleagues.id] },
      { leadId: [w.colleagues.id, null] },
    ]);
    const trail = await s.get(`/audit?model=Task`).expect(200);
    expect(trail.text).toContain('Colleague secret lead');
  });

  it('a stale version answers 409 with the newer lead among the saved values and the typed lead kept', async () => {
    const w = await leadWorld();
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Contested' });
    await ctx.prisma.task.update({ where: { id: task.id }, data: { leadId: w.lead.id, version: 2 } });
    const s = await signInAs(ctx, w.staffA);
    const res = await s
      .post(`/tasks/${task.id}`, taskForm({ title: 'Contested', leadId: String(w.bare.id), version: '1' }))
      .expect(409);
    const conflict = all(res, '.alert').map(textOf).join(' ');
    expect(conflict).toContain('Lead');
    expect(conflict).toContain('Dupont rollout');
    expect(fieldValue(res, 'leadId')).toBe(String(w.bare.id));
    expect(fieldValue(res, 'version')).toBe('2');
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).leadId).toBe(w.lead.id);
    await s
      .post(`/tasks/${task.id}`, taskForm({ title: 'Contested', leadId: String(w.bare.id), version: '2' }))
      .expect(303);
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).leadId).toBe(w.bare.id);
  });

  it(
    'staff assigned a task on a colleague’s lead: never see its title (page, list, CSV, form, 409), ' +
      'and saving keeps the link',
    async () => {
      const w = await leadWorld();
      const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Handed over', leadId: w.colleagues.id });
      const s = await signInAs(ctx, w.staffA);
      const page = await s.get(`/tasks/${task.id}`).expect(200);
      expect(page.text).not.toContain('Colleague secret lead');
      expect(page.text).not.toContain(`/leads/${w.colleagues.id}`);
      expect(page.text).toContain('A lead you cannot see');
      const list = await s.get('/tasks').expect(200);
      expect(list.text).toContain('Handed over');
      expect(list.text).not.toContain('Colleague secret lead');
      const csv = await downloadCsv(s.get('/tasks/export.csv'));
      expect(csv.text).not.toContain('Colleague secret lead');
      const edit = await s.get(`/tasks/${task.id}/edit`).expect(200);
      expect(edit.text).not.toContain('Colleague secret lead');
      expect(fieldValue(edit, 'leadId')).toBe(String(w.colleagues.id));
      await s
        .post(`/tasks/${task.id}`, { ...formFields(edit, `/tasks/${task.id}`), title: 'Handed over, noted' })
        .expect(303);
      expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
        title: 'Handed over, noted',
        leadId: w.colleagues.id,
      });
      await ctx.prisma.task.update({ where: { id: task.id }, data: { version: 5 } });
      const stale = await s.post(`/tasks/${task.id}`, formFields(edit, `/tasks/${task.id}`)).expect(409);
      expect(stale.text).not.toContain('Colleague secret lead');
      // The manager sees it all.
      const m = await signInAs(ctx, w.managerA);
      expect((await m.get(`/tasks/${task.id}`).expect(200)).text).toContain('Colleague secret lead');
    },
  );
});

describe('the task list and CSV', () => {
  it('show the lead (manager: every lead of the company) in a column of their own', async () => {
    const w = await leadWorld();
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'With lead', leadId: w.lead.id, customerId: w.customer.id });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Without lead' });
    const s = await signInAs(ctx, w.managerA);
    const list = await s.get('/tasks').expect(200);
    expect(list.text).toContain('<th scope="col">Lead</th>');
    expect(list.text).toContain(`<a href="/leads/${w.lead.id}">Dupont rollout</a>`);
    const csv = await downloadCsv(s.get('/tasks/export.csv'), 'tasks.csv');
    expect(csv.header).toContain('lead');
    const lead = csv.header.indexOf('lead');
    const byTitle = Object.fromEntries(csv.rows.map((r) => [r[1], r[lead]]));
    expect(byTitle).toEqual({ 'With lead': 'Dupont rollout', 'Without lead': '' });
  });
});

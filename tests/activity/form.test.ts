// Logging and editing activities: the new form prefilled from a lead or customer, create (from the full form and
// from a timeline's quick-log, which goes back to the record), the follow-up task in the same transaction,
// validation (422 with everything kept), CSRF, the version check (409) and the audit rows.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { fieldError, fieldValue } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { activityForm, activityWorld } from './world.ts';

const ctx = useTestContext();

describe('the new activity form', () => {
  it('is prefilled from ?leadId=&kind=; a lead brings its customer; out of scope is dropped', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get(`/activities/new?leadId=${w.convertedLead.id}&kind=MEETING`).expect(200);
    expect(fieldValue(page.text, 'leadId')).toBe(String(w.convertedLead.id));
    expect(fieldValue(page.text, 'customerId')).toBe(String(w.customer.id));
    expect(fieldValue(page.text, 'kind')).toBe('MEETING');
    expect(page.text).toContain('<label for="f-followUpTitle"');
    const theirs = await s.get(`/activities/new?leadId=${w.colleagueLead.id}`).expect(200);
    expect(fieldValue(theirs.text, 'leadId')).toBe('');
    expect(theirs.text).not.toContain('Carla lead Tulip');
    const foreign = await s.get(`/activities/new?customerId=${w.foreignCustomer.id}`).expect(200);
    expect(fieldValue(foreign.text, 'customerId')).toBe('');
    expect(foreign.text).not.toContain('Bravo Customer Fern');
    const c = await s.get(`/activities/new?customerId=${w.customer.id}`).expect(200);
    expect(fieldValue(c.text, 'customerId')).toBe(String(w.customer.id));
  });

  it('superuser: chooses the company first, or gets it from the lead', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.su);
    const step = await s.get('/activities/new').expect(200);
    expect(step.text).toContain('First choose the company');
    const fromLead = await s.get(`/activities/new?leadId=${w.foreignLead.id}`).expect(200);
    expect(fieldValue(fromLead.text, 'leadId')).toBe(String(w.foreignLead.id));
    expect(fieldValue(fromLead.text, 'companyId')).toBe(String(w.b.id));
    await s
      .post('/activities', activityForm({ summary: 'Super note', kind: 'NOTE', leadId: String(w.foreignLead.id) }))
      .expect(303);
    const saved = await ctx.prisma.activity.findFirstOrThrow({ where: { summary: 'Super note' } });
    expect(saved).toMatchObject({ companyId: w.b.id, authorId: w.su.id, leadId: w.foreignLead.id });
  });
});

describe('logging an activity', () => {
  it('staff log a call on their lead: saved in their name, in their zone, audited; the page shows it', async () => {
    const w = await activityWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'Europe/Warsaw' } });
    const s = await signInAs(ctx, w.staffA);
    const res = await s
      .post(
        '/activities',
        activityForm({
          summary: 'No answer, try Friday',
          details: 'Line one\nLine two',
          occurredAt: '2026-03-02T09:30',
          callOutcome: 'NO_ANSWER',
          durationMinutes: '2',
          leadId: String(w.staffLead.id),
          companyId: String(w.b.id),
        }),
      )
      .expect(303);
    const a = await ctx.prisma.activity.findFirstOrThrow({ where: { summary: 'No answer, try Friday' } });
    expect(res.headers.location).toBe(`/activities/${a.id}`);
    expect(a).toMatchObject({
      companyId: w.a.id,
      authorId: w.staffA.id,
      kind: 'CALL',
      callOutcome: 'NO_ANSWER',
      durationMinutes: 2,
      leadId: w.staffLead.id,
      customerId: null,
      details: 'Line one\nLine two',
      version: 1,
    });
    expect(a.occurredAt.toISOString()).toBe('2026-03-02T08:30:00.000Z');
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({
      where: { model: 'Activity', recordId: String(a.id) },
    });
    expect(audit).toMatchObject({ action: 'create', actorId: w.staffA.id, companyId: w.a.id });
    expect(audit.changes).toMatchObject({ summary: [null, 'No answer, try Friday'], callOutcome: [null, 'NO_ANSWER'] });
    const page = await s.get(res.headers.location).expect(200);
    expect(page.text).toContain('Call &#34;No answer, try Friday&#34; logged.');
    expect(page.text).toContain('2026-03-02 09:30');
    expect(page.text).toContain('No answer');
    expect(page.text).toContain(`/activities/${a.id}/edit`);
  });

  it('an empty "when" is now; on a lead with a customer the customer is set too', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const before = Date.now();
    await s
      .post(
        '/activities',
        activityForm({ kind: 'EMAIL', summary: 'Sent the brochure', leadId: String(w.convertedLead.id) }),
      )
      .expect(303);
    const a = await ctx.prisma.activity.findFirstOrThrow({ where: { summary: 'Sent the brochure' } });
    expect(a.customerId).toBe(w.customer.id);
    expect(a.occurredAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(a.occurredAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('the quick-log returns to the lead page (303, flash); any other returnTo is ignored', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const back = `/leads/${w.staffLead.id}`;
    const res = await s
      .post('/activities', activityForm({ summary: 'Quick one', leadId: String(w.staffLead.id), returnTo: back }))
      .expect(303);
    expect(res.headers.location).toBe(back);
    const page = await s.get(back).expect(200);
    expect(page.text).toContain('Call &#34;Quick one&#34; logged.');
    for (const bad of ['https://evil.test/leads/1', '//evil.test', '/leads/1/delete', '/tasks/1', '/leads/1?x=1']) {
      const r = await s
        .post('/activities', activityForm({ summary: `Bad ${bad}`, customerId: String(w.customer.id), returnTo: bad }))
        .expect(303);
      expect(r.headers.location).toMatch(/^\/activities\/\d+$/);
    }
  });

  it('422: the full form with everything typed kept and each error beside its field; nothing saved', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const before = await ctx.prisma.activity.count();
    const res = await s
      .post(
        '/activities',
        activityForm({
          kind: 'NOTE',
          summary: '',
          details: 'Keep these details',
          occurredAt: '2026-02-30T10:00',
          callOutcome: 'REACHED',
          durationMinutes: 'ten',
          leadId: String(w.staffLead.id),
          followUpTitle: 'Call again',
          returnTo: `/leads/${w.staffLead.id}`,
        }),
      )
      .expect(422);
    expect(fieldError(res.text, 'summary')).toContain('Enter the summary');
    expect(fieldError(res.text, 'occurredAt')).toContain('Enter a date and time');
    expect(fieldError(res.text, 'durationMinutes')).toContain('whole minutes');
    expect(fieldError(res.text, 'followUpDue')).toBeNull();
    expect(fieldValue(res.text, 'details')).toBe('Keep these details');
    expect(fieldValue(res.text, 'kind')).toBe('NOTE');
    expect(fieldValue(res.text, 'leadId')).toBe(String(w.staffLead.id));
    expect(fieldValue(res.text, 'followUpTitle')).toBe('Call again');
    expect(fieldValue(res.text, 'returnTo')).toBe(`/leads/${w.staffLead.id}`);
    // Outcome on a note, and a follow-up title without a day.
    const second = await s
      .post(
        '/activities',
        activityForm({
          kind: 'NOTE',
          summary: 'A note',
          callOutcome: 'REACHED',
          durationMinutes: '5',
          leadId: String(w.staffLead.id),
          followUpTitle: 'Call again',
        }),
      )
      .expect(422);
    expect(fieldError(second.text, 'callOutcome')).toContain('Only a call has an outcome');
    expect(fieldError(second.text, 'durationMinutes')).toContain('Only a call has a duration');
    expect(fieldError(second.text, 'followUpDue')).toContain('Choose the day');
    // Nothing to be about, a repeated field, a control character: 422, never 500.
    const none = await s.post('/activities', activityForm({ summary: 'About nothing' })).expect(422);
    expect(fieldError(none.text, 'leadId')).toContain('Choose a lead or a customer');
    await s
      .post('/activities', { ...activityForm({ customerId: String(w.customer.id) }), summary: ['a', 'b'] })
      .expect(422);
    await s.post('/activities', activityForm({ customerId: String(w.customer.id), summary: 'a\u0000b' })).expect(422);
    expect(await ctx.prisma.activity.count()).toBe(before);
    expect(await ctx.prisma.task.count()).toBe(0);
  });

  it('a lead or customer out of scope is a 422 "Choose a lead you can see", never a 500', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const before = await ctx.prisma.activity.count();
    const theirs = await s.post('/activities', activityForm({ leadId: String(w.colleagueLead.id) })).expect(422);
    expect(fieldError(theirs.text, 'leadId')).toBe('Choose a lead you can see.');
    expect(theirs.text).not.toContain('Carla lead Tulip');
    const foreign = await s.post('/activities', activityForm({ leadId: String(w.foreignLead.id) })).expect(422);
    expect(fieldError(foreign.text, 'leadId')).toBe('Choose a lead you can see.');
    const foreignCustomer = await s
      .post('/activities', activityForm({ customerId: String(w.foreignCustomer.id) }))
      .expect(422);
    expect(fieldError(foreignCustomer.text, 'customerId')).toBe('Choose a customer you can see.');
    const missing = await s.post('/activities', activityForm({ leadId: '999999' })).expect(422);
    expect(fieldError(missing.text, 'leadId')).toBe('Choose a lead you can see.');
    expect(await ctx.prisma.activity.count()).toBe(before);
  });

  it('a POST without the CSRF token is refused (403) and saves nothing', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const before = await ctx.prisma.activity.count();
    await s.agent
      .post('/activities')
      .type('form')
      .send(activityForm({ customerId: String(w.customer.id) }))
      .expect(403);
    await s.agent
      .post(`/activities/${w.act.staffOwn.id}`)
      .type('form')
      .send(activityForm({ summary: 'x', version: '1' }))
      .expect(403);
    expect(await ctx.prisma.activity.count()).toBe(before);
  });
});

describe('planning the next step', () => {
  it('staff: the follow-up task is theirs, linked to the lead and customer, due that day, audited', async () => {
    const w = await activityWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'America/New_York' } });
    const s = await signInAs(ctx, w.staffA);
    const res = await s
      .post(
        '/activities',
        activityForm({
          summary: 'Left a message',
          callOutcome: 'LEFT_MESSAGE',
          leadId: String(w.convertedLead.id),
          followUpTitle: 'Call Lily back',
          followUpDue: '2026-12-04',
          returnTo: `/leads/${w.convertedLead.id}`,
        }),
      )
      .expect(303);
    expect(res.headers.location).toBe(`/leads/${w.convertedLead.id}`);
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Call Lily back' } });
    expect(task).toMatchObject({
      companyId: w.a.id,
      assigneeId: w.staffA.id,
      createdById: w.staffA.id,
      leadId: w.convertedLead.id,
      customerId: w.customer.id,
      status: 'OPEN',
    });
    // The end of that day in the user's zone: 23:59 in New York is 04:59 UTC the next day.
    expect(task.dueAt?.toISOString()).toBe('2026-12-05T04:59:00.000Z');
    const audits = await ctx.prisma.auditEntry.findMany({ where: { actorId: w.staffA.id }, orderBy: { id: 'asc' } });
    expect(audits.map((e) => [e.model, e.action])).toEqual([
      ['Activity', 'create'],
      ['Task', 'create'],
    ]);
    expect(audits[1].changes).toMatchObject({ leadId: [null, w.convertedLead.id] });
  });

  it('account manager: the follow-up goes to the lead assignee; an empty title says "Follow up on …"', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    await s
      .post(
        '/activities',
        activityForm({ summary: 'Reached Carla lead', leadId: String(w.colleagueLead.id), followUpDue: '2026-12-01' }),
      )
      .expect(303);
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { leadId: w.colleagueLead.id } });
    expect(task).toMatchObject({ assigneeId: w.colleagueA.id, title: 'Follow up on Reached Carla lead' });
  });

  it('without task.add the follow-up is a 422 naming the permission; nothing is saved', async () => {
    const w = await activityWorld(ctx);
    await ctx.make.group(w.a.id, ['activity.view', 'activity.add', 'lead.view', 'customer.view'], { name: 'Loggers' });
    const logger = await ctx.make.staff(w.a.id, { name: 'Lou Logger', groups: ['Loggers'] });
    const s = await signInAs(ctx, logger);
    const before = await ctx.prisma.activity.count();
    const res = await s
      .post(
        '/activities',
        activityForm({ summary: 'Wants a task', customerId: String(w.customer.id), followUpDue: '2026-12-01' }),
      )
      .expect(422);
    expect(fieldError(res.text, 'followUpTitle')).toContain('task.add');
    expect(await ctx.prisma.activity.count()).toBe(before);
    expect(await ctx.prisma.task.count()).toBe(0);
    // Without a follow-up the same user logs fine.
    await s
      .post('/activities', activityForm({ summary: 'Just a call', customerId: String(w.customer.id) }))
      .expect(303);
  });

  it('a follow-up that fails to save undoes the activity too (one transaction)', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    // A constraint of this test's database refuses the task after the activity was inserted.
    await ctx.prisma.$executeRawUnsafe('ALTER TABLE "Task" ADD CONSTRAINT no_doom CHECK ("title" <> \'Doomed\')');
    const before = await ctx.prisma.activity.count();
    await s
      .post(
        '/activities',
        activityForm({
          summary: 'Doomed call',
          leadId: String(w.staffLead.id),
          followUpTitle: 'Doomed',
          followUpDue: '2026-12-01',
        }),
      )
      .expect(500);
    expect(await ctx.prisma.activity.count()).toBe(before);
    expect(await ctx.prisma.task.count()).toBe(0);
    expect(await ctx.prisma.auditEntry.count({ where: { model: 'Activity' } })).toBe(0);
  });
});

describe('editing and deleting', () => {
  it('the author edits; a stale version is a 409 with the newer values shown; audit rows re-read', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const id = w.act.staffOwn.id;
    const form = await s.get(`/activities/${id}/edit`).expect(200);
    expect(fieldValue(form.text, 'summary')).toBe('Steve call Quartz');
    expect(fieldValue(form.text, 'version')).toBe('1');
    expect(form.text).not.toContain('name="leadId"');
    await s
      .post(`/activities/${id}`, activityForm({ summary: 'Reached at last', callOutcome: 'REACHED', version: '1' }))
      .expect(303);
    const saved = await ctx.prisma.activity.findUniqueOrThrow({ where: { id } });
    expect(saved).toMatchObject({ summary: 'Reached at last', callOutcome: 'REACHED', version: 2 });
    expect(saved.occurredAt.toISOString()).toBe(w.act.staffOwn.occurredAt.toISOString());
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Activity', action: 'update' } });
    expect(audit.changes).toEqual({
      summary: ['Steve call Quartz', 'Reached at last'],
      callOutcome: [null, 'REACHED'],
    });
    const stale = await s
      .post(`/activities/${id}`, activityForm({ summary: 'My older edit', version: '1' }))
      .expect(409);
    expect(stale.text).toContain('Reached at last');
    expect(fieldValue(stale.text, 'summary')).toBe('My older edit');
    expect(fieldValue(stale.text, 'version')).toBe('2');
    expect((await ctx.prisma.activity.findUniqueOrThrow({ where: { id } })).summary).toBe('Reached at last');
    const bad = await s.post(`/activities/${id}`, activityForm({ summary: '', version: '2' })).expect(422);
    expect(fieldError(bad.text, 'summary')).toContain('Enter the summary');
    const note = await s
      .post(`/activities/${id}`, activityForm({ kind: 'NOTE', summary: 'x', durationMinutes: '3', version: '2' }))
      .expect(422);
    expect(fieldError(note.text, 'durationMinutes')).toContain('Only a call');
    await s.post(`/activities/${id}`, activityForm({ summary: 'x' })).expect(422);
  });

  it('an account manager edits a staff call and deletes another after confirming; audited', async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    await s
      .post(`/activities/${w.act.staffOwn.id}`, activityForm({ summary: 'Manager fixed it', version: '1' }))
      .expect(303);
    expect(await ctx.prisma.activity.findUniqueOrThrow({ where: { id: w.act.staffOwn.id } })).toMatchObject({
      summary: 'Manager fixed it',
      authorId: w.staffA.id,
    });
    const confirm = await s.get(`/activities/${w.act.colleagueLone.id}/delete`).expect(200);
    expect(confirm.text).toContain('Delete note &#34;Carla secret Obsidian&#34;?');
    expect(confirm.text).toContain('Carla lead Tulip');
    const res = await s.post(`/activities/${w.act.colleagueLone.id}/delete`).expect(303);
    expect(res.headers.location).toBe(`/leads/${w.colleagueLead.id}`);
    expect(await ctx.prisma.activity.findUnique({ where: { id: w.act.colleagueLone.id } })).toBeNull();
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Activity', action: 'delete' } });
    expect(audit).toMatchObject({ actorId: w.managerA.id, recordId: String(w.act.colleagueLone.id) });
    expect(audit.changes).toMatchObject({ summary: ['Carla secret Obsidian', null] });
    // The audit trail names the record type and its fields.
    const trail = await s.get('/audit?model=Activity').expect(200);
    expect(trail.text).toContain('Activity');
    expect(trail.text).toContain('Summary');
  });

  it('staff with activity.delete delete their own activity, not a colleague’s (403)', async () => {
    const w = await activityWorld(ctx);
    await ctx.make.group(w.a.id, ['activity.view', 'activity.delete', 'lead.view', 'customer.view'], {
      name: 'Deleters',
    });
    const d = await ctx.make.staff(w.a.id, { name: 'Dee Deleter', groups: ['Deleters'] });
    const own = await ctx.make.activity(w.a.id, d.id, { summary: 'Dee own', customerId: w.customer.id });
    const s = await signInAs(ctx, d);
    await s.get(`/activities/${w.act.colleagueCustomer.id}/delete`).expect(403);
    await s.post(`/activities/${w.act.colleagueCustomer.id}/delete`).expect(403);
    await s.get(`/activities/${own.id}/delete`).expect(200);
    const res = await s.post(`/activities/${own.id}/delete`).expect(303);
    expect(res.headers.location).toBe(`/customers/${w.customer.id}`);
    expect(await ctx.prisma.activity.findUnique({ where: { id: own.id } })).toBeNull();
    expect(await ctx.prisma.activity.findUnique({ where: { id: w.act.colleagueCustomer.id } })).not.toBeNull();
  });
});

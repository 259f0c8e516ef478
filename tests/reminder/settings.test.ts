// The reminder settings: the profile's section (each user's own defaults and digest hour, audited) and a task's own
// reminder on the task form. Refusals: bad choices (422, the form kept, nothing saved), no CSRF token (403),
// signed out (to the sign-in page).
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { fieldError, fieldValue, optionValues } from '../helpers/html.ts';
import { buildWorld } from '../helpers/world.ts';
import { taskForm } from '../task/world.ts';

const ctx = useTestContext();
const settingsOf = (id: number) =>
  ctx.prisma.user.findUniqueOrThrow({
    where: { id },
    select: { taskReminder: true, appointmentReminderMinutes: true, digestHour: true, version: true },
  });

describe('reminder settings on the profile', () => {
  it('shows the defaults, saves new ones with an audit entry, and the next page shows them', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.staffA);
    const page = await s.get('/profile').expect(200);
    expect(fieldValue(page.text, 'taskReminder')).toBe('AT_DUE');
    expect(fieldValue(page.text, 'appointmentReminderMinutes')).toBe('30');
    expect(fieldValue(page.text, 'digestHour')).toBe('none');
    expect(optionValues(page.text, 'digestHour')).toHaveLength(25);
    const before = await settingsOf(w.staffA.id);
    const saved = await s
      .post('/profile/reminders', { taskReminder: 'DAY_BEFORE', appointmentReminderMinutes: 'none', digestHour: '7' })
      .expect(303);
    expect(saved.headers.location).toBe('/profile#reminders');
    expect(await settingsOf(w.staffA.id)).toEqual({
      taskReminder: 'DAY_BEFORE',
      appointmentReminderMinutes: null,
      digestHour: 7,
      version: before.version,
    });
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'User', actorId: w.staffA.id } });
    expect(entry.changes).toEqual({
      taskReminder: ['AT_DUE', 'DAY_BEFORE'],
      appointmentReminderMinutes: [30, null],
      digestHour: [null, 7],
    });
    const again = await s.get('/profile').expect(200);
    expect(again.text).toContain('Reminder settings saved.');
    expect(fieldValue(again.text, 'digestHour')).toBe('7');
    expect(fieldValue(again.text, 'appointmentReminderMinutes')).toBe('none');
    // Nobody else's settings moved.
    expect((await settingsOf(w.colleagueA.id)).digestHour).toBeNull();
  });

  it('refuses choices not offered (422, typed values kept), a missing CSRF token (403), the signed-out', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const before = await settingsOf(w.managerA.id);
    for (const bad of [
      { taskReminder: 'WEEKLY', appointmentReminderMinutes: '30', digestHour: '8' },
      { taskReminder: 'NONE', appointmentReminderMinutes: '7', digestHour: '8' },
      { taskReminder: 'NONE', appointmentReminderMinutes: '30', digestHour: '24' },
      { taskReminder: 'NONE', appointmentReminderMinutes: '30', digestHour: 'x' },
    ]) {
      const res = await s.post('/profile/reminders', bad).expect(422);
      const field = Object.keys(bad).find((k) => fieldError(res.text, k));
      expect(field).toBeDefined();
      expect(fieldValue(res.text, 'name')).toBe(w.managerA.name);
    }
    const kept = await s
      .post('/profile/reminders', { taskReminder: 'NONE', appointmentReminderMinutes: '60', digestHour: '25' })
      .expect(422);
    expect(fieldError(kept.text, 'digestHour')).toBe('Choose an hour for the digest.');
    expect(fieldValue(kept.text, 'taskReminder')).toBe('NONE');
    expect(fieldValue(kept.text, 'appointmentReminderMinutes')).toBe('60');
    await s.agent.post('/profile/reminders').type('form').send({ taskReminder: 'NONE' }).expect(403);
    const anonymous = await (await import('supertest'))
      .default(ctx.app)
      .post('/profile/reminders')
      .type('form')
      .send({ taskReminder: 'NONE' });
    // A signed-out POST is refused (a form post without a session is never redirected and replayed).
    expect(anonymous.status).toBe(401);
    expect(await settingsOf(w.managerA.id)).toEqual(before);
  });
});

describe("a task's own reminder", () => {
  it('is chosen on the form (empty: the default), shown on the task, and refused when not offered', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.staffA);
    const form = await s.get('/tasks/new').expect(200);
    expect(fieldValue(form.text, 'reminder')).toBe('');
    expect(optionValues(form.text, 'reminder')).toEqual(['NONE', 'AT_DUE', 'DAY_BEFORE']);
    await s.post('/tasks', taskForm({ title: 'Own', dueAt: '2030-01-14T10:00', reminder: 'DAY_BEFORE' })).expect(303);
    await s.post('/tasks', taskForm({ title: 'Default', dueAt: '2030-01-14T10:00', reminder: '' })).expect(303);
    const own = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Own' } });
    const byDefault = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Default' } });
    expect([own.reminder, byDefault.reminder]).toEqual(['DAY_BEFORE', null]);
    expect((await s.get(`/tasks/${own.id}`).expect(200)).text).toContain('One day before');
    expect((await s.get(`/tasks/${byDefault.id}`).expect(200)).text).toContain('The assignee&#39;s default');
    const edit = await s.get(`/tasks/${own.id}/edit`).expect(200);
    expect(fieldValue(edit.text, 'reminder')).toBe('DAY_BEFORE');
    const bad = await s
      .post(`/tasks/${own.id}`, {
        ...taskForm({ title: 'Own', dueAt: '2030-01-14T10:00', reminder: 'HOURLY' }),
        version: String(own.version),
      })
      .expect(422);
    expect(fieldError(bad.text, 'reminder')).toBe('Choose a reminder.');
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: own.id } })).reminder).toBe('DAY_BEFORE');
    const changed = await s
      .post(`/tasks/${own.id}`, {
        ...taskForm({ title: 'Own', dueAt: '2030-01-14T10:00', reminder: 'NONE' }),
        version: String(own.version),
      })
      .expect(303);
    expect(changed.status).toBe(303);
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({
      where: { model: 'Task', recordId: String(own.id), action: 'update' },
    });
    expect(audit.changes).toMatchObject({ reminder: ['DAY_BEFORE', 'NONE'] });
  });
});

// Task reminders: sent to the assignee at the due time or a day before (the task's choice, else the assignee's
// profile default), in the assignee's zone, once; a task done, moved, or whose assignee was deactivated changes
// what is sent. The clock is the sweep's parameter; mails go through the real queue to a real SMTP server.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { at, mailsAfter, sweepAt } from './world.ts';

const ctx = useTestContext();

async function world() {
  const w = await buildWorld(ctx);
  await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'America/New_York' } });
  await ctx.prisma.user.update({ where: { id: w.colleagueA.id }, data: { timeZone: 'Asia/Tokyo' } });
  return w;
}

describe('task reminders', () => {
  it('arrive at the due time in the assignee zone, once, with a link to the task and to the settings', async () => {
    const w = await world();
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Send the offer', dueAt: at('2030-01-14T15:00Z') });
    expect(await sweepAt(ctx, '2030-01-14T14:59:30Z')).toEqual({ tasks: 0, appointments: 0, digests: 0 });
    expect(await sweepAt(ctx, '2030-01-14T15:00:10Z')).toEqual({ tasks: 1, appointments: 0, digests: 0 });
    expect(await sweepAt(ctx, '2030-01-14T15:01:10Z')).toEqual({ tasks: 0, appointments: 0, digests: 0 });
    const mails = await mailsAfter(ctx, 1);
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toContain(w.staffA.email);
    expect(mails[0].subject).toBe('Reminder: Send the offer, due 2030-01-14 10:00 (America/New_York)');
    expect(mails[0].text).toContain(`http://crm.test/tasks/${task.id}`);
    expect(mails[0].text).toContain('Change your reminders: http://crm.test/profile#reminders');
    const saved = await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(saved.remindedFor).toEqual(at('2030-01-14T15:00Z'));
    expect(saved.version).toBe(task.version); // the claim is not an edit
  });

  it("follow the task's own choice over the assignee's default, and send nothing for None", async () => {
    const w = await world();
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { taskReminder: 'NONE' } });
    await ctx.prisma.user.update({ where: { id: w.colleagueA.id }, data: { taskReminder: 'DAY_BEFORE' } });
    const due = at('2030-01-15T09:00Z');
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Default none', dueAt: due });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Own day before', dueAt: due, reminder: 'DAY_BEFORE' });
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Default day before', dueAt: due });
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Own at due', dueAt: due, reminder: 'AT_DUE' });
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Own none', dueAt: due, reminder: 'NONE' });
    expect((await sweepAt(ctx, '2030-01-14T09:00:05Z')).tasks).toBe(2);
    expect((await sweepAt(ctx, '2030-01-15T09:00:05Z')).tasks).toBe(1);
    const mails = await mailsAfter(ctx, 3);
    expect(mails.map((m) => m.subject.split(',')[0]).sort()).toEqual([
      'Reminder: Default day before',
      'Reminder: Own at due',
      'Reminder: Own day before',
    ]);
    // Each in its reader's zone: Tokyo is UTC+9.
    const tokyo = mails.find((m) => m.subject.startsWith('Reminder: Own at due'))!;
    expect(tokyo.subject).toContain('2030-01-15 18:00 (Asia/Tokyo)');
  });

  it('are not sent for a task done, and follow a task moved before or after its reminder', async () => {
    const w = await world();
    const done = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Done', dueAt: at('2030-01-14T15:00Z') });
    const moved = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Moved', dueAt: at('2030-01-14T15:00Z') });
    await ctx.prisma.task.update({ where: { id: done.id }, data: { status: 'DONE', completedAt: new Date() } });
    await ctx.prisma.task.update({ where: { id: moved.id }, data: { dueAt: at('2030-01-14T17:00Z') } });
    expect((await sweepAt(ctx, '2030-01-14T15:00:05Z')).tasks).toBe(0);
    expect((await sweepAt(ctx, '2030-01-14T17:00:05Z')).tasks).toBe(1);
    // Moved again after its reminder: reminded again for the new time, once.
    await ctx.prisma.task.update({ where: { id: moved.id }, data: { dueAt: at('2030-01-14T19:00Z') } });
    expect((await sweepAt(ctx, '2030-01-14T18:00:05Z')).tasks).toBe(0);
    expect((await sweepAt(ctx, '2030-01-14T19:00:05Z')).tasks).toBe(1);
    expect((await sweepAt(ctx, '2030-01-14T19:01:05Z')).tasks).toBe(0);
    const mails = await mailsAfter(ctx, 2);
    // The mail jobs run side by side: their order of arrival is not the order of the sweeps.
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'Reminder: Moved, due 2030-01-14 12:00 (America/New_York)',
      'Reminder: Moved, due 2030-01-14 14:00 (America/New_York)',
    ]);
  });

  it('are not sent to a deactivated assignee, nor to one whose groups give no task.view, nor late', async () => {
    const w = await world();
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Gone', dueAt: at('2030-01-14T15:00Z') });
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { active: false } });
    const blind = await ctx.make.staff(w.a.id, { groups: [] });
    await ctx.make.task(w.a.id, blind.id, { title: 'Unseen', dueAt: at('2030-01-14T15:00Z') });
    // A task saved with its due time already past: no reminder.
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Backdated', dueAt: at('2020-01-01T10:00Z') });
    expect((await sweepAt(ctx, '2030-01-14T15:00:05Z')).tasks).toBe(0);
    // Long past its time (the sweep could not run for hours): dropped, not sent late.
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Stale', dueAt: at('2030-01-14T10:00Z') });
    expect((await sweepAt(ctx, '2030-01-14T15:00:05Z')).tasks).toBe(0);
    await mailsAfter(ctx, 0, 600);
    expect(ctx.mail.messages).toHaveLength(0);
  });

  it('are sent once when two sweeps run at the same instant on separate connections', async () => {
    const w = await world();
    for (let i = 0; i < 20; i++)
      await ctx.make.task(w.a.id, i % 2 ? w.staffA.id : w.colleagueA.id, { dueAt: at('2030-01-14T15:00Z') });
    const { createDatabase } = await import('../../src/db/client.ts');
    const { sweepReminders } = await import('../../src/reminder/sweep.ts');
    const others = [createDatabase(ctx.db.url, { max: 2 }), createDatabase(ctx.db.url, { max: 2 })];
    try {
      const results = await Promise.all(
        others.map((db) =>
          sweepReminders({ client: db.prisma, jobs: ctx.jobs, appUrl: 'http://crm.test' }, at('2030-01-14T15:00:05Z')),
        ),
      );
      expect(results[0].tasks + results[1].tasks).toBe(20);
    } finally {
      await Promise.all(others.map((db) => db.close()));
    }
    expect(await mailsAfter(ctx, 20)).toHaveLength(20);
  });
});

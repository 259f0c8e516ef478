// The morning digest: opt-in, at the hour each user picked in their own zone, once a day; it lists today's
// appointments, tasks due today, overdue tasks and leads with no next step, exactly what the user may see.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { at, mailsAfter, sweepAt } from './world.ts';

const ctx = useTestContext();

async function world() {
  const w = await buildWorld(ctx);
  // Paris is UTC+1 in January, New York UTC−5: 08:00 there is 07:00Z and 13:00Z.
  await ctx.prisma.user.update({
    where: { id: w.managerA.id },
    data: { timeZone: 'Europe/Paris', digestHour: 8 },
  });
  await ctx.prisma.user.update({
    where: { id: w.staffA.id },
    data: { timeZone: 'America/New_York', digestHour: 8 },
  });
  return w;
}

describe('the morning digest', () => {
  it('goes out at 08:00 in each user zone, once a day, and lists only what the user may see', async () => {
    const w = await world();
    // Steve's day (New York, 2030-01-14): a meeting, a task due today, an overdue one, a lead with no next step.
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Demo at Acme',
      startsAt: at('2030-01-14T15:00Z'),
      endsAt: at('2030-01-14T16:00Z'),
    });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Call back Ann', dueAt: at('2030-01-14T20:00Z') });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Send contract', dueAt: at('2030-01-10T12:00Z') });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Done already', dueAt: at('2030-01-14T20:00Z'), status: 'DONE' });
    await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Quiet lead' });
    // A colleague's and another company's: never in Steve's digest.
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Carla task', dueAt: at('2030-01-14T20:00Z') });
    await ctx.make.task(w.b.id, w.staffB.id, { title: 'Bravo task', dueAt: at('2030-01-14T20:00Z') });
    // Maria's day (Paris): one task.
    await ctx.make.task(w.a.id, w.managerA.id, { title: 'Review pipeline', dueAt: at('2030-01-14T16:00Z') });

    expect((await sweepAt(ctx, '2030-01-14T06:59:00Z')).digests).toBe(0); // 07:59 in Paris
    expect((await sweepAt(ctx, '2030-01-14T07:00:30Z')).digests).toBe(1); // 08:00 in Paris
    expect((await sweepAt(ctx, '2030-01-14T07:30:00Z')).digests).toBe(0); // once a day
    expect((await sweepAt(ctx, '2030-01-14T12:59:00Z')).digests).toBe(0); // 07:59 in New York
    expect((await sweepAt(ctx, '2030-01-14T13:00:30Z')).digests).toBe(1); // 08:00 in New York
    const mails = await mailsAfter(ctx, 2);
    const maria = mails.find((m) => m.to.includes(w.managerA.email))!;
    const steve = mails.find((m) => m.to.includes(w.staffA.email))!;
    expect(maria.subject).toBe('Your day: 2030-01-14');
    expect(maria.text).toContain('Review pipeline, due 17:00');
    expect(steve.subject).toBe('Your day: 2030-01-14');
    expect(steve.text).toContain('Appointments today:\n• 2030-01-14 10:00–11:00 Demo at Acme');
    expect(steve.text).toContain('Overdue tasks:\n• Send contract, due 2030-01-10 07:00');
    expect(steve.text).toContain('Tasks due today:\n• Call back Ann, due 15:00');
    expect(steve.text).toContain('Leads with no next step:\n• Quiet lead');
    expect(steve.text).toContain('http://crm.test/profile#reminders');
    for (const hidden of ['Done already', 'Carla task', 'Bravo task', 'Review pipeline'])
      expect(steve.text).not.toContain(hidden);
    const saved = await ctx.prisma.user.findUniqueOrThrow({ where: { id: w.staffA.id } });
    expect(saved.digestSentOn).toEqual(at('2030-01-14T00:00Z'));
    // The next morning in New York, again.
    expect((await sweepAt(ctx, '2030-01-15T13:00:30Z')).digests).toBe(1);
  });

  it('is not sent on an empty day, to a deactivated user, after its window, or to one who did not opt in', async () => {
    const w = await world();
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Carla task', dueAt: at('2030-01-14T20:00Z') });
    await ctx.make.task(w.a.id, w.managerA.id, { title: 'Maria task', dueAt: at('2030-01-14T20:00Z') });
    await ctx.prisma.user.update({ where: { id: w.managerA.id }, data: { active: false } });
    expect((await sweepAt(ctx, '2030-01-14T07:00:30Z')).digests).toBe(0); // Maria: deactivated
    expect((await sweepAt(ctx, '2030-01-14T13:00:30Z')).digests).toBe(0); // Steve: nothing today
    // Carla did not opt in; once she does, a process that was down until 11:30 her time sends nothing late.
    await ctx.prisma.user.update({ where: { id: w.colleagueA.id }, data: { digestHour: 8, timeZone: 'UTC' } });
    expect((await sweepAt(ctx, '2030-01-14T11:30:00Z')).digests).toBe(0);
    expect((await sweepAt(ctx, '2030-01-14T10:59:00Z')).digests).toBe(1);
    await mailsAfter(ctx, 1);
    expect(ctx.mail.messages.map((m) => m.to)).toEqual([expect.stringContaining(w.colleagueA.email)]);
  });
});

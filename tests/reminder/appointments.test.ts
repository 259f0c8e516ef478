// Appointment reminders: each attendee is reminded their own number of minutes before (30 by default), in their
// zone, once; a moved appointment is reminded again for its new time, a cancelled one or a removed attendee not.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { at, mailsAfter, sweepAt } from './world.ts';

const ctx = useTestContext();

async function world() {
  const w = await buildWorld(ctx);
  await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'America/New_York' } });
  await ctx.prisma.user.update({
    where: { id: w.colleagueA.id },
    data: { timeZone: 'Asia/Tokyo', appointmentReminderMinutes: 60 },
  });
  return w;
}

const START = '2030-01-14T09:00:00Z';
const meeting = (companyId: number, attendees: number[], title = 'Kick-off') =>
  ctx.make.appointment(companyId, attendees, {
    title,
    startsAt: at(START),
    endsAt: at('2030-01-14T10:00:00Z'),
    location: 'Room 7',
  });

describe('appointment reminders', () => {
  it('reach each attendee at their own time before, in their zone, once', async () => {
    const w = await world();
    const appt = await meeting(w.a.id, [w.staffA.id, w.colleagueA.id]);
    expect((await sweepAt(ctx, '2030-01-14T07:59:50Z')).appointments).toBe(0);
    expect((await sweepAt(ctx, '2030-01-14T08:00:10Z')).appointments).toBe(1); // colleague: 60 minutes
    expect((await sweepAt(ctx, '2030-01-14T08:29:50Z')).appointments).toBe(0);
    expect((await sweepAt(ctx, '2030-01-14T08:30:10Z')).appointments).toBe(1); // staff: the default 30
    expect((await sweepAt(ctx, '2030-01-14T08:45:00Z')).appointments).toBe(0);
    // The mail jobs run side by side: compared in the order of their subjects, not of arrival.
    const mails = [...(await mailsAfter(ctx, 2))].sort((x, y) => x.subject.localeCompare(y.subject));
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [expect.stringContaining(w.staffA.email), 'Reminder: Kick-off, 2030-01-14 04:00–05:00 (America/New_York)'],
      [expect.stringContaining(w.colleagueA.email), 'Reminder: Kick-off, 2030-01-14 18:00–19:00 (Asia/Tokyo)'],
    ]);
    expect(mails[0].text).toContain('Where: Room 7');
    expect(mails[0].text).toContain(`http://crm.test/appointments/${appt.id}`);
    expect(mails[0].text).toContain('http://crm.test/profile#reminders');
    const rows = await ctx.prisma.appointmentAttendee.findMany({ where: { appointmentId: appt.id } });
    expect(rows.map((r) => r.remindedFor)).toEqual([at(START), at(START)]);
  });

  it('follow a move, skip a cancelled appointment, a removed attendee, and one who chose no reminder', async () => {
    const w = await world();
    const moved = await meeting(w.a.id, [w.staffA.id], 'Moved');
    const cancelled = await meeting(w.a.id, [w.staffA.id], 'Cancelled');
    const left = await meeting(w.a.id, [w.staffA.id, w.colleagueA.id], 'Left');
    await ctx.make.appointment(w.a.id, [w.managerA.id], { title: 'Unwanted', startsAt: at(START) });
    await ctx.prisma.user.update({ where: { id: w.managerA.id }, data: { appointmentReminderMinutes: null } });
    await ctx.prisma.appointment.delete({ where: { id: cancelled.id } });
    await ctx.prisma.appointmentAttendee.delete({
      where: { appointmentId_userId: { appointmentId: left.id, userId: w.colleagueA.id } },
    });
    expect((await sweepAt(ctx, '2030-01-14T08:30:10Z')).appointments).toBe(2); // Moved and Left, to staff
    // Moved after its reminder: reminded again for the new start.
    await ctx.prisma.appointment.update({
      where: { id: moved.id },
      data: { startsAt: at('2030-01-14T11:00Z'), endsAt: at('2030-01-14T12:00Z') },
    });
    expect((await sweepAt(ctx, '2030-01-14T10:00:10Z')).appointments).toBe(0);
    expect((await sweepAt(ctx, '2030-01-14T10:30:10Z')).appointments).toBe(1);
    const mails = await mailsAfter(ctx, 3);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'Reminder: Left, 2030-01-14 04:00–05:00 (America/New_York)',
      'Reminder: Moved, 2030-01-14 04:00–05:00 (America/New_York)',
      'Reminder: Moved, 2030-01-14 06:00–07:00 (America/New_York)',
    ]);
    expect(mails.every((m) => m.to.includes(w.staffA.email))).toBe(true);
  });

  it('are not sent to an attendee without appointment.view nor about one planned after its reminder time', async () => {
    const w = await world();
    const blind = await ctx.make.staff(w.a.id, { groups: [] });
    await meeting(w.a.id, [blind.id], 'Unseen');
    // Planned at 08:50 for 09:00: the 30-minute reminder time had passed when it was made.
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Short notice',
      startsAt: at(START),
      createdAt: at('2030-01-14T08:50Z'),
    });
    expect((await sweepAt(ctx, '2030-01-14T08:51:00Z')).appointments).toBe(0);
    await mailsAfter(ctx, 0, 600);
    expect(ctx.mail.messages).toHaveLength(0);
  });
});

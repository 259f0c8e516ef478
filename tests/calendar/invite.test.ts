// The mails of an invitation, a move, a removal and a cancellation carry a real iCalendar invitation (RFC 5546),
// received by a real SMTP server and read back with ical.js: the same UID throughout, a SEQUENCE that grows,
// METHOD REQUEST then CANCEL, the organiser and the attendees, the same instant for attendees in other zones.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import type { CapturedMail } from '../helpers/smtp.ts';
import { apptForm } from '../appointment/world.ts';
import { buildWorld } from '../helpers/world.ts';
import { parseIcs } from './ics.ts';

const ctx = useTestContext();
/** The app's sender address (MAIL_FROM's default in tests). */
const SENDER = 'no-reply@localhost';

/** The mail's text/calendar part, parsed; fails when the mail has none. */
function inviteOf(mail: CapturedMail) {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) throw new Error(`no text/calendar part in "${mail.subject}"`);
  const ics = parseIcs(part.content);
  expect(part.method?.toUpperCase()).toBe(ics.method);
  expect(ics.events).toHaveLength(1);
  return { method: ics.method, event: ics.events[0] };
}

async function world() {
  const w = await buildWorld(ctx);
  await ctx.prisma.user.update({ where: { id: w.managerA.id }, data: { timeZone: 'Europe/Paris' } });
  await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'America/New_York' } });
  await ctx.prisma.user.update({ where: { id: w.colleagueA.id }, data: { timeZone: 'Asia/Tokyo' } });
  return w;
}

describe('invitation mails carry the calendar file', () => {
  it('invite, move, remove, cancel: one UID, SEQUENCE grows, REQUEST then CANCEL, same instant', async () => {
    const w = await world();
    const s = await w.as(w.managerA);
    const attendees = [String(w.staffA.id), String(w.colleagueA.id)];
    await s
      .post(
        '/appointments',
        apptForm({
          title: 'Roadmap review',
          startsAt: '2030-01-14T09:00',
          endsAt: '2030-01-14T10:30',
          location: 'Room 7',
          notes: 'Bring the numbers',
          attendeeIds: attendees,
        }),
      )
      .expect(303);
    const appt = await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Roadmap review' } });
    const uid = `appointment-${appt.id}@crm.test`;

    // Invited: each attendee reads their own zone in the text, and the file holds the same instant for both.
    const toStaff = await ctx.mail.latestTo(w.staffA.email);
    const toColleague = await ctx.mail.latestTo(w.colleagueA.email);
    expect(toStaff.text).toContain('2030-01-14 03:00–04:30 (America/New_York)');
    expect(toColleague.text).toContain('2030-01-14 17:00–18:30 (Asia/Tokyo)');
    for (const mail of [toStaff, toColleague]) {
      const { method, event } = inviteOf(mail);
      expect(method).toBe('REQUEST');
      expect(event).toMatchObject({
        uid,
        sequence: 0,
        start: '2030-01-14T08:00:00.000Z',
        end: '2030-01-14T09:30:00.000Z',
        summary: 'Roadmap review',
        location: 'Room 7',
        status: 'CONFIRMED',
        // Staff may not see colleagues' emails (SPEC 3): the organiser by name, with the app's sender address.
        organizer: SENDER,
        organizerName: w.managerA.name,
      });
      expect(event.description).toContain('Bring the numbers');
      expect(event.description).toContain(`http://crm.test/appointments/${appt.id}`);
      const self = mail === toStaff ? w.staffA : w.colleagueA;
      expect(event.attendees).toEqual([{ email: self.email, name: self.name, partstat: 'NEEDS-ACTION', rsvp: 'TRUE' }]);
    }
    // The organiser made the change: no mail to them.
    expect(ctx.mail.messages.filter((m) => m.to.includes(w.managerA.email))).toHaveLength(0);

    // Moved by a day and colleagueA removed: staffA gets a REQUEST with the next SEQUENCE, colleagueA a CANCEL
    // naming only them (no STATUS: the event goes on without them).
    ctx.mail.clear();
    await s
      .post(
        `/appointments/${appt.id}`,
        apptForm({
          title: 'Roadmap review',
          startsAt: '2030-01-15T09:00',
          endsAt: '2030-01-15T10:30',
          location: 'Room 7',
          notes: 'Bring the numbers',
          attendeeIds: [String(w.staffA.id)],
          version: '1',
        }),
      )
      .expect(303);
    const moved = inviteOf(await ctx.mail.latestTo(w.staffA.email));
    expect(moved.method).toBe('REQUEST');
    expect(moved.event).toMatchObject({ uid, sequence: 1, start: '2030-01-15T08:00:00.000Z', status: 'CONFIRMED' });
    expect(moved.event.attendees.map((a) => a.email)).toEqual([w.staffA.email]);
    const removed = inviteOf(await ctx.mail.latestTo(w.colleagueA.email));
    expect(removed.method).toBe('CANCEL');
    expect(removed.event).toMatchObject({ uid, sequence: 1, status: null, start: '2030-01-14T08:00:00.000Z' });
    expect(removed.event.attendees.map((a) => a.email)).toEqual([w.colleagueA.email]);

    // Cancelled (deleted): CANCEL with STATUS:CANCELLED, a SEQUENCE above the last invitation's.
    ctx.mail.clear();
    await s.post(`/appointments/${appt.id}/delete`).expect(303);
    const cancelMail = await ctx.mail.latestTo(w.staffA.email);
    expect(cancelMail.subject).toBe('Appointment cancelled: Roadmap review');
    const cancelled = inviteOf(cancelMail);
    expect(cancelled.method).toBe('CANCEL');
    expect(cancelled.event).toMatchObject({
      uid,
      sequence: 2,
      status: 'CANCELLED',
      start: '2030-01-15T08:00:00.000Z',
      organizer: SENDER,
    });
  });

  it('a new attendee of a saved appointment gets a REQUEST at its current SEQUENCE; mails stay multipart', async () => {
    const w = await world();
    const s = await w.as(w.managerA);
    const appt = await ctx.make.appointment(w.a.id, [w.managerA.id], {
      title: 'Budget',
      startsAt: new Date('2030-03-02T10:00:00Z'),
      version: 3,
    });
    await s
      .post(
        `/appointments/${appt.id}`,
        apptForm({
          title: 'Budget',
          startsAt: '2030-03-02T11:00',
          endsAt: '2030-03-02T12:00',
          attendeeIds: [String(w.managerA.id), String(w.staffA.id)],
          version: '3',
        }),
      )
      .expect(303);
    const mail = await ctx.mail.latestTo(w.staffA.email);
    expect(mail.subject).toBe('Appointment invited: Budget');
    expect(mail.text).toContain('Budget');
    expect(mail.html).toContain('Budget');
    const { method, event } = inviteOf(mail);
    expect(method).toBe('REQUEST');
    // Paris is UTC+1 in March before the change of hour: 11:00 there is 10:00Z.
    expect(event).toMatchObject({
      uid: `appointment-${appt.id}@crm.test`,
      sequence: 3,
      start: '2030-03-02T10:00:00.000Z',
    });
    expect(event.attendees.map((a) => a.email)).toEqual([w.staffA.email]);
  });

  it('an account manager’s file lists every attendee; a staff attendee’s names no colleague’s email', async () => {
    const w = await world();
    const s = await w.as(w.staffA);
    await s
      .post(
        '/appointments',
        apptForm({
          title: 'Site visit',
          startsAt: '2030-02-03T09:00',
          endsAt: '2030-02-03T10:00',
          attendeeIds: [String(w.staffA.id), String(w.managerA.id), String(w.colleagueA.id)],
        }),
      )
      .expect(303);
    const toManager = inviteOf(await ctx.mail.latestTo(w.managerA.email));
    expect(toManager.event.organizer).toBe(w.staffA.email);
    expect(toManager.event.attendees.map((a) => a.email).sort()).toEqual(
      [w.staffA.email, w.managerA.email, w.colleagueA.email].sort(),
    );
    const colleagueMail = await ctx.mail.latestTo(w.colleagueA.email);
    const toColleague = inviteOf(colleagueMail);
    expect(toColleague.event).toMatchObject({ organizer: SENDER, organizerName: w.staffA.name });
    expect(toColleague.event.attendees.map((a) => a.email)).toEqual([w.colleagueA.email]);
    const file = colleagueMail.attachments.find((a) => a.contentType === 'text/calendar')!.content;
    for (const other of [w.staffA.email, w.managerA.email]) expect(file).not.toContain(other);
  });

  it('a superuser organiser’s address reaches no one in the company: not in mails, not in the download', async () => {
    const w = await world();
    const su = await w.as(w.su);
    await su
      .post(
        '/appointments',
        apptForm({
          companyId: String(w.a.id),
          title: 'Service review',
          attendeeIds: [String(w.managerA.id), String(w.staffA.id)],
        }),
      )
      .expect(303);
    const appt = await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Service review' } });
    for (const to of [w.managerA, w.staffA]) {
      const mail = await ctx.mail.latestTo(to.email);
      const { event } = inviteOf(mail);
      expect([to.name, event.organizer, event.organizerName]).toEqual([to.name, SENDER, w.su.name]);
      const file = mail.attachments.find((a) => a.contentType === 'text/calendar')!.content;
      expect(file).not.toContain(w.su.email);
    }
    const download = await (await w.as(w.managerA)).get(`/appointments/${appt.id}/calendar.ics`).expect(200);
    expect(download.text).not.toContain(w.su.email);
    const own = await su.get(`/appointments/${appt.id}/calendar.ics`).expect(200);
    expect(own.text).toContain(w.su.email);
  });
});

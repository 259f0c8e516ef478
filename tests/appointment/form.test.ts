// Appointment create, edit and delete for each role: attendees, validation (end after start),
// time zones, optimistic locking, audit entries, and the mails attendees get.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { fieldValue } from '../helpers/html.ts';
import { apptForm, appointmentWorld, checkedAttendees } from './world.ts';

const ctx = useTestContext();
const attendeesOf = async (id: number) =>
  (await ctx.prisma.appointmentAttendee.findMany({ where: { appointmentId: id }, orderBy: { userId: 'asc' } })).map(
    (a) => a.userId,
  );

describe('creating appointments', () => {
  it('staff always attend what they create; the other attendees are invited by mail', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get('/appointments/new').expect(200);
    expect(page.text).toMatch(
      new RegExp(`name="attendeeIds" value="${w.staffA.id}" id="f-attendee-${w.staffA.id}" checked disabled`),
    );
    expect(page.text).not.toContain(`value="${w.staffB.id}"`);
    ctx.mail.clear();
    const res = await s
      .post('/appointments', apptForm({ title: 'Demo', attendeeIds: [String(w.colleagueA.id)] }))
      .expect(303);
    const appt = await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Demo' } });
    expect(res.headers.location).toBe(`/appointments/${appt.id}`);
    expect(appt).toMatchObject({ companyId: w.a.id, organiserId: w.staffA.id, location: 'Room 1' });
    expect(await attendeesOf(appt.id)).toEqual([w.staffA.id, w.colleagueA.id].sort((x, y) => x - y));
    const mail = await ctx.mail.latestTo(w.colleagueA.email);
    expect(mail.subject).toBe('Appointment invited: Demo');
    expect(mail.text).toContain('2030-01-14 09:00–10:00 (UTC)');
    expect(mail.text).toContain(`http://crm.test/appointments/${appt.id}`);
    expect(ctx.mail.messages.filter((m) => m.to.includes(w.staffA.email))).toHaveLength(0);
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({
      where: { model: 'Appointment', recordId: String(appt.id) },
    });
    expect(audit).toMatchObject({ action: 'create', actorId: w.staffA.id });
    expect((await s.get(res.headers.location).expect(200)).text).toContain('Tess Colleague');
  });

  it(
    'a user in Europe/Paris enters 09:00 in winter: stored 08:00Z, ' +
      'shown back as 09:00; each attendee reads their own zone',
    async () => {
      const w = await appointmentWorld(ctx);
      await ctx.prisma.user.update({ where: { id: w.managerA.id }, data: { timeZone: 'Europe/Paris' } });
      await ctx.prisma.user.update({ where: { id: w.colleagueA.id }, data: { timeZone: 'America/New_York' } });
      const s = await signInAs(ctx, w.managerA);
      await s
        .post(
          '/appointments',
          apptForm({
            title: 'Paris',
            startsAt: '2030-01-14T09:00',
            endsAt: '2030-01-14T10:30',
            attendeeIds: [String(w.colleagueA.id)],
          }),
        )
        .expect(303);
      const appt = await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Paris' } });
      expect(appt.startsAt.toISOString()).toBe('2030-01-14T08:00:00.000Z');
      expect(appt.endsAt.toISOString()).toBe('2030-01-14T09:30:00.000Z');
      const edit = await s.get(`/appointments/${appt.id}/edit`).expect(200);
      expect(fieldValue(edit.text, 'startsAt')).toBe('2030-01-14T09:00');
      expect(fieldValue(edit.text, 'endsAt')).toBe('2030-01-14T10:30');
      expect((await s.get(`/appointments/${appt.id}`).expect(200)).text).toContain('2030-01-14 09:00');
      expect((await ctx.mail.latestTo(w.colleagueA.email)).text).toContain('2030-01-14 03:00–04:30 (America/New_York)');
    },
  );

  it('an end before (or at) the start is a 422 on endsAt with the typed values kept; nothing saved', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    for (const endsAt of ['2030-01-14T08:00', '2030-01-14T09:00']) {
      const res = await s
        .post(
          '/appointments',
          apptForm({ title: 'Backwards', endsAt, notes: 'Bring slides', attendeeIds: [String(w.staffA.id)] }),
        )
        .expect(422);
      expect(res.text).toContain('id="f-endsAt-error"');
      expect(res.text).toContain('The end must be after the start.');
      expect(fieldValue(res.text, 'title')).toBe('Backwards');
      expect(fieldValue(res.text, 'endsAt')).toBe(endsAt);
      expect(fieldValue(res.text, 'notes')).toBe('Bring slides');
      expect(checkedAttendees(res.text)).toEqual([String(w.staffA.id)]);
    }
    const missing = await s
      .post('/appointments', apptForm({ startsAt: '', endsAt: 'soon', attendeeIds: [String(w.staffA.id)] }))
      .expect(422);
    expect(missing.text).toContain('Enter the start.');
    expect(missing.text).toContain('id="f-endsAt-error"');
    expect(await ctx.prisma.appointment.count()).toBe(0);
  });

  it('attendees must be active users of the company, at least one; customers of the company only', async () => {
    const w = await appointmentWorld(ctx);
    const gone = await ctx.make.staff(w.a.id, { active: false });
    const foreign = await ctx.make.customer(w.b.id);
    const s = await signInAs(ctx, w.managerA);
    for (const attendeeIds of [
      [],
      [String(w.staffB.id)],
      [String(gone.id)],
      [String(w.staffA.id), String(w.su.id)],
      ['x'],
    ]) {
      const res = await s.post('/appointments', apptForm({ title: 'Kept', attendeeIds })).expect(422);
      expect(res.text).toContain('id="f-attendeeIds-error"');
      expect(fieldValue(res.text, 'title')).toBe('Kept');
    }
    const res = await s
      .post('/appointments', apptForm({ customerId: String(foreign.id), attendeeIds: [String(w.staffA.id)] }))
      .expect(422);
    expect(res.text).toContain('Choose a customer of this company.');
    expect(await ctx.prisma.appointment.count()).toBe(0);
  });

  it('superuser: picks the company first; attendees come from that company', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.su);
    expect((await s.get('/appointments/new').expect(200)).text).toContain('First choose the company');
    const form = await s.get(`/appointments/new?companyId=${w.b.id}`).expect(200);
    expect(form.text).toContain(`value="${w.staffB.id}"`);
    expect(form.text).not.toContain(`name="attendeeIds" value="${w.staffA.id}"`);
    await s
      .post('/appointments', apptForm({ companyId: String(w.b.id), attendeeIds: [String(w.staffA.id)] }))
      .expect(422);
    await s.post('/appointments', apptForm({ attendeeIds: [String(w.staffB.id)] })).expect(422);
    await s
      .post(
        '/appointments',
        apptForm({ title: 'Support visit', companyId: String(w.b.id), attendeeIds: [String(w.staffB.id)] }),
      )
      .expect(303);
    const appt = await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Support visit' } });
    expect(appt).toMatchObject({ companyId: w.b.id, organiserId: w.su.id });
  });

  it('a refused mail waits and goes out later, no warning; a POST without CSRF token saves nothing', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    await s.agent
      .post('/appointments')
      .type('form')
      .send(apptForm({ attendeeIds: [String(w.staffA.id)] }))
      .expect(403);
    expect(await ctx.prisma.appointment.count()).toBe(0);
    ctx.mail.refuse = true;
    const res = await s
      .post('/appointments', apptForm({ title: 'Despite mail', attendeeIds: [String(w.staffA.id)] }))
      .expect(303);
    expect(await ctx.prisma.appointment.count({ where: { title: 'Despite mail' } })).toBe(1);
    expect((await s.get(res.headers.location).expect(200)).text).not.toContain('could not be sent');
    ctx.mail.refuse = false;
    expect((await ctx.mail.latestTo(w.staffA.email, 15_000)).subject).toContain('Despite mail');
  });
});

describe('editing and deleting appointments', () => {
  it(
    'moving mails "moved" to those who stay, "invited" to ' + 'the new and "removed" to the dropped; not the editor',
    async () => {
      const w = await appointmentWorld(ctx);
      const third = await ctx.make.staff(w.a.id, { name: 'Uma Third' });
      const appt = await ctx.make.appointment(w.a.id, [w.managerA.id, w.staffA.id, w.colleagueA.id], {
        title: 'Review',
        startsAt: new Date('2030-01-14T09:00:00Z'),
        endsAt: new Date('2030-01-14T10:00:00Z'),
      });
      const s = await signInAs(ctx, w.managerA);
      ctx.mail.clear();
      await s
        .post(
          `/appointments/${appt.id}`,
          apptForm({
            title: 'Review',
            location: '',
            startsAt: '2030-01-15T14:00',
            endsAt: '2030-01-15T15:00',
            version: '1',
            attendeeIds: [String(w.managerA.id), String(w.staffA.id), String(third.id)],
          }),
        )
        .expect(303);
      expect(await attendeesOf(appt.id)).toEqual([w.managerA.id, w.staffA.id, third.id].sort((x, y) => x - y));
      expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).toMatchObject({
        version: 2,
        startsAt: new Date('2030-01-15T14:00:00Z'),
      });
      expect((await ctx.mail.latestTo(w.staffA.email, 10_000, 'Appointment moved: Review')).subject).toBe(
        'Appointment moved: Review',
      );
      expect((await ctx.mail.latestTo(w.staffA.email)).text).toContain('2030-01-15 14:00–15:00');
      expect((await ctx.mail.latestTo(third.email, 10_000, 'Appointment invited: Review')).subject).toBe(
        'Appointment invited: Review',
      );
      const removed = await ctx.mail.latestTo(w.colleagueA.email);
      expect(removed.subject).toBe('Removed from appointment: Review');
      expect(removed.text).toContain('2030-01-14 09:00–10:00');
      expect(ctx.mail.messages.filter((m) => m.to.includes(w.managerA.email))).toHaveLength(0);
      const audit = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Appointment', action: 'update' } });
      expect(Object.keys(audit.changes as object).sort()).toEqual(['attendeeIds', 'endsAt', 'startsAt']);
    },
  );

  it('an edit that does not move anyone sends no mail', async () => {
    const w = await appointmentWorld(ctx);
    const appt = await ctx.make.appointment(w.a.id, [w.staffA.id, w.colleagueA.id], {
      startsAt: new Date('2030-01-14T09:00:00Z'),
    });
    const s = await signInAs(ctx, w.staffA);
    ctx.mail.clear();
    await s
      .post(
        `/appointments/${appt.id}`,
        apptForm({ title: 'Renamed', version: '1', attendeeIds: [String(w.colleagueA.id)] }),
      )
      .expect(303);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).toMatchObject({
      title: 'Renamed',
      version: 2,
    });
    expect(await attendeesOf(appt.id)).toEqual([w.staffA.id, w.colleagueA.id].sort((x, y) => x - y));
    expect(ctx.mail.messages).toHaveLength(0);
  });

  it('a stale version answers 409 with the newer values, the typed values kept and the new version', async () => {
    const w = await appointmentWorld(ctx);
    const appt = await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Original',
      startsAt: new Date('2030-01-14T09:00:00Z'),
    });
    await ctx.prisma.appointment.update({ where: { id: appt.id }, data: { location: 'Moved to room 9', version: 2 } });
    const s = await signInAs(ctx, w.staffA);
    const res = await s
      .post(`/appointments/${appt.id}`, apptForm({ title: 'Mine', location: 'Room 1', version: '1' }))
      .expect(409);
    expect(res.text).toContain('Moved to room 9');
    expect(fieldValue(res.text, 'title')).toBe('Mine');
    expect(fieldValue(res.text, 'version')).toBe('2');
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).toMatchObject({
      title: 'Original',
      location: 'Moved to room 9',
    });
    await s.post(`/appointments/${appt.id}`, apptForm({ title: 'Mine', location: 'Room 1', version: '2' })).expect(303);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).toMatchObject({
      title: 'Mine',
      version: 3,
    });
  });

  it('validation on edit: 422 with values kept, nothing changed', async () => {
    const w = await appointmentWorld(ctx);
    const appt = await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Stays' });
    const s = await signInAs(ctx, w.managerA);
    const res = await s
      .post(
        `/appointments/${appt.id}`,
        apptForm({ title: 'Typed', endsAt: '2030-01-14T08:00', version: '1', attendeeIds: [String(w.staffA.id)] }),
      )
      .expect(422);
    expect(fieldValue(res.text, 'title')).toBe('Typed');
    expect(res.text).toContain('The end must be after the start.');
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).toMatchObject({
      title: 'Stays',
      version: 1,
    });
  });

  it(
    'deleting asks first, removes the appointment and ' + 'its attendees, and mails "cancelled" to the others',
    async () => {
      const w = await appointmentWorld(ctx);
      const appt = await ctx.make.appointment(w.a.id, [w.managerA.id, w.staffA.id], {
        title: 'Dropped',
        startsAt: new Date('2030-01-14T09:00:00Z'),
      });
      const s = await signInAs(ctx, w.managerA);
      const confirm = await s.get(`/appointments/${appt.id}/delete`).expect(200);
      expect(confirm.text).toContain('These attendees will be emailed that it is cancelled: Sam Staff.');
      ctx.mail.clear();
      await s.post(`/appointments/${appt.id}/delete`).expect(303);
      expect(await ctx.prisma.appointment.count()).toBe(0);
      expect(await ctx.prisma.appointmentAttendee.count()).toBe(0);
      const mail = await ctx.mail.latestTo(w.staffA.email);
      expect(mail.subject).toBe('Appointment cancelled: Dropped');
      expect(mail.text).toContain('2030-01-14 09:00–10:00 (UTC)');
      expect(ctx.mail.messages).toHaveLength(1);
      expect(
        await ctx.prisma.auditEntry.count({
          where: { model: 'Appointment', action: 'delete', recordId: String(appt.id) },
        }),
      ).toBe(1);
    },
  );
});

// The overlap warning: shown on the form, never a refusal ("Save anyway" saves), and for staff
// an appointment they do not attend shows only as "busy", without its title.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { fieldValue } from '../helpers/html.ts';
import { apptForm, appointmentWorld, checkedAttendees } from './world.ts';

const ctx = useTestContext();
const at = (iso: string) => new Date(`${iso}:00Z`);

describe('overlap warning', () => {
  it('account manager: names the other appointment; nothing is saved until "Save anyway"', async () => {
    const w = await appointmentWorld(ctx);
    await ctx.make.appointment(w.a.id, [w.colleagueA.id], {
      title: 'Dentist slot',
      startsAt: at('2030-01-14T09:30'),
      endsAt: at('2030-01-14T11:00'),
    });
    const s = await signInAs(ctx, w.managerA);
    ctx.mail.clear();
    const form = apptForm({ title: 'Clash', attendeeIds: [String(w.staffA.id), String(w.colleagueA.id)] });
    const res = await s.post('/appointments', form).expect(200);
    expect(res.text).toContain('id="overlap-warning"');
    expect(res.text).toContain('Tess Colleague');
    expect(res.text).toContain('Dentist slot');
    expect(res.text).toContain('name="confirmOverlap" value="1"');
    expect(fieldValue(res.text, 'title')).toBe('Clash');
    expect(checkedAttendees(res.text).sort()).toEqual([String(w.staffA.id), String(w.colleagueA.id)].sort());
    expect(await ctx.prisma.appointment.count({ where: { title: 'Clash' } })).toBe(0);
    expect(ctx.mail.messages).toHaveLength(0);
    await s.post('/appointments', { ...form, confirmOverlap: '1' }).expect(303);
    expect(await ctx.prisma.appointment.count({ where: { title: 'Clash' } })).toBe(1);
  });

  it('staff: a colleague’s appointment they do not attend is "busy" only — no title, no link', async () => {
    const w = await appointmentWorld(ctx);
    const secret = await ctx.make.appointment(w.a.id, [w.colleagueA.id, w.managerA.id], {
      title: 'Confidential review',
      startsAt: at('2030-01-14T08:30'),
      endsAt: at('2030-01-14T09:15'),
    });
    const s = await signInAs(ctx, w.staffA);
    const res = await s
      .post('/appointments', apptForm({ title: 'Coffee', attendeeIds: [String(w.colleagueA.id)] }))
      .expect(200);
    expect(res.text).toContain('id="overlap-warning"');
    expect(res.text).toMatch(/<strong>Tess Colleague<\/strong>:\s*has another appointment at that time/);
    expect(res.text).not.toContain('<strong>Mona Manager</strong>');
    expect(res.text).not.toContain('Confidential review');
    expect(res.text).not.toContain(`/appointments/${secret.id}`);
    expect(await ctx.prisma.appointment.count()).toBe(1);
  });

  it('staff: an overlapping appointment they attend themselves is shown with its title', async () => {
    const w = await appointmentWorld(ctx);
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'My own call',
      startsAt: at('2030-01-14T09:45'),
      endsAt: at('2030-01-14T10:15'),
    });
    const s = await signInAs(ctx, w.staffA);
    const res = await s.post('/appointments', apptForm({ title: 'Double booked' })).expect(200);
    expect(res.text).toContain('My own call');
    expect(res.text).toContain('Sam Staff');
  });

  it('back-to-back appointments, other attendees and other companies do not warn', async () => {
    const w = await appointmentWorld(ctx);
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Before',
      startsAt: at('2030-01-14T08:00'),
      endsAt: at('2030-01-14T09:00'),
    });
    await ctx.make.appointment(w.a.id, [w.colleagueA.id], {
      title: 'Colleague busy',
      startsAt: at('2030-01-14T09:00'),
      endsAt: at('2030-01-14T10:00'),
    });
    await ctx.make.appointment(w.b.id, [w.staffB.id], {
      title: 'Other company',
      startsAt: at('2030-01-14T09:00'),
      endsAt: at('2030-01-14T10:00'),
    });
    const s = await signInAs(ctx, w.managerA);
    await s.post('/appointments', apptForm({ title: 'Free slot', attendeeIds: [String(w.staffA.id)] })).expect(303);
    expect(await ctx.prisma.appointment.count({ where: { title: 'Free slot' } })).toBe(1);
  });

  it('on edit: warns when a move creates an overlap, not when only the notes change', async () => {
    const w = await appointmentWorld(ctx);
    const mine = await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Mine',
      startsAt: at('2030-01-14T09:00'),
      endsAt: at('2030-01-14T10:00'),
    });
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Overlapping already',
      startsAt: at('2030-01-14T09:30'),
      endsAt: at('2030-01-14T10:30'),
    });
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Afternoon',
      startsAt: at('2030-01-14T14:00'),
      endsAt: at('2030-01-14T15:00'),
    });
    const s = await signInAs(ctx, w.staffA);
    await s
      .post(`/appointments/${mine.id}`, apptForm({ title: 'Mine', notes: 'Agenda attached', version: '1' }))
      .expect(303);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      notes: 'Agenda attached',
      version: 2,
    });
    const moved = apptForm({ title: 'Mine', startsAt: '2030-01-14T14:30', endsAt: '2030-01-14T15:30', version: '2' });
    const res = await s.post(`/appointments/${mine.id}`, moved).expect(200);
    expect(res.text).toContain('Afternoon');
    expect(res.text).not.toContain('>Mine</a> (');
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      startsAt: at('2030-01-14T09:00'),
      version: 2,
    });
    await s.post(`/appointments/${mine.id}`, { ...moved, confirmOverlap: '1' }).expect(303);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      startsAt: at('2030-01-14T14:30'),
      version: 3,
    });
  });
});

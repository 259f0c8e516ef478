// Who may reach which appointment: staff only those they attend, account managers their company,
// superusers all; out of scope is 404 on every route, a missing permission 403; nothing changes.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { signInAs, type Session } from '../helpers/session.ts';
import { apptForm, appointmentWorld, dayTitles, listTitles } from './world.ts';

const ctx = useTestContext();
const at = (iso: string) => new Date(`${iso}:00Z`);

async function expectInvisible(s: Session, id: number | string) {
  await s.get(`/appointments/${id}`).expect(404);
  await s.get(`/appointments/${id}/edit`).expect(404);
  await s.post(`/appointments/${id}`, apptForm({ title: 'Hijacked', version: '1' })).expect(404);
}

describe('appointment scope', () => {
  it('staff who do not attend get 404 on every route; list, week and CSV leave it out', async () => {
    const w = await appointmentWorld(ctx);
    const theirs = await ctx.make.appointment(w.a.id, [w.colleagueA.id], {
      title: 'Not yours',
      startsAt: at('2030-01-14T09:00'),
    });
    await ctx.make.appointment(w.a.id, [w.colleagueA.id, w.staffA.id], {
      title: 'Shared one',
      startsAt: at('2030-01-14T11:00'),
    });
    const group = await ctx.make.group(w.a.id, ['appointment.view', 'appointment.change', 'appointment.delete']);
    const deleter = await ctx.make.staff(w.a.id, { groups: [group.name] });
    for (const user of [w.staffA, deleter]) {
      const s = await signInAs(ctx, user);
      await expectInvisible(s, theirs.id);
      if (user === deleter) {
        await s.get(`/appointments/${theirs.id}/delete`).expect(404);
        await s.post(`/appointments/${theirs.id}/delete`).expect(404);
      }
    }
    const s = await signInAs(ctx, w.staffA);
    expect(listTitles((await s.get('/appointments').expect(200)).text)).toEqual(['Shared one']);
    expect(dayTitles((await s.get('/appointments/week?start=2030-01-14').expect(200)).text, '2030-01-14')).toEqual([
      'Shared one',
    ]);
    const csv = await s.get('/appointments/export.csv').expect(200);
    expect(csv.text).toContain('Shared one');
    expect(csv.text).not.toContain('Not yours');
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      title: 'Not yours',
      version: 1,
    });
  });

  it(
    'an appointment of another company is 404 for its ' + 'account manager; the filter parameters do not widen scope',
    async () => {
      const w = await appointmentWorld(ctx);
      const other = await ctx.make.appointment(w.b.id, [w.staffB.id], {
        title: 'Bolt meeting',
        startsAt: at('2030-01-14T09:00'),
      });
      await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Acme meeting', startsAt: at('2030-01-14T09:00') });
      const s = await signInAs(ctx, w.managerA);
      await expectInvisible(s, other.id);
      await s.get(`/appointments/${other.id}/delete`).expect(404);
      await s.post(`/appointments/${other.id}/delete`).expect(404);
      expect(
        listTitles((await s.get(`/appointments?companyId=${w.b.id}&attendeeId=${w.staffB.id}`).expect(200)).text),
      ).toEqual([]);
      expect(listTitles((await s.get(`/appointments?companyId=${w.b.id}`).expect(200)).text)).toEqual(['Acme meeting']);
      expect(dayTitles((await s.get('/appointments/week?start=2030-01-14').expect(200)).text, '2030-01-14')).toEqual([
        'Acme meeting',
      ]);
      expect(await ctx.prisma.appointment.count({ where: { id: other.id, title: 'Bolt meeting', version: 1 } })).toBe(
        1,
      );
    },
  );

  it('the account manager sees and edits every appointment of the company; the superuser every company’s', async () => {
    const w = await appointmentWorld(ctx);
    const a1 = await ctx.make.appointment(w.a.id, [w.colleagueA.id], {
      title: 'Acme one',
      startsAt: at('2030-01-14T09:00'),
    });
    await ctx.make.appointment(w.b.id, [w.staffB.id], { title: 'Bolt one', startsAt: at('2030-01-14T10:00') });
    const am = await signInAs(ctx, w.managerA);
    expect(listTitles((await am.get('/appointments').expect(200)).text)).toEqual(['Acme one']);
    await am
      .post(
        `/appointments/${a1.id}`,
        apptForm({
          title: 'Acme one',
          location: 'HQ',
          startsAt: '2030-01-14T09:00',
          endsAt: '2030-01-14T10:00',
          version: '1',
          attendeeIds: [String(w.colleagueA.id)],
        }),
      )
      .expect(303);
    expect((await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: a1.id } })).location).toBe('HQ');
    const su = await signInAs(ctx, w.su);
    const list = (await su.get('/appointments').expect(200)).text;
    expect(listTitles(list)).toEqual(['Acme one', 'Bolt one']);
    expect(list).toContain('<td>Bolt</td>');
    expect(listTitles((await su.get(`/appointments?companyId=${w.b.id}`).expect(200)).text)).toEqual(['Bolt one']);
  });

  it('malformed and unknown ids answer 404', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    for (const id of ['abc', '99999999999', '0', '1e3', '2147483648', '424242']) await expectInvisible(s, id);
  });
});

describe('appointment permissions', () => {
  it('default staff cannot delete: no Delete link, 403 on the routes, nothing removed', async () => {
    const w = await appointmentWorld(ctx);
    const appt = await ctx.make.appointment(w.a.id, [w.staffA.id]);
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get(`/appointments/${appt.id}`).expect(200);
    expect(page.text).not.toContain(`/appointments/${appt.id}/delete`);
    expect(page.text).toContain(`/appointments/${appt.id}/edit`);
    await s.get(`/appointments/${appt.id}/delete`).expect(403);
    const res = await s.post(`/appointments/${appt.id}/delete`).expect(403);
    expect(res.text).toContain('appointment.delete');
    expect(await ctx.prisma.appointment.count()).toBe(1);
  });

  it('view-only staff cannot add or change; staff without view cannot see any page', async () => {
    const w = await appointmentWorld(ctx);
    const viewGroup = await ctx.make.group(w.a.id, ['appointment.view']);
    const viewer = await ctx.make.staff(w.a.id, { groups: [viewGroup.name] });
    const appt = await ctx.make.appointment(w.a.id, [viewer.id], { title: 'Look only' });
    const v = await signInAs(ctx, viewer);
    const list = await v.get('/appointments').expect(200);
    expect(list.text).not.toContain('href="/appointments/new"');
    expect((await v.get(`/appointments/${appt.id}`).expect(200)).text).not.toContain(`/appointments/${appt.id}/edit`);
    await v.get('/appointments/new').expect(403);
    await v.post('/appointments', apptForm()).expect(403);
    await v.get(`/appointments/${appt.id}/edit`).expect(403);
    await v.post(`/appointments/${appt.id}`, apptForm({ title: 'Changed', version: '1' })).expect(403);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).toMatchObject({
      title: 'Look only',
      version: 1,
    });
    const noneGroup = await ctx.make.group(w.a.id, ['task.view']);
    const outsider = await ctx.make.staff(w.a.id, { groups: [noneGroup.name] });
    const o = await signInAs(ctx, outsider);
    for (const path of ['/appointments', '/appointments/week', '/appointments/export.csv', `/appointments/${appt.id}`])
      await o.get(path).expect(403);
    expect(await ctx.prisma.appointment.count()).toBe(1);
  });
});

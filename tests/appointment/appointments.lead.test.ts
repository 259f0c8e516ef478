// Appointments linked to a lead (issue 13 item 4): the lead field of the appointment form for each role,
// "Schedule meeting" from a lead's and a customer's page (the lead, its customer and its assignee as an attendee
// preset, then back to the record), the refusals (another company's lead, a colleague's lead for staff, CSRF, a
// stale version), and the lead on the appointment's page, list, CSV, 409 rows and audit trail.
import { describe, expect, it } from 'vitest';
import { downloadCsv } from '../helpers/csv.ts';
import { useTestContext } from '../helpers/context.ts';
import { all, fieldError, fieldValue, formFields, textOf, type Html } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { apptForm, appointmentWorld, checkedAttendees } from './world.ts';

const ctx = useTestContext();

function linkHref(html: Html, label: string): string {
  const a = all(html, 'a').find((el) => textOf(el) === label);
  if (!a) throw new Error(`no link "${label}" on the page`);
  return a.attribs.href;
}

async function leadWorld() {
  const w = await appointmentWorld(ctx);
  const customer = await ctx.make.customer(w.a.id, { name: 'Dupont SA' });
  const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Dupont rollout', customerId: customer.id });
  const colleagues = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Colleague secret lead' });
  const foreign = await ctx.make.lead(w.b.id, w.staffB.id, { title: 'Bolt secret lead' });
  return { ...w, customer, lead, colleagues, foreign };
}

const auditOf = (id: number, action: string) =>
  ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Appointment', recordId: String(id), action } });

describe('"Schedule meeting" from a lead page', () => {
  it(
    'account manager: the lead, its customer, and the lead’s assignee as an attendee are preset; ' +
      'saving returns to the lead',
    async () => {
      const w = await leadWorld();
      const s = await signInAs(ctx, w.managerA);
      const href = linkHref(await s.get(`/leads/${w.lead.id}`).expect(200), 'Schedule meeting');
      expect(href).toBe(
        `/appointments/new?leadId=${w.lead.id}&customerId=${w.customer.id}&returnTo=%2Fleads%2F${w.lead.id}`,
      );
      const form = await s.get(href).expect(200);
      expect(fieldValue(form, 'leadId')).toBe(String(w.lead.id));
      expect(fieldValue(form, 'customerId')).toBe(String(w.customer.id));
      expect(checkedAttendees(form.text).sort()).toEqual([String(w.managerA.id), String(w.staffA.id)].sort());
      expect(fieldValue(form, 'returnTo')).toBe(`/leads/${w.lead.id}`);
      expect(form.text).not.toContain('Bolt secret lead');
      const fields = {
        ...formFields(form, '/appointments'),
        title: 'Demo at Dupont',
        startsAt: '2030-02-01T10:00',
        endsAt: '2030-02-01T11:00',
      };
      const res = await s.post('/appointments', fields).expect(303);
      expect(res.headers.location).toBe(`/leads/${w.lead.id}`);
      const appt = await ctx.prisma.appointment.findFirstOrThrow({
        where: { title: 'Demo at Dupont' },
        include: { attendees: true },
      });
      expect(appt).toMatchObject({ leadId: w.lead.id, customerId: w.customer.id, organiserId: w.managerA.id });
      expect(appt.attendees.map((a) => a.userId).sort()).toEqual([w.managerA.id, w.staffA.id].sort());
      expect((await auditOf(appt.id, 'create')).changes).toMatchObject({ leadId: [null, w.lead.id] });
      const page = await s.get(`/appointments/${appt.id}`).expect(200);
      expect(page.text).toContain(`<a href="/leads/${w.lead.id}">Dupont rollout</a>`);
      const history = all(page, 'section[aria-labelledby="history-heading"]').map(textOf).join(' ');
      expect(history).toMatch(/Lead:?\s.*Dupont rollout/);
    },
  );

  it('staff: their own lead is preset and they attend; superuser: the lead’s company is the form’s', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.staffA);
    const form = await s.get(linkHref(await s.get(`/leads/${w.lead.id}`).expect(200), 'Schedule meeting'));
    expect(form.status).toBe(200);
    expect(fieldValue(form, 'leadId')).toBe(String(w.lead.id));
    expect(form.text).not.toContain('Colleague secret lead');
    const times = { startsAt: '2030-02-02T10:00', endsAt: '2030-02-02T11:00' };
    const res = await s.post('/appointments', {
      ...formFields(form, '/appointments'),
      title: 'Staff meeting',
      ...times,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/leads/${w.lead.id}`);
    expect(await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Staff meeting' } })).toMatchObject({
      leadId: w.lead.id,
      customerId: w.customer.id,
    });
    const su = await signInAs(ctx, w.su);
    const suForm = await su.get(linkHref(await su.get(`/leads/${w.foreign.id}`).expect(200), 'Schedule meeting'));
    expect(suForm.status).toBe(200);
    expect(fieldValue(suForm, 'companyId')).toBe(String(w.b.id));
    expect(fieldValue(suForm, 'leadId')).toBe(String(w.foreign.id));
    expect(checkedAttendees(suForm.text)).toEqual([String(w.staffB.id)]);
  });
});

describe('"Schedule meeting" from a customer page', () => {
  it('the customer is preset, no lead; saving returns to the customer', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.staffA);
    const href = linkHref(await s.get(`/customers/${w.customer.id}`).expect(200), 'Schedule meeting');
    const form = await s.get(href).expect(200);
    expect(fieldValue(form, 'customerId')).toBe(String(w.customer.id));
    expect(fieldValue(form, 'leadId')).toBe('');
    const times = { startsAt: '2030-02-03T10:00', endsAt: '2030-02-03T11:00' };
    const res = await s
      .post('/appointments', { ...formFields(form, '/appointments'), title: 'Visit', ...times })
      .expect(303);
    expect(res.headers.location).toBe(`/customers/${w.customer.id}`);
    expect(await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Visit' } })).toMatchObject({
      customerId: w.customer.id,
      leadId: null,
    });
  });
});

describe('the lead field: refusals', () => {
  it('another company’s lead and a colleague’s lead for staff: 422 on POST, ignored on GET', async () => {
    const w = await leadWorld();
    const m = await signInAs(ctx, w.managerA);
    const res = await m.post('/appointments', apptForm({ title: 'Kept', leadId: String(w.foreign.id) })).expect(422);
    expect(fieldError(res, 'leadId')).toBe('Choose a lead you can see.');
    expect(fieldValue(res, 'title')).toBe('Kept');
    expect(res.text).not.toContain('Bolt secret lead');
    const prefill = await m.get(`/appointments/new?leadId=${w.foreign.id}&customerId=zz`).expect(200);
    expect(fieldValue(prefill, 'leadId')).toBe('');
    expect(checkedAttendees(prefill.text)).toEqual([String(w.managerA.id)]);
    const s = await signInAs(ctx, w.staffA);
    const staff = await s.post('/appointments', apptForm({ leadId: String(w.colleagues.id) })).expect(422);
    expect(fieldError(staff, 'leadId')).toBe('Choose a lead you can see.');
    expect(staff.text).not.toContain('Colleague secret lead');
    const ignored = await s.get(`/appointments/new?leadId=${w.colleagues.id}`).expect(200);
    expect(fieldValue(ignored, 'leadId')).toBe('');
    expect(checkedAttendees(ignored.text)).not.toContain(String(w.colleagueA.id));
    // Edit: the same refusal.
    const appt = await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Mine' });
    const edit = await s
      .post(`/appointments/${appt.id}`, apptForm({ title: 'Mine', leadId: String(w.colleagues.id), version: '1' }))
      .expect(422);
    expect(fieldError(edit, 'leadId')).toBe('Choose a lead you can see.');
    expect(await ctx.prisma.appointment.count({ where: { leadId: { not: null } } })).toBe(0);
  });

  it('a POST without the CSRF token is refused; a foreign returnTo is not followed', async () => {
    const w = await leadWorld();
    const s = await signInAs(ctx, w.staffA);
    await s.agent
      .post('/appointments')
      .type('form')
      .send(apptForm({ leadId: String(w.lead.id) }))
      .expect(403);
    expect(await ctx.prisma.appointment.count()).toBe(0);
    for (const [i, returnTo] of ['https://evil.test', '//evil.test', '/tasks', '/appointments'].entries()) {
      const res = await s
        .post(
          '/appointments',
          apptForm({ title: `Stay ${i}`, startsAt: `2030-01-1${i}T09:00`, endsAt: `2030-01-1${i}T10:00`, returnTo }),
        )
        .expect(303);
      const appt = await ctx.prisma.appointment.findFirstOrThrow({ where: { title: `Stay ${i}` } });
      expect(res.headers.location).toBe(`/appointments/${appt.id}`);
      expect(
        fieldValue(await s.get(`/appointments/new?returnTo=${encodeURIComponent(returnTo)}`), 'returnTo'),
      ).toBeNull();
    }
  });
});

describe('editing the lead of an appointment', () => {
  it('account manager: sets the lead (audited); a stale version answers 409 with the saved lead shown', async () => {
    const w = await leadWorld();
    const appt = await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Old meeting' });
    const s = await signInAs(ctx, w.managerA);
    const edit = await s.get(`/appointments/${appt.id}/edit`).expect(200);
    expect(fieldValue(edit, 'leadId')).toBe('');
    await s
      .post(`/appointments/${appt.id}`, { ...formFields(edit, `/appointments/${appt.id}`), leadId: String(w.lead.id) })
      .expect(303);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).toMatchObject({
      leadId: w.lead.id,
      version: 2,
    });
    // The lead's customer came with it (the form named none).
    expect((await auditOf(appt.id, 'update')).changes).toMatchObject({
      leadId: [null, w.lead.id],
      customerId: [null, w.customer.id],
    });
    // Someone else moves it to another lead meanwhile; the stale form answers 409.
    await ctx.prisma.appointment.update({ where: { id: appt.id }, data: { leadId: w.colleagues.id, version: 3 } });
    const stale = await s
      .post(`/appointments/${appt.id}`, { ...formFields(edit, `/appointments/${appt.id}`), leadId: String(w.lead.id) })
      .expect(409);
    const conflict = all(stale, '.alert').map(textOf).join(' ');
    expect(conflict).toContain('Lead');
    expect(conflict).toContain('Colleague secret lead');
    expect(fieldValue(stale, 'leadId')).toBe(String(w.lead.id));
    expect(fieldValue(stale, 'version')).toBe('3');
  });

  it('staff attending a meeting on a colleague’s lead never see its title, and saving keeps the link', async () => {
    const w = await leadWorld();
    const appt = await ctx.make.appointment(w.a.id, [w.staffA.id, w.colleagueA.id], {
      title: 'Joint visit',
      leadId: w.colleagues.id,
    });
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get(`/appointments/${appt.id}`).expect(200);
    expect(page.text).not.toContain('Colleague secret lead');
    expect(page.text).toContain('A lead you cannot see');
    expect((await s.get('/appointments').expect(200)).text).not.toContain('Colleague secret lead');
    expect((await downloadCsv(s.get('/appointments/export.csv'))).text).not.toContain('Colleague secret lead');
    const edit = await s.get(`/appointments/${appt.id}/edit`).expect(200);
    expect(edit.text).not.toContain('Colleague secret lead');
    await s
      .post(`/appointments/${appt.id}`, { ...formFields(edit, `/appointments/${appt.id}`), notes: 'Bring slides' })
      .expect(303);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).toMatchObject({
      notes: 'Bring slides',
      leadId: w.colleagues.id,
    });
  });
});

describe('the appointment list and CSV', () => {
  it('show the lead in a column of their own', async () => {
    const w = await leadWorld();
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'With lead', leadId: w.lead.id });
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Without lead' });
    const s = await signInAs(ctx, w.staffA);
    const list = await s.get('/appointments').expect(200);
    expect(list.text).toContain('<th scope="col">Lead</th>');
    expect(list.text).toContain(`<a href="/leads/${w.lead.id}">Dupont rollout</a>`);
    const csv = await downloadCsv(s.get('/appointments/export.csv'), 'appointments.csv');
    const lead = csv.header.indexOf('lead');
    expect(lead).toBeGreaterThan(csv.header.indexOf('customer'));
    expect(Object.fromEntries(csv.rows.map((r) => [r[1], r[lead]]))).toEqual({
      'With lead': 'Dupont rollout',
      'Without lead': '',
    });
  });
});

// "Add to calendar": GET /appointments/:id/calendar.ics is a download (PUBLISH) for whoever may see the
// appointment, and 404 for everyone else (another company's, a staff user who does not attend).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { parseIcs } from './ics.ts';

const ctx = useTestContext();

async function world() {
  const w = await buildWorld(ctx);
  const appt = await ctx.make.appointment(w.a.id, [w.staffA.id], {
    title: 'Site visit: north',
    startsAt: new Date('2030-05-06T07:30:00Z'),
    location: 'Depot',
    notes: 'Safety shoes',
    organiserId: w.managerA.id,
    version: 4,
  });
  return { ...w, appt };
}

describe('GET /appointments/:id/calendar.ics', () => {
  it('an attendee downloads the appointment as a PUBLISH file, linked from its page', async () => {
    const w = await world();
    const s = await w.as(w.staffA);
    const page = await s.get(`/appointments/${w.appt.id}`).expect(200);
    expect(page.text).toContain(`href="/appointments/${w.appt.id}/calendar.ics"`);
    expect(page.text).toContain('Add to calendar');
    const res = await s.get(`/appointments/${w.appt.id}/calendar.ics`).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="site-visit-north.ics"');
    const ics = parseIcs(res.text);
    expect(ics.method).toBe('PUBLISH');
    expect(ics.events).toHaveLength(1);
    expect(ics.events[0]).toMatchObject({
      uid: `appointment-${w.appt.id}@crm.test`,
      sequence: 3,
      start: '2030-05-06T07:30:00.000Z',
      end: '2030-05-06T08:30:00.000Z',
      summary: 'Site visit: north',
      location: 'Depot',
      attendees: [],
      // Staff see colleagues' names only: the organiser (their manager) is not named with an address.
      organizer: null,
    });
    expect(ics.events[0].description).toContain('Safety shoes');
    expect(res.text).not.toContain(w.managerA.email);
  });

  it('an account manager gets the organiser in the file', async () => {
    const w = await world();
    const res = await (await w.as(w.managerA)).get(`/appointments/${w.appt.id}/calendar.ics`).expect(200);
    expect(parseIcs(res.text).events[0]).toMatchObject({ organizer: w.managerA.email, organizerName: w.managerA.name });
  });

  it('is 404 for another company, a colleague not attending, and an unknown id; visitors sign in', async () => {
    const w = await world();
    for (const who of [w.managerB, w.staffB, w.colleagueA]) {
      const res = await (await w.as(who)).get(`/appointments/${w.appt.id}/calendar.ics`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Site visit');
    }
    await (await w.as(w.managerA)).get(`/appointments/${w.appt.id + 1000}/calendar.ics`).expect(404);
    const visitor = await request(ctx.app).get(`/appointments/${w.appt.id}/calendar.ics`).expect(302);
    expect(visitor.headers.location).toMatch(/^\/login\?next=/);
  });
});

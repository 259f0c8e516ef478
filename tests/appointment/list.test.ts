// The appointment list (upcoming / past / all, search, attendee filter, sort, pages, CSV, query
// count) and the week view (days in the user's time zone, previous/next week).
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { downloadCsv } from '../helpers/csv.ts';
import { signInAs } from '../helpers/session.ts';
import { appointmentWorld, dayTitles, listTitles } from './world.ts';

const ctx = useTestContext();
const HOUR = 3600_000;
const at = (iso: string) => new Date(`${iso}:00Z`);

describe('appointment list', () => {
  it('upcoming by default (soonest first, ongoing included), past newest first, or all', async () => {
    const w = await appointmentWorld(ctx);
    const now = Date.now();
    const make = (title: string, start: number, hours = 1) =>
      ctx.make.appointment(w.a.id, [w.staffA.id], {
        title,
        startsAt: new Date(now + start),
        endsAt: new Date(now + start + hours * HOUR),
      });
    await make('Tomorrow', 24 * HOUR);
    await make('Ongoing', -HOUR, 2);
    await make('Next week', 7 * 24 * HOUR);
    await make('Yesterday', -24 * HOUR);
    await make('Last month', -30 * 24 * HOUR);
    const s = await signInAs(ctx, w.staffA);
    expect(listTitles((await s.get('/appointments').expect(200)).text)).toEqual(['Ongoing', 'Tomorrow', 'Next week']);
    expect(listTitles((await s.get('/appointments?when=past').expect(200)).text)).toEqual(['Yesterday', 'Last month']);
    expect(listTitles((await s.get('/appointments?when=past&dir=asc').expect(200)).text)).toEqual([
      'Last month',
      'Yesterday',
    ]);
    expect(listTitles((await s.get('/appointments?when=all').expect(200)).text)).toHaveLength(5);
    await s.get('/appointments?when=past&when=all').expect(400);
  });

  it('searches title, location, notes and customer name case-insensitively; filters by attendee', async () => {
    const w = await appointmentWorld(ctx);
    const customer = await ctx.make.customer(w.a.id, { name: 'Zeppelin GmbH' });
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Quarterly review', startsAt: at('2030-01-14T09:00') });
    await ctx.make.appointment(w.a.id, [w.colleagueA.id], {
      title: 'Visit',
      location: 'REVIEW room',
      startsAt: at('2030-01-14T10:00'),
    });
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Call',
      notes: 'prepare the review',
      startsAt: at('2030-01-14T11:00'),
    });
    await ctx.make.appointment(w.a.id, [w.colleagueA.id], {
      title: 'Lunch',
      customerId: customer.id,
      startsAt: at('2030-01-14T12:00'),
    });
    const s = await signInAs(ctx, w.managerA);
    expect(listTitles((await s.get('/appointments?q=Review').expect(200)).text)).toEqual([
      'Quarterly review',
      'Visit',
      'Call',
    ]);
    expect(listTitles((await s.get('/appointments?q=zeppelin').expect(200)).text)).toEqual(['Lunch']);
    expect(listTitles((await s.get(`/appointments?attendeeId=${w.colleagueA.id}`).expect(200)).text)).toEqual([
      'Visit',
      'Lunch',
    ]);
    const none = await s.get('/appointments?q=nothing-like-this').expect(200);
    expect(none.text).toContain('No appointments match these filters.');
  });

  it('shows an empty state', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const res = await s.get('/appointments').expect(200);
    expect(res.text).toContain('No upcoming appointments.');
    expect(res.text).toContain('Plan an appointment');
  });

  it('sorts by title and created, and pages', async () => {
    const w = await appointmentWorld(ctx);
    for (let i = 1; i <= 27; i++) {
      await ctx.make.appointment(w.a.id, [w.staffA.id], {
        title: `Meeting ${String(28 - i).padStart(2, '0')}`,
        startsAt: new Date(at('2030-01-01T08:00').getTime() + i * HOUR),
      });
    }
    const s = await signInAs(ctx, w.staffA);
    const byTitle = await s.get('/appointments?sort=title').expect(200);
    expect(listTitles(byTitle.text).slice(0, 2)).toEqual(['Meeting 01', 'Meeting 02']);
    expect(byTitle.text).toContain('Showing 1–25 of 27 appointments');
    const page2 = await s.get('/appointments?sort=title&dir=asc&page=2').expect(200);
    expect(listTitles(page2.text)).toEqual(['Meeting 26', 'Meeting 27']);
    expect(listTitles((await s.get('/appointments?sort=created&dir=desc').expect(200)).text)[0]).toBe('Meeting 01');
    expect(listTitles((await s.get('/appointments').expect(200)).text)[0]).toBe('Meeting 27');
  });

  it('costs the same number of queries for 2 appointments as for 25 with many attendees', async () => {
    const w = await appointmentWorld(ctx);
    const customer = await ctx.make.customer(w.a.id);
    for (let i = 0; i < 2; i++)
      await ctx.make.appointment(w.a.id, [w.staffA.id], {
        customerId: customer.id,
        startsAt: new Date(Date.now() + (i + 1) * HOUR),
      });
    const s = await signInAs(ctx, w.managerA);
    ctx.takeQueryCount();
    await s.get('/appointments').expect(200);
    const few = ctx.takeQueryCount();
    for (let i = 0; i < 23; i++) {
      const extra = await ctx.make.staff(w.a.id);
      const c = await ctx.make.customer(w.a.id);
      await ctx.make.appointment(w.a.id, [extra.id, w.colleagueA.id, w.staffA.id], {
        customerId: c.id,
        startsAt: new Date(Date.now() + (i + 3) * HOUR),
      });
    }
    ctx.takeQueryCount();
    const many = await s.get('/appointments').expect(200);
    expect(listTitles(many.text)).toHaveLength(25);
    expect(ctx.takeQueryCount()).toBe(few);
  });

  it('exports exactly the filtered rows as CSV, in the user’s time zone', async () => {
    const w = await appointmentWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.managerA.id }, data: { timeZone: 'Europe/Paris' } });
    const customer = await ctx.make.customer(w.a.id, { name: 'Dupont SA' });
    await ctx.make.appointment(w.a.id, [w.staffA.id, w.colleagueA.id], {
      title: '@danger',
      location: 'Lyon',
      customerId: customer.id,
      organiserId: w.managerA.id,
      startsAt: at('2030-01-14T08:00'),
      endsAt: at('2030-01-14T09:00'),
    });
    await ctx.make.appointment(w.a.id, [w.colleagueA.id], { title: 'Not for Sam', startsAt: at('2030-01-14T10:00') });
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Long ago', startsAt: at('2020-01-14T10:00') });
    await ctx.make.appointment(w.b.id, [w.staffB.id], { title: 'Other company', startsAt: at('2030-01-14T10:00') });
    const s = await signInAs(ctx, w.managerA);
    const list = await s.get(`/appointments?attendeeId=${w.staffA.id}`).expect(200);
    expect(list.text).toContain(`href="/appointments/export.csv?attendeeId=${w.staffA.id}&amp;sort=start&amp;dir=asc"`);
    const csv = await downloadCsv(
      s.get(`/appointments/export.csv?attendeeId=${w.staffA.id}&sort=start&dir=asc`),
      'appointments.csv',
    );
    expect(csv.header).toEqual([
      'id',
      'title',
      'start (Europe/Paris)',
      'end (Europe/Paris)',
      'location',
      'customer',
      'lead',
      'attendees',
      'organiser',
    ]);
    expect(csv.rows).toHaveLength(1);
    expect(csv.rows[0].slice(1)).toEqual([
      "'@danger",
      '2030-01-14 09:00',
      '2030-01-14 10:00',
      'Lyon',
      'Dupont SA',
      '',
      'Sam Staff; Tess Colleague',
      'Mona Manager',
    ]);
    const past = await downloadCsv(s.get('/appointments/export.csv?when=past'));
    expect(past.rows.map((r) => r[1])).toEqual(['Long ago']);
  });
});

describe('week view', () => {
  it('draws Monday to Sunday in the user’s time zone, with previous and next week links', async () => {
    const w = await appointmentWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'Europe/Paris' } });
    // Monday 14 January 2030. 23:30Z on Sunday the 13th is 00:30 on Monday in Paris.
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Early Monday',
      startsAt: at('2030-01-13T23:30'),
      endsAt: at('2030-01-14T00:15'),
    });
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Wednesday call',
      startsAt: at('2030-01-16T13:00'),
      endsAt: at('2030-01-16T14:00'),
    });
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Trade fair',
      startsAt: at('2030-01-18T08:00'),
      endsAt: at('2030-01-19T16:00'),
    });
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Next Monday',
      startsAt: at('2030-01-21T09:00'),
      endsAt: at('2030-01-21T10:00'),
    });
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Sunday before',
      startsAt: at('2030-01-13T20:00'),
      endsAt: at('2030-01-13T21:00'),
    });
    const s = await signInAs(ctx, w.staffA);
    // A date in the middle of the week shows the whole week from its Monday.
    const res = await s.get('/appointments/week?start=2030-01-16').expect(200);
    expect(dayTitles(res.text, '2030-01-14')).toEqual(['Early Monday']);
    expect(res.text).toContain('00:30–01:15');
    expect(dayTitles(res.text, '2030-01-16')).toEqual(['Wednesday call']);
    expect(dayTitles(res.text, '2030-01-18')).toEqual(['Trade fair']);
    expect(dayTitles(res.text, '2030-01-19')).toEqual(['Trade fair']);
    expect(dayTitles(res.text, '2030-01-20')).toEqual([]);
    expect(res.text).not.toContain('Next Monday');
    expect(res.text).not.toContain('Sunday before');
    expect(res.text).toContain('href="/appointments/week?start=2030-01-07"');
    expect(res.text).toContain('href="/appointments/week?start=2030-01-21"');
    const next = await s.get('/appointments/week?start=2030-01-21').expect(200);
    expect(dayTitles(next.text, '2030-01-21')).toEqual(['Next Monday']);
    expect(dayTitles((await s.get('/appointments/week?start=2030-01-07').expect(200)).text, '2030-01-13')).toEqual([
      'Sunday before',
    ]);
  });

  it('a bad date shows this week; a repeated parameter is a 400', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    for (const start of ['2030-02-30', 'yesterday', '<script>', '9999-12-31', '0001-01-01']) {
      const res = await s.get(`/appointments/week?start=${encodeURIComponent(start)}`).expect(200);
      expect(res.text).toContain('aria-label="Weeks"');
      expect(res.text).not.toContain('<script>');
    }
    await s.get('/appointments/week?start=2030-01-14&start=2030-01-21').expect(400);
  });

  it('day cells are top-aligned: the grid asks for it and the stylesheet no longer centres it', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get('/appointments/week?start=2030-01-14').expect(200);
    expect(page.text).toMatch(/<table class="table table-bordered align-top[ "]/);
    // app.css centres every table cell; without this rule a busy day would push a quiet day's "Free" to its middle.
    const css = await s.get('/static/css/app.css').expect(200);
    expect(css.text).toMatch(/\.table\.align-top td, \.table\.align-top th \{ vertical-align: top; \}/);
  });

  it('account managers can narrow the week to one attendee', async () => {
    const w = await appointmentWorld(ctx);
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Sam only', startsAt: at('2030-01-15T09:00') });
    await ctx.make.appointment(w.a.id, [w.colleagueA.id], { title: 'Tess only', startsAt: at('2030-01-15T11:00') });
    const s = await signInAs(ctx, w.managerA);
    expect(dayTitles((await s.get('/appointments/week?start=2030-01-14').expect(200)).text, '2030-01-15')).toEqual([
      'Sam only',
      'Tess only',
    ]);
    const narrowed = await s.get(`/appointments/week?start=2030-01-14&attendeeId=${w.colleagueA.id}`).expect(200);
    expect(dayTitles(narrowed.text, '2030-01-15')).toEqual(['Tess only']);
    expect(narrowed.text).toContain(`href="/appointments/week?start=2030-01-21&amp;attendeeId=${w.colleagueA.id}"`);
  });
});

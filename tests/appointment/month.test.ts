// The month view (/appointments/month): days in the user's time zone (far from UTC), whole weeks from Monday
// to Sunday with the neighbouring months' days muted, appointments spanning midnight on each day, the tasks
// toggle, the attendee filter inside each role's scope, a bad month value, and a fixed number of statements.
import { describe, expect, it } from 'vitest';
import { all, first, recordTitles, text, texts } from '../helpers/html.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { appointmentWorld } from './world.ts';

const ctx = useTestContext();
const at = (iso: string) => new Date(`${iso}:00Z`);

/** The titles of what a day's cell of the month table links to (appointments, or tasks with base '/tasks'). */
function monthDay(html: string, date: string, base = '/appointments'): string[] {
  const cell = first(html, `td[data-date="${date}"]`);
  if (!cell) throw new Error(`no cell for ${date}`);
  return recordTitles(cell, base, '*');
}
const cellDates = (html: string) => all(html, 'td[data-date]').map((td) => td.attribs['data-date']);

describe('month view', () => {
  it('puts appointments near midnight on the right day far from UTC, ones spanning midnight on each day', async () => {
    const w = await appointmentWorld(ctx);
    // Auckland is UTC+13 in January (daylight saving time).
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'Pacific/Auckland' } });
    const a = (title: string, startsAt: Date, endsAt: Date) =>
      ctx.make.appointment(w.a.id, [w.staffA.id], { title, startsAt, endsAt });
    await a('Late Monday', at('2030-01-14T10:30'), at('2030-01-14T10:45')); // 23:30 on the 14th
    await a('Early Tuesday', at('2030-01-14T11:30'), at('2030-01-14T12:00')); // 00:30 on the 15th
    await a('Over midnight', at('2030-01-16T10:00'), at('2030-01-16T12:00')); // 23:00 on the 16th to 01:00
    const s = await signInAs(ctx, w.staffA);
    const res = await s.get('/appointments/month?month=2030-01').expect(200);
    expect(monthDay(res.text, '2030-01-14')).toEqual(['Late Monday']);
    expect(monthDay(res.text, '2030-01-15')).toEqual(['Early Tuesday']);
    expect(monthDay(res.text, '2030-01-16')).toEqual(['Over midnight']);
    expect(monthDay(res.text, '2030-01-17')).toEqual(['Over midnight']);
    expect(res.text).toContain('00:30');
    expect(res.text).toContain('(began on an earlier day)');
    // Far west of UTC (Honolulu, UTC−10) the same instants fall a day earlier or on the same day.
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'Pacific/Honolulu' } });
    const west = await s.get('/appointments/month?month=2030-01').expect(200);
    expect(monthDay(west.text, '2030-01-14')).toEqual(['Late Monday', 'Early Tuesday']);
    expect(monthDay(west.text, '2030-01-16')).toEqual(['Over midnight']);
    expect(monthDay(west.text, '2030-01-17')).toEqual([]);
  });

  it('draws whole weeks from Monday: the first and last weeks reach into the neighbouring months, muted', async () => {
    const w = await appointmentWorld(ctx);
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'New Year eve', startsAt: at('2029-12-31T09:00') });
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Early Feb', startsAt: at('2030-02-03T09:00') });
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Too late', startsAt: at('2030-02-04T09:00') });
    const s = await signInAs(ctx, w.staffA);
    // 1 January 2030 is a Tuesday, the 31st a Thursday: five weeks, 31 December to 3 February.
    const jan = await s.get('/appointments/month?month=2030-01').expect(200);
    const dates = cellDates(jan.text);
    expect(dates).toHaveLength(35);
    expect(dates[0]).toBe('2029-12-31');
    expect(dates.at(-1)).toBe('2030-02-03');
    expect(first(jan.text, 'td[data-date="2029-12-31"]')!.attribs.class).toContain('cal-outside');
    expect(first(jan.text, 'td[data-date="2030-01-01"]')!.attribs.class).not.toContain('cal-outside');
    expect(monthDay(jan.text, '2029-12-31')).toEqual(['New Year eve']);
    expect(monthDay(jan.text, '2030-02-03')).toEqual(['Early Feb']);
    expect(jan.text).not.toContain('Too late');
    expect(jan.text).toContain('href="/appointments/month?month=2029-12"');
    expect(jan.text).toContain('href="/appointments/month?month=2030-02"');
    // April 2030 starts on a Monday (no day of March); September 2030 needs six weeks.
    const apr = cellDates((await s.get('/appointments/month?month=2030-04').expect(200)).text);
    expect([apr[0], apr.at(-1), apr.length]).toEqual(['2030-04-01', '2030-05-05', 35]);
    const sep = cellDates((await s.get('/appointments/month?month=2030-09').expect(200)).text);
    expect([sep[0], sep.at(-1), sep.length]).toEqual(['2030-08-26', '2030-10-06', 42]);
  });

  it('shows tasks due only when asked, marked as tasks, done ones struck through; staff only their own', async () => {
    const w = await appointmentWorld(ctx);
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Send quote', dueAt: at('2030-01-15T15:00') });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Old call', dueAt: at('2030-01-15T08:00'), status: 'DONE' });
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Colleague task', dueAt: at('2030-01-15T09:00') });
    await ctx.make.task(w.b.id, w.staffB.id, { title: 'Other company task', dueAt: at('2030-01-15T09:00') });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'No due date' });
    const s = await signInAs(ctx, w.staffA);
    const without = await s.get('/appointments/month?month=2030-01').expect(200);
    expect(monthDay(without.text, '2030-01-15', '/tasks')).toEqual([]);
    const withTasks = await s.get('/appointments/month?month=2030-01&tasks=1').expect(200);
    expect(monthDay(withTasks.text, '2030-01-15', '/tasks')).toEqual(['Old call (done)', 'Send quote']);
    const cell = first(withTasks.text, 'td[data-date="2030-01-15"]')!;
    expect(all(cell, 's').length).toBe(1);
    expect(texts(cell, '.badge')).toEqual(['Task', 'Task']);
    for (const hidden of ['Colleague task', 'Other company task', 'No due date'])
      expect(withTasks.text).not.toContain(hidden);
    // Moving to another month keeps the toggle.
    expect(withTasks.text).toContain('href="/appointments/month?month=2030-02&amp;tasks=1"');
    const manager = await signInAs(ctx, w.managerA);
    const all1 = await manager.get('/appointments/month?month=2030-01&tasks=1').expect(200);
    expect(monthDay(all1.text, '2030-01-15', '/tasks')).toEqual(['Old call (done)', 'Colleague task', 'Send quote']);
    expect(all1.text).not.toContain('Other company task');
    const narrowed = await manager.get(`/appointments/month?month=2030-01&tasks=1&attendeeId=${w.colleagueA.id}`);
    expect(monthDay(narrowed.text, '2030-01-15', '/tasks')).toEqual(['Colleague task']);
  });

  it('filters by attendee for account managers; staff and other companies never see what they may not', async () => {
    const w = await appointmentWorld(ctx);
    const a = (title: string, companyId: number, ids: number[]) =>
      ctx.make.appointment(companyId, ids, { title, startsAt: at('2030-01-15T09:00') });
    await a('Sam only', w.a.id, [w.staffA.id]);
    await a('Tess only', w.a.id, [w.colleagueA.id]);
    await a('Both', w.a.id, [w.staffA.id, w.colleagueA.id]);
    await a('Bolt meeting', w.b.id, [w.staffB.id]);
    const manager = await signInAs(ctx, w.managerA);
    const everyone = await manager.get('/appointments/month?month=2030-01').expect(200);
    expect(monthDay(everyone.text, '2030-01-15').sort()).toEqual(['Both', 'Sam only', 'Tess only']);
    expect(everyone.text).toContain('Sam Staff, Tess Colleague'); // attendee names, for those who see colleagues
    expect(everyone.text).toContain(`<option value="${w.colleagueA.id}">Tess Colleague</option>`);
    const tess = await manager.get(`/appointments/month?month=2030-01&attendeeId=${w.colleagueA.id}`).expect(200);
    expect(monthDay(tess.text, '2030-01-15').sort()).toEqual(['Both', 'Tess only']);
    // Another company's attendee: nothing (their appointments are out of scope), never an error.
    const bolt = await manager.get(`/appointments/month?month=2030-01&attendeeId=${w.staffB.id}`).expect(200);
    expect(monthDay(bolt.text, '2030-01-15')).toEqual([]);
    expect(bolt.text).not.toContain('Bolt meeting');
    // Staff get no filter and a colleague's id in the address changes nothing: only what they attend.
    const staff = await signInAs(ctx, w.staffA);
    const own = await staff.get(`/appointments/month?month=2030-01&attendeeId=${w.colleagueA.id}`).expect(200);
    expect(monthDay(own.text, '2030-01-15').sort()).toEqual(['Both', 'Sam only']);
    expect(own.text).not.toContain('Tess only');
    expect(own.text).not.toContain('name="attendeeId"');
    expect(own.text).not.toContain('Bolt meeting');
    const other = await signInAs(ctx, w.managerB);
    const b = await other.get('/appointments/month?month=2030-01').expect(200);
    expect(monthDay(b.text, '2030-01-15')).toEqual(['Bolt meeting']);
  });

  it('a bad month value shows this month with a message, never an error', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const good = await s.get('/appointments/month').expect(200);
    expect(good.text).not.toContain('was not understood');
    for (const q of ['2030-13', '2030-00', 'yesterday', '%3Cscript%3E', '0001-01', '99999-01']) {
      const res = await s.get(`/appointments/month?month=${q}`).expect(200);
      expect(res.text).toContain('The month in the address was not understood');
      expect(res.text).not.toContain('<script>');
      expect(text(res.text, 'h1')).toBe(text(good.text, 'h1'));
      expect(res.text).toContain('aria-label="Months"');
    }
    await s.get('/appointments/month?tasks=yes&attendeeId=abc').expect(200);
    // Given twice, the month is refused (400, SECURITY.md) rather than one of them picked.
    await s.get('/appointments/month?month=2030-01&month=2030-02').expect(400);
  });

  it('costs the same statements for 3 appointments as for 100 (tasks and filter included)', async () => {
    const w = await appointmentWorld(ctx);
    const make = async (n: number, from: number) => {
      for (let i = from; i < from + n; i++) {
        const startsAt = new Date(at('2030-01-01T08:00').getTime() + (i % 28) * 86_400_000 + (i % 10) * 3600_000);
        await ctx.make.appointment(w.a.id, [w.staffA.id, w.colleagueA.id], { title: `Meeting ${i}`, startsAt });
        await ctx.make.task(w.a.id, w.staffA.id, { title: `Task ${i}`, dueAt: startsAt });
      }
    };
    await make(3, 0);
    const counts = async () => {
      const out: number[] = [];
      for (const who of [w.managerA, w.staffA]) {
        const s = await signInAs(ctx, who);
        await s.get('/appointments/month?month=2030-01&tasks=1').expect(200);
        ctx.takeQueryCount();
        await s.get('/appointments/month?month=2030-01&tasks=1').expect(200);
        out.push(ctx.takeQueryCount());
      }
      return out;
    };
    const few = await counts();
    await make(97, 3);
    const many = await counts();
    expect(many).toEqual(few);
    // Session, appointments, tasks and (for the manager) the filter's names.
    expect(few[0]).toBeLessThanOrEqual(4);
    const page = await (await signInAs(ctx, w.managerA)).get('/appointments/month?month=2030-01&tasks=1');
    expect(page.text).toMatch(/\+\d+ more/);
  });
});

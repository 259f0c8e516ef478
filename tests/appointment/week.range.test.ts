// The week view reads appointments that start at most 31 days before the week (the longest an
// appointment may last): the longest ones still show on every day they cover, the rows shown match a
// plain overlap query on the database, and the superuser still sees each appointment's company.
import { describe, expect, it } from 'vitest';
import { LONGEST_APPOINTMENT_MS } from '../../src/appointment/week.ts';
import { useTestContext } from '../helpers/context.ts';
import { signIn } from '../helpers/session.ts';
import { appointmentWorld, dayTitles } from './world.ts';

const ctx = useTestContext();
const at = (iso: string) => new Date(`${iso}:00Z`);
const MONDAY = at('2030-01-14T00:00');
const WEEK_END = at('2030-01-21T00:00');

describe('week view range', () => {
  it('shows an appointment of the longest length that began weeks before, and only overlapping ones', async () => {
    const w = await appointmentWorld(ctx);
    const a = (title: string, startsAt: Date, endsAt: Date) =>
      ctx.make.appointment(w.a.id, [w.staffA.id], { title, startsAt, endsAt });
    // Starts exactly 31 days before Monday and ends on the Tuesday: the oldest start the week can show.
    await a('Longest', new Date(MONDAY.getTime() - LONGEST_APPOINTMENT_MS + 24 * 3600_000), at('2030-01-15T12:00'));
    await a('Ends at Monday', at('2030-01-10T09:00'), MONDAY);
    await a('Month before', at('2029-12-10T09:00'), at('2029-12-10T10:00'));
    await a('Sunday late', at('2030-01-20T23:00'), at('2030-01-21T01:00'));
    const s = await signIn(ctx, w.staffA);
    const res = await s.get('/appointments/week?start=2030-01-14').expect(200);
    expect(dayTitles(res.text, '2030-01-14')).toEqual(['Longest']);
    expect(dayTitles(res.text, '2030-01-15')).toEqual(['Longest']);
    expect(dayTitles(res.text, '2030-01-16')).toEqual([]);
    expect(dayTitles(res.text, '2030-01-20')).toEqual(['Sunday late']);
    // What the page shows is what an overlap query on the table finds.
    const overlapping = await ctx.prisma.appointment.findMany({
      where: { companyId: w.a.id, startsAt: { lt: WEEK_END }, endsAt: { gt: MONDAY } },
      select: { title: true },
      orderBy: { startsAt: 'asc' },
    });
    expect(overlapping.map((r) => r.title)).toEqual(['Longest', 'Sunday late']);
    expect(res.text).not.toContain('Ends at Monday');
    expect(res.text).not.toContain('Month before');
  });

  it('names the company of each appointment for a superuser', async () => {
    const w = await appointmentWorld(ctx);
    await ctx.make.appointment(w.a.id, [w.staffA.id], {
      title: 'Company call',
      startsAt: at('2030-01-16T09:00'),
      endsAt: at('2030-01-16T10:00'),
    });
    const su = await signIn(ctx, await ctx.make.superuser());
    const res = await su.get('/appointments/week?start=2030-01-14').expect(200);
    expect(dayTitles(res.text, '2030-01-16')).toEqual(['Company call']);
    const company = await ctx.prisma.company.findUniqueOrThrow({ where: { id: w.a.id } });
    expect(res.text).toContain(company.name);
  });
});

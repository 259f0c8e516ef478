// The week view's hour grid (src/appointment/weekGrid.ts): each appointment in the row of the hour it starts,
// in the user's zone, with its times and length; the hours it goes on for shaded; the rows widened for an
// appointment before 07:00 or after 20:00; one that began on an earlier day in the "Ongoing" row.
import { describe, expect, it } from 'vitest';
import { durationText } from '../../src/appointment/weekGrid.ts';
import { all, first, recordTitles, texts } from '../helpers/html.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { appointmentWorld } from './world.ts';

const ctx = useTestContext();
const at = (iso: string) => new Date(`${iso}:00Z`);
const slot = (html: string, date: string, hour: string) => first(html, `td[data-slot="${date}T${hour}"]`);
const slotTitles = (html: string, date: string, hour: string) => {
  const cell = slot(html, date, hour);
  if (!cell) throw new Error(`no slot ${date} ${hour}`);
  return recordTitles(cell, '/appointments', '*');
};

describe('week hour grid', () => {
  it('places appointments by their start hour in the user’s zone, with length, shading and widened rows', async () => {
    const w = await appointmentWorld(ctx);
    // Tokyo is UTC+9 all year.
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'Asia/Tokyo' } });
    const a = (title: string, startsAt: Date, endsAt: Date) =>
      ctx.make.appointment(w.a.id, [w.staffA.id], { title, startsAt, endsAt });
    await a('Planning', at('2030-01-15T00:30'), at('2030-01-15T02:00')); // Tue 09:30–11:00
    await a('Overlap', at('2030-01-15T01:00'), at('2030-01-15T01:30')); // Tue 10:00–10:30
    await a('Dawn call', at('2030-01-15T20:15'), at('2030-01-15T20:45')); // Wed 05:15
    await a('Night shift', at('2030-01-16T13:00'), at('2030-01-16T17:00')); // Wed 22:00 – Thu 02:00
    const s = await signInAs(ctx, w.staffA);
    const res = await s.get('/appointments/week?start=2030-01-14').expect(200);
    expect(slotTitles(res.text, '2030-01-15', '09:00')).toEqual(['Planning']);
    expect(slotTitles(res.text, '2030-01-15', '10:00')).toEqual(['Overlap']);
    expect(texts(slot(res.text, '2030-01-15', '09:00')!, '.cal-item span')).toEqual(['09:30–11:00', '(1 h 30 min)']);
    // Planning goes on through the 10:00 row: shaded; 11:00 is free again.
    expect(slot(res.text, '2030-01-15', '10:00')!.attribs.class).toContain('cal-busy');
    expect(slot(res.text, '2030-01-15', '11:00')!.attribs.class).not.toContain('cal-busy');
    // Rows run from 05:00 (widened for the dawn call) to 22:00 (the night shift's start).
    const rows = texts(res.text, 'table.cal-hours tbody th');
    expect(rows[0]).toBe('Ongoing');
    expect(rows[1]).toBe('05:00');
    expect(rows.at(-1)).toBe('22:00');
    expect(slotTitles(res.text, '2030-01-16', '05:00')).toEqual(['Dawn call']);
    expect(slotTitles(res.text, '2030-01-16', '22:00')).toEqual(['Night shift']);
    // Past midnight it is listed as ongoing on Thursday, its first hours shaded.
    expect(slotTitles(res.text, '2030-01-17', 'ongoing')).toEqual(['Night shift']);
    expect(texts(slot(res.text, '2030-01-17', 'ongoing')!, '.cal-item span')[0]).toBe('…–02:00');
    expect(slot(res.text, '2030-01-17', '05:00')!.attribs.class).not.toContain('cal-busy');
    // No inline style anywhere (the CSP forbids them): the grid is classes only.
    expect(all(res.text, '[style]')).toEqual([]);
  });

  it('keeps 07:00 to 19:00 rows on a quiet week, with no "Ongoing" row', async () => {
    const w = await appointmentWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const res = await s.get('/appointments/week?start=2030-01-14').expect(200);
    const rows = texts(res.text, 'table.cal-hours tbody th');
    expect([rows[0], rows.at(-1), rows.length]).toEqual(['07:00', '19:00', 13]);
  });

  it('writes lengths in days, hours and minutes', () => {
    expect(durationText(45 * 60_000)).toBe('45 min');
    expect(durationText(2 * 3600_000)).toBe('2 h');
    expect(durationText(26 * 3600_000 + 60_000)).toBe('1 d 2 h 1 min');
  });
});

// The week view's hour grid: the week's appointments placed in the row of the hour they start, one row per
// hour of the working day (07:00–20:00, widened to take an earlier or later start), the hours they go on
// for shaded. Built here as plain data so the view is a table with no inline style (the CSP forbids them).

/** The working day's first hour and the hour after its last row, before any widening. */
export const DAY_FIRST_HOUR = 7;
export const DAY_END_HOUR = 20;

type Appointment = { id: number; title: string; startsAt: Date; endsAt: Date; location: string | null };
type Day = { from: Date; to: Date };

export type GridItem<A> = A & { time: string; duration: string };
export type GridRow<A> = { label: string; hour: number | null; cells: { busy: boolean; items: GridItem<A>[] }[] };

/** "45 min", "2 h", "1 h 30 min", "3 d 2 h": the whole length, even for a part shown on one day. */
export function durationText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean);
  return parts.join(' ') || '0 min';
}

/**
 * The rows of the grid: first "Ongoing" (appointments that began on an earlier day), then one per hour.
 * `inZone` gives "yyyy-MM-dd HH:mm" in the user's zone, so hours are wall-clock hours (a day with a
 * daylight-saving change still has its rows named as the clock reads).
 */
export function hourGrid<A extends Appointment>(
  appointments: A[],
  days: Day[],
  inZone: (d: Date) => string,
): GridRow<A>[] {
  const hourOf = (d: Date) => Number(inZone(d).slice(11, 13));
  const hhmm = (d: Date) => inZone(d).slice(11);
  type Placed = { day: number; start: number | null; end: number; item: GridItem<A> };
  const placed: Placed[] = [];
  days.forEach((day, i) => {
    // Compared in ms: a day's bounds may be the zone's TZDate, which converts on every comparison.
    const [from, to] = [day.from.getTime(), day.to.getTime()];
    for (const a of appointments) {
      const startMs = a.startsAt.getTime();
      const endMs = a.endsAt.getTime();
      if (!(startMs < to && endMs > from)) continue;
      const startsToday = startMs >= from;
      const endsToday = endMs <= to;
      // The hour after the last one it covers on this day (an end at 10:30 covers the 10:00 row).
      const endClock = endsToday ? inZone(a.endsAt).slice(11) : '24:00';
      const end =
        endsToday && endClock !== '00:00' ? Number(endClock.slice(0, 2)) + (endClock.endsWith(':00') ? 0 : 1) : 24;
      const time = `${startsToday ? hhmm(a.startsAt) : '…'}–${endsToday ? hhmm(a.endsAt) : '…'}`;
      const item = { ...a, time, duration: durationText(endMs - startMs) };
      placed.push({ day: i, start: startsToday ? hourOf(a.startsAt) : null, end, item });
    }
  });
  const starts = placed.flatMap((p) => (p.start === null ? [] : [p.start]));
  const first = Math.min(DAY_FIRST_HOUR, ...starts);
  const last = Math.max(DAY_END_HOUR, ...starts.map((h) => h + 1));
  const row = (label: string, hour: number | null): GridRow<A> => ({
    label,
    hour,
    cells: days.map(() => ({ busy: false, items: [] as GridItem<A>[] })),
  });
  const ongoing = row('Ongoing', null);
  const hours = Array.from({ length: last - first }, (_, k) =>
    row(`${String(first + k).padStart(2, '0')}:00`, first + k),
  );
  for (const p of placed) {
    const target = p.start === null ? ongoing : hours[p.start - first];
    target.cells[p.day].items.push(p.item);
    // The hours it goes on for, after the one it is listed in, are shaded.
    for (let h = (p.start ?? -1) + 1; h < p.end; h++)
      if (h >= first && h < last) hours[h - first].cells[p.day].busy = true;
  }
  return ongoing.cells.some((c) => c.items.length) ? [ongoing, ...hours] : hours;
}

// Dates are stored in UTC and entered and shown in the user's time zone (@date-fns/tz).
import { TZDate } from '@date-fns/tz';
import { format, isValid } from 'date-fns';
import { boundedMemo } from './memo.ts';

// Intl's list has no "UTC" (the default of every user): it comes first, so a UTC user's choice is kept.
const IANA_ZONES: string[] = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf(
  'timeZone',
);
/** The time zones a user may choose (profile, user form). */
export const TIME_ZONES: string[] = ['UTC', ...IANA_ZONES.filter((z) => z !== 'UTC')];

/**
 * A formatter for many values in one zone: one Intl formatter, built once per zone (a list page shows
 * dozens of dates, a CSV export up to 150,000; a TZDate and date-fns' format per value cost several
 * times more). Output "yyyy-MM-dd HH:mm", as date-fns' format(new TZDate(d, zone), …) gives.
 * Intl's formatToParts still cost about 3% of a list page's CPU, so the zone's UTC offset is kept per UTC
 * day (see offsetOfDay) and a value on a known day is its UTC time shifted by that offset.
 */
export function dateTimeFormatter(timeZone: string): (d: Date) => string {
  // Zones are validated where users choose them; the bound only guards against an unexpected flood.
  return formatters(timeZone, () => buildDateTimeFormatter(timeZone));
}

function buildDateTimeFormatter(timeZone: string): (d: Date) => string {
  const f = new Intl.DateTimeFormat('en-CA', { ...WALL_CLOCK, timeZone });
  const wallClock = (ms: number) => {
    let year = '',
      month = '',
      day = '',
      hour = '',
      minute = '';
    for (const { type, value } of f.formatToParts(ms)) {
      if (type === 'year') year = value;
      else if (type === 'month') month = value;
      else if (type === 'day') day = value;
      else if (type === 'hour') hour = value;
      else if (type === 'minute') minute = value;
    }
    return { year, month, day, hour, minute };
  };
  const slow = (ms: number) => {
    const { year, month, day, hour, minute } = wallClock(ms);
    return `${year.padStart(4, '0')}-${month}-${day} ${hour}:${minute}`;
  };
  const withSeconds = new Intl.DateTimeFormat('en-CA', { ...WALL_CLOCK, timeZone, second: '2-digit' });
  /** The zone's offset from UTC at an instant, in ms (seconds included: old local mean times have them). */
  const offsetAt = (ms: number) => {
    const p: Record<string, number> = {};
    for (const { type, value } of withSeconds.formatToParts(ms)) p[type] = Number(value);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms;
  };
  const offsets = boundedMemo<number, number | null>(10_000);
  /**
   * The offset of a whole UTC day, or null when it is not the same at the day's start, middle and last
   * minute (a change of offset that day, or an offset that is not whole minutes): such days go the slow way.
   */
  const offsetOfDay = (dayNumber: number) =>
    offsets(dayNumber, () => {
      const start = dayNumber * DAY_MS;
      const offset = offsetAt(start);
      const whole =
        offset % 60_000 === 0 &&
        offsetAt(start + DAY_MS / 2) === offset &&
        offsetAt(start + DAY_MS - 60_000) === offset;
      return whole ? offset : null;
    });
  const format = (d: Date) => {
    const ms = d.getTime();
    if (!(ms >= FAST_FROM && ms < FAST_UNTIL)) return slow(ms);
    const offset = offsetOfDay(Math.floor(ms / DAY_MS));
    if (offset === null) return slow(ms);
    // "yyyy-MM-ddTHH:mm:ss.sssZ" of the wall-clock time; whole-minute offsets keep the minute exact.
    const iso = new Date(ms + offset).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  };
  return format;
}
const WALL_CLOCK: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};
const DAY_MS = 24 * 3600_000;
/** The days the shifted ISO form covers with a 4-digit year whatever the offset (else the slow way). */
const FAST_FROM = Date.UTC(1000, 0, 3);
const FAST_UNTIL = Date.UTC(9999, 11, 29);
const formatters = boundedMemo<string, (d: Date) => string>(1000);

export function formatDateTime(d: Date | null | undefined, timeZone: string): string {
  if (!d) return '';
  return dateTimeFormatter(timeZone)(d);
}

export function formatDate(d: Date | null | undefined, timeZone: string): string {
  if (!d) return '';
  return dateTimeFormatter(timeZone)(d).slice(0, 10);
}

/** Value for an <input type="datetime-local">. */
export function toLocalInput(d: Date | null | undefined, timeZone: string): string {
  if (!d) return '';
  return format(new TZDate(d, timeZone), "yyyy-MM-dd'T'HH:mm");
}

/** Parses "yyyy-MM-ddTHH:mm" (or "yyyy-MM-dd") typed in the user's zone into a UTC Date, or null. */
export function parseLocalInput(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0'] = m.slice(1);
  const date = new TZDate(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), 0, timeZone);
  if (!isValid(date) || date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d)) return null;
  return new Date(date.getTime());
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A time range, the one way pages and mail show one: "2026-01-15 09:00–10:00", both dates when it spans days. */
export function timeRange(start: Date, end: Date, inZone: (d: Date) => string): string {
  const [from, to] = [inZone(start), inZone(end)];
  return `${from}–${from.slice(0, 10) === to.slice(0, 10) ? to.slice(11) : to}`;
}

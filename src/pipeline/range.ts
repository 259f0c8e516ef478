// The date range of the dashboards and reports, read from the URL (?range=this-month, or
// ?range=custom&from=2026-01-01&to=2026-03-31) and turned into instants in the user's time zone:
// "this month" for a user in Tokyo starts at midnight in Tokyo. `from` is inclusive, `to` exclusive.
import { TZDate } from '@date-fns/tz';
import { addDays, addMonths, format, isValid, parseISO, startOfMonth, startOfQuarter } from 'date-fns';
import { boundedMemo } from '../web/memo.ts';
import { dateTimeFormatter } from '../web/time.ts';

export const RANGE_PRESETS = {
  'this-month': 'This month',
  'last-month': 'Last month',
  'this-quarter': 'This quarter',
  'last-12-months': 'Last 12 months',
  custom: 'Custom',
} as const;
export type RangeKey = keyof typeof RANGE_PRESETS;
/** A preset's key: an own key of RANGE_PRESETS (`in` would also take "toString" and "__proto__"). */
export const isRangeKey = (v: string): v is RangeKey => Object.hasOwn(RANGE_PRESETS, v);
export const DEFAULT_RANGE = 'this-month' satisfies RangeKey;
/** A custom range may span at most this many days (ten years): a typo in a year stays a clear answer. */
const MAX_DAYS = 3660;
/** Days outside these years are refused: the day after 9999-12-31 has no ISO 8601 form PostgreSQL reads. */
const YEARS = { first: 1900, last: 9998 };

export type DateRange = {
  key: RangeKey;
  label: string;
  /** The first instant in the range (midnight in the user's zone). */
  from: Date;
  /** The first instant after the range. */
  to: Date;
  /** The first and last calendar days, "yyyy-MM-dd", for the form and the CSV's name. */
  fromDay: string;
  toDay: string;
  /** The query string that gives this range again. */
  query: string;
};

export type RangeResult =
  | { ok: true; range: DateRange }
  | { ok: false; range: DateRange; errors: Record<string, string> };

function day(s: unknown): Date | null {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = parseISO(s);
  return isValid(d) ? d : null;
}

function build(key: RangeKey, start: TZDate, end: TZDate): DateRange {
  const lastDay = addDays(end, -1);
  const fromDay = format(start, 'yyyy-MM-dd');
  const toDay = format(lastDay, 'yyyy-MM-dd');
  const label = key === 'custom' ? `${fromDay} – ${toDay}` : RANGE_PRESETS[key];
  const query = key === 'custom' ? `range=custom&from=${fromDay}&to=${toDay}` : `range=${key}`;
  return { key, label, from: new Date(start.getTime()), to: new Date(end.getTime()), fromDay, toDay, query };
}

/**
 * Preset ranges by key, zone and the zone's calendar day: the same all day, and each built with a dozen time-zone
 * conversions (3% of a dashboard's CPU when built on every visit).
 */
const presets = boundedMemo<string, DateRange>(1000);

/** A preset's range at `now` in the zone. */
export function presetRange(key: Exclude<RangeKey, 'custom'>, timeZone: string, now: Date): DateRange {
  const id = `${key} ${timeZone} ${dateTimeFormatter(timeZone)(now).slice(0, 10)}`;
  const range = presets(id, () => buildPreset(key, timeZone, now));
  return { ...range, from: new Date(range.from), to: new Date(range.to) };
}

function buildPreset(key: Exclude<RangeKey, 'custom'>, timeZone: string, now: Date): DateRange {
  const today = new TZDate(now.getTime(), timeZone);
  const month = startOfMonth(today);
  switch (key) {
    case 'this-month':
      return build(key, month, addMonths(month, 1));
    case 'last-month':
      return build(key, addMonths(month, -1), month);
    case 'this-quarter': {
      const quarter = startOfQuarter(today);
      return build(key, quarter, addMonths(quarter, 3));
    }
    case 'last-12-months':
      return build(key, addMonths(month, -11), addMonths(month, 1));
  }
}

/**
 * The range a query asks for. An unknown preset falls back to the default; a custom range with a missing or
 * impossible day, an end before its start, or more than ten years answers errors (the page says so beside
 * the fields, with the default range's figures).
 */
export function parseRange(query: Record<string, unknown>, timeZone: string, now: Date): RangeResult {
  const key = typeof query.range === 'string' && isRangeKey(query.range) ? query.range : DEFAULT_RANGE;
  if (key !== 'custom') return { ok: true, range: presetRange(key, timeZone, now) };
  const fallback = presetRange(DEFAULT_RANGE, timeZone, now);
  const errors: Record<string, string> = {};
  const from = day(query.from);
  const to = day(query.to);
  if (!from) errors.from = 'Enter the first day as a date (yyyy-mm-dd).';
  if (!to) errors.to = 'Enter the last day as a date (yyyy-mm-dd).';
  if (from && to && to < from) errors.to = 'The last day must not be before the first day.';
  if (from && to && (to.getTime() - from.getTime()) / 86_400_000 > MAX_DAYS) errors.to = 'Choose at most ten years.';
  const outside = (d: Date | null) => d && (d.getFullYear() < YEARS.first || d.getFullYear() > YEARS.last);
  if (outside(from)) errors.from = `Choose a day from ${YEARS.first} to ${YEARS.last}.`;
  if (outside(to)) errors.to = `Choose a day from ${YEARS.first} to ${YEARS.last}.`;
  if (!from || !to || Object.keys(errors).length) return { ok: false, range: fallback, errors };
  const start = new TZDate(from.getFullYear(), from.getMonth(), from.getDate(), timeZone);
  const end = addDays(new TZDate(to.getFullYear(), to.getMonth(), to.getDate(), timeZone), 1);
  return { ok: true, range: build('custom', start, end) };
}

/**
 * The boundaries of the last `count` months in the zone (the current one last): count + 1 instants, each month
 * running from one to the next (a chart's x axis).
 */
export function monthStarts(timeZone: string, now: Date, count = 12): Date[] {
  const month = startOfMonth(new TZDate(now.getTime(), timeZone));
  return Array.from({ length: count + 1 }, (_, i) => new Date(addMonths(month, i - count + 1).getTime()));
}

/**
 * The instants that split a range into the user's months: its start, every month's start in the zone inside it,
 * and its end (a month-by-month figure groups what lies between two of them).
 */
export function monthBoundsWithin(range: { from: Date; to: Date }, timeZone: string): Date[] {
  const bounds = [range.from];
  for (
    let month = addMonths(startOfMonth(new TZDate(range.from.getTime(), timeZone)), 1);
    month.getTime() < range.to.getTime();
    month = addMonths(month, 1)
  )
    bounds.push(new Date(month.getTime()));
  bounds.push(range.to);
  return bounds;
}

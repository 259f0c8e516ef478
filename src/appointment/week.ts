// GET /appointments/week?start=YYYY-MM-DD — a server-rendered 7-day grid (Monday to Sunday in the
// user's time zone) with links to the previous and next week: an hour grid on wide screens (weekGrid.ts), a
// list of each day's appointments on narrow ones. No JavaScript.
import { belongsToCompany, seesOthersRows, spansCompanies } from '../access/policy.ts';
import { TZDate } from '@date-fns/tz';
import { addDays, format, startOfDay, startOfWeek } from 'date-fns';
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import type { UserOption } from '../user/options.ts';
import { companyUserFilterOptions } from '../company/choices.ts';
import { BadRequest } from '../web/errors.ts';
import { boundedMemo } from '../web/memo.ts';
import { dateTimeFormatter } from '../web/time.ts';
import { appointmentRowsSql } from './readSql.ts';
import { hourGrid } from './weekGrid.ts';

/** At most this many appointments are drawn in one week; the page says when there are more. */
export const WEEK_MAX = 500;

/**
 * An appointment lasts at most 31 days (the form refuses longer ones, src/appointment/schema.ts), so one
 * that overlaps the week starts at most this long before it: the bound makes the read a range of the
 * (companyId, startsAt) index instead of every appointment before the week's end.
 */
export const LONGEST_APPOINTMENT_MS = 31 * 24 * 3600_000;

/** What a week cell shows: no attendees, customer or organiser (each would be one more join per row). */
const weekCellSelect = (superuser: boolean) =>
  ({
    id: true,
    title: true,
    startsAt: true,
    endsAt: true,
    location: true,
    company: superuser ? { select: { name: true } } : false,
  }) as const;

type WeekCell = {
  id: number;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  company?: { name: string } | null;
};

export function single(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadRequest(`The parameter "${name}" was given more than once.`);
  return v;
}

/** Monday 00:00 of the week of `start` (or of today), in the user's zone; a bad date means this week. */
export function weekStart(start: string | undefined, timeZone: string, now: Date): TZDate {
  const m = start ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(start) : null;
  let day = new TZDate(now, timeZone);
  if (m) {
    const d = new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), timeZone);
    if (
      d.getFullYear() === Number(m[1]) &&
      d.getMonth() === Number(m[2]) - 1 &&
      d.getDate() === Number(m[3]) &&
      d.getFullYear() >= 1900 &&
      d.getFullYear() <= 2999
    )
      day = d;
  }
  return startOfWeek(startOfDay(day), { weekStartsOn: 1 });
}

/** What a week's page shows around its appointments: the same for every request of that week in that zone. */
type WeekFrame = {
  /** The 8 midnights around the week's 7 days, in ms. */
  midnights: number[];
  /** Each day's "yyyy-MM-dd" and its label ("Mon 30 Nov"). */
  dates: string[];
  labels: string[];
  start: string;
  title: string;
  heading: string;
  prevStart: string;
  nextStart: string;
};

/**
 * A week's frame by zone, asked start and the zone's today (a start that is not a day means this week): built
 * with the zone's TZDate (about thirty time-zone conversions, 12% of the page's CPU when built on every visit), then
 * kept.
 */
const frames = boundedMemo<string, WeekFrame>(1000);
function weekFrame(start: string | undefined, timeZone: string, now: Date, today: string): WeekFrame {
  return frames(`${timeZone} ${start ?? ''} ${today}`, () => {
    const monday = weekStart(start, timeZone, now);
    const days = Array.from({ length: 8 }, (_, i) => addDays(monday, i));
    return {
      midnights: days.map((d) => d.getTime()),
      dates: days.slice(0, 7).map((d) => format(d, 'yyyy-MM-dd')),
      labels: days.slice(0, 7).map((d) => format(d, 'EEE d MMM')),
      start: format(monday, 'yyyy-MM-dd'),
      title: `Week of ${format(monday, 'd MMM yyyy')}`,
      heading: `${format(monday, 'd MMM')} – ${format(days[6], 'd MMM yyyy')}`,
      prevStart: format(addDays(monday, -7), 'yyyy-MM-dd'),
      nextStart: format(days[7], 'yyyy-MM-dd'),
    };
  });
}

export function appointmentWeekHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const user = req.user!;
    const tz = user.timeZone;
    const now = new Date();
    // One cached formatter for the zone, not a time-zone object per cell ("yyyy-MM-dd HH:mm" → "HH:mm"), and each
    // instant formatted once: the list and the hour grid ask for a start or an end up to five times.
    const formatted = new Map<number, string>();
    const zoneFormat = dateTimeFormatter(tz);
    const inZone = (d: Date) => {
      const ms = d.getTime();
      let text = formatted.get(ms);
      if (text === undefined) {
        text = zoneFormat(d);
        formatted.set(ms, text);
      }
      return text;
    };
    const today = inZone(now).slice(0, 10);
    const frame = weekFrame(single(req.query.start, 'start'), tz, now, today);
    const [monday, end] = [new Date(frame.midnights[0]), new Date(frame.midnights[7])];
    const attendeeRaw = single(req.query.attendeeId, 'attendeeId');
    const attendeeId =
      seesOthersRows(user) && attendeeRaw && /^\d{1,9}$/.test(attendeeRaw) ? Number(attendeeRaw) : null;
    // The week's appointments and the person filter's choices side by side.
    const peopleRead: Promise<UserOption[]> =
      seesOthersRows(user) && belongsToCompany(user)
        ? companyUserFilterOptions(req.sql, user.companyId!, { activeOnly: true })
        : Promise.resolve([]);
    const [appointments, people] = await Promise.all([
      appointmentRowsSql<WeekCell>(
        req.sql,
        {
          startsAt: { gte: new Date(monday.getTime() - LONGEST_APPOINTMENT_MS), lt: new Date(end.getTime()) },
          endsAt: { gt: new Date(monday.getTime()) },
          ...(attendeeId ? { attendees: { some: { userId: attendeeId } } } : {}),
        },
        weekCellSelect(spansCompanies(user)),
        WEEK_MAX + 1,
      ),
      peopleRead,
    ]);
    const hourMinute = (d: Date) => inZone(d).slice(11);
    const shown = appointments.slice(0, WEEK_MAX);
    // Rows are compared with the days by their times in ms.
    const days = frame.dates.map((date, i) => {
      const [fromMs, toMs] = [frame.midnights[i], frame.midnights[i + 1]];
      const items = shown
        .filter((a) => a.startsAt.getTime() < toMs && a.endsAt.getTime() > fromMs)
        .map((a) => ({
          ...a,
          from: a.startsAt.getTime() >= fromMs ? hourMinute(a.startsAt) : '…',
          to: a.endsAt.getTime() <= toMs ? hourMinute(a.endsAt) : '…',
        }));
      const [from, to] = [new Date(fromMs), new Date(toMs)];
      return { date, label: frame.labels[i], isToday: date === today, items, from, to };
    });
    const grid = hourGrid(shown, days, inZone);
    const href = (day: string) => `/appointments/week?start=${day}${attendeeId ? `&attendeeId=${attendeeId}` : ''}`;
    res.render('appointment/week', {
      title: frame.title,
      days,
      grid,
      people,
      attendeeQuery: attendeeId ? `&attendeeId=${attendeeId}` : '',
      attendeeId,
      start: frame.start,
      heading: frame.heading,
      prevHref: href(frame.prevStart),
      nextHref: href(frame.nextStart),
      thisWeekHref: '/appointments/week',
      truncated: appointments.length > WEEK_MAX,
      showCompany: spansCompanies(user),
    });
  };
}

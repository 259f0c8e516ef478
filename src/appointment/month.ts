// GET /appointments/month?month=YYYY-MM — a server-rendered month (weeks Monday to Sunday in the user's time
// zone, the days of the neighbouring months muted), each day's appointments (and, with ?tasks=1, the tasks due
// that day), previous/next/this month links and, for those who see colleagues' rows, an attendee filter.
// Statements: the appointments of the visible weeks with their attendees' names (one), the tasks when asked
// (one), the filter's names (one), whatever the number of appointments. No JavaScript.
import { TZDate } from '@date-fns/tz';
import { addDays, addMonths, format, startOfWeek } from 'date-fns';
import type { RequestHandler } from 'express';
import { can, seesColleaguesDay, seesOthersRows, spansCompanies } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import { activeCompanyUsers, type UserOption } from '../user/options.ts';
import { dateTimeFormatter } from '../web/time.ts';
import { LONGEST_APPOINTMENT_MS } from './week.ts';
import { refuseRepeated } from '../web/input.ts';

/** At most this many appointments (and as many tasks) are drawn in one month; the page says when there are more. */
export const MONTH_MAX = 1000;
/** A day shows this many items; past that, the first MONTH_DAY_SHOWN and "+N more" (the day's week). */
export const MONTH_DAY_MAX = 4;
const MONTH_DAY_SHOWN = 3;

/** The first day of the month asked for (or of this month, with a message when the value is not a month). */
export function monthStart(raw: unknown, timeZone: string, now: Date): { first: TZDate; problem: string | null } {
  const m = typeof raw === 'string' ? /^(\d{4})-(\d{2})$/.exec(raw) : null;
  if (m && Number(m[1]) >= 1900 && Number(m[1]) <= 2999 && Number(m[2]) >= 1 && Number(m[2]) <= 12)
    return { first: new TZDate(Number(m[1]), Number(m[2]) - 1, 1, timeZone), problem: null };
  const today = new TZDate(now, timeZone);
  const first = new TZDate(today.getFullYear(), today.getMonth(), 1, timeZone);
  const problem =
    raw === undefined ? null : 'The month in the address was not understood (write it as 2026-11); here is this month.';
  return { first, problem };
}

type Item = {
  kind: 'appointment' | 'task';
  id: number;
  at: number;
  time: string;
  continued: boolean;
  title: string;
  done: boolean;
  who: string;
};

export function appointmentMonthHandler(_deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const user = req.user!;
    const tz = user.timeZone;
    const s = req.db;
    const now = new Date();
    refuseRepeated(req.query, ['month', 'attendeeId', 'tasks']);
    const { first, problem } = monthStart(req.query.month, tz, now);
    const attendeeRaw = req.query.attendeeId;
    const attendeeId =
      seesOthersRows(user) && typeof attendeeRaw === 'string' && /^\d{1,9}$/.test(attendeeRaw)
        ? Number(attendeeRaw)
        : null;
    const withTasks = req.query.tasks === '1' && can(user, 'task.view');
    const gridStart = startOfWeek(first, { weekStartsOn: 1 });
    const lastDay = new TZDate(first.getFullYear(), first.getMonth() + 1, 0, tz);
    const gridEnd = addDays(startOfWeek(lastDay, { weekStartsOn: 1 }), 7);
    const showCompany = spansCompanies(user);
    // Names of the attendees only for those who see colleagues' appointments (staff see only their own).
    const showNames = seesOthersRows(user) && !attendeeId;
    const [appointments, tasks, people] = await Promise.all([
      s.appointment.findMany({
        where: {
          startsAt: { gte: new Date(gridStart.getTime() - LONGEST_APPOINTMENT_MS), lt: new Date(gridEnd.getTime()) },
          endsAt: { gt: new Date(gridStart.getTime()) },
          ...(attendeeId ? { attendees: { some: { userId: attendeeId } } } : {}),
        },
        select: {
          id: true,
          title: true,
          startsAt: true,
          endsAt: true,
          company: showCompany ? { select: { name: true } } : false,
          attendees: { select: { user: { select: { name: true } } }, orderBy: { user: { name: 'asc' } } },
        },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        take: MONTH_MAX + 1,
      }),
      withTasks
        ? s.task.findMany({
            where: {
              dueAt: { gte: new Date(gridStart.getTime()), lt: new Date(gridEnd.getTime()) },
              ...(attendeeId ? { assigneeId: attendeeId } : {}),
            },
            select: {
              id: true,
              title: true,
              dueAt: true,
              status: true,
              assignee: { select: { name: true } },
              company: showCompany ? { select: { name: true } } : false,
            },
            orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
            take: MONTH_MAX + 1,
          })
        : Promise.resolve([]),
      seesColleaguesDay(user) ? activeCompanyUsers(s, user.companyId!) : Promise.resolve([] as UserOption[]),
    ]);
    const inZone = dateTimeFormatter(tz);
    const hourMinute = (d: Date) => inZone(d).slice(11);
    const today = format(new TZDate(now, tz), 'yyyy-MM-dd');
    const month = format(first, 'yyyy-MM');
    const query = (m: string) =>
      `/appointments/month?month=${m}${withTasks ? '&tasks=1' : ''}${attendeeId ? `&attendeeId=${attendeeId}` : ''}`;
    const whoOf = (names: string[], company?: { name: string } | false | null) =>
      [showNames ? names.join(', ') : '', showCompany && company ? company.name : ''].filter(Boolean).join(' · ');
    const shownAppointments = appointments.slice(0, MONTH_MAX);
    const shownTasks = tasks.slice(0, MONTH_MAX);
    // Whole weeks, so a whole number of days (rounded: a daylight-saving change makes one day 23 or 25 hours).
    const dayCount = Math.round((gridEnd.getTime() - gridStart.getTime()) / 86_400_000);
    const days = Array.from({ length: dayCount }, (_, i) => {
      const from = addDays(gridStart, i);
      const to = addDays(from, 1);
      const date = format(from, 'yyyy-MM-dd');
      // An appointment spanning midnight shows on every day it covers; "…" where it began on an earlier day.
      const items: Item[] = shownAppointments
        .filter((a) => a.startsAt < to && a.endsAt > from)
        .map((a) => ({
          kind: 'appointment',
          id: a.id,
          at: Math.max(a.startsAt.getTime(), from.getTime()),
          time: a.startsAt >= from ? hourMinute(a.startsAt) : '…',
          continued: a.startsAt < from,
          title: a.title,
          done: false,
          who: whoOf(
            a.attendees.map((x) => x.user.name),
            a.company,
          ),
        }));
      for (const t of shownTasks) {
        if (!t.dueAt || t.dueAt < from || t.dueAt >= to) continue;
        const who = whoOf([t.assignee.name], t.company);
        const base = { kind: 'task' as const, id: t.id, at: t.dueAt.getTime(), continued: false, title: t.title, who };
        items.push({ ...base, time: hourMinute(t.dueAt), done: t.status === 'DONE' });
      }
      items.sort((a, b) => a.at - b.at || (a.kind === b.kind ? a.id - b.id : a.kind === 'task' ? 1 : -1));
      const many = items.length > MONTH_DAY_MAX;
      return {
        date,
        day: from.getDate(),
        weekday: format(from, 'EEEE'),
        label: format(from, 'EEEE d MMMM'),
        inMonth: from.getMonth() === first.getMonth(),
        isToday: date === today,
        items: many ? items.slice(0, MONTH_DAY_SHOWN) : items,
        more: many ? items.length - MONTH_DAY_SHOWN : 0,
        moreHref: `/appointments/week?start=${date}${attendeeId ? `&attendeeId=${attendeeId}` : ''}`,
        total: items.length,
      };
    });
    const weeks = Array.from({ length: days.length / 7 }, (_, i) => days.slice(i * 7, i * 7 + 7));
    const thisMonth = format(new TZDate(now, tz), 'yyyy-MM');
    res.render('appointment/month', {
      title: format(first, 'MMMM yyyy'),
      heading: format(first, 'MMMM yyyy'),
      problem,
      weeks,
      days,
      month,
      people,
      attendeeId,
      withTasks,
      offerTasks: can(user, 'task.view'),
      empty: days.every((d) => d.total === 0),
      // No link past the months the page understands (1900–2999).
      prevHref:
        first.getFullYear() > 1900 || first.getMonth() > 0 ? query(format(addMonths(first, -1), 'yyyy-MM')) : null,
      nextHref:
        first.getFullYear() < 2999 || first.getMonth() < 11 ? query(format(addMonths(first, 1), 'yyyy-MM')) : null,
      thisMonthHref: query(thisMonth),
      weekHref: `/appointments/week${month === thisMonth ? '' : `?start=${format(first, 'yyyy-MM-dd')}`}`,
      truncated: appointments.length > MONTH_MAX || tasks.length > MONTH_MAX,
    });
  };
}

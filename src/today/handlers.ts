// GET /today — one person's day in their time zone. Staff see their own; an account manager picks a
// colleague from the company's active users (?userId=, checked through the scoped client: anyone
// outside it is a 404). Superusers belong to no company and have no day: they get a page saying so.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { RequestHandler } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import { belongsToCompany, can, seesColleaguesDay } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import { BadRequest, Forbidden, NotFound } from '../web/errors.ts';
import { recordId } from '../web/forms.ts';
import { dateTimeFormatter, timeRange } from '../web/time.ts';
import { colleagues, type DayOwner, myDay, type MyDay } from './queries.ts';

const STATUS_LABELS: Record<string, string> = {
  NEW: 'New',
  CONTACTED: 'Contacted',
  QUALIFIED: 'Qualified',
  WON: 'Won',
  LOST: 'Lost',
};
const PRIORITY_LABELS: Record<string, string> = { LOW: 'Low', NORMAL: 'Normal', HIGH: 'High' };
const TASK_STATUS_LABELS: Record<string, string> = { OPEN: 'Open', IN_PROGRESS: 'In progress', DONE: 'Done' };

/** The asked-for person (?userId=): null when absent or empty (the viewer's own day); malformed: 404. */
function askedUserId(raw: unknown): number | null {
  if (raw === undefined || raw === '') return null;
  if (typeof raw !== 'string') throw new BadRequest('The parameter "userId" was given more than once.');
  return recordId(raw);
}

/**
 * What the blocks partial (views/today/_blocks.ejs) needs besides the day: times in the owner's zone,
 * where "more" links go, where "Mark done" comes back to. Shared by /today and the staff dashboard.
 */
export function dayLocals(viewer: CurrentUser, day: MyDay, returnTo: string, now: Date) {
  const inZone = dateTimeFormatter(day.owner.timeZone);
  const self = day.owner.id === viewer.id;
  const colleague = seesColleaguesDay(viewer);
  const assignee = colleague ? `assigneeId=${day.owner.id}` : '';
  return {
    day,
    now,
    self,
    returnTo,
    firstName: day.owner.name.split(' ')[0],
    zoneNote: day.owner.timeZone !== viewer.timeZone ? day.owner.timeZone : null,
    time: (d: Date) => inZone(d).slice(11),
    dateTime: (d: Date) => inZone(d),
    range: (a: Date, b: Date) => timeRange(a, b, inZone),
    links: {
      overdueTasks: `/tasks?show=overdue${assignee ? `&${assignee}` : ''}`,
      leads: `/leads${assignee ? `?${assignee}` : ''}`,
      appointments: '/appointments/week',
    },
    canMarkDone: can(viewer, 'task.change'),
    canAddTask: self && can(viewer, 'task.add'),
    canAddAppointment: self && can(viewer, 'appointment.add'),
    canAddLead: self && can(viewer, 'lead.add'),
    STATUS_LABELS,
    PRIORITY_LABELS,
    TASK_STATUS_LABELS,
  };
}

export function todayHandlers(_deps: AppDeps) {
  /** GET /today — the blocks of the viewer's (or, for an account manager, a colleague's) day. */
  const show: RequestHandler = async (req, res) => {
    const user = req.user!;
    if (!belongsToCompany(user)) return res.render('today/none', { title: 'My day' });
    const askedId = askedUserId(req.query.userId);
    const switching = askedId !== null && askedId !== user.id;
    const switches = seesColleaguesDay(user);
    if (switching && !switches) throw new Forbidden("Only account managers can open a colleague's day.");
    const people = switches ? await colleagues(req.db, user.companyId!, askedId) : [];
    let owner: DayOwner = { id: user.id, name: user.name, timeZone: user.timeZone };
    if (switching) {
      const person = people.find((p) => p.id === askedId);
      if (!person) throw new NotFound();
      owner = person;
    }
    const now = new Date();
    const day = await myDay(req.db, user, owner, now);
    const returnTo = switching ? `/today?userId=${owner.id}` : '/today';
    res.render('today/index', {
      title: switching ? `${owner.name}'s day` : 'My day',
      heading: switching ? `${owner.name}'s day` : 'My day',
      dateLine: format(new TZDate(now, owner.timeZone), 'EEEE d MMMM yyyy'),
      people: switches ? people : null,
      ...dayLocals(user, day, returnTo, now),
    });
  };
  return { show };
}

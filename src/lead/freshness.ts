// A lead's freshness: when something last happened with it and its next task. Both facts are columns of
// the lead kept by the database's triggers (migration 20261130155815_activities: "lastActivityAt" from its
// activities, "nextTaskId"/"nextTaskDueAt" from its open tasks), so the list reads and sorts them from the
// lead's own row; the app never writes them. This file shows them (list columns, lead page) and filters on them.
import type { CurrentUser } from '../access/currentUser.ts';
import { can, seesOthersRows } from '../access/policy.ts';
import type { Row } from '../fields/descriptor.ts';
import type { ComputedCell, ComputedColumn } from '../fields/list.ts';
import { dateTimeFormatter } from '../web/time.ts';

/** The list filter "No activity for 14 days" (`?noActivity=14`): no activity yet, or none in that many days. */
export const NO_ACTIVITY_DAYS = 14;
export const NO_ACTIVITY_CHOICES = [String(NO_ACTIVITY_DAYS)] as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Where "no activity for `days` days" starts: leads whose newest activity is older (or none) match. */
export const noActivitySince = (days: number, now = Date.now()) => new Date(now - days * DAY);

/** The leads with no activity for `days` days: never any, or the newest before now − days. */
export function noActivityWhere(days: number, now = Date.now()) {
  return { OR: [{ lastActivityAt: null }, { lastActivityAt: { lt: noActivitySince(days, now) } }] };
}

// Built once: "3 days ago", "in 2 hours".
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** How long ago (or how far ahead) a time is, as people say it: "just now", "5 minutes ago", "3 days ago". */
export function relativeTime(d: Date, now = Date.now()): string {
  const ms = d.getTime() - now;
  const abs = Math.abs(ms);
  if (abs < MINUTE) return 'just now';
  const [unit, size]: [Intl.RelativeTimeFormatUnit, number] =
    abs < HOUR
      ? ['minute', MINUTE]
      : abs < DAY
        ? ['hour', HOUR]
        : abs < 60 * DAY
          ? ['day', DAY]
          : abs < 365 * DAY
            ? ['month', 30 * DAY]
            : ['year', 365 * DAY];
  return RELATIVE.format(Math.trunc(ms / size), unit);
}

/** The lead's next task as the list and the lead page read it (the relation `nextTask`). */
export type NextTask = { id: number; title: string; assigneeId: number } | null;

/** The select of the freshness facts, joined into the list's and the lead page's one statement. */
export const FRESHNESS_SELECT = {
  lastActivityAt: true,
  nextTaskDueAt: true,
  nextTask: { select: { id: true, title: true, assigneeId: true } },
} as const;

/**
 * The freshness facts of a lead for one user, in the user's zone. The next task's title and link show
 * only to those who may read that task (a staff user's lead may hold a colleague's task: its due time shows,
 * not its title).
 */
export function freshnessFacts(user: CurrentUser, now = Date.now()) {
  const inZone = dateTimeFormatter(user.timeZone);
  const readsTasks = can(user, 'task.view');
  const othersTasks = seesOthersRows(user);
  const lastActivity = (row: Row): ComputedCell => {
    const at = row.lastActivityAt as Date | null | undefined;
    return at ? { text: relativeTime(at, now), time: at, sub: inZone(at) } : { text: '' };
  };
  const nextTask = (row: Row): ComputedCell => {
    const task = row.nextTask as NextTask | undefined;
    if (!task) return { text: '' };
    const due = row.nextTaskDueAt as Date | null;
    const seen = readsTasks && (othersTasks || task.assigneeId === user.id);
    const when = due ? inZone(due) : '';
    const overdue = due !== null && due.getTime() < now;
    return {
      text: seen ? task.title : "A colleague's task",
      href: seen ? `/tasks/${task.id}` : undefined,
      sub: due ? `${overdue ? 'Overdue, due' : 'Due'} ${when}` : 'No due date',
      subCls: overdue ? 'text-danger' : undefined,
    };
  };
  return { lastActivity, nextTask };
}

/** The lead list's two freshness columns; "Last activity" hides below the md breakpoint (390 px phones). */
export function freshnessColumns(user: CurrentUser, now = Date.now()): ComputedColumn[] {
  const facts = freshnessFacts(user, now);
  return [
    { label: 'Last activity', sort: 'lastActivity', cls: 'nowrap d-none d-md-table-cell', cell: facts.lastActivity },
    { label: 'Next task', sort: 'nextTask', cell: facts.nextTask },
  ];
}

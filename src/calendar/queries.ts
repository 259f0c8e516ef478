// The calendar's reads, through a scoped client: a user's own feed row (the profile), and what their feed lists
// (the appointments they attend, their tasks with a due time), so the feed holds nothing the user could not see.
import type { ScopedClient } from '../access/scope.ts';
import type { IcsAppointment, IcsTask } from './ics.ts';

/** The feed lists this window: the last 30 days and the next 90. */
export const FEED_DAYS_BACK = 30;
export const FEED_DAYS_AHEAD = 90;
const DAY = 24 * 3600_000;

export function feedWindow(now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - FEED_DAYS_BACK * DAY), to: new Date(now.getTime() + FEED_DAYS_AHEAD * DAY) };
}

/** The user's feed: when it was made and last read (never the token: only its hash is kept). */
export function findOwnFeed(db: ScopedClient, userId: number) {
  return db.calendarFeed.findUnique({ where: { userId }, select: { createdAt: true, lastUsedAt: true } });
}

/** Appointments the user attends that overlap the window (an account manager's colleagues' meetings stay out). */
export async function feedAppointments(
  db: ScopedClient,
  userId: number,
  window: { from: Date; to: Date },
): Promise<Omit<IcsAppointment, 'organiser' | 'attendees'>[]> {
  return db.appointment.findMany({
    where: { attendees: { some: { userId } }, startsAt: { lt: window.to }, endsAt: { gt: window.from } },
    select: {
      id: true,
      title: true,
      startsAt: true,
      endsAt: true,
      location: true,
      notes: true,
      version: true,
      updatedAt: true,
    },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
}

/** The user's own tasks due within the window, done ones included (they show as done). */
export async function feedTasks(
  db: ScopedClient,
  userId: number,
  window: { from: Date; to: Date },
): Promise<IcsTask[]> {
  const rows = await db.task.findMany({
    where: { assigneeId: userId, dueAt: { gte: window.from, lt: window.to } },
    select: { id: true, title: true, description: true, dueAt: true, version: true, status: true },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((t) => ({ ...t, dueAt: t.dueAt!, done: t.status === 'DONE' }));
}

// The reminder sweep: what is due now (task reminders, appointment reminders, morning digests) is claimed and
// its mail enqueued in one transaction, so a reminder is sent once whichever process sweeps, and a mail server
// that is away delays it (the queue retries) but never loses it. Nothing is planned ahead: each sweep reads the
// tasks, appointments and settings as they are now, so a task done or moved, an appointment moved or cancelled,
// an attendee removed or a user deactivated changes what the next sweep finds, with nothing to cancel.
//
// A claim marks what was reminded with the time it was for (Task.remindedFor = the due time, the attendee's
// remindedFor = the start time, User.digestSentOn = the local date): a moved item is reminded again for its new
// time, never twice for one. Two sweeps at once: each UPDATE re-checks its row once the other's lock is gone
// (READ COMMITTED), so the second finds nothing left to claim.
import { utcInstant } from '../db/utcInstant.ts';
import { currentUserFrom, currentUserJsonSql, type CurrentUser, type CurrentUserRow } from '../access/currentUser.ts';
import { can } from '../access/policy.ts';
import { scopeCache, type ScopedTx } from '../access/scope.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { MailMessage } from '../mail/mailer.ts';
import { myDay } from '../today/queries.ts';
import { appointmentReminderMail, dayIsEmpty, digestMail, taskReminderMail } from './mail.ts';
import { LONGEST_APPOINTMENT_REMINDER_MINUTES } from './schema.ts';

/**
 * A reminder whose time passed longer ago than this is dropped, not sent late: a task saved with a past due
 * time, or a sweep that could not run for hours, would otherwise mail about what is long over.
 */
export const REMINDER_GRACE_MINUTES = 60;
/** A digest goes out from its hour until this many hours later (a process down at 08:00 still sends it at 09:00). */
export const DIGEST_WINDOW_HOURS = 3;

export type SweepDeps = { client: PrismaClient; jobs: Pick<JobQueue, 'enqueue'>; appUrl: string };
export type SweepResult = { tasks: number; appointments: number; digests: number };

type Tx = Prisma.TransactionClient;
/** A timestamp(3) column holds UTC wall time: an instant is compared as its UTC wall time. */
const utc = utcInstant;
type WithUser = { user: CurrentUserRow | null };

/** The claimed rows' users, loaded as a signed-in request loads them: a deactivated user or company is nobody. */
const userOf = (row: WithUser): CurrentUser | null => (row.user ? currentUserFrom(row.user) : null);

async function claimTasks(tx: Tx, now: Date) {
  return tx.$queryRaw<({ id: number; title: string; dueAt: Date } & WithUser)[]>(Prisma.sql`
    WITH due AS (
      SELECT t.id, t."dueAt" - CASE COALESCE(t.reminder, u."taskReminder") WHEN 'DAY_BEFORE' THEN interval '1 day'
               ELSE interval '0' END AS "remindAt"
        FROM "Task" t JOIN "User" u ON u.id = t."assigneeId"
       WHERE t."dueAt" > ${utc(now)} - make_interval(mins => ${REMINDER_GRACE_MINUTES})
         AND t."dueAt" <= ${utc(now)} + interval '1 day'
         AND t.status <> 'DONE' AND u.active
         AND COALESCE(t.reminder, u."taskReminder") <> 'NONE'
         AND t."remindedFor" IS DISTINCT FROM t."dueAt")
    UPDATE "Task" t SET "remindedFor" = t."dueAt" FROM due
     WHERE t.id = due.id AND t."remindedFor" IS DISTINCT FROM t."dueAt" AND t.status <> 'DONE'
       AND due."remindAt" <= ${utc(now)}
       AND due."remindAt" > ${utc(now)} - make_interval(mins => ${REMINDER_GRACE_MINUTES})
       -- A task saved with its reminder time already past gets none.
       AND due."remindAt" >= date_trunc('minute', t."createdAt")
    RETURNING t.id, t.title, t."dueAt", ${Prisma.raw(currentUserJsonSql('t."assigneeId"'))} AS "user"`);
}

async function claimAppointments(tx: Tx, now: Date) {
  return tx.$queryRaw<
    ({ id: number; title: string; startsAt: Date; endsAt: Date; location: string } & WithUser)[]
  >(Prisma.sql`
    WITH due AS (
      SELECT a.id, a.title, a."startsAt", a."endsAt", a.location, aa."userId"
        FROM "Appointment" a
        JOIN "AppointmentAttendee" aa ON aa."appointmentId" = a.id
        JOIN "User" u ON u.id = aa."userId"
       WHERE a."startsAt" >= ${utc(now)}
         AND a."startsAt" <= ${utc(now)} + make_interval(mins => ${LONGEST_APPOINTMENT_REMINDER_MINUTES})
         AND u.active AND u."appointmentReminderMinutes" IS NOT NULL
         AND a."startsAt" - make_interval(mins => u."appointmentReminderMinutes") <= ${utc(now)}
         AND a."startsAt" - make_interval(mins => u."appointmentReminderMinutes")
             > ${utc(now)} - make_interval(mins => ${REMINDER_GRACE_MINUTES})
         -- An appointment planned after its reminder time gets none.
         AND a."startsAt" - make_interval(mins => u."appointmentReminderMinutes")
             >= date_trunc('minute', a."createdAt")
         AND aa."remindedFor" IS DISTINCT FROM a."startsAt")
    UPDATE "AppointmentAttendee" aa SET "remindedFor" = due."startsAt" FROM due
     WHERE aa."appointmentId" = due.id AND aa."userId" = due."userId"
       AND aa."remindedFor" IS DISTINCT FROM due."startsAt"
    RETURNING due.id, due.title, due."startsAt", due."endsAt", due.location,
      ${Prisma.raw(currentUserJsonSql('aa."userId"'))} AS "user"`);
}

async function claimDigests(tx: Tx, now: Date) {
  // The user's local hour and date, from their zone: PostgreSQL knows the IANA zones.
  const local = Prisma.sql`(${now.toISOString()}::timestamptz AT TIME ZONE u."timeZone")`;
  return tx.$queryRaw<WithUser[]>(Prisma.sql`
    WITH claimed AS (
      UPDATE "User" u SET "digestSentOn" = ${local}::date
       WHERE u.active AND u."digestHour" IS NOT NULL
         AND extract(hour FROM ${local}) >= u."digestHour"
         AND extract(hour FROM ${local}) < u."digestHour" + ${DIGEST_WINDOW_HOURS}
         AND u."digestSentOn" IS DISTINCT FROM ${local}::date
      RETURNING u.id)
    SELECT ${Prisma.raw(currentUserJsonSql('claimed.id'))} AS "user" FROM claimed`);
}

/** One sweep at `now` (the clock is a parameter: tests move it). Returns how many mails it enqueued of each kind. */
export async function sweepReminders(deps: SweepDeps, now: Date): Promise<SweepResult> {
  const scoped = scopeCache(deps.client, 50);
  return deps.client.$transaction(
    async (tx) => {
      const mails: MailMessage[] = [];
      const result: SweepResult = { tasks: 0, appointments: 0, digests: 0 };
      // A reminder tells only what its reader may see: their own task with task.view, an appointment they attend
      // with appointment.view. The claim stands either way: nothing is sent for it later.
      for (const t of await claimTasks(tx, now)) {
        const user = userOf(t);
        if (!user || !can(user, 'task.view')) continue;
        mails.push(taskReminderMail(deps.appUrl, user, t, now));
        result.tasks++;
      }
      for (const a of await claimAppointments(tx, now)) {
        const user = userOf(a);
        if (!user || !can(user, 'appointment.view')) continue;
        mails.push(appointmentReminderMail(deps.appUrl, user, a));
        result.appointments++;
      }
      for (const d of await claimDigests(tx, now)) {
        const user = userOf(d);
        if (!user) continue;
        // Read through the user's own scope, as their My day page would show it (committed rows).
        const day = await myDay(scoped(user), user, user, now);
        if (dayIsEmpty(day)) continue;
        mails.push(digestMail(deps.appUrl, user, day));
        result.digests++;
      }
      for (const m of mails) await deps.jobs.enqueue('mail', m, { tx: tx as unknown as ScopedTx });
      return result;
    },
    { timeout: 60_000 },
  );
}

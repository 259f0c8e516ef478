// Runs the reminder sweep (src/reminder/sweep.ts) every `everySeconds` in each process that works the job queue
// (npm start with JOBS=on, or npm run worker). Several processes may sweep at once: a claim is taken once. A timer,
// not a pg-boss cron schedule: cron counts in minutes, and the sweep is cheap (three indexed statements), so every
// working process sweeping is simpler than electing one, and a process that stops leaves the others sweeping.
import { type Database, unscoped } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { type SweepDeps, sweepReminders } from './sweep.ts';

type ScheduleDeps = Omit<SweepDeps, 'client'> & { db: Database; logger: Logger; everySeconds: number };

/** Starts sweeping now and every `everySeconds`; the returned function stops and waits for a running sweep. */
export function startReminderSweep(deps: ScheduleDeps): () => Promise<void> {
  const sweep = { client: unscoped(deps.db, 'reminders'), jobs: deps.jobs, appUrl: deps.appUrl };
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running !== null) return; // a slow sweep is not stacked on
    running = sweepReminders(sweep, new Date())
      .then((r) => {
        if (r.tasks + r.appointments + r.digests) deps.logger.info({ reminders: r }, 'reminders enqueued');
      })
      .catch((err) => deps.logger.warn({ err: { message: (err as Error).message } }, 'reminder sweep failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, deps.everySeconds * 1000);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

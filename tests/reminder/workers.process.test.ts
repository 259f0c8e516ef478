// Two `npm run worker` processes on one database, each sweeping for reminders every second on the real clock:
// every reminder arrives once, never twice.
import { afterEach, describe, expect, it } from 'vitest';
import { killChildren, runScript } from '../foundation/support.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext({ JOBS: 'off' });
afterEach(killChildren);

const startWorker = () =>
  runScript(
    'src/jobs/worker.ts',
    [],
    {
      DATABASE_URL: ctx.db.url,
      SMTP_URL: `smtp://127.0.0.1:${ctx.mail.port}`,
      APP_URL: 'http://crm.test',
      LOG_LEVEL: 'info',
      REMINDER_SWEEP_SECONDS: '1',
    },
    'node',
  );

describe('reminders with two worker processes', () => {
  it('each task and appointment reminder is sent exactly once', async () => {
    const w = await buildWorld(ctx);
    const workers = [startWorker(), startWorker()];
    await Promise.all(workers.map((p) => p.waitFor(/CRM worker is running/)));
    const soon = new Date(Date.now() + 3000);
    const people = [w.managerA, w.staffA, w.colleagueA, w.staffB];
    for (const [i, p] of people.entries())
      await ctx.make.task(p.companyId!, p.id, { title: `Due soon ${i}`, dueAt: soon });
    // A 30-minute reminder for a meeting 30 minutes and 3 seconds away.
    await ctx.make.appointment(w.a.id, [w.staffA.id, w.colleagueA.id], {
      title: 'Stand-up',
      startsAt: new Date(soon.getTime() + 30 * 60_000),
    });
    const expected = people.length + 2;
    const deadline = Date.now() + 30_000;
    while (ctx.mail.messages.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Three more sweeps of each process (and a poll of the queue): a duplicate would have arrived by now.
    await new Promise((r) => setTimeout(r, 4000));
    const subjects = ctx.mail.messages.map((m) => `${m.to} ${m.subject.split(',')[0]}`).sort();
    expect(subjects).toEqual(
      [
        ...people.map((p, i) => `${p.email} Reminder: Due soon ${i}`),
        `${w.staffA.email} Reminder: Stand-up`,
        `${w.colleagueA.email} Reminder: Stand-up`,
      ].sort(),
    );
    for (const p of workers) p.proc.kill('SIGTERM');
    expect(await Promise.all(workers.map((p) => p.exited))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  }, 180_000);
});

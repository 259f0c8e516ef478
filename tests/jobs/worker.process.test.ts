// `npm run worker` as two real processes on one database: each queued mail arrives exactly once, and
// SIGTERM stops each worker cleanly (exit 0). The test's app only enqueues (JOBS=off, a web process).
import { afterEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { killChildren, runScript } from '../foundation/support.ts';

const ctx = useTestContext({ JOBS: 'off' });
afterEach(killChildren);

function startWorker() {
  return runScript(
    'src/jobs/worker.ts',
    [],
    { DATABASE_URL: ctx.db.url, SMTP_URL: `smtp://127.0.0.1:${ctx.mail.port}`, LOG_LEVEL: 'info' },
    'node',
  );
}

describe('two worker processes', () => {
  it('send each of 24 mails exactly once, and stop on SIGTERM with exit code 0', async () => {
    const workers = [startWorker(), startWorker()];
    await Promise.all(workers.map((w) => w.waitFor(/CRM worker is running/)));
    const addresses = Array.from({ length: 24 }, (_, i) => `p${i}@x.test`);
    for (const to of addresses) await ctx.jobs.enqueue('mail', { to, subject: to, text: 'Hi', html: '<p>Hi</p>' });
    const deadline = Date.now() + 60_000;
    while (ctx.mail.messages.length < addresses.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    // Another poll (2 s in production) and a half: a duplicate would have arrived by now.
    await new Promise((r) => setTimeout(r, 3000));
    expect(ctx.mail.messages.map((m) => m.to).sort()).toEqual([...addresses].sort());
    for (const w of workers) w.proc.kill('SIGTERM');
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    expect(workers.map((w) => w.stdout() + w.stderr()).join('')).toContain('worker stopped');
  }, 180_000);
});

// Several workers on one database (as several processes would run them): each job runs once. The app here
// only enqueues (JOBS=off, as a web process beside `npm run worker`); the workers are queues of their own.
// Also the superuser page /jobs: failed and waiting jobs, never a body, and its Retry button.
import { describe, expect, it } from 'vitest';
import { jobKinds } from '../../src/jobs/kinds.ts';
import { createJobQueue, type JobQueue } from '../../src/jobs/queue.ts';
import { createLogger } from '../../src/logger.ts';
import { createMailer, type Mailer } from '../../src/mail/mailer.ts';
import { useTestContext } from '../helpers/context.ts';
import { tableRows } from '../helpers/html.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext({ JOBS: 'off' });
const logger = createLogger('silent');

type Worker = { queue: JobQueue; sent: string[]; mailer: Mailer };

/** A worker with its own pg-boss instance and pool, counting what it sent. */
async function startWorker(opts: { retryLimit?: number } = {}): Promise<Worker> {
  const smtp = createMailer({ smtpUrl: `smtp://127.0.0.1:${ctx.mail.port}`, from: 'crm@x.test', dataDir: '.', logger });
  const sent: string[] = [];
  const mailer: Mailer = {
    send: async (m) => {
      await smtp.send(m);
      sent.push(m.to);
    },
    close: smtp.close,
  };
  const queue = createJobQueue({
    url: ctx.db.url,
    logger,
    kinds: jobKinds({ mailer, db: ctx.db, webhook: { appSecret: 'test-secret', allowPrivate: true } }),
    pollSeconds: 0.5,
    retryDelaySeconds: 1,
    retryLimit: opts.retryLimit,
  });
  await queue.start({ work: true });
  return { queue, sent, mailer };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const message = (to: string) => ({ to, subject: `For ${to}`, text: 'Your code is 123456', html: '<p>123456</p>' });

describe('two workers on one database', () => {
  it('send each of 20 mails exactly once, sharing the work', async () => {
    const workers = [await startWorker(), await startWorker()];
    try {
      const addresses = Array.from({ length: 20 }, (_, i) => `person${i}@x.test`);
      for (const to of addresses) await ctx.jobs.enqueue('mail', message(to));
      await until(() => ctx.mail.messages.length >= 20);
      // A poll and a half longer: a duplicate would have arrived by now.
      await new Promise((r) => setTimeout(r, 1000));
      const received = ctx.mail.messages.map((m) => m.to).sort();
      expect(received).toEqual([...addresses].sort());
      expect(workers[0].sent.length + workers[1].sent.length).toBe(20);
      expect(workers.every((w) => w.sent.length > 0)).toBe(true);
    } finally {
      await Promise.all(workers.map((w) => w.queue.stop(5000)));
      for (const w of workers) w.mailer.close();
    }
  });

  it('a stopping worker finishes the job it runs (graceful stop), and takes no new one', async () => {
    const worker = await startWorker();
    try {
      await ctx.jobs.enqueue('mail', message('first@x.test'));
      await until(() => worker.sent.length === 1);
    } finally {
      await worker.queue.stop(5000);
      worker.mailer.close();
    }
    await ctx.jobs.enqueue('mail', message('after@x.test'));
    await new Promise((r) => setTimeout(r, 1000));
    expect(worker.sent).toEqual(['first@x.test']);
    const { rows } = await ctx.db.pool.query("SELECT state FROM pgboss.job WHERE data->>'to' = 'after@x.test'");
    expect(rows.map((r) => r.state)).toEqual(['created']);
  });
});

describe('/jobs', () => {
  it('lists failed jobs with their error, never the body; Retry sends it again (303); others get 403', async () => {
    const w = await buildWorld(ctx);
    ctx.mail.refuse = true;
    const worker = await startWorker({ retryLimit: 1 });
    try {
      // The retry limit is the enqueuer's: this worker's queue (limit 1) enqueues.
      await worker.queue.enqueue('mail', message('dead@x.test'));
      await worker.queue.enqueue('mail', message('later@x.test'));
      // Tried twice (the retry limit is 1), then failed: the dead-letter state.
      await until(async () => {
        const { rows } = await ctx.db.pool.query("SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'");
        return rows[0].n === 2;
      });
      const su = await w.as(w.su);
      const page = await su.get('/jobs?state=failed').expect(200);
      expect(tableRows(page)).toHaveLength(3); // the header and two jobs
      expect(page.text).toContain('to dead@x.test');
      expect(page.text).toContain('The mail server did not accept the message.');
      expect(page.text).toContain('2 of 2');
      expect(page.text).not.toContain('123456');
      // Staff and account managers: 403; the retry refuses them too.
      const { rows: ids } = await ctx.db.pool.query("SELECT id FROM pgboss.job WHERE data->>'to' = 'dead@x.test'");
      const id = String(ids[0].id);
      for (const user of [w.managerA, w.staffA]) {
        const s = await w.as(user);
        await s.get('/jobs').expect(403);
        await s.post('/jobs/retry', { id }).expect(403);
      }
      // No CSRF token: 403; a malformed id: 404; nothing changed.
      await su.agent.post('/jobs/retry').type('form').send({ id }).expect(403);
      await su.post('/jobs/retry', { id: 'not-a-uuid' }).expect(404);
      ctx.mail.refuse = false;
      const res = await su.post('/jobs/retry', { id, back: '/jobs?state=failed' }).expect(303);
      expect(res.headers.location).toBe('/jobs?state=failed');
      expect((await ctx.mail.latestTo('dead@x.test', 15_000)).subject).toBe('For dead@x.test');
      // Only the retried one went out; the other stays failed until retried.
      expect(ctx.mail.messages.some((m) => m.to.includes('later@x.test'))).toBe(false);
      // The mail arrives before the worker marks the job done: wait for that, not for the mail.
      await until(async () => {
        const { rows } = await ctx.db.pool.query("SELECT state FROM pgboss.job WHERE data->>'to' = 'dead@x.test'");
        return rows.every((r) => r.state === 'completed');
      });
      const after = await su.get('/jobs').expect(200);
      expect(after.text).toContain('to later@x.test');
      expect(after.text).not.toContain('to dead@x.test');
      // An address elsewhere is not followed back to.
      const { rows: left } = await ctx.db.pool.query("SELECT id FROM pgboss.job WHERE data->>'to' = 'later@x.test'");
      const off = await su.post('/jobs/retry', { id: String(left[0].id), back: 'https://evil.test/' }).expect(303);
      expect(off.headers.location).toBe('/jobs');
    } finally {
      await worker.queue.stop(5000);
      worker.mailer.close();
    }
  });

  it('shows waiting jobs, paginated', async () => {
    const w = await buildWorld(ctx);
    for (let i = 0; i < 30; i++) await ctx.jobs.enqueue('mail', message(`wait${i}@x.test`));
    const su = await w.as(w.su);
    const page = await su.get('/jobs?state=waiting').expect(200);
    expect(tableRows(page)).toHaveLength(26); // with the header
    expect(page.text).toContain('of 30');
    const second = await su.get('/jobs?state=waiting&page=2').expect(200);
    expect(tableRows(second)).toHaveLength(6);
  });
});

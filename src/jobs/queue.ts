// The job queue: pg-boss, in the app's own database (its tables in the schema "pgboss"), on a small pool
// of its own so its polling never takes a connection a request needs. Every process enqueues; those
// that work (JOBS=on, the default, or `npm run worker`) poll and run the handlers of src/jobs/kinds.ts.
// Two processes never run one job twice: pg-boss takes each job with FOR UPDATE SKIP LOCKED.
import PgBoss from 'pg-boss';
import type { ScopedTx } from '../access/scope.ts';
import { rawSqlIn } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { type JobKinds, type JobName, type JobPayloads, KIND_NAMES, KIND_RETRY } from './kinds.ts';

export type EnqueueOptions = {
  /**
   * The write's transaction: the job is inserted in it (the outbox), so it exists only if the change
   * commits and the worker cannot take it before the commit.
   */
  tx?: ScopedTx;
  startAfter?: Date;
  /** At most one waiting job per key (e.g. one reminder per task). */
  singletonKey?: string;
};

export type JobQueueOptions = {
  url: string;
  logger: Logger;
  /** The handlers; only a working process needs them. */
  kinds?: JobKinds;
  /** How often an idle worker asks for work (pg-boss's minimum is 0.5 s). */
  pollSeconds?: number;
  /** The first retry's delay; each next one doubles (retryBackoff). Given (tests), it applies to every kind. */
  retryDelaySeconds?: number;
  retryLimit?: number;
};

export type JobQueue = {
  /** Installs or migrates pg-boss's schema and creates the queues; with `work`, starts the workers. */
  start: (opts: { work: boolean }) => Promise<void>;
  /** Stops taking jobs and waits (up to `timeoutMs`) for the running ones to finish. */
  stop: (timeoutMs?: number) => Promise<void>;
  enqueue: <K extends JobName>(kind: K, payload: JobPayloads[K], opts?: EnqueueOptions) => Promise<string | null>;
  /** Puts a failed job back in line (the /jobs page's button). False when it is not a failed job. */
  retry: (id: string) => Promise<boolean>;
  /** pg-boss's own connection, for the /jobs page's reads of its tables. */
  sql: (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
};

export const JOB_SCHEMA = 'pgboss';
/** Jobs taken per fetch, run one after the other; a graceful stop waits for the batch in hand. */
const BATCH = 5;

export function createJobQueue(opts: JobQueueOptions): JobQueue {
  const boss = new PgBoss({
    connectionString: opts.url,
    schema: JOB_SCHEMA,
    max: 3,
    application_name: 'crm-jobs',
    // Cron schedules (digests, later) are kept by every started instance; pg-boss elects one to fire them.
    schedule: true,
  });
  boss.on('error', (err) => opts.logger.error({ err: { message: err.message } }, 'job queue error'));
  const retry = {
    retryLimit: opts.retryLimit ?? 8,
    retryDelay: opts.retryDelaySeconds ?? 10,
    retryBackoff: true,
    // A worker that died mid-job (killed, machine lost) gives the job back after this long. Above a batch's
    // worst case (five mails, each up to 30 s of the mailer's timeouts), so a slow batch is never taken twice.
    expireInSeconds: 600,
  };
  // A kind's own limit and delay (KIND_RETRY) over the defaults; a delay given to the queue (tests) wins.
  const retryOf = (name: JobName) => {
    const own = KIND_RETRY[name];
    return {
      ...retry,
      ...(own
        ? { retryLimit: opts.retryLimit ?? own.retryLimit, retryDelay: opts.retryDelaySeconds ?? own.retryDelay }
        : {}),
    };
  };
  let started = false;
  let ready: Promise<void> | undefined;
  const begin = async (work: boolean) => {
    await boss.start();
    started = true;
    for (const name of KIND_NAMES) {
      // create_queue does nothing when it exists (ON CONFLICT DO NOTHING): safe for processes starting together.
      await boss.createQueue(name, { name, ...retryOf(name) });
      await boss.updateQueue(name, { name, ...retryOf(name) });
    }
    if (!work) return;
    const kinds = opts.kinds;
    if (!kinds) throw new Error('A working job queue needs its handlers.');
    for (const name of KIND_NAMES) {
      const kind = kinds[name];
      // pg-boss waits a poll interval between fetches, busy or not: a few jobs per fetch keep a backlog moving.
      const options = { batchSize: BATCH, pollingIntervalSeconds: opts.pollSeconds ?? 2 };
      await boss.work<unknown>(name, options, async (batch) => {
        for (const job of batch) {
          try {
            await kind.handle(job.data as never);
          } catch (err) {
            const message = (err as Error).message;
            opts.logger.warn({ job: job.id, kind: name, err: { message } }, 'job failed');
            // This job only: retried later with backoff, or failed for good past its limit (the others complete).
            // If even that fails (database away), the job stays active and is given back when it expires;
            // throwing here would fail the whole batch, mails already sent included.
            await boss.fail(name, job.id, { message }).catch((e) => {
              opts.logger.error({ job: job.id, err: { message: (e as Error).message } }, 'job failure not recorded');
            });
            continue;
          }
          // Done: a failure to delete must not fail (and so repeat) a job that ran.
          if (kind.deleteWhenDone)
            await boss.deleteJob(name, job.id).catch((err) => {
              opts.logger.warn({ job: job.id, err: { message: (err as Error).message } }, 'done job not deleted');
            });
        }
      });
    }
  };
  return {
    // An enqueue made while the queue is still starting waits for it (its queues must exist first).
    start: ({ work }) => {
      ready = begin(work);
      return ready;
    },
    stop: async (timeoutMs = 15_000) => {
      await ready?.catch(() => {});
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
    },
    enqueue: async (kind, payload, o = {}) => {
      await ready;
      const db = o.tx ? txDb(o.tx) : undefined;
      return boss.send(kind, payload as object, {
        ...retryOf(kind),
        ...(db ? { db } : {}),
        ...(o.startAfter ? { startAfter: o.startAfter } : {}),
        ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
      });
    },
    retry: async (id) => {
      const { rows } = await boss
        .getDb()
        .executeSql(`SELECT name FROM ${JOB_SCHEMA}.job WHERE id = $1 AND state = 'failed'`, [id]);
      if (!rows.length) return false;
      await boss.retry(String(rows[0].name), id);
      return true;
    },
    sql: (text, values) => boss.getDb().executeSql(text, values),
  };
}

/**
 * pg-boss's statement, run on the write's Prisma transaction. The scoped client refuses raw SQL; the one
 * named escape (rawSqlIn 'job queue', src/db/client.ts) lets this insert through and nothing else.
 */
function txDb(tx: ScopedTx): PgBoss.Db {
  return {
    executeSql: async (text, values) => ({
      // Awaited inside: Prisma's promise is lazy and runs (and meets the scope's check) when awaited.
      rows: await rawSqlIn(
        'job queue',
        async () => await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values),
      ),
    }),
  };
}

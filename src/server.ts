// The process: config → database → migrate → listen → graceful shutdown.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDatabase, unscoped } from './db/client.ts';
import { startEmbeddedPostgres, takeOverShutdownSignals, type EmbeddedDatabase } from './db/embedded.ts';
import { migrateInWorker } from './db/migrateInWorker.ts';
import { jobKinds } from './jobs/kinds.ts';
import { createJobQueue } from './jobs/queue.ts';
import { createLogger } from './logger.ts';
import { createMailer } from './mail/mailer.ts';
import { startReminderSweep } from './reminder/schedule.ts';
import { resolveSessionSecret } from './secret.ts';
import type { InflightTracker } from './web/inflight.ts';
import { createThrottles } from './web/rateLimit.ts';

/**
 * How long a shutdown waits for requests in flight. Above the pool's statement_timeout (15 s), so a
 * handler stuck on a lock gets its own error and rolls back before the process gives up on it.
 */
const SHUTDOWN_DEADLINE_MS = 20_000;

/** One line on stderr, no stack, exit code 1. */
function fail(message: string): never {
  console.error(message.replace(/\s*\n\s*/g, ' ').trim());
  process.exit(1);
}

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    console.log(`DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${config.dataDir}/pg) …`);
    try {
      embedded = await startEmbeddedPostgres(config.dataDir, (m) => logger.info(m));
    } catch (err) {
      fail(
        `Could not start the embedded PostgreSQL: ${(err as Error)?.message ?? err}. ` +
          `Set DATABASE_URL to use an existing server.`,
      );
    }
    url = embedded.url;
  }
  const stopEmbedded = async () => embedded?.stop().catch(() => {});

  try {
    const applied = await migrateInWorker(url);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  } catch (err) {
    await stopEmbedded();
    const host = safeHost(url);
    fail(`Could not prepare the database at ${host}: ${(err as Error).message}`);
  }

  const db = createDatabase(url);
  let shuttingDown = false;
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, logger });
  const sessionSecret = await resolveSessionSecret(config);
  const webhook = { appSecret: sessionSecret, allowPrivate: config.webhookAllowPrivate };
  const jobs = createJobQueue({ url, logger, kinds: jobKinds({ mailer, db, webhook }) });
  try {
    // Before listening: a request enqueues into queues that must exist. JOBS=off: enqueue only.
    await jobs.start({ work: config.jobs });
  } catch (err) {
    await db.close();
    await stopEmbedded();
    fail(`Could not start the job queue: ${(err as Error).message}`);
  }
  const {
    app,
    inflight,
    close: closeApp,
  } = buildApp({
    config,
    db,
    logger,
    mailer,
    jobs,
    sessionSecret,
    throttles: createThrottles(db.pool),
    isShuttingDown: () => shuttingDown,
  });

  const server = app.listen(config.port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (err: NodeJS.ErrnoException) => {
    await jobs.stop().catch(() => {});
    await db.close();
    await stopEmbedded();
    fail(
      err.code === 'EADDRINUSE'
        ? `Port ${config.port} is already in use: set PORT to a free port.`
        : `Could not listen: ${err.message}`,
    );
  });
  const port = (server.address() as AddressInfo).port;
  const users = await unscoped(db, 'startup').user.count({ where: { role: 'SUPERUSER' } });
  console.log(`CRM is running at http://localhost:${port}`);
  if (users === 0) {
    console.log('No superuser yet. Create the first one in another terminal with:  npm run createsuperuser');
  }
  // Reminders and digests are looked for by the processes that work the queue.
  const stopSweep = config.jobs
    ? startReminderSweep({ db, jobs, appUrl: config.appUrl, logger, everySeconds: config.reminderSweepSeconds })
    : async () => {};

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true; // /readyz answers 503 from now on
    logger.info({ signal, inFlight: inflight.count() }, 'shutting down: finishing in-flight requests');
    const forced = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS + 5_000);
    forced.unref();
    server.close();
    server.closeIdleConnections();
    // Work, not sockets: a client that hung up leaves its handler running, and ending the pool under
    // it would fail its query (a POST's transaction rolled back, a 500 in the log).
    if (!(await quiet(server, inflight, SHUTDOWN_DEADLINE_MS))) {
      // Exiting closes the database connections: PostgreSQL rolls back what is still open.
      logger.error(
        { inFlight: inflight.count() },
        `requests still running after ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting`,
      );
      server.closeAllConnections();
      await stopEmbedded();
      process.exit(1);
    }
    closeApp();
    await stopSweep().catch(() => {});
    // A running job finishes (or, past the deadline, is given back when it expires); no new one starts.
    await jobs.stop(10_000).catch((err) => logger.error({ err: { message: err.message } }, 'job queue stop'));
    mailer.close();
    await db.close();
    await stopEmbedded();
    logger.info('stopped');
    process.exit(0);
  };
  takeOverShutdownSignals();
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * Waits until no request is in flight and every connection is closed (idle ones are closed as they
 * become idle); false when the timeout passes first. Both are checked together: a request may still
 * arrive on a kept-alive connection after the count first reached zero.
 */
async function quiet(server: Server, inflight: InflightTracker, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!(await inflight.drained(until - Date.now()))) return false;
    server.closeIdleConnections();
    const open = await new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n)));
    if (open === 0 && inflight.count() === 0) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

main().catch((err) => {
  console.error('Unexpected start-up failure:', err);
  process.exit(1);
});

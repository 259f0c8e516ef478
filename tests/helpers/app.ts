// The one test-app builder: the app as src/server.ts builds it (real database, real SMTP server,
// real throttles), with the test configuration and the one test session secret.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiObserver } from '../../src/api/observer.ts';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { jobKinds } from '../../src/jobs/kinds.ts';
import { createJobQueue, type JobQueue } from '../../src/jobs/queue.ts';
import { createLogger } from '../../src/logger.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createThrottles } from '../../src/web/rateLimit.ts';

/** The session secret of every app the tests build (signInAs signs its cookies with it). */
export const TEST_SESSION_SECRET = 'test-secret-test-secret-test-secret-0123';

export type TestAppOptions = {
  /** The database to use, or a URL to open one on (closed with the app). */
  db: Database | string;
  smtpUrl?: string;
  /** The folder for mail files; a new temporary one when not given. */
  dataDir?: string;
  /** Configuration overrides (environment variable names), e.g. `{ LOG_LEVEL: 'info' }`. */
  env?: Record<string, string | undefined>;
  /** Receives the app's log lines. */
  logStream?: { write: (line: string) => void };
  /** Receives every answer of the JSON API (useTestContext checks them against the OpenAPI document). */
  apiObserver?: ApiObserver;
};

export type TestApp = ReturnType<typeof buildApp> & {
  config: Config;
  db: Database;
  dataDir: string;
  jobs: JobQueue;
  /** Resolves once the job queue has started (and, unless JOBS=off, works: polling every half second). */
  ready: Promise<void>;
  /** Closes the sessions' store, the job queue, the mailer and a database the builder opened. */
  close: () => Promise<void>;
};

export function buildTestApp(opts: TestAppOptions): TestApp {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'crm-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    APP_URL: 'http://crm.test',
    DATA_DIR: dataDir,
    SMTP_URL: opts.smtpUrl,
    ...opts.env,
  });
  const logger = createLogger(config.logLevel, opts.logStream);
  const ownDb = typeof opts.db === 'string';
  const db = typeof opts.db === 'string' ? createDatabase(opts.db, { max: 3 }) : opts.db;
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir, logger });
  const sessionSecret = opts.env?.SESSION_SECRET ?? TEST_SESSION_SECRET;
  const webhook = { appSecret: sessionSecret, allowPrivate: config.webhookAllowPrivate };
  // Fast in tests: the shortest poll pg-boss allows, and retries a second apart (then 2, 4 … s).
  const jobs = createJobQueue({
    url: dbUrl(db),
    logger,
    kinds: jobKinds({ mailer, db, webhook }),
    pollSeconds: 0.5,
    retryDelaySeconds: 1,
  });
  const ready = jobs.start({ work: config.jobs });
  ready.catch(() => {}); // awaited by the caller; never an unhandled rejection
  const built = buildApp({
    config,
    db,
    logger,
    mailer,
    jobs,
    sessionSecret,
    throttles: createThrottles(db.pool),
    apiObserver: opts.apiObserver,
  });
  return {
    ...built,
    config,
    db,
    dataDir,
    jobs,
    ready,
    close: async () => {
      built.close();
      await jobs.stop(5000);
      mailer.close();
      if (ownDb) await db.close();
    },
  };
}

/** The URL a Database was opened on (pg-boss opens its own small pool on it). */
function dbUrl(db: Database): string {
  const url = (db.pool.options as { connectionString?: string }).connectionString;
  if (!url) throw new Error('The test database has no connection string.');
  return url;
}

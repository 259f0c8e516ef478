// `npm run worker`: the job queue and the reminder sweep alone, for those who run several web processes with
// JOBS=off. Any number of workers (and web processes with JOBS=on) may share one database: each job runs once.
// SIGTERM/SIGINT: no new job is taken; the running one finishes (or is given back when it expires).
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createDatabase } from '../db/client.ts';
import { createMailer } from '../mail/mailer.ts';
import { resolveSessionSecret } from '../secret.ts';
import { startReminderSweep } from '../reminder/schedule.ts';
import { jobKinds } from './kinds.ts';
import { createJobQueue } from './queue.ts';

const STOP_DEADLINE_MS = 15_000;

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  // The web process owns the embedded database and the migrations; a worker joins an existing server.
  if (!config.databaseUrl) return fail('The worker needs DATABASE_URL (the database the web processes use).');
  const logger = createLogger(config.logLevel);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, logger });
  // Imports write through it as well as the sweep (src/import/run.ts).
  const db = createDatabase(config.databaseUrl, { max: 3 });
  // Webhooks' signing secrets are sealed with the app's secret: the worker opens them with the same one.
  const webhook = { appSecret: await resolveSessionSecret(config), allowPrivate: config.webhookAllowPrivate };
  const jobs = createJobQueue({ url: config.databaseUrl, logger, kinds: jobKinds({ mailer, db, webhook }) });
  try {
    await jobs.start({ work: true });
  } catch (err) {
    await db.close();
    return fail(`Could not start the job queue: ${(err as Error).message}`);
  }
  const stopSweep = startReminderSweep({
    db,
    jobs,
    appUrl: config.appUrl,
    logger,
    everySeconds: config.reminderSweepSeconds,
  });
  console.log('CRM worker is running');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing the running job');
    await stopSweep().catch(() => {});
    await jobs.stop(STOP_DEADLINE_MS).catch((err) => logger.error({ err: { message: err.message } }, 'stop failed'));
    mailer.close();
    await db.close();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((err) => {
  console.error('Unexpected worker failure:', err);
  process.exit(1);
});

// What the app is built from. Tests build their own; nothing here is global.
import type { ApiObserver } from './api/observer.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Throttles } from './web/rateLimit.ts';

export type AppDeps = {
  config: Config;
  db: Database;
  logger: Logger;
  mailer: Mailer;
  /** The job queue: mail and other work enqueued in a write's transaction (src/jobs). */
  jobs: JobQueue;
  sessionSecret: string;
  throttles: Throttles;
  isShuttingDown?: () => boolean;
  /** Tests only: receives every answer of the JSON API (src/api/observer.ts). */
  apiObserver?: ApiObserver;
};

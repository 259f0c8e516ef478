// What the app is built from. Tests build their own; nothing here is global.
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Throttles } from './web/rateLimit.ts';

export type AppDeps = {
  config: Config;
  db: Database;
  logger: Logger;
  mailer: Mailer;
  sessionSecret: string;
  throttles: Throttles;
  isShuttingDown?: () => boolean;
};

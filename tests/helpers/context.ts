// A test file's world: its own database, a real SMTP server, and the app built on them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createThrottles } from '../../src/web/rateLimit.ts';
import { createTestDatabase, resetDatabase } from './db.ts';
import { makeFactories, type Factories } from './factories.ts';
import { MailCatcher } from './smtp.ts';

export type TestContext = {
  app: ReturnType<typeof buildApp>['app'];
  routes: ReturnType<typeof buildApp>['routes'];
  db: Database & { url: string };
  prisma: Database['prisma'];
  mail: MailCatcher;
  make: Factories;
  /** Queries the app ran since the last call (counted on the pool), for N+1 checks. */
  takeQueryCount: () => number;
};

/** Registers the hooks and returns the context (its fields are set once beforeAll ran). */
export function useTestContext(env: Record<string, string> = {}): TestContext {
  const ctx = {} as TestContext;
  let closeApp = () => {};
  let dataDir = '';
  beforeAll(async () => {
    ctx.db = await createTestDatabase();
    ctx.prisma = ctx.db.prisma;
    ctx.mail = new MailCatcher();
    const smtpUrl = await ctx.mail.start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'crm-test-'));
    const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: smtpUrl, LOG_LEVEL: 'silent', APP_URL: 'http://crm.test', DATA_DIR: dataDir, ...env });
    const logger = createLogger(config.logLevel);
    let queries = 0;
    const originalQuery = ctx.db.pool.query.bind(ctx.db.pool);
    ctx.db.pool.on('connect', (client) => {
      const q = client.query.bind(client);
      (client as unknown as { query: typeof q }).query = ((...args: Parameters<typeof q>) => {
        queries++;
        return q(...args);
      }) as typeof q;
    });
    void originalQuery;
    ctx.takeQueryCount = () => {
      const n = queries;
      queries = 0;
      return n;
    };
    const built = buildApp({
      config, db: ctx.db, logger,
      mailer: createMailer({ smtpUrl, from: config.mailFrom, dataDir, logger }),
      sessionSecret: 'test-secret-test-secret-test-secret-0123',
      throttles: createThrottles(ctx.db.pool),
    });
    ctx.app = built.app;
    ctx.routes = built.routes;
    closeApp = built.close;
    ctx.make = makeFactories(ctx.prisma);
  });
  beforeEach(async () => {
    await resetDatabase(ctx.db);
    ctx.mail.clear();
    ctx.mail.refuse = false;
  });
  afterAll(async () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    closeApp();
    await ctx.mail?.stop();
    await ctx.db?.close();
  });
  return ctx;
}

// A test file's world: its own database, a real SMTP server, and the app built on them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { buildApp } from '../../src/app.ts';
import type { Database } from '../../src/db/client.ts';
import type { JobQueue } from '../../src/jobs/queue.ts';
import { ApiAnswerLog } from './apiAnswers.ts';
import { buildTestApp } from './app.ts';
import { createTestDatabase, resetDatabase } from './db.ts';
import { makeFactories, type Factories } from './world.ts';
import { MailCatcher } from './smtp.ts';

export type TestContext = {
  app: ReturnType<typeof buildApp>['app'];
  routes: ReturnType<typeof buildApp>['routes'];
  db: Database & { url: string };
  prisma: Database['prisma'];
  mail: MailCatcher;
  /** The app's job queue (working, polling every half second, unless the env says JOBS=off). */
  jobs: JobQueue;
  make: Factories;
  /** Queries the app ran since the last call (counted on the pool), for N+1 checks. */
  takeQueryCount: () => number;
  /** Every JSON API answer, checked against the served OpenAPI document after each test (helpers/apiAnswers.ts). */
  apiAnswers: ApiAnswerLog;
};

/** Registers the hooks and returns the context (its fields are set once beforeAll ran). */
export function useTestContext(env: Record<string, string | undefined> = {}): TestContext {
  const ctx = { apiAnswers: new ApiAnswerLog() } as TestContext;
  let closeApp = async () => {};
  let dataDir = '';
  beforeAll(async () => {
    ctx.db = await createTestDatabase();
    ctx.prisma = ctx.db.prisma;
    ctx.mail = new MailCatcher();
    const smtpUrl = await ctx.mail.start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'crm-test-'));
    let queries = 0;
    ctx.db.pool.on('connect', (client) => {
      const q = client.query.bind(client);
      (client as unknown as { query: typeof q }).query = ((...args: Parameters<typeof q>) => {
        queries++;
        return q(...args);
      }) as typeof q;
    });
    ctx.takeQueryCount = () => {
      const n = queries;
      queries = 0;
      return n;
    };
    const built = buildTestApp({ db: ctx.db, smtpUrl, dataDir, env, apiObserver: ctx.apiAnswers.observe });
    await built.ready;
    ctx.jobs = built.jobs;
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
  // A test fails when an answer of the API it called disagrees with the OpenAPI document.
  afterEach(async () => {
    if (!ctx.app) return;
    expect(await ctx.apiAnswers.check(ctx.app), 'API answers that the OpenAPI document does not allow').toEqual([]);
  });
  afterAll(async () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await closeApp();
    await ctx.mail?.stop();
    await ctx.db?.close();
  });
  return ctx;
}

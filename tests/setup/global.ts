// Once per test run: find a PostgreSQL server (DATABASE_URL's, or an embedded one under
// .data/test-pg), migrate a template database with the project's own runner, and hand its
// name to the workers, which clone it (CREATE DATABASE … TEMPLATE) for a database each.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createJobQueue } from '../../src/jobs/queue.ts';
import { createLogger } from '../../src/logger.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDb: string;
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let embedded: EmbeddedDatabase | undefined;

export default async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres('.data/test', () => {});
    serverUrl = embedded.url;
  }
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const templateDb = `crm_t_${runId}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  // Databases of earlier runs that died before their teardown. Only runs started over six hours ago:
  // other test runs may be going on against the same server right now (their run id starts with its time).
  const stale = await admin.query(
    "SELECT datname FROM pg_database WHERE datname LIKE 'crm_t_%' AND datname NOT LIKE $1",
    [`crm_t_${runId}%`],
  );
  const startedAt = (name: string) => parseInt(/^crm_t_([0-9a-z]+?)[0-9a-f]{4}(_|$)/.exec(name)?.[1] ?? '0', 36);
  for (const row of stale.rows) {
    if (Date.now() - startedAt(row.datname) < 6 * 3600_000) continue;
    await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`).catch(() => {});
  }
  await admin.query(`CREATE DATABASE "${templateDb}"`);
  await admin.end();
  await migrateDatabase(withDatabase(serverUrl, templateDb));
  // pg-boss's schema and queues in the template too: each test file's job queue then starts at once.
  const jobs = createJobQueue({ url: withDatabase(serverUrl, templateDb), logger: createLogger('silent') });
  await jobs.start({ work: false });
  await jobs.stop();
  project.provide('serverUrl', serverUrl);
  project.provide('templateDb', templateDb);

  return async () => {
    const c = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await c.connect();
    const dbs = await c.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${templateDb}%`]);
    for (const row of dbs.rows) await c.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`).catch(() => {});
    await c.end();
    await embedded?.stop();
  };
}

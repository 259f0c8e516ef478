// A database of this test file's own, cloned from the migrated template, and a reset between tests.
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.ts';

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let counter = 0;

/** Creates an empty database (schema only) for this file and returns its URL. */
export async function createTestDatabaseUrl(): Promise<string> {
  const serverUrl = inject('serverUrl');
  const template = inject('templateDb');
  const name = `${template}_${process.pid}_${counter++}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  return withDatabase(serverUrl, name);
}

export async function createTestDatabase(): Promise<Database & { url: string }> {
  const url = await createTestDatabaseUrl();
  return { ...createDatabase(url, { max: 5 }), url };
}

/** Empties every table but the migrations' bookkeeping, and the job queue. */
export async function resetDatabase(db: Database): Promise<void> {
  await settleJobQueue(db);
  const { rows } = await db.pool.query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
  );
  if (!rows.length) return;
  // TRUNCATE makes new files for every table and index (about 130 relations): 0.1 s on an idle machine,
  // past the pool's 15 s statement_timeout once on a loaded CI machine. The hook's own timeout bounds it.
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Lets a mail being sent arrive (the catcher stores it before the server answers), then removes what is
 * left waiting (a mail retried later): nothing of a previous test arrives in the next one.
 */
async function settleJobQueue(db: Database): Promise<void> {
  const queue = await db.pool.query("SELECT 1 FROM pg_tables WHERE schemaname = 'pgboss' AND tablename = 'job'");
  if (!queue.rows.length) return;
  await db.pool.query("DELETE FROM pgboss.job WHERE state <> 'active'");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'active'");
    if (rows[0].n === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await db.pool.query('DELETE FROM pgboss.job');
}

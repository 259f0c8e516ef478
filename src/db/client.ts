// One pg pool per process, shared by Prisma (through its pg adapter), the session store and the
// rate limiter. Timeouts are set because pg's defaults wait forever.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Database = { pool: pg.Pool; prisma: PrismaClient; close: () => Promise<void> };

/**
 * The few places that may query without the tenancy scope, by name. Everything else receives the
 * request's scoped client (req.db); tests/foundation/rawClient.test.ts fails when another file
 * reaches the raw client.
 */
export type UnscopedReason =
  | 'sign-in' // who is signing in, before there is a user to scope by
  | 'password reset' // the reset link's user, before sign-in
  | 'current user' // loading the signed-in user and their own profile
  | 'appointment overlap' // staff learn only that a colleague is busy (src/appointment/overlap.ts)
  | 'cli' // createsuperuser, seed
  | 'startup' // the server's first-run check for a superuser
  | 'pipeline figures' // grouped SQL (months in a zone) under readScopeSql's conditions (src/pipeline/figures.ts)
  | 'calendar feed' // a feed's token is looked up by its hash before there is a user (src/calendar/feed.ts)
  | 'api token' // a bearer token is looked up by its hash before there is a user; its use recorded (src/api/auth.ts)
  | 'reminders' // the sweep claims due reminders across companies, then reads each digest through its user's scope
  | 'record timeline' // staff read a loaded lead's or customer's own status/owner/conversion entries (src/timeline)
  | 'import' // an import's set-based writes (the job, its undo) in its company, by ids it recorded (src/import)
  | 'webhook delivery' // the delivery job reads its endpoint and writes its log by the ids it carries (src/webhook)
  | 'tenancy scope'; // the scope core wraps it into each user's scoped client (src/app.ts)

/**
 * Raw SQL on a scoped transaction, by name: the scope core refuses raw SQL (it cannot see which rows it
 * touches), except inside `rawSqlIn('job queue', …)`, where pg-boss writes its own job row in the write's
 * transaction (src/jobs/queue.ts: the outbox; a rolled-back change enqueues nothing). The reason is held for
 * that call only (AsyncLocalStorage), so no other statement of the request is let through.
 */
export type RawSqlReason =
  | 'job queue'
  // Trigram similarity, which Prisma cannot write, under readScopeSql's conditions (src/duplicate/detect.ts).
  | 'duplicate detection';
const rawSqlReason = new AsyncLocalStorage<RawSqlReason>();
export function rawSqlIn<T>(reason: RawSqlReason, run: () => Promise<T>): Promise<T> {
  return rawSqlReason.run(reason, run);
}
/** True inside rawSqlIn: asked by the scope core (src/access/scope.ts) before it refuses raw SQL. */
export const rawSqlAllowed = (): boolean => rawSqlReason.getStore() !== undefined;

/** The raw, unscoped client, named for why it is needed. */
export function unscoped(db: Pick<Database, 'prisma'>, reason: UnscopedReason): PrismaClient {
  void reason;
  return db.prisma;
}

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
    statement_timeout: 15000,
    query_timeout: 20000,
  });
  // An idle client losing its server (database restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/** Distinct statement texts that get a name (a prepared statement on each connection); the rest stay unnamed. */
export const NAMED_STATEMENTS_MAX = 2000;

/**
 * Searches stay unnamed: a prepared statement may settle on a generic plan, made without knowing the
 * pattern, while a rare word is found through the trigram indexes and a common one by walking the newest
 * leads (src/lead/search.ts); unnamed, each search is planned for its own pattern.
 */
const PATTERN_MATCH = /\bI?LIKE\b/;

/**
 * Names Prisma's statements by their text, so each pooled connection parses and plans a statement once
 * and then only binds and executes it (pg keeps the prepared statement per connection, PostgreSQL its
 * plan). Unnamed, every execution was parsed and planned again: at 100,000 leads the planning took
 * longer than running most of the pages' statements (EXPLAIN: 1–6 ms planning against 0.1–2 ms
 * execution; measured per request: 7.6 → 4.6 ms of PostgreSQL CPU for the staff dashboard, 5.4 → 4.0 for
 * the staff appointment list). The texts are Prisma's, parameterised, so their number is that of the query
 * shapes; past NAMED_STATEMENTS_MAX distinct texts (an unexpected flood of shapes) new ones run unnamed.
 */
export function statementNamer(max = NAMED_STATEMENTS_MAX): (query: { sql: string }) => string | undefined {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known || names.size >= max || PATTERN_MATCH.test(sql)) return known;
    const name = `prisma_${createHash('sha1').update(sql).digest('base64url')}`;
    names.set(sql, name);
    return name;
  };
}

export function createDatabase(url: string, options: { max?: number } = {}): Database {
  const pool = createPool(url, options.max);
  const prisma = new PrismaClient({
    // The adapter passes the name to pg as is; undefined (past the cap) is pg's unnamed statement.
    adapter: new PrismaPg(pool, { statementNameGenerator: statementNamer() as (query: { sql: string }) => string }),
  });
  let closed = false;
  return {
    pool,
    prisma,
    close: async () => {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

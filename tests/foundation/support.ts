// Foundation test helpers: empty databases on the test server, an app built on any database
// with its log lines captured, and child processes (the server, the CLIs) run as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { buildApp } from '../../src/app.ts';
import type { Database } from '../../src/db/client.ts';
import { buildTestApp } from '../helpers/app.ts';
import { withDatabase } from '../helpers/db.ts';
import { csrfFrom } from '../helpers/html.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

let counter = 0;
const tempDirs: string[] = [];

/** A new private temporary folder, removed by removeTempDirs(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new, empty database (no tables) on the test server; the run's teardown drops it. */
export async function createEmptyDatabase(): Promise<string> {
  const serverUrl = inject('serverUrl');
  const name = `${inject('templateDb')}_e${process.pid}_${counter++}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return withDatabase(serverUrl, name);
}

/** Runs one query on a database of its own connection. */
export async function query<T extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export type LoggedApp = {
  app: ReturnType<typeof buildApp>['app'];
  inflight: ReturnType<typeof buildApp>['inflight'];
  db: Database;
  /** Parsed JSON log lines written so far. */
  logs: Array<Record<string, any>>;
  close: () => Promise<void>;
};

/** The app built as server.ts builds it, on the database at `url`, its logs kept in memory. */
export function buildLoggedApp(url: string, opts: { smtpUrl?: string; env?: Record<string, string> } = {}): LoggedApp {
  const logs: Array<Record<string, any>> = [];
  const built = buildTestApp({
    db: url,
    smtpUrl: opts.smtpUrl,
    dataDir: tempDir('crm-test-'),
    env: { LOG_LEVEL: 'info', ...opts.env },
    logStream: { write: (line: string) => void logs.push(JSON.parse(line)) },
  });
  return { app: built.app, inflight: built.inflight, db: built.db, logs, close: built.close };
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type Child = {
  proc: ChildProcess;
  /** stdout and stderr so far. */
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
  /** Resolves with the text once `re` matches stdout+stderr; rejects on exit or timeout. */
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
  /** SIGKILLs the whole process group (tsx, node and any PostgreSQL it started) if still alive. */
  kill: () => void;
};

const children = new Set<Child>();

/**
 * Runs a project script with only the given environment (and PATH/HOME). `tsx` runs it through
 * the tsx command, as `npm start` does. `node` runs it in one process (`node --import tsx`):
 * for signal tests, because the tsx command relays a SIGTERM to its child and SIGKILLs the child
 * when it has not acknowledged the signal within 30 ms — on a busy machine that kills the server
 * in the middle of its graceful shutdown. `built` runs compiled JavaScript (dist/, `npm run build`)
 * with plain node, as `npm start` does. The child leads a process group of its own, so a failed
 * test can end all of it.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  via: 'tsx' | 'node' | 'built' = 'tsx',
): Child {
  const command =
    via === 'tsx'
      ? [path.join(ROOT, 'node_modules/.bin/tsx'), script]
      : via === 'node'
        ? [process.execPath, '--import', 'tsx', script]
        : [process.execPath, script];
  const proc = spawn(command[0], [...command.slice(1), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d));
  proc.stderr!.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<Exit>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  let alive = true;
  void exited.then(() => (alive = false));
  const child: Child = {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (re, timeoutMs = 90_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`timed out waiting for ${re}; output:\n${out}${err}`)),
          timeoutMs,
        );
        const check = () => {
          const m = re.exec(out + err);
          if (m) done(null, m);
        };
        const onExit = (code: number | null, signal: string | null) =>
          setTimeout(() => done(new Error(`exited (${signal ?? code}) before ${re}; output:\n${out}${err}`)), 50);
        function done(e: Error | null, m?: RegExpExecArray) {
          clearTimeout(timer);
          proc.stdout!.off('data', check);
          proc.stderr!.off('data', check);
          proc.off('exit', onExit);
          if (e) {
            const last = re.exec(out + err);
            if (last) resolve(last);
            else reject(e);
          } else resolve(m!);
        }
        proc.stdout!.on('data', check);
        proc.stderr!.on('data', check);
        proc.on('exit', onExit);
        check();
      }),
    kill: () => {
      if (!alive || !proc.pid) return;
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

/** Ends every child a test left running (call from afterEach/afterAll). */
export function killChildren(): void {
  for (const c of children) c.kill();
}

/** Starts `src/server.ts` (in one process, see runScript) on a free port and waits for the URL it prints. */
export async function startServer(env: Record<string, string | undefined>, timeoutMs = 90_000) {
  const child = runScript('src/server.ts', [], { PORT: '0', LOG_LEVEL: 'info', ...env }, 'node');
  const m = await child.waitFor(/CRM is running at (http:\/\/localhost:(\d+))/, timeoutMs);
  return { ...child, url: m[1].replace('localhost', '127.0.0.1'), port: Number(m[2]) };
}

/** The PostgreSQL server processes whose data folder is `dataDir` (from /proc). */
export async function postgresProcessesFor(dataDir: string): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const argv = cmd.split('\0');
    if (/postgres$/.test(argv[0]) && argv.includes(path.join(dataDir, 'pg'))) pids.push(Number(entry));
  }
  return pids;
}

/**
 * A superuser with a reset link, written in SQL. Its POST /password/reset/:token changes the
 * token, the user and the audit log in one transaction: a lock on the user's row blocks it there.
 */
export async function userWithResetLink(url: string): Promise<{ userId: number; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const [{ id: userId }] = await query<{ id: number }>(
    url,
    `INSERT INTO "User" (email, "passwordHash", name, role, "updatedAt") VALUES ` +
      `('ada@crm.test', 'old-hash', 'Ada', 'SUPERUSER', now()) RETURNING id`,
  );
  await query(
    url,
    `INSERT INTO "PasswordResetToken" ("userId", "tokenHash", purpose, ` +
      `"expiresAt") VALUES ($1, $2, 'reset', now() + interval '1 hour')`,
    [userId, createHash('sha256').update(token).digest('hex')],
  );
  return { userId, token };
}

/** Opens the reset form: the session cookie and the CSRF token its POST needs. */
export async function openResetForm(baseUrl: string, token: string): Promise<{ cookie: string; csrf: string }> {
  const page = await fetch(`${baseUrl}/password/reset/${token}`);
  if (page.status !== 200) throw new Error(`reset form answered ${page.status}`);
  const cookie = page.headers.get('set-cookie')!.split(';')[0];
  const csrf = csrfFrom(await page.text());
  return { cookie, csrf };
}

/** The raw POST that sets a new password through the link. */
export function resetPost(token: string, form: { cookie: string; csrf: string }): string {
  const password = 'lantern quietly 94 orchard fennel';
  const body = new URLSearchParams({ _csrf: form.csrf, password, passwordConfirm: password }).toString();
  return (
    `POST /password/reset/${token} HTTP/1.1\r\nHost: crm.test\r\nCookie: ${form.cookie}\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`
  );
}

/** Sends a raw HTTP/1.1 request and leaves the socket open, so the test can hang up on it. */
export async function sendRaw(port: number, request: string): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(request);
  return socket;
}

/** Backends of the database at `url` waiting for a lock. */
export async function waitingOnLocks(url: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    url,
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return row.n;
}

/** Polls `check` every 50 ms until it holds. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The outcome of a reset POST, re-read from the database: all of its transaction, or none of it. */
export async function resetOutcome(url: string, userId: number) {
  const [user] = await query<{ passwordHash: string }>(url, 'SELECT "passwordHash" FROM "User" WHERE id = $1', [
    userId,
  ]);
  const [used] = await query<{ n: number }>(
    url,
    'SELECT count(*)::int AS n FROM "PasswordResetToken" WHERE "userId" = $1 AND "usedAt" IS NOT NULL',
    [userId],
  );
  const [audit] = await query<{ n: number }>(
    url,
    `SELECT count(*)::int AS n FROM "AuditEntry" WHERE action = 'password.reset' AND "recordId" = $1`,
    [String(userId)],
  );
  return { passwordSet: user.passwordHash.startsWith('$argon2id$'), tokenUsed: used.n, auditEntries: audit.n };
}

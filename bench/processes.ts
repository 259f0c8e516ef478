// The app and the bare page, each in a child process of its own, as production runs them. Both get
// the statement counter preloaded (countStatements.mjs) and answer its count over the IPC channel.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const COUNTER = ['--import', './bench/countStatements.mjs'];

const scripts: Record<string, string | undefined> =
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts ?? {};

/**
 * How the app starts in production: `npm start`'s own command — its environment assignments (e.g.
 * MALLOC_ARENA_MAX), node flags and entry file (a compiled dist/server.js) — with the statement counter
 * preloaded; tsx over the sources if `start` is not a plain `[VAR=value …] node …` command.
 */
export function appCommand(start = scripts.start ?? ''): { env: Record<string, string>; args: string[] } {
  const m = /^((?:[A-Z_][A-Z0-9_]*=\S+\s+)*)node\s+([^;&|]+)$/.exec(start.trim());
  const parts = m?.[2].trim().split(/\s+/);
  if (!m || !parts || parts.length === 0) return { env: {}, args: ['--import', 'tsx', ...COUNTER, 'src/server.ts'] };
  const env = Object.fromEntries(
    m[1]
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
  );
  const entry = parts.pop()!;
  return { env, args: [...parts, ...COUNTER, entry] };
}
export const APP_COMMAND = appCommand();

/** The build step `npm start` needs first (compiling to dist/), when package.json has one. */
export const BUILD_COMMAND: string[] | null = scripts.build ? ['run', 'build'] : null;

const BARE_COMMAND = ['--import', 'tsx', ...COUNTER, 'bench/bare/server.ts'];

export type Child = {
  name: string;
  url: string;
  pid: number;
  /** Zeroes the statement counter in the child. */
  resetStatements: () => Promise<void>;
  /** SQL statements the child sent since the last reset. */
  statements: () => Promise<number>;
  /** Resident memory of the child now, in MB (VmRSS), or null when it has gone. */
  rssMb: () => number | null;
  stop: () => Promise<void>;
};

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function rssMbOf(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

async function startChild(
  name: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  readyPath: string,
  headers: Record<string, string>,
): Promise<Child> {
  const port = await freePort();
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', out, out, 'ipc'],
  });
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `exited (${signal ?? `code ${code}`})`;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${name} ${exited} while starting; its output is in ${logFile}`);
    const ok = await fetch(url + readyPath, { headers, redirect: 'manual' }).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${name} did not answer within 60 s; its output is in ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // A child that went away mid-run (killed from outside) fails the run with its name and log, so the cleanup
  // still stops the other child and drops the database, instead of an unhandled IPC error ending the bench.
  child.on('error', () => {});
  const ask = (message: string) =>
    new Promise<number>((resolve, reject) => {
      if (exited) return reject(new Error(`${name} ${exited} during the run; its output is in ${logFile}`));
      const timer = setTimeout(() => reject(new Error(`${name} did not answer the statement count`)), 5000);
      child.once('message', (m: { statements: number }) => {
        clearTimeout(timer);
        resolve(m.statements);
      });
      child.send(message, (err) => {
        if (!err) return;
        clearTimeout(timer);
        reject(
          new Error(`${name} ${exited ?? 'is gone'} during the run (${err.message}); its output is in ${logFile}`),
        );
      });
    });
  return {
    name,
    url,
    pid: child.pid!,
    resetStatements: async () => {
      await ask('statements:reset');
    },
    statements: () => ask('statements:read'),
    rssMb: () => rssMbOf(child.pid!),
    stop: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Headers every request to the app carries: it runs as behind a TLS proxy (secure cookies need it). */
export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' };

export function startApp(o: {
  databaseUrl: string;
  smtpUrl: string;
  dataDir: string;
  logFile: string;
}): Promise<Child> {
  // BENCH_CPU_PROF=<dir>: the app writes a V8 CPU profile there when it stops (node --cpu-prof), for
  // "profile before you optimise"; open it in Chrome's DevTools or summarise it with bench/profile.mjs.
  const profile = process.env.BENCH_CPU_PROF;
  return startChild(
    'the app',
    profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`, ...APP_COMMAND.args] : APP_COMMAND.args,
    {
      ...APP_COMMAND.env,
      NODE_ENV: 'production',
      DATABASE_URL: o.databaseUrl,
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      SMTP_URL: o.smtpUrl,
      APP_URL: 'https://crm-bench.example',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'info',
      DATA_DIR: o.dataDir,
    },
    o.logFile,
    '/healthz',
    PROXY_HEADERS,
  );
}

export function startBare(o: { databaseUrl: string; companyId: number; logFile: string }): Promise<Child> {
  return startChild(
    'the bare page',
    BARE_COMMAND,
    {
      NODE_ENV: 'production',
      DATABASE_URL: o.databaseUrl,
      BARE_COMPANY_ID: String(o.companyId),
    },
    o.logFile,
    '/leads',
    {},
  );
}

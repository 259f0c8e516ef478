// `src/server.ts` as a process through tsx (as `npm run dev` runs it; build.process.test.ts starts the compiled
// dist/server.js that `npm start` runs), with DATABASE_URL set: bad configuration
// stops it with one line; on a fresh database it migrates, serves, and shuts down gracefully.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/db/migrate.ts';
import { createTestDatabaseUrl } from '../helpers/db.ts';
import {
  createEmptyDatabase,
  killChildren,
  query,
  removeTempDirs,
  runScript,
  startServer,
  tempDir,
} from './support.ts';

afterAll(() => {
  killChildren();
  removeTempDirs();
});

const dataDir = () => tempDir('crm-server-');

/** The one line a failed start prints, and its exit code. */
async function failedStart(env: Record<string, string>) {
  const child = runScript('src/server.ts', [], { DATA_DIR: dataDir(), ...env });
  const exit = await child.exited;
  return { ...exit, stdout: child.stdout(), stderr: child.stderr() };
}

function expectOneLine(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |node:internal|Error:/);
}

type RawResponse = { status: number; headers: Record<string, string>; body: string };

/** Parses back-to-back HTTP/1.1 responses (Content-Length framed, as Express sends them). */
function parseResponses(raw: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = raw;
  while (rest.length) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) break;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length'] ?? 0);
    const bodyBytes = Buffer.from(rest.slice(end + 4), 'utf8').subarray(0, length);
    const body = bodyBytes.toString('utf8');
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body });
    rest = rest.slice(end + 4 + body.length);
  }
  return out;
}

/** A raw keep-alive connection: what was received, and when the server closed it. */
function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (received += d));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const connected = new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, closed, connected, received: () => received };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Each test starts a process: on a loaded machine loading the sources alone can take tens of seconds.
describe.concurrent('bad configuration stops the start with one line', { timeout: 180_000 }, () => {
  it('PORT=abc', async ({ expect }) => {
    const run = await failedStart({ PORT: 'abc', DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/x' });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr);
    expect(run.stderr.trim()).toBe(
      'Invalid configuration: PORT must be a whole number between 0 and 65535 (got "abc")',
    );
    expect(run.stdout).toBe('');
  });

  it('NODE_ENV=production without APP_URL', async ({ expect }) => {
    const run = await failedStart({
      NODE_ENV: 'production',
      PORT: '0',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/x',
      SESSION_SECRET: 's'.repeat(40),
      SMTP_URL: 'smtp://mail.example.com:587',
    });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr);
    expect(run.stderr.trim()).toBe(
      'Invalid configuration: APP_URL is required when NODE_ENV=production (links in mail must use the public address)',
    );
    expect(run.stdout).toBe('');
  });

  it('an unreachable DATABASE_URL', async ({ expect }) => {
    const run = await failedStart({ PORT: '0', DATABASE_URL: 'postgresql://postgres:hunter2@127.0.0.1:1/x' });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr);
    expect(run.stderr.trim()).toBe(
      "Could not prepare the database at 127.0.0.1:1/x: Can't reach database server at `127.0.0.1:1`",
    );
    expect(run.stdout + run.stderr).not.toContain('hunter2');
  });

  it('a PORT already in use', async ({ expect }) => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const run = await failedStart({ PORT: String(port), DATABASE_URL: await createTestDatabaseUrl() });
      expect(run.code).toBe(1);
      expectOneLine(run.stderr);
      expect(run.stderr.trim()).toBe(`Port ${port} is already in use: set PORT to a free port.`);
    } finally {
      blocker.close();
    }
  });
});

describe('on a fresh database', { timeout: 180_000 }, () => {
  it(
    'migrates it, serves /healthz, /login and /readyz, and ' +
      'on SIGTERM finishes the request in flight, then exits 0',
    async () => {
      const url = await createEmptyDatabase();
      const server = await startServer({ DATABASE_URL: url, DATA_DIR: dataDir() });
      await server.waitFor(/No superuser yet\. Create the first one .*npm run createsuperuser/);
      const migrations = (await listMigrations()).migrationDirectories.length;
      expect(
        await query(url, 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL'),
      ).toEqual([{ n: migrations }]);

      for (const [p, status] of [
        ['/healthz', 200],
        ['/login', 200],
        ['/readyz', 200],
      ] as const) {
        const res = await fetch(server.url + p);
        expect(res.status, p).toBe(status);
        if (p === '/login') expect(await res.text()).toContain('<form');
      }

      // An idle keep-alive connection, and a request in flight: its body is still arriving.
      const idle = connect(server.port);
      await idle.connected;
      idle.socket.write('GET /healthz HTTP/1.1\r\nHost: crm.test\r\n\r\n');
      await until(() => idle.received().includes('ok\n'), 'the idle connection’s first answer');
      const busy = connect(server.port);
      await busy.connected;
      const body = 'q=finish-me-after-the-signal';
      busy.socket.write(
        `GET /login HTTP/1.1\r\nHost: crm.test\r\nContent-Type: ` +
          `application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );

      server.proc.kill('SIGTERM');
      await server.waitFor(/shutting down: finishing in-flight requests/);
      await idle.closed; // closed at once: nothing was in flight on it
      expect(busy.received()).toBe(''); // still waiting for its body

      // The rest of the body, and /readyz pipelined behind it on the same connection.
      busy.socket.write(`${body.slice(5)}GET /readyz HTTP/1.1\r\nHost: crm.test\r\n\r\n`);
      await busy.closed;
      const [page, ready] = parseResponses(busy.received());
      expect(page.status).toBe(200);
      expect(page.body).toContain('<form');
      expect(page.body.trimEnd()).toMatch(/<\/html>$/);
      expect(ready.status).toBe(503);
      expect(ready.body).toBe('shutting down\n');

      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.stdout()).toMatch(/"msg":"stopped"/);
      // Nobody listens any more.
      const late = net.connect(server.port, '127.0.0.1');
      await expect(
        new Promise((resolve, reject) => late.once('connect', resolve).once('error', reject)),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    },
  );
});

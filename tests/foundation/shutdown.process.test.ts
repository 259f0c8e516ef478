// Graceful shutdown waits for the work, not only for the sockets (issue 10, item 15): requests whose
// clients hung up while they were blocked in the database still finish before the pool is closed,
// and a POST among them (a transaction over the token, the user and the audit log) commits whole.
import type net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl } from '../helpers/db.ts';
import {
  eventually,
  killChildren,
  openResetForm,
  removeTempDirs,
  resetOutcome,
  resetPost,
  sendRaw,
  startServer,
  tempDir,
  userWithResetLink,
  waitingOnLocks,
} from './support.ts';

afterAll(() => {
  killChildren();
  removeTempDirs();
});

describe('SIGTERM while requests are blocked in the database and their clients hang up', () => {
  it('waits for every handler, commits the POST whole, logs no error, then closes the pool and exits 0', {
    timeout: 120_000,
  }, async () => {
    const url = await createTestDatabaseUrl();
    const server = await startServer({ DATABASE_URL: url, DATA_DIR: tempDir('crm-shutdown-') }, 60_000);
    const { userId, token } = await userWithResetLink(url);
    const form = await openResetForm(server.url, token);

    // Requests wait for their session while the test holds the session table. A lock inside the POST's
    // transaction would not do: Prisma ends an interactive transaction after 5 s, and on a busy machine
    // the steps below take longer.
    const lock = new pg.Client({ connectionString: url });
    await lock.connect();
    const sockets: net.Socket[] = [];
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE "session" IN ACCESS EXCLUSIVE MODE');
      sockets.push(await sendRaw(server.port, resetPost(token, form)));
      await eventually(async () => (await waitingOnLocks(url)) === 1, 'the POST to wait for its session');
      // And 32 page loads: waiting for their session too, or queued for a pool connection behind those.
      for (let i = 0; i < 32; i++) {
        sockets.push(
          await sendRaw(
            server.port,
            `GET /password/reset/${token} HTTP/1.1\r\nHost: crm.test\r\nCookie: ${form.cookie}\r\n\r\n`,
          ),
        );
      }
      await eventually(
        async () => (await waitingOnLocks(url)) >= 10,
        'a full pool (10) of requests blocked in the database',
      );
      await new Promise((r) => setTimeout(r, 300));

      server.proc.kill('SIGTERM');
      await server.waitFor(/shutting down: finishing in-flight requests/);
      // Every client hangs up: the sockets close while the requests still wait for the database.
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 1000));
      expect(server.proc.exitCode).toBeNull();
      expect(server.stdout()).not.toMatch(/"msg":"stopped"/);
    } finally {
      await lock.query('COMMIT').catch(() => {});
      await lock.end();
    }

    expect(await server.exited).toEqual({ code: 0, signal: null });
    const log = server.stdout() + server.stderr();
    expect(log).toMatch(/"msg":"stopped"/);
    expect(log).not.toContain('Cannot use a pool after calling end');
    expect(log).not.toMatch(/"statusCode":5\d\d/);
    expect(log).not.toMatch(/"level":(50|60)/); // nothing at error or fatal level

    // The shutdown knew what it was waiting for: the POST and the page loads.
    const inFlight = Number(/"inFlight":(\d+)[^\n]*shutting down/.exec(log)?.[1]);
    expect(inFlight).toBeGreaterThanOrEqual(10);
    expect(inFlight).toBeLessThanOrEqual(33);
    // The POST whose client hung up committed whole.
    expect(await resetOutcome(url, userId)).toEqual({ passwordSet: true, tokenUsed: 1, auditEntries: 1 });
  });
});

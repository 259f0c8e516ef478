// Graceful shutdown waits for the work, not only for the sockets (issue 10, item 15): requests whose
// clients hung up while their handlers were blocked in the database still finish before the pool
// is closed, and a POST among them commits whole.
import type net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl } from '../helpers/db.ts';
import {
  eventually, killChildren, openResetForm, removeTempDirs, resetOutcome, resetPost, sendRaw, startServer, tempDir, userWithResetLink, waitingOnLocks,
} from './support.ts';

afterAll(() => {
  killChildren();
  removeTempDirs();
});

describe('SIGTERM while requests are blocked in the database and their clients hang up', () => {
  it('waits for every handler, commits the POST whole, logs no error, then closes the pool and exits 0', async () => {
    const url = await createTestDatabaseUrl();
    const server = await startServer({ DATABASE_URL: url, DATA_DIR: tempDir('crm-shutdown-') }, 60_000);
    const { userId, token } = await userWithResetLink(url);
    const form = await openResetForm(server.url, token);

    const rowLock = new pg.Client({ connectionString: url });
    const tableLock = new pg.Client({ connectionString: url });
    await rowLock.connect();
    await tableLock.connect();
    const sockets: net.Socket[] = [];
    try {
      // The POST is blocked inside its transaction, on the user's row, which the test holds.
      await rowLock.query('BEGIN');
      await rowLock.query('SELECT 1 FROM "User" WHERE id = $1 FOR UPDATE', [userId]);
      sockets.push(await sendRaw(server.port, resetPost(token, form)));
      await eventually(async () => (await waitingOnLocks(url)) === 1, 'the POST to block on the user row');

      // 32 page loads blocked on loading their session, or queued for a pool connection behind those.
      await tableLock.query('BEGIN');
      await tableLock.query('LOCK TABLE "session" IN ACCESS EXCLUSIVE MODE');
      for (let i = 0; i < 32; i++) {
        sockets.push(await sendRaw(server.port, `GET /password/reset/${token} HTTP/1.1\r\nHost: crm.test\r\nCookie: ${form.cookie}\r\n\r\n`));
      }
      await eventually(async () => (await waitingOnLocks(url)) >= 10, 'a full pool (10) of requests blocked in the database');
      await new Promise((r) => setTimeout(r, 300));

      server.proc.kill('SIGTERM');
      await server.waitFor(/shutting down: finishing in-flight requests/);
      // Every client hangs up: the sockets close while the handlers still wait for the database.
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 1000));
      expect(server.proc.exitCode).toBeNull();
      expect(server.stdout()).not.toMatch(/"msg":"stopped"/);
    } finally {
      await rowLock.query('COMMIT').catch(() => {});
      await new Promise((r) => setTimeout(r, 200));
      await tableLock.query('COMMIT').catch(() => {});
      await rowLock.end();
      await tableLock.end();
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

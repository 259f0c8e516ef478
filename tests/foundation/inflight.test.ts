// The in-flight count (src/web/inflight.ts): a request stays in flight until the app has answered
// it, even after its client hung up while the handler was waiting for the database.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl } from '../helpers/db.ts';
import {
  buildLoggedApp,
  eventually,
  openResetForm,
  removeTempDirs,
  resetOutcome,
  resetPost,
  sendRaw,
  userWithResetLink,
  waitingOnLocks,
  type LoggedApp,
} from './support.ts';

let url: string;
let built: LoggedApp;
let server: http.Server;
let base: string;

beforeAll(async () => {
  url = await createTestDatabaseUrl();
  built = buildLoggedApp(url);
  server = http.createServer(built.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await built.close();
  removeTempDirs();
});

describe('in-flight requests', () => {
  it('are none at rest, and a finished page load is not counted', async () => {
    expect(built.inflight.count()).toBe(0);
    expect((await fetch(`${base}/login`)).status).toBe(200);
    expect((await fetch(`${base}/static/css/app.css`)).status).toBe(200);
    await eventually(() => built.inflight.count() === 0, 'the count to settle');
    expect(await built.inflight.drained(0)).toBe(true);
  });

  it(
    'a POST whose client hangs up while it waits for the database ' +
      'stays in flight until the app has answered it, and commits whole',
    async () => {
      const { userId, token } = await userWithResetLink(url);
      const form = await openResetForm(base, token);
      const lock = new pg.Client({ connectionString: url });
      await lock.connect();
      try {
        // The POST waits for its session while the test holds the session table (not a row inside the
        // POST's transaction: Prisma ends an interactive transaction after 5 s, and a busy machine is slow).
        await lock.query('BEGIN');
        await lock.query('LOCK TABLE "session" IN ACCESS EXCLUSIVE MODE');
        const socket = await sendRaw((server.address() as AddressInfo).port, resetPost(token, form));
        await eventually(async () => (await waitingOnLocks(url)) === 1, 'the POST to wait for its session');
        expect(built.inflight.count()).toBe(1);

        socket.destroy();
        await eventually(
          async () => (await new Promise<number>((r) => server.getConnections((_e, n) => r(n)))) === 0,
          'the socket to close',
        );
        await new Promise((r) => setTimeout(r, 300));
        // The socket is gone; the work is not.
        expect(built.inflight.count()).toBe(1);
        expect(await built.inflight.drained(200)).toBe(false);
        expect(await resetOutcome(url, userId)).toEqual({ passwordSet: false, tokenUsed: 0, auditEntries: 0 });
      } finally {
        await lock.query('COMMIT');
        await lock.end();
      }
      expect(await built.inflight.drained(15_000)).toBe(true);
      expect(built.inflight.count()).toBe(0);
      expect(await resetOutcome(url, userId)).toEqual({ passwordSet: true, tokenUsed: 1, auditEntries: 1 });
      expect(built.logs.filter((l) => l.level >= 50)).toEqual([]);
    },
  );
});

// GET /healthz (the process is alive) and GET /readyz (the database answers), on a reachable
// database and on one that is not there.
import net from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildLoggedApp, removeTempDirs, type LoggedApp } from './support.ts';

const ctx = useTestContext();

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe('with the database up', () => {
  it('/healthz and /readyz answer 200 to a visitor, without a session cookie', async () => {
    const health = await request(ctx.app).get('/healthz').expect(200);
    expect(health.text).toBe('ok\n');
    expect(health.headers['set-cookie']).toBeUndefined();
    const ready = await request(ctx.app).get('/readyz').expect(200);
    expect(ready.text).toBe('ready\n');
    expect(ready.headers['set-cookie']).toBeUndefined();
  });
});

describe('with the database unreachable', () => {
  let down: LoggedApp;
  beforeAll(async () => {
    down = buildLoggedApp(`postgresql://postgres@127.0.0.1:${await closedPort()}/crm`);
  });
  afterAll(async () => {
    await down.close();
    removeTempDirs();
  });

  it('/readyz answers 503 and /healthz still 200', async () => {
    const ready = await request(down.app).get('/readyz').expect(503);
    expect(ready.text).toBe('database unreachable\n');
    await request(down.app).get('/healthz').expect(200, 'ok\n');
  });

  it('a page that needs the database answers 503 with Retry-After, not 500, and shows nothing internal', async () => {
    // The password-reset link page looks its token up in the database.
    const res = await request(down.app)
      .get(`/password/reset/${'a'.repeat(32)}`)
      .expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Service unavailable');
    expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.ts:\d+/);
  });
});

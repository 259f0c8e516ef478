// The API with its database unreachable (restarting): every request answers 503 problem details with Retry-After,
// as the pages do (SECURITY.md: fail fast with 503), never a 500, and nothing internal in the answer.
import net from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/api/routes.ts';
import { buildLoggedApp, type LoggedApp, removeTempDirs } from '../foundation/support.ts';

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe('the API with the database unreachable', () => {
  let down: LoggedApp;
  beforeAll(async () => {
    down = buildLoggedApp(`postgresql://postgres@127.0.0.1:${await closedPort()}/crm`);
  });
  afterAll(async () => {
    await down.close();
    removeTempDirs();
  });

  it('answers 503 with Retry-After on a read and a write, saying nothing internal', async () => {
    const token = `crm_pat_${'a'.repeat(43)}`;
    for (const [method, path] of [
      ['get', '/api/v1/customers'],
      ['post', '/api/v1/customers'],
      ['get', '/api/v1/me'],
    ] as const) {
      const res = await request(down.app)[method](path).set('Authorization', `Bearer ${token}`).send({ name: 'X' });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.type).toBe('application/problem+json');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ type: 'about:blank', status: 503, title: 'Service unavailable' });
      expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|\.ts:\d+|prisma/i);
    }
  });

  it('every route declares the 503 in the OpenAPI document', async () => {
    const doc = (await request(down.app).get('/api/v1/openapi.json').expect(200)).body;
    for (const r of API_ROUTES) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      expect(Object.keys(doc.paths[path][r.method].responses), `${r.method} ${path}`).toContain('503');
    }
  });
});

// The API fuzzer: walks the API's route table (src/api/routes.ts) and sends every route that reads a body (POST,
// PATCH) malformed JSON — wrong types, extra fields, huge strings, NUL and control characters, deep nesting,
// broken syntax — as a read-write token of an account manager whose scope holds the record. No answer is a 5xx or
// a success, and nothing is written anywhere (table counts and the record re-read). DELETE reads no body.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/api/routes.ts';
import { useTestContext } from '../helpers/context.ts';
import { makeSweepRecords, tableCounts } from '../tenancy/sweepRecords.ts';
import { makeWorld, snapshot } from '../tenancy/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();

const deep = (n: number): unknown => (n === 0 ? 'x' : { name: deep(n - 1) });
/** Bodies as raw JSON text, each wrong in its own way. */
const BODIES: string[] = [
  '{"name":',
  '{"name": "a", }',
  JSON.stringify({ name: 123 }),
  JSON.stringify({ name: ['a'] }),
  JSON.stringify({ name: { $gt: '' } }),
  JSON.stringify({ name: true, email: 5, ownerId: 'x', version: 'one' }),
  JSON.stringify({ name: 'Fuzz', id: 1, companyId: 'all', createdAt: 'now', __proto__: { admin: true } }),
  JSON.stringify({ name: 'Fuzz', unknownField: 'x' }),
  JSON.stringify({ name: 'x'.repeat(90_000) }),
  JSON.stringify({ name: `a${'\u0000'}b` }),
  JSON.stringify({ name: 'Fuzz', email: 'a@b.test\r\nBcc: x@y.test' }),
  JSON.stringify({ name: 'Fuzz', ownerId: 1e308 }),
  JSON.stringify({ name: 'Fuzz', ownerId: -1 }),
  JSON.stringify({ name: 'Fuzz', version: 1.5 }),
  JSON.stringify(deep(500)),
  `{"name":"${'y'.repeat(150_000)}"}`,
  '[{"name":"Fuzz"}]',
  '{"__proto__":{"name":"Fuzz"}}',
];

describe('the API fuzzer', () => {
  it('answers malformed bodies on every write route with 4xx and writes nothing', async () => {
    const w = await makeWorld(ctx);
    const records = await makeSweepRecords(ctx, w);
    const token = await makeToken(await w.as(w.managerA), { name: 'Fuzzer' });
    const problems: string[] = [];
    const routes = API_ROUTES.filter((r) => r.method === 'post' || r.method === 'patch');
    expect(routes.length).toBeGreaterThan(1);
    for (const r of routes) {
      const rec = records[r.path.split('/')[2]];
      const path = `/api${r.path.replace(/:\w+/, String(rec?.id ?? 1))}`;
      for (const body of BODIES) {
        const before = [await tableCounts(ctx), rec ? await snapshot(rec.read) : null];
        const res = await request(ctx.app)
          [r.method](path)
          .set('Authorization', `Bearer ${token}`)
          .set('Content-Type', 'application/json')
          .send(body);
        const what = `${r.method.toUpperCase()} ${r.path} with ${body.slice(0, 40)}`;
        if (res.status < 400 || res.status >= 500) problems.push(`${what} → ${res.status}`);
        if (!/problem\+json/.test(res.headers['content-type'] ?? '')) problems.push(`${what}: not a problem`);
        const after = [await tableCounts(ctx), rec ? await snapshot(rec.read) : null];
        if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`${what} wrote something`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});

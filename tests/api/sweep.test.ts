// The API ACCESS SWEEP: walks the API's own route table (API_ROUTES, src/api/routes.ts), so an API route added
// tomorrow is swept without editing this file. Each member of the cast calls with a token of their own: for every
// route with an id, on a record of company A, those who may read it get it and everyone else 404 or 403 (never a
// success or a 500; another company's account manager exactly 404), the answer does not leak the record, and nothing
// in the database changes. The refused calls all come before any permitted write, each on a record re-read just before
// it. Every list answers only rows of the caller's scope. Visitors without a token get 401 everywhere.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { type ApiRouteDef, API_ROUTES } from '../../src/api/routes.ts';
import { useTestContext } from '../helpers/context.ts';
import { CAST, type CastMember, makeSweepRecords, tableCounts } from '../tenancy/sweepRecords.ts';
import { makeWorld, snapshot } from '../tenancy/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const SWEEP_TIMEOUT = 300_000;
const hasParam = (r: ApiRouteDef) => /:\w+/.test(r.path);
/** `/v1/customers/:id` → `customers`, the sweep records' key. */
const segment = (path: string) => path.split('/')[2];
const fill = (path: string, id: string | number) => path.replace(/:\w+/g, String(id));
const isShow = (r: ApiRouteDef) => r.method === 'get' && /^\/v1\/[^/]+\/:\w+$/.test(r.path);
const label = (r: ApiRouteDef) => `${r.method.toUpperCase()} ${r.path}`;
/** Another company's account manager: every permission, none of company A's records. */
const FOREIGN_MANAGER: CastMember = 'managerB';

function call(r: ApiRouteDef, path: string, token?: string) {
  const req = request(ctx.app)[r.method](`/api${path}`);
  if (token) req.set('Authorization', `Bearer ${token}`);
  return r.method === 'get' || r.method === 'delete' ? req : req.send({ name: 'Crafted' });
}

async function tokens(w: Awaited<ReturnType<typeof makeWorld>>) {
  const out = {} as Record<CastMember, string>;
  for (const who of CAST) out[who] = await makeToken(await w.as(w[who]), { name: `Sweep ${who}` });
  return out;
}

describe('the API access sweep', () => {
  it('covers every API route with an id (a new resource needs a record in tests/tenancy/sweepRecords.ts)', async () => {
    const w = await makeWorld(ctx);
    const records = await makeSweepRecords(ctx, w);
    expect(API_ROUTES.filter((r) => hasParam(r) && !records[segment(r.path)]).map(label)).toEqual([]);
  });

  it('answers 401 without a token on every route', async () => {
    const problems: string[] = [];
    for (const r of API_ROUTES) {
      const res = await call(r, fill(r.path, 1));
      if (res.status !== 401) problems.push(`${label(r)} → ${res.status}`);
    }
    expect(problems).toEqual([]);
  });

  it(
    'refuses every id route to those who may not use the record, with nothing leaked or changed',
    async () => {
      const w = await makeWorld(ctx);
      const records = await makeSweepRecords(ctx, w);
      const tokenOf = await tokens(w);
      const problems: string[] = [];
      const idRoutes = API_ROUTES.filter(hasParam);
      const allowedOn = (r: ApiRouteDef) => {
        const rec = records[segment(r.path)];
        return isShow(r) ? rec.readers : rec.writers;
      };
      // Every refused call first, while every record is whole: a permitted caller's write before them (a DELETE's
      // 204) would leave them a missing row, whose 404 and null-for-null comparison would prove nothing. And each
      // refused call is made on a record re-read just before it.
      let refusals = 0;
      for (const r of idRoutes) {
        const rec = records[segment(r.path)];
        for (const who of CAST.filter((c) => !allowedOn(r).includes(c))) {
          const before = await snapshot(rec.read);
          if (before === 'null') {
            problems.push(`${label(r)} as ${who}: the record is missing before the call`);
            continue;
          }
          const counts = await tableCounts(ctx);
          const res = await call(r, fill(r.path, rec.id), tokenOf[who]);
          refusals++;
          // Another company's account manager has every permission: only the scope stands in the way, and it
          // answers 404 (a 403 would tell them the id exists).
          const expected = who === FOREIGN_MANAGER ? [404] : [403, 404];
          if (!expected.includes(res.status)) problems.push(`${label(r)} as ${who} → ${res.status}`);
          for (const m of rec.markers) if (res.text.includes(m)) problems.push(`${label(r)} as ${who} leaks "${m}"`);
          if ((await snapshot(rec.read)) !== before) problems.push(`${label(r)} as ${who} changed the record`);
          if (JSON.stringify(await tableCounts(ctx)) !== JSON.stringify(counts))
            problems.push(`${label(r)} as ${who} changed a table`);
        }
        // Malformed and missing ids: 404 (the loader), never a 500.
        for (const id of ['abc', '0', '99999999999', '2147483647']) {
          const res = await call(r, fill(r.path, id), tokenOf.managerA);
          if (res.status !== 404) problems.push(`${label(r)} with id ${id} → ${res.status}`);
        }
      }
      // Every id route refuses someone (another company's manager at least).
      expect(refusals).toBeGreaterThanOrEqual(idRoutes.length);
      // Then the permitted callers: the readers get the record (before any write), and the writes (a PATCH, a
      // conversion, a DELETE) come last, answering no 5xx.
      for (const r of idRoutes.filter(isShow))
        for (const who of allowedOn(r)) {
          const res = await call(r, fill(r.path, records[segment(r.path)].id), tokenOf[who]);
          if (res.status !== 200) problems.push(`${label(r)} as ${who} (a reader) → ${res.status}`);
        }
      for (const r of idRoutes.filter((x) => !isShow(x)))
        for (const who of allowedOn(r)) {
          const res = await call(r, fill(r.path, records[segment(r.path)].id), tokenOf[who]);
          if (res.status >= 500) problems.push(`${label(r)} as ${who} (a writer) → ${res.status}`);
        }
      expect(problems).toEqual([]);
    },
    SWEEP_TIMEOUT,
  );

  it(
    "lists answer no row of another company, and staff's lists none of a colleague's",
    async () => {
      const w = await makeWorld(ctx);
      const recordsA = await makeSweepRecords(ctx, w);
      await makeSweepRecords(ctx, w, 'B');
      const tokenOf = await tokens(w);
      const problems: string[] = [];
      for (const r of API_ROUTES.filter((x) => x.method === 'get' && !hasParam(x) && x.path !== '/v1/me')) {
        const rec = recordsA[r.path.split('/')[2]];
        for (const who of CAST) {
          const res = await call(r, `${r.path}?limit=100`, tokenOf[who]);
          if (res.status === 403) continue;
          if (res.status !== 200) {
            problems.push(`${label(r)} as ${who} → ${res.status}`);
            continue;
          }
          const ids = (res.body.data as { id: number; companyId: number }[]).map((x) => x.id);
          const companies = new Set((res.body.data as { companyId: number }[]).map((x) => x.companyId));
          const own = w[who].companyId;
          if ([...companies].some((c) => c !== own)) problems.push(`${label(r)} as ${who} lists another company`);
          if (rec && ids.includes(rec.id) !== rec.readers.includes(who))
            problems.push(`${label(r)} as ${who}: the company A record is ${ids.includes(rec.id) ? '' : 'not '}listed`);
        }
      }
      expect(problems).toEqual([]);
    },
    SWEEP_TIMEOUT,
  );
});

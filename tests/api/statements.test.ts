// The API's reads cost a fixed, small number of statements, counted at the pg pool (tests/helpers/statements.ts):
// walks every GET route of the route table (src/api/routes.ts), so a route added tomorrow is held to it without
// editing this file. A list costs the same with 1 row or 100 (nothing loaded row by row), and no read costs more
// than API_READ_BUDGET: the token with its user, the rate limit, and the answer's own reads.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, type ApiRouteDef } from '../../src/api/routes.ts';
import { useTestContext } from '../helpers/context.ts';
import { recordStatements } from '../helpers/statements.ts';
import { makeSweepRecords } from '../tenancy/sweepRecords.ts';
import { makeWorld } from '../tenancy/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const API_READ_BUDGET = 4;
const label = (r: ApiRouteDef) => `GET ${r.path}`;

describe('the API reads: statements per request', () => {
  it('every GET route costs at most the budget, and a list the same for 1 row as for 100', async () => {
    const w = await makeWorld(ctx);
    const records = await makeSweepRecords(ctx, w);
    // A second row of each kind, so each list has more than one row to read.
    const m = ctx.make;
    const customer = await m.customer(w.a.id, { ownerId: w.staffA.id });
    const lead = await m.lead(w.a.id, w.staffA.id, { customerId: customer.id });
    await m.task(w.a.id, w.staffA.id, { leadId: lead.id });
    await m.appointment(w.a.id, [w.staffA.id], { startsAt: new Date(Date.now() + 72 * 3600_000) });
    await m.activity(w.a.id, w.staffA.id, { leadId: lead.id });
    await m.group(w.a.id, ['task.view']);
    const recorder = recordStatements(ctx.db.pool);
    const problems: string[] = [];
    let measured = 0;
    for (const who of [w.managerA, w.staffA]) {
      const token = await makeToken(await w.as(who), { name: `Counter ${who.name}` });
      const count = async (path: string) => {
        const { result, statements } = await recorder.during(() =>
          request(ctx.app).get(`/api${path}`).set('Authorization', `Bearer ${token}`),
        );
        return { status: result.status, rows: (result.body?.data as unknown[] | undefined)?.length, statements };
      };
      for (const r of API_ROUTES.filter((x) => x.method === 'get')) {
        const id = /:\w+/.test(r.path) ? records[r.path.split('/')[2]]?.id : null;
        const path = id === null ? r.path : r.path.replace(/:\w+/, String(id));
        if (id === undefined) continue; // the sweep's own test names routes without a record
        const one = await count(r.doc.ok.list ? `${path}?limit=1` : path);
        if (one.status === 403 || one.status === 404) continue; // this role does not read it (the sweep checks why)
        if (one.status !== 200) {
          problems.push(`${label(r)} as ${who.name} → ${one.status}`);
          continue;
        }
        measured++;
        if (one.statements.length > API_READ_BUDGET)
          problems.push(
            `${label(r)} as ${who.name}: ${one.statements.length} statements\n${one.statements.join('\n')}`,
          );
        if (!r.doc.ok.list) continue;
        const many = await count(`${path}?limit=100`);
        if (many.statements.length !== one.statements.length)
          problems.push(
            `${label(r)}: ${one.statements.length} statements for 1 row, ${many.statements.length} for 100`,
          );
        if (who === w.managerA && (many.rows ?? 0) < 2) problems.push(`${label(r)}: the list read fewer than 2 rows`);
      }
    }
    expect(problems).toEqual([]);
    expect(measured).toBeGreaterThanOrEqual(API_ROUTES.filter((x) => x.method === 'get').length);
  }, 120_000);
});

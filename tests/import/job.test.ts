// The import job's statements: a fixed number per batch of 2,000 rows, whatever the rows hold (set-based
// inserts and updates), counted at the pg pool with the queue's worker off and the job's function called directly.
import { beforeEach, describe, expect, it } from 'vitest';
import { runImport } from '../../src/import/run.ts';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { choose, upload, utf8 } from './helpers.ts';

const ctx = useTestContext({ JOBS: 'off' });
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

describe('the import job', () => {
  it('sends a fixed number of statements per batch: 5,000 rows with updates in 3 batches', async () => {
    for (let i = 0; i < 50; i++) await ctx.make.customer(w.a.id, { name: `Old ${i}`, email: `c${i * 7}@bulk.test` });
    const rows = ['Name,Email,Phone'];
    for (let i = 0; i < 5000; i++) rows.push(`Customer ${i},c${i}@bulk.test,${i % 100 === 3 ? 'bad phone' : ''}`);
    const s = await w.as(w.managerA);
    const id = await upload(s, 'customers', utf8(rows.join('\n')));
    await choose(s, id, { duplicates: 'update' });
    ctx.takeQueryCount();
    await runImport(ctx.db, id);
    const statements = ctx.takeQueryCount();
    const imp = await ctx.prisma.import.findUniqueOrThrow({ where: { id } });
    // Row 203 both repeats an email (c203) and fails (its phone): failed, not updated.
    expect(imp).toMatchObject({ status: 'DONE', created: 4901, updated: 49, failed: 50 });
    // 4 to begin (the import, its user, the update to RUNNING and its transaction), 8 per batch (the duplicates'
    // look-up, then BEGIN, insert, previous values, update, outcome rows, counts, COMMIT), 4 to finish.
    expect(statements).toBeLessThanOrEqual(6 + 3 * 8 + 4);
    expect(await ctx.prisma.customer.count()).toBe(4951);
  }, 60_000);
});

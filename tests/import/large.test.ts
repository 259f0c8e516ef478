// A 100,000-row lead file, through the pages and the job queue as a user runs it: every row created (the counts
// equal the database's), and the same file imported again with "skip duplicates" creates nothing new. The time is
// not asserted (npm run bench:import measures it); the test only gives the job room to finish on a busy machine.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { choose, finished, upload } from './helpers.ts';

const ctx = useTestContext();
const ROWS = 100_000;

function bigFile(): Buffer {
  const lines = ['Title,Contact name,Email,Phone,Status'];
  for (let i = 0; i < ROWS; i++)
    lines.push(`Deal ${i},Buyer ${i},buyer${i}@big.test,+44 20 7${String(i).padStart(7, '0')},Qualified`);
  return Buffer.from(lines.join('\n'), 'utf8');
}

describe('a 100,000-row import', () => {
  it('creates every row, and a second import of the same file with "skip duplicates" creates nothing', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const file = bigFile();
    const first = await upload(s, 'leads', file, 'big.csv');
    await choose(s, first, { duplicates: 'skip' });
    const done = await finished(ctx, first, 400_000);
    expect(done).toMatchObject({ status: 'DONE', created: ROWS, updated: 0, skipped: 0, failed: 0 });
    expect(await ctx.prisma.lead.count({ where: { companyId: w.a.id } })).toBe(ROWS);
    expect(await ctx.prisma.lead.count({ where: { companyId: w.a.id, phoneKey: '' } })).toBe(0);
    const second = await upload(s, 'leads', file, 'big-again.csv');
    await choose(s, second, { duplicates: 'skip' });
    const again = await finished(ctx, second, 400_000);
    expect(again).toMatchObject({ status: 'DONE', created: 0, skipped: ROWS, failed: 0 });
    expect(await ctx.prisma.lead.count()).toBe(ROWS);
  }, 900_000);
});

// Query strings at the edges of the money and calendar pages (found in review): a range named after an
// Object.prototype member is the default range, never a 500; a parameter given twice is a 400; the month view
// offers no link past the months it reads.
import { describe, expect, it } from 'vitest';
import { parseRange } from '../../src/pipeline/range.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext();

describe('query edges', () => {
  it('a range called toString, constructor or __proto__ is the default range', async () => {
    for (const range of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(parseRange({ range }, 'UTC', new Date()).range.key).toBe('this-month');
    const w = await buildWorld(ctx);
    for (const user of [w.managerA, w.staffA]) {
      const s = await w.as(user);
      await s.get('/dashboard?range=toString').expect(200);
      await s.get('/reports?range=constructor').expect(200);
      await s.get('/reports/export.csv?range=__proto__').expect(200);
    }
  });

  it('a parameter given twice is a 400 on the dashboard, the board, the reports and the month view', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    for (const path of [
      '/dashboard?range=last-month&range=this-month',
      '/leads/board?month=2026-11&month=2026-12',
      '/reports?by=person&by=source',
      '/appointments/month?month=2026-01&month=2026-02',
    ])
      expect([path, (await s.get(path)).status]).toEqual([path, 400]);
  });

  it('the month view links no month before 1900-01 or after 2999-12', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const first = (await s.get('/appointments/month?month=1900-01').expect(200)).text;
    expect(first).not.toContain('Previous month');
    expect(first).toContain('month=1900-02');
    const last = (await s.get('/appointments/month?month=2999-12').expect(200)).text;
    expect(last).not.toContain('Next month');
    expect(last).toContain('month=2999-11');
  });
});

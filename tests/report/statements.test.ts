// A report costs a fixed number of statements, session read included, whatever the deals and people:
// the grouped figures (one), the people (one, for those who see others' deals), the companies (one, for a
// superuser). The route table's own count (tests/foundation/statementCounts.test.ts) measures /reports
// without parameters; here every report, the CSV, the person filter and a superuser's chosen company.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { isSessionWrite, recordStatements } from '../helpers/statements.ts';
import { RANGE, reportWorld } from './world.ts';

const ctx = useTestContext();
const LIMIT = 4;
let recorder: ReturnType<typeof recordStatements>;
beforeAll(() => {
  recorder = recordStatements(ctx.db.pool);
});

describe('reports: statements per request', () => {
  it(`at most ${LIMIT}, the same with many more deals and people`, async () => {
    const w = await reportWorld(ctx);
    const cast = [
      { who: 'manager', s: await w.as(w.managerA), extra: ['', `&assigneeId=${w.staffA.id}`] },
      { who: 'staff', s: await w.as(w.staffA), extra: [''] },
      { who: 'superuser', s: await w.as(w.su), extra: [`&companyId=${w.a.id}`, ''] },
    ];
    const measure = async () => {
      const counts: string[] = [];
      for (const { who, s, extra } of cast) {
        for (const x of extra) {
          for (const by of ['person', 'source', 'month', 'reason']) {
            for (const path of ['/reports', '/reports/export.csv']) {
              const url = `${path}?by=${by}&${RANGE}${x}`;
              await s.get(url);
              const { result, statements } = await recorder.during(() => s.get(url));
              expect(result.status, url).toBeLessThan(500);
              expect(statements.filter(isSessionWrite), url).toEqual([]);
              expect(statements.length, `${who} ${url}\n${statements.join('\n')}`).toBeLessThanOrEqual(LIMIT);
              counts.push(`${who} ${url}: ${statements.length}`);
            }
          }
        }
      }
      return counts;
    };
    const before = await measure();
    // Many more deals, over more people and months: the counts stay the same.
    const people = await Promise.all(Array.from({ length: 6 }, () => ctx.make.staff(w.a.id)));
    await ctx.prisma.lead.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({
        companyId: w.a.id,
        assigneeId: people[i % people.length].id,
        title: `Bulk deal ${i}`,
        status: i % 3 ? ('WON' as const) : ('LOST' as const),
        lostReason: i % 3 ? null : ('PRICE' as const),
        estimatedValue: `${100 + i}.25`,
        createdAt: new Date(Date.UTC(2025, 11, 1 + (i % 28))),
        closedAt: new Date(Date.UTC(2026, i % 3, 1 + (i % 28), 12)),
      })),
    });
    expect(await measure()).toEqual(before);
  });
});

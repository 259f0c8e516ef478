// The board tests' leads: in company A, leads of staffA, colleagueA and the manager in every stage, source
// and close month (some without a value or a date); in company B, leads that must never show on A's board.
import type { LeadSource, LeadStatus } from '../../src/generated/prisma/client.ts';
import { formatTotal } from '../../src/pipeline/money.ts';
import { weightedValue } from '../../src/pipeline/stages.ts';
import type { TestContext } from '../helpers/context.ts';
import { all, first, textOf, type Html } from '../helpers/html.ts';
import type { World } from '../helpers/world.ts';

export const STATUSES: LeadStatus[] = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'];
const SOURCES: LeadSource[] = ['WEBSITE', 'REFERRAL', 'EVENT', 'COLD_CALL', 'OTHER'];
const DAYS = ['2026-11-03', '2026-11-28', '2026-12-15', '2027-01-10', null];

export async function fillBoard(ctx: TestContext, w: World) {
  const people = [w.staffA.id, w.colleagueA.id, w.managerA.id];
  await ctx.prisma.lead.createMany({
    data: Array.from({ length: 75 }, (_, i) => ({
      companyId: w.a.id,
      assigneeId: people[i % 3],
      title: `Board lead ${i}`,
      organisation: `Org ${i}`,
      status: STATUSES[i % 5],
      source: SOURCES[(i >> 1) % 5],
      estimatedValue: i % 7 === 0 ? null : `${1000 + i * 137}.${String(i % 100).padStart(2, '0')}`,
      expectedCloseDate: DAYS[i % 5] ? new Date(`${DAYS[(i * 3) % 5] ?? '2026-11-03'}T00:00:00Z`) : null,
      nextStep: i % 2 ? `Call back ${i}` : '',
    })),
  });
  await ctx.prisma.lead.createMany({
    data: Array.from({ length: 20 }, (_, i) => ({
      companyId: w.b.id,
      assigneeId: i % 2 ? w.managerB.id : w.staffB.id,
      title: `Bravo lead ${i}`,
      status: STATUSES[i % 5],
      source: SOURCES[i % 5],
      estimatedValue: `${5000 + i}.00`,
      expectedCloseDate: new Date('2026-11-10T00:00:00Z'),
    })),
  });
}

export type Filters = { assigneeId?: number; source?: string; month?: string; companyId?: number };
export type Who = { role: string; companyId: number | null; id: number };

/** Count and value per status computed directly in SQL over `who`'s scope (company; staff: own leads). */
export async function sqlTotals(ctx: TestContext, who: Who, f: Filters) {
  const conds: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    conds.push(sql.replaceAll('?', `$${args.length}`));
  };
  if (who.role !== 'SUPERUSER') add('"companyId" = ?', who.companyId);
  if (who.role === 'STAFF') add('"assigneeId" = ?', who.id);
  if (f.companyId) add('"companyId" = ?', f.companyId);
  if (f.assigneeId) add('"assigneeId" = ?', f.assigneeId);
  if (f.source) add('"source" = ?::"LeadSource"', f.source);
  if (f.month) add(`"expectedCloseDate" >= (?::text || '-01')::date`, f.month);
  if (f.month) add(`"expectedCloseDate" < (?::text || '-01')::date + interval '1 month'`, f.month);
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const { rows } = await ctx.db.pool.query<{ status: LeadStatus; count: number; value: string }>(
    `SELECT status, count(*)::int AS count, COALESCE(sum("estimatedValue"), 0)::text AS value
     FROM "Lead" ${where} GROUP BY status`,
    args,
  );
  const out = Object.fromEntries(STATUSES.map((s) => [s, { count: 0, value: '0' }])) as Record<
    LeadStatus,
    { count: number; value: string }
  >;
  for (const r of rows) out[r.status] = { count: r.count, value: r.value };
  return out;
}

/** What the board shows for each stage: its count and total (and weighted for open stages), as text. */
export function boardFigures(html: Html) {
  const out: Record<string, { count: string; total: string; weighted?: string }> = {};
  for (const col of all(html, 'section.board-column')) {
    const dds = all(col, '.board-totals dd').map(textOf);
    out[col.attribs['data-stage']] = { count: textOf(first(col, 'h2 .badge')!), total: dds[0], weighted: dds[1] };
  }
  for (const a of all(html, 'a.board-closed-total')) {
    const m = /: (\d+) leads?, (.+)$/.exec(textOf(a));
    out[a.attribs['data-stage']] = { count: m?.[1] ?? '?', total: m?.[2] ?? '?' };
  }
  return out;
}

const PROBABILITY: Record<LeadStatus, number> = { NEW: 10, CONTACTED: 20, QUALIFIED: 50, WON: 100, LOST: 0 };

/** The figures the board must show for SQL's totals (default probabilities, the currency given). */
export function expectedFigures(sql: Awaited<ReturnType<typeof sqlTotals>>, currency = 'EUR') {
  const out: Record<string, { count: string; total: string; weighted?: string }> = {};
  for (const s of STATUSES) {
    const total = formatTotal(sql[s].value, currency);
    out[s] =
      s === 'WON' || s === 'LOST'
        ? { count: String(sql[s].count), total }
        : {
            count: String(sql[s].count),
            total,
            weighted: formatTotal(weightedValue(sql[s].value, PROBABILITY[s]), currency),
          };
  }
  return out;
}

// The dashboards' lead numbers (read from the lead tally) against SQL over the leads themselves, for
// each role, before and after changes; and the dashboard reads no lead row, whatever the company's size.
import { beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { metric } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { countsWorld, insertLeads, STATUSES } from '../lead/countsWorld.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

async function sql(where: string, args: unknown[]): Promise<number> {
  return (await ctx.db.pool.query(`SELECT count(*)::int AS n FROM "Lead" WHERE ${where}`, args)).rows[0].n;
}

const OPEN = `"status" IN ('NEW', 'CONTACTED', 'QUALIFIED')`;

async function expectManagerRight(manager: typeof w.managerA, team: { id: number }[]) {
  const page = (await (await signInAs(ctx, manager)).get('/dashboard').expect(200)).text;
  for (const status of STATUSES) {
    expect([status, metric(page, `leads-${status}`)]).toEqual([
      status,
      await sql('"companyId" = $1 AND "status" = $2::"LeadStatus"', [manager.companyId, status]),
    ]);
  }
  for (const u of team) {
    expect([u.id, metric(page, `workload-${u.id}-leads`)]).toEqual([
      u.id,
      await sql(`"companyId" = $1 AND "assigneeId" = $2 AND ${OPEN}`, [manager.companyId, u.id]),
    ]);
  }
  return page;
}

async function expectStaffRight(staff: typeof w.staffA) {
  const page = (await (await signInAs(ctx, staff)).get('/dashboard').expect(200)).text;
  for (const status of STATUSES) {
    expect([status, metric(page, `leads-${status}`)]).toEqual([
      status,
      await sql('"assigneeId" = $1 AND "status" = $2::"LeadStatus"', [staff.id, status]),
    ]);
  }
  expect(page).toContain(`My leads (${await sql(`"assigneeId" = $1 AND ${OPEN}`, [staff.id])} open)`);
}

describe('the dashboards’ lead counts', () => {
  it('equal SQL for the manager, each staff user and the superuser, before and after changes', async () => {
    await countsWorld(ctx, w);
    const check = async () => {
      const pageA = await expectManagerRight(w.managerA, [w.managerA, w.staffA, w.colleagueA]);
      for (const foreign of [w.managerB.id]) expect(metric(pageA, `workload-${foreign}-leads`)).toBeNull();
      await expectManagerRight(w.managerB, [w.managerB]);
      await expectStaffRight(w.staffA);
      await expectStaffRight(w.colleagueA);
      const su = (await (await signInAs(ctx, w.su)).get('/dashboard').expect(200)).text;
      for (const c of [w.a, w.b])
        expect(metric(su, `company-${c.id}-leads`)).toBe(await sql('"companyId" = $1', [c.id]));
    };
    await check();

    const manager = await signInAs(ctx, w.managerA);
    const lead = await ctx.prisma.lead.findFirstOrThrow({
      where: { companyId: w.a.id, assigneeId: w.staffA.id, status: 'NEW' },
    });
    await manager.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.colleagueA.id) }).expect(303);
    await manager.post(`/leads/${lead.id}/status`, { status: 'LOST', lostReason: 'PRICE' }).expect(303);
    await ctx.prisma.lead.deleteMany({ where: { companyId: w.b.id, status: 'WON' } });
    await insertLeads(ctx, w.a.id, [w.staffA.id], 37, 2);
    await check();
  });

  it('a company without leads shows zeros, and a new company appears with its own count only', async () => {
    const page = (await (await signInAs(ctx, w.managerA)).get('/dashboard').expect(200)).text;
    for (const status of STATUSES) expect(metric(page, `leads-${status}`)).toBe(0);
    await insertLeads(ctx, w.b.id, [w.managerB.id], 12);
    const su = (await (await signInAs(ctx, w.su)).get('/dashboard').expect(200)).text;
    expect(metric(su, `company-${w.a.id}-leads`)).toBe(0);
    expect(metric(su, `company-${w.b.id}-leads`)).toBe(12);
  });

  // The open pipeline and the counts come from the tally; "Lead" itself is read only by the range's figures
  // (deals closed, leads created in the range, the last 30 days' activity on staff's own leads: each bounded by
  // "closedAt", "createdAt" or "occurredAt", on their indexes).
  it('reads lead rows only for the range’s figures: the open pipeline comes from the tally', async () => {
    await countsWorld(ctx, w);
    const sessions = [await signInAs(ctx, w.managerA), await signInAs(ctx, w.staffA), await signInAs(ctx, w.su)];
    const statements: string[] = [];
    const spy = (sql: unknown) => {
      const text = typeof sql === 'string' ? sql : ((sql as { text?: string })?.text ?? '');
      statements.push(text);
    };
    ctx.db.pool.on('acquire', (client) => {
      const marked = client as unknown as { query: (...a: unknown[]) => unknown; countsSpy?: boolean };
      if (marked.countsSpy) return;
      marked.countsSpy = true;
      const original = marked.query.bind(client);
      marked.query = (...args: unknown[]) => {
        spy(args[0]);
        return original(...args);
      };
    });
    for (const s of sessions) {
      statements.length = 0;
      await s.get('/dashboard').expect(200);
      const leadReads = statements.filter((t) => /(FROM|JOIN)\s+("public"\.)?"Lead"(?!Tally)/.test(t));
      expect(leadReads.filter((t) => !/"closedAt"|"createdAt"|"occurredAt"/.test(t))).toEqual([]);
      expect(statements.some((t) => t.includes('"LeadTally"'))).toBe(true);
    }
  });
});

// The lead list read in SQL (src/lead/listSql.ts) gives exactly the rows and totals the Prisma queries it
// replaced give (leadListPage, leadListTotal), through each role's scope: every sort both ways, the filters, near
// and deep pages, a page past the end, a search; values of every type (amounts, days, times, related rows, nulls).
// And the scoped SQL reader refuses a statement that leaves out its scope.
import { beforeEach, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.ts';
import { scope } from '../../src/access/scope.ts';
import { scopedSql } from '../../src/access/scopedSql.ts';
import { leadListTotal } from '../../src/lead/counts.ts';
import { LEAD_LIST } from '../../src/lead/fields.ts';
import { leadListPageSql, leadListTotalSql } from '../../src/lead/listSql.ts';
import { leadListPage, type LeadListQuery } from '../../src/lead/queries.ts';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { countsWorld } from './countsWorld.ts';

const ctx = useTestContext();
let w: World;

beforeEach(async () => {
  w = await makeWorld(ctx);
  await countsWorld(ctx, w);
  const customer = await ctx.db.prisma.customer.create({ data: { companyId: w.a.id, name: 'Zed Customer' } });
  const other = await ctx.db.prisma.customer.create({ data: { companyId: w.a.id, name: 'Abel Customer' } });
  // Amounts, days, customers, activity times and lost reasons on some leads, blanks on others (ties included).
  await ctx.db.pool.query(
    `UPDATE "Lead" SET
       "estimatedValue" = CASE WHEN id % 4 = 0 THEN NULL ELSE (id % 7) * 1250.5 END,
       "expectedCloseDate" = CASE WHEN id % 3 = 0 THEN NULL ELSE DATE '2027-01-01' + (id % 11) END,
       "customerId" = CASE WHEN id % 5 = 1 THEN $1::int WHEN id % 5 = 2 THEN $2::int END,
       "contactName" = CASE WHEN id % 2 = 0 THEN 'Contact ' || id ELSE '' END,
       "nextStep" = CASE WHEN id % 6 = 0 THEN 'Call back' ELSE '' END,
       "lastActivityAt" = CASE WHEN id % 4 = 1 THEN now() - (id % 30) * interval '1 day' END,
       "lostReason" = CASE WHEN "status" = 'LOST' THEN 'PRICE'::"LostReason" END
     WHERE "companyId" = $3`,
    [customer.id, other.id, w.a.id],
  );
  // Open tasks on some leads: the database's triggers set each lead's next task.
  await ctx.db.pool.query(
    `INSERT INTO "Task" ("companyId", "assigneeId", "title", "leadId", "dueAt", "updatedAt")
     SELECT "companyId", "assigneeId", 'Follow up ' || id, id, now() + (id % 9) * interval '1 day', now()
     FROM "Lead" WHERE "companyId" = $1 AND id % 3 = 1`,
    [w.a.id],
  );
});

const query = (o: Partial<LeadListQuery> = {}): LeadListQuery => ({
  q: '',
  sort: 'created',
  dir: 'desc',
  page: 1,
  perPage: 25,
  filters: {},
  ...o,
});

/** Both ways of reading the page and the total, for a user. */
function readers(user: { id: number; role: 'SUPERUSER' | 'ACCOUNT_MANAGER' | 'STAFF'; companyId: number | null }) {
  const scoped = scope(ctx.db.prisma, user);
  const sql = scopedSql(ctx.db.pool, user);
  const superuser = user.role === 'SUPERUSER';
  return {
    prisma: (q: LeadListQuery) => leadListPage(scoped, q, superuser, q.page),
    sql: (q: LeadListQuery) => leadListPageSql(sql, scoped, q, superuser, q.page),
    prismaTotal: (q: LeadListQuery) => leadListTotal(scoped, q, superuser),
    sqlTotal: (q: LeadListQuery) => leadListTotalSql(sql, scoped, q, superuser),
  };
}

describe('the lead list in SQL', () => {
  it('reads the same rows as Prisma for every sort, both ways, near and deep pages, each role', async () => {
    let compared = 0;
    for (const user of [w.managerA, w.staffA, w.su]) {
      const r = readers(user as never);
      for (const sort of LEAD_LIST.sorts)
        for (const dir of ['asc', 'desc'] as const)
          for (const page of [1, 6]) {
            const q = query({ sort, dir, page });
            const expected = await r.prisma(q);
            expect(await r.sql(q), `${user.role} ${sort} ${dir} page ${page}`).toStrictEqual(expected);
            compared += expected.length;
          }
    }
    // Most of those pages were full: the comparison read real rows, not empty pages.
    expect(compared).toBeGreaterThan(1000);
  });

  it('reads the same rows with each filter, a search, past the last page; a foreign company reads none', async () => {
    const cases: [typeof w.managerA, Partial<LeadListQuery>][] = [
      [w.managerA, { filters: { status: 'QUALIFIED' }, page: 2 }],
      [w.managerA, { filters: { source: 'EVENT', assigneeId: String(w.staffA.id) } }],
      [w.managerA, { filters: { noActivity: '14' }, sort: 'lastActivity', dir: 'asc' }],
      [w.managerA, { filters: { noActivity: '14' }, page: 6 }],
      [w.managerA, { q: 'relaunch' }],
      [w.managerA, { q: 'relaunch', page: 2, sort: 'value', dir: 'desc' }],
      [w.staffA, { q: 'relaunch', filters: { status: 'WON' } }],
      [w.managerA, { page: 40 }],
      [w.su, { filters: { companyId: String(w.b.id) }, sort: 'assignee', dir: 'asc' }],
      [w.managerA, { filters: { companyId: String(w.b.id) } }],
    ];
    for (const [user, o] of cases) {
      const r = readers(user as never);
      const q = query(o);
      const label = `${user.role} ${JSON.stringify(o)}`;
      expect(await r.sql(q), label).toStrictEqual(await r.prisma(q));
      expect(await r.sqlTotal(q), label).toStrictEqual(await r.prismaTotal(q));
    }
    // The manager of A filtering on company B's id reads nothing of B.
    expect(await readers(w.managerA as never).sql(query({ filters: { companyId: String(w.b.id) } }))).toEqual([]);
  });

  it('reads the same values in a zone other than UTC (pg reads days and zoneless times in it)', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    try {
      for (const sort of ['closeDate', 'created']) {
        const r = readers(w.managerA as never);
        const q = query({ sort, dir: 'asc' });
        expect(await r.sql(q)).toStrictEqual(await r.prisma(q));
      }
      expect(new Date(2027, 0, 1).getTimezoneOffset()).not.toBe(0);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('gives values their Prisma types, and totals from the tally equal to the leads counted in SQL', async () => {
    const r = readers(w.managerA as never);
    const rows = (await r.sql(query({ sort: 'value', dir: 'desc' }))) as Record<string, unknown>[];
    expect(rows[0].estimatedValue).toBeInstanceOf(Prisma.Decimal);
    expect(rows[0].createdAt).toBeInstanceOf(Date);
    const day = rows.find((row) => row.expectedCloseDate)?.expectedCloseDate;
    expect(day).toBeInstanceOf(Date);
    expect((day as Date).toISOString()).toMatch(/T00:00:00\.000Z$/);
    const customer = rows.find((row) => row.customer)?.customer;
    expect(Object.keys(customer as object).sort()).toEqual(['id', 'name']);
    for (const [user, where, args] of [
      [w.managerA, '"companyId" = $1 AND "status" = \'NEW\'', [w.a.id]],
      [w.staffA, '"companyId" = $1 AND "assigneeId" = $2 AND "status" = \'NEW\'', [w.a.id, w.staffA.id]],
    ] as const) {
      const { rows: counted } = await ctx.db.pool.query(`SELECT count(*)::int AS n FROM "Lead" WHERE ${where}`, [
        ...args,
      ]);
      const total = await readers(user as never).sqlTotal(query({ filters: { status: 'NEW' } }));
      expect(total).toEqual({ count: counted[0].n, exact: true });
      expect(total.count).toBeGreaterThan(0);
    }
  });

  it('refuses a statement whose builder left out the scope, and sends nothing', async () => {
    const sql = scopedSql(ctx.db.pool, w.staffA as never);
    const before = await ctx.db.pool.query('SELECT count(*)::int AS n FROM "Lead"');
    await expect(sql.select('Lead', 'l', () => Prisma.sql`SELECT l."id" FROM "Lead" l`)).rejects.toThrow(
      /must use its scope/,
    );
    // Staff read only their own leads through the scope.
    const own = await sql.select<{ assigneeId: number }>(
      'Lead',
      'l',
      (s) => Prisma.sql`SELECT l."assigneeId" FROM "Lead" l WHERE ${s}`,
    );
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((r) => r.assigneeId))).toEqual(new Set([w.staffA.id]));
    const after = await ctx.db.pool.query('SELECT count(*)::int AS n FROM "Lead"');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

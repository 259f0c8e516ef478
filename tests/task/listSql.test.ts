// The task list read in SQL (src/task/listSql.ts) gives exactly the rows and totals of the Prisma queries it
// replaced, through each role's scope: every sort both ways, each quick view and filter, pages past the first and
// past the end, values of every type (times, enums, related rows, nulls), in a zone other than UTC too. And the
// translation of a `where` refuses the shapes it does not know instead of reading them wrongly.
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCurrentUser } from '../../src/access/currentUser.ts';
import { scope } from '../../src/access/scope.ts';
import { scopedSql } from '../../src/access/scopedSql.ts';
import { type TableSql, whereSql } from '../../src/db/selectSql.ts';
import { taskListCountSql, taskListPageSql } from '../../src/task/listSql.ts';
import { taskListSelect, taskListWhere, taskOrderBy } from '../../src/task/queries.ts';
import { taskListSpec } from '../../src/task/schema.ts';
import { pageWindow } from '../../src/web/list.ts';
import { useTestContext } from '../helpers/context.ts';
import { taskWorld } from './world.ts';

const ctx = useTestContext();
let w: Awaited<ReturnType<typeof taskWorld>>;
const NOW = new Date();

beforeEach(async () => {
  w = await taskWorld(ctx);
  const [customer, lead] = await Promise.all([
    ctx.db.prisma.customer.create({ data: { companyId: w.a.id, name: 'Zed Customer' } }),
    ctx.db.prisma.lead.create({
      data: { companyId: w.a.id, title: 'Relaunch', assigneeId: w.staffA.id, createdById: w.managerA.id },
    }),
  ]);
  // 180 tasks in A over its three people and 40 in B: due dates past, this week, later and none (ties included),
  // every priority and status, a customer or a lead on some, completed times on the done ones.
  for (const [companyId, people, n] of [
    [w.a.id, [w.managerA.id, w.staffA.id, w.colleagueA.id], 180],
    [w.b.id, [w.managerB.id, w.staffB.id], 40],
  ] as const) {
    await ctx.db.pool.query(
      `INSERT INTO "Task" ("companyId", "assigneeId", "title", "dueAt", "priority", "status", "completedAt",
         "customerId", "leadId", "updatedAt", "createdAt")
       SELECT $1::int, ($2::int[])[1 + i % array_length($2::int[], 1)], 'Task ' || (i % 37),
         CASE WHEN i % 5 = 0 THEN NULL ELSE date_trunc('hour', now()) + ((i % 23) - 8) * interval '13 hours' END,
         (ARRAY['LOW','NORMAL','HIGH'])[1 + i % 3]::"TaskPriority",
         (ARRAY['OPEN','IN_PROGRESS','DONE'])[1 + i % 3]::"TaskStatus",
         CASE WHEN i % 3 = 2 THEN now() - i * interval '1 minute' END,
         CASE WHEN $1::int = $3::int AND i % 4 = 1 THEN $4::int END,
         CASE WHEN $1::int = $3::int AND i % 6 = 2 THEN $5::int END,
         now(), now() - (i % 17) * interval '1 day'
       FROM generate_series(1, $6::int) i`,
      [companyId, people, w.a.id, customer.id, lead.id, n],
    );
  }
});

type Query = Parameters<typeof taskListWhere>[1];
const query = (o: Partial<Query> = {}): Query => ({
  q: '',
  sort: taskListSpec.defaultSort,
  dir: taskListSpec.defaultDir,
  page: 1,
  perPage: 25,
  filters: {},
  ...o,
});

/** Both ways of reading the page and the total, for a user. */
async function readers(id: number) {
  const user = (await loadCurrentUser(ctx.db.prisma, id))!;
  const scoped = scope(ctx.db.prisma, user);
  const sql = scopedSql(ctx.db.pool, user);
  return {
    prisma: async (q: Query) => {
      const where = taskListWhere(user, q, NOW);
      return {
        rows: await scoped.task.findMany({
          where,
          select: taskListSelect,
          orderBy: taskOrderBy(q),
          ...pageWindow(q),
        }),
        total: await scoped.task.count({ where }),
      };
    },
    sql: async (q: Query) => {
      const where = taskListWhere(user, q, NOW);
      return { rows: await taskListPageSql(sql, where, q, q.page), total: await taskListCountSql(sql, where) };
    },
  };
}

describe('the task list in SQL', () => {
  it('reads the same rows and totals as Prisma for every sort, both ways, two pages, each role', async () => {
    let compared = 0;
    for (const user of [w.managerA, w.staffA, w.su]) {
      const r = await readers(user.id);
      for (const sort of taskListSpec.sorts)
        for (const dir of ['asc', 'desc'] as const)
          for (const page of [1, 3]) {
            const q = query({ sort, dir, page });
            const expected = await r.prisma(q);
            expect(await r.sql(q), `${user.role} ${sort} ${dir} page ${page}`).toStrictEqual(expected);
            compared += expected.rows.length;
          }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('reads the same rows with each quick view and filter, past the end; a foreign company reads none', async () => {
    const cases: [{ id: number }, Partial<Query>][] = [
      [w.managerA, { filters: { show: 'overdue' } }],
      [w.managerA, { filters: { show: 'overdue' }, sort: 'priority', dir: 'desc', page: 2 }],
      [w.managerA, { filters: { show: 'week' }, sort: 'status' }],
      [w.managerA, { filters: { show: 'mine' } }],
      [w.managerA, { filters: { show: 'done' }, sort: 'created', dir: 'desc' }],
      [w.managerA, { filters: { status: 'IN_PROGRESS', priority: 'HIGH' } }],
      [w.managerA, { filters: { assigneeId: String(w.staffA.id) }, sort: 'title' }],
      [w.staffA, { filters: { show: 'overdue' } }],
      [w.staffA, { filters: { assigneeId: String(w.colleagueA.id) } }],
      [w.managerA, { page: 40 }],
      [w.su, { filters: { companyId: String(w.b.id) }, sort: 'priority' }],
      [w.managerA, { filters: { companyId: String(w.b.id) } }],
    ];
    for (const [user, o] of cases) {
      const r = await readers(user.id);
      const q = query(o);
      const expected = await r.prisma(q);
      expect(await r.sql(q), `${user.id} ${JSON.stringify(o)}`).toStrictEqual(expected);
    }
    // The manager of A reads no task of B, whatever the filter says.
    const foreign = await (await readers(w.managerA.id)).sql(query({ filters: { assigneeId: String(w.staffB.id) } }));
    expect(foreign).toEqual({ rows: [], total: 0 });
    // Staff read their own tasks only: 60 of A's 180.
    expect((await (await readers(w.staffA.id)).sql(query())).total).toBe(60);
  });

  it('reads the same values in a zone other than UTC (pg reads zoneless times in it)', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    try {
      const r = await readers(w.managerA.id);
      for (const show of ['overdue', 'week'] as const) {
        const q = query({ filters: { show } });
        expect(await r.sql(q)).toStrictEqual(await r.prisma(q));
      }
      expect(new Date(2027, 0, 1).getTimezoneOffset()).not.toBe(0);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('refuses a where it cannot translate rather than reading it wrongly', () => {
    const table: TableSql = {
      table: 'Task',
      relations: {},
      times: new Set(['dueAt']),
      days: new Set(),
      amounts: new Set(),
    };
    expect(() => whereSql(table, 't', { title: { contains: 'x', mode: 'insensitive' } })).toThrow(/cannot translate/);
    expect(() => whereSql(table, 't', { lead: { assigneeId: 1 } })).toThrow(/cannot translate/);
    expect(() => whereSql(table, 't', { title: new Date() })).toThrow(/not a time column/);
    expect(() => whereSql(table, 't', { 'x" OR TRUE --': 1 })).toThrow(/Not a column name/);
    const sql = whereSql(table, 't', { AND: [{ dueAt: { lt: NOW } }, { status: { not: 'DONE' } }], OR: [] });
    expect(sql.text).toBe(`(t."dueAt" < ($1::timestamptz AT TIME ZONE 'UTC') AND t."status" <> $2) AND FALSE`);
    expect(sql.values).toEqual([NOW.toISOString(), 'DONE']);
  });
});

// Scoped statements asked `together` (src/access/scopedSql.ts) go to PostgreSQL as one statement and read the same
// rows as each alone, each under its own read rule; a failure fails them all, and a statement that drops its scope
// is still refused before anything is sent.
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCurrentUser } from '../../src/access/currentUser.ts';
import { scope } from '../../src/access/scope.ts';
import { scopedSql } from '../../src/access/scopedSql.ts';
import { dayTasks, dayTasksSql } from '../../src/today/queries.ts';
import { Prisma } from '../../src/generated/prisma/client.ts';
import { makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { recordStatements } from '../helpers/statements.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
  for (const [companyId, assigneeId, n] of [
    [w.a.id, w.staffA.id, 3],
    [w.a.id, w.colleagueA.id, 2],
    [w.b.id, w.managerB.id, 4],
  ] as const)
    for (let i = 0; i < n; i++) await ctx.make.task(companyId, assigneeId, { title: `Task ${i}` });
});

type UserRow = { id: number; name: string; active: boolean };
type TaskGroup = { assigneeId: number; n: number };

async function readersFor(id: number) {
  const sql = scopedSql(ctx.db.pool, (await loadCurrentUser(ctx.db.prisma, id))!);
  return {
    users: (together: boolean) =>
      sql.select<UserRow>(
        'User',
        'u',
        (scope) => Prisma.sql`SELECT u."id", u."name", u."active" FROM "User" u WHERE ${scope}`,
        { together },
      ),
    tasks: (together: boolean) =>
      sql.select<TaskGroup>(
        'Task',
        't',
        (scope) => Prisma.sql`SELECT t."assigneeId", count(*)::int AS "n" FROM "Task" t WHERE ${scope} GROUP BY 1`,
        { together },
      ),
    sql,
  };
}

const byId = <T extends { id?: number; assigneeId?: number }>(rows: T[]) =>
  [...rows].sort((a, b) => (a.id ?? a.assigneeId!) - (b.id ?? b.assigneeId!));

describe('scoped statements asked together', () => {
  it('go as one statement and read what each reads alone, under each role’s rule', async () => {
    const recorder = recordStatements(ctx.db.pool);
    for (const person of [w.managerA, w.staffA, w.su]) {
      const r = await readersFor(person.id);
      const alone = await recorder.during(() => Promise.all([r.users(false), r.tasks(false)]));
      const together = await recorder.during(() => Promise.all([r.users(true), r.tasks(true)]));
      expect(alone.statements).toHaveLength(2);
      expect(together.statements).toHaveLength(1);
      expect(together.statements[0]).toMatch(/json_agg/);
      const [users, tasks] = together.result;
      expect(byId(users), person.email).toStrictEqual(byId(alone.result[0]));
      expect(byId(tasks), person.email).toStrictEqual(byId(alone.result[1]));
    }
    // Each under its own rule: staff count their own tasks only, a manager their company's, never B's.
    const staff = await readersFor(w.staffA.id);
    expect(await staff.tasks(true)).toEqual([{ assigneeId: w.staffA.id, n: 3 }]);
    const manager = await readersFor(w.managerA.id);
    expect(byId(await manager.tasks(true))).toEqual([
      { assigneeId: w.staffA.id, n: 3 },
      { assigneeId: w.colleagueA.id, n: 2 },
    ]);
    expect((await manager.users(true)).map((u) => u.id)).not.toContain(w.managerB.id);
  });

  it('fail together when one fails; a statement without its scope is refused before anything is sent', async () => {
    const r = await readersFor(w.managerA.id);
    const broken = r.sql.select(
      'Task',
      't',
      (scope) => Prisma.sql`SELECT 1 / (count(*) - count(*))::int AS "n" FROM "Task" t WHERE ${scope}`,
      { together: true },
    );
    const results = await Promise.allSettled([r.users(true), broken]);
    expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/division by zero/);

    const recorder = recordStatements(ctx.db.pool);
    const refused = await recorder.during(() =>
      r.sql
        .select('Task', 't', () => Prisma.sql`SELECT count(*)::int AS "n" FROM "Task" t`, { together: true })
        .then(
          () => 'sent',
          (e: Error) => e.message,
        ),
    );
    expect(refused.result).toBe('A scoped Task statement must use its scope condition.');
    expect(refused.statements).toEqual([]);
  });

  it('read times back as the same instants; My day’s tasks (asked together) in their order as Prisma', async () => {
    const now = new Date();
    const end = new Date(now.getTime() + 6 * 3600_000);
    const at = (minutes: number) => new Date(Math.floor(now.getTime() / 1000) * 1000 + minutes * 60_000 + 123);
    const customer = await ctx.make.customer(w.a.id, { name: 'Linked Ltd' });
    // Ties on the due time (ordered by id), past and later today, with and without a customer; done, undated, too
    // late and a colleague's ones left out.
    for (const [title, minutes, extra] of [
      ['Tie one', -90, {}],
      ['Later today', 120, { customerId: customer.id }],
      ['Tie two', -90, { customerId: customer.id }],
      ['Overdue', -3000, { status: 'IN_PROGRESS' as const }],
      ['Done', -30, { status: 'DONE' as const }],
      ['Tomorrow', 24 * 60, {}],
    ] as const)
      await ctx.make.task(w.a.id, w.staffA.id, { title, dueAt: at(minutes), ...extra });
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Colleague’s', dueAt: at(-10) });
    const recorder = recordStatements(ctx.db.pool);
    for (const person of [w.staffA, w.managerA]) {
      const user = (await loadCurrentUser(ctx.db.prisma, person.id))!;
      const viaPrisma = await dayTasks(scope(ctx.db.prisma, user), w.staffA.id, now, end);
      const viaSql = await recorder.during(() => dayTasksSql(scopedSql(ctx.db.pool, user), w.staffA.id, now, end));
      expect(viaSql.statements[0]).toMatch(/json_agg/);
      expect(viaSql.result).toStrictEqual(viaPrisma);
      expect(viaSql.result.overdue.map((t) => t.title)).toEqual(['Overdue', 'Tie one', 'Tie two']);
      expect(viaSql.result.today.map((t) => t.title)).toEqual(['Later today']);
      expect(viaSql.result.overdue[1].dueAt).toEqual(at(-90));
    }
  });
});

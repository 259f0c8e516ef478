// The task list's page and total in SQL through req.sql (src/access/scopedSql.ts says why), from the same
// declarations as the Prisma queries they replace: taskListWhere, taskOrderBy and taskListSelect. A search (its
// case-insensitive text match) stays with Prisma. tests/task/listSql.test.ts compares the two for every sort,
// filter, role and page.
import type { ScopedSql } from '../access/scopedSql.ts';
import type { ScopedClient } from '../access/scope.ts';
import { orderSql, selection, type TableSql, whereSql } from '../db/selectSql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { pageWindow, type ListQuery } from '../web/list.ts';
import { taskListSelect, type taskListWhere, taskOrderBy } from './queries.ts';

type TaskListWhere = ReturnType<typeof taskListWhere>;
type TaskListQuery = Parameters<typeof taskOrderBy>[0] & ListQuery<string, string>;

export const TASK_TABLE: TableSql = {
  table: 'Task',
  relations: {
    assignee: { table: 'User', key: 'assigneeId' },
    customer: { table: 'Customer', key: 'customerId' },
    lead: { table: 'Lead', key: 'leadId' },
    company: { table: 'Company', key: 'companyId' },
  },
  times: new Set(['dueAt', 'completedAt', 'createdAt', 'updatedAt', 'remindedFor']),
  days: new Set(),
  amounts: new Set(),
};
const LIST = selection(TASK_TABLE, 't', taskListSelect);

/** A row as the Prisma query with taskListSelect gives it. */
type TaskListRow = Prisma.TaskGetPayload<{ select: typeof taskListSelect }>;

/** Whether the list's filters translate (a text search does not: it stays with Prisma). */
const taskListInSql = (query: TaskListQuery) => !query.q;

/** One page of the task list, as `findMany({ where, select: taskListSelect, orderBy, skip, take })` reads it. */
export async function taskListPageSql(
  sql: ScopedSql,
  where: TaskListWhere,
  query: TaskListQuery,
  page: number,
): Promise<TaskListRow[]> {
  const window = pageWindow({ ...query, page });
  const order = Prisma.raw(orderSql(TASK_TABLE, 't', taskOrderBy(query) as Record<string, unknown>[]));
  const rows = await sql.select<Record<string, unknown>>(
    'Task',
    't',
    (scope) => Prisma.sql`SELECT ${Prisma.raw(LIST.columns)} FROM "Task" t ${Prisma.raw(LIST.joins)}
      WHERE ${scope} AND ${whereSql(TASK_TABLE, 't', where)}
      ORDER BY ${order} LIMIT ${window.take} OFFSET ${window.skip}`,
  );
  return rows.map(LIST.read) as TaskListRow[];
}

/** The list's total, as `count({ where })` gives it. */
export async function taskListCountSql(sql: ScopedSql, where: TaskListWhere): Promise<number> {
  const [row] = await sql.select<{ n: string }>(
    'Task',
    't',
    (scope) =>
      Prisma.sql`SELECT count(*)::int8 AS n FROM "Task" t WHERE ${scope} AND ${whereSql(TASK_TABLE, 't', where)}`,
  );
  return Number(row.n);
}

/** The page and total through SQL where they translate, else through the scoped client. */
export function taskListReaders(sql: ScopedSql, scoped: ScopedClient, where: TaskListWhere, query: TaskListQuery) {
  if (taskListInSql(query))
    return {
      count: () => taskListCountSql(sql, where),
      page: (page: number) => taskListPageSql(sql, where, query, page),
    };
  return {
    count: () => scoped.task.count({ where }),
    page: (page: number) =>
      scoped.task.findMany({
        where,
        select: taskListSelect,
        orderBy: taskOrderBy(query),
        ...pageWindow({ ...query, page }),
      }),
  };
}

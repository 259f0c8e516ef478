// Read statements in SQL for the hottest pages, with the tenancy conditions of the access core.
// Prisma's client costs about 0.4–1 ms of CPU per statement on top of pg's own (its query interpreter,
// result mapping and the scope extension's walk over every row; measured with `npm run bench:probe` and
// --cpu-prof: the manager's filtered lead list spent 2.3 ms in its three Prisma statements against 0.7 ms
// for the same three statements sent through pg). A page whose rows are read on every visit (the lead list,
// the filter options of every list) reads them here instead. Every statement is built by `select`, which
// hands the builder the model's read rule as SQL (readScopeSql) and refuses a statement that does not use it,
// so a statement sent through this reader carries the same company and role conditions as the scoped client.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { Prisma } from '../generated/prisma/client.ts';
import { readScopeSql, type ScopedSqlModel, type ScopeSubject } from './scope.ts';

export type ScopedSql = {
  /**
   * Runs the statement `build` writes around `scope`, the read rule of `model` on the table alias `alias`
   * (`TRUE` for a superuser, `FALSE` for a role that may read none). Parameters are bound, never inlined.
   * `together`: the statement goes with the others asked `together` in the same turn of the event loop, as one
   * statement, its rows read back through JSON: only for rows of numbers (int4, not int8), text, booleans and
   * times (as ISO text, which src/db/selectSql.ts's row reader turns back into Dates), in no particular order: a
   * caller that shows them in an order sorts them (the subquery's ORDER BY still chooses which rows a LIMIT keeps).
   */
  select<R>(
    model: ScopedSqlModel,
    alias: string,
    build: (scope: Prisma.Sql) => Prisma.Sql,
    options?: { together?: boolean },
  ): Promise<R[]>;
};

/**
 * A prepared statement's name per text: each connection parses and plans a text once, then only binds and runs
 * it (the texts vary only with a list's filters and sort, a few hundred at most).
 */
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `crm_${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size >= 1000) names.clear();
    names.set(text, name);
  }
  return name;
}

type Waiting = { statement: Prisma.Sql; resolve: (rows: unknown[]) => void; reject: (e: unknown) => void };

export function scopedSql(pool: Pick<pg.Pool, 'query'>, user: ScopeSubject): ScopedSql {
  const run = async (statement: Prisma.Sql) =>
    (
      await pool.query({
        name: statementName(statement.text),
        text: statement.text,
        values: statement.values as unknown[],
      })
    ).rows;
  // The statements asked `together` in this turn of the event loop: each becomes a column of one statement, its rows
  // a JSON array. One round trip instead of several: each statement costs the page a write to PostgreSQL's socket
  // and a wake-up of its process, more than these small counts cost to compute.
  let waiting: Waiting[] | null = null;
  const sendTogether = async () => {
    const batch = waiting!;
    waiting = null;
    const columns = batch.map(
      (w, i) =>
        Prisma.sql`(SELECT coalesce(json_agg(q), '[]'::json) FROM (${w.statement}) q) AS ${Prisma.raw(`"r${i}"`)}`,
    );
    try {
      const [row] = await run(Prisma.sql`SELECT ${Prisma.join(columns)}`);
      for (const [i, w] of batch.entries()) w.resolve(row[`r${i}`]);
    } catch (e) {
      for (const w of batch) w.reject(e);
    }
  };
  return {
    async select<R>(
      model: ScopedSqlModel,
      alias: string,
      build: (scope: Prisma.Sql) => Prisma.Sql,
      options: { together?: boolean } = {},
    ) {
      // Marked, so a statement whose builder dropped its scope is refused before it is sent.
      const mark = `/* scope ${model} ${alias} */`;
      const statement = build(Prisma.sql`${Prisma.raw(mark)} (${readScopeSql(model, user, alias)})`);
      if (!statement.text.includes(mark)) throw new Error(`A scoped ${model} statement must use its scope condition.`);
      if (!options.together) return (await run(statement)) as R[];
      return new Promise<R[]>((resolve, reject) => {
        if (!waiting) {
          waiting = [];
          setImmediate(() => void sendTogether());
        }
        waiting.push({ statement, resolve: resolve as (rows: unknown[]) => void, reject });
      });
    },
  };
}

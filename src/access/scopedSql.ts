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
   */
  select<R>(model: ScopedSqlModel, alias: string, build: (scope: Prisma.Sql) => Prisma.Sql): Promise<R[]>;
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

export function scopedSql(pool: Pick<pg.Pool, 'query'>, user: ScopeSubject): ScopedSql {
  return {
    async select<R>(model: ScopedSqlModel, alias: string, build: (scope: Prisma.Sql) => Prisma.Sql) {
      // Marked, so a statement whose builder dropped its scope is refused before it is sent.
      const mark = `/* scope ${model} ${alias} */`;
      const statement = build(Prisma.sql`${Prisma.raw(mark)} (${readScopeSql(model, user, alias)})`);
      if (!statement.text.includes(mark)) throw new Error(`A scoped ${model} statement must use its scope condition.`);
      const { rows } = await pool.query({
        name: statementName(statement.text),
        text: statement.text,
        values: statement.values as unknown[],
      });
      return rows as R[];
    },
  };
}

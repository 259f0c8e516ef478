// Reads that show a few leads out of many are index ranges, not a sort of the company's leads: My day's
// "Leads with no next step" (Lead_idle_idx, partial) and the record picker's leads by title
// (Lead_companyId_title_id_idx). Each is checked on the statement the app sent, with its values, planned both
// as PostgreSQL plans it for those values and as the generic plan of a prepared statement; and the rows shown
// are the ones SQL says.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { all, first, textOf } from '../helpers/html.ts';
import { recordStatements } from '../helpers/statements.ts';
import { buildWorld, type World } from '../helpers/world.ts';

const ctx = useTestContext();
const MANY = 20_000;
const TIMEOUT = 120_000;

let admin: pg.Client;

/** MANY leads for each of two people of company A: every status in turn, a fifth never active, none with a task. */
async function manyLeads(companyId: number, assigneeIds: number[]) {
  for (const assigneeId of assigneeIds)
    await admin.query(
      `INSERT INTO "Lead" ("companyId", title, organisation, status, "assigneeId", "lastActivityAt", "createdAt",
         "updatedAt")
       SELECT $1, 'Lead ' || lpad(g::text, 6, '0') || ' for ' || $2::int, 'Org ' || (g % 300),
         (ARRAY['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'])[1 + g % 5]::"LeadStatus", $2::int,
         CASE WHEN g % 5 = 1 THEN NULL ELSE now() - (g % 997) * interval '1 hour' END,
         now() - (g % 991) * interval '1 hour', now()
       FROM generate_series(1, $3::int) g`,
      [companyId, assigneeId, MANY],
    );
  await admin.query('VACUUM ANALYZE "Lead"');
}

/** A literal for EXECUTE: the statement's parameters as Prisma sent them (numbers, or text). */
const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

/** The plan of `sql` with `values`: as planned for those values, and as a prepared statement's generic plan. */
async function plans(sql: string, values: unknown[]): Promise<{ custom: string; generic: string }> {
  const lines = (rows: { 'QUERY PLAN': string }[]) => rows.map((r) => r['QUERY PLAN']).join('\n');
  const custom = lines((await admin.query(`EXPLAIN ${sql}`, values)).rows);
  await admin.query('SET plan_cache_mode = force_generic_plan');
  await admin.query(`PREPARE shown AS ${sql}`);
  try {
    const generic = lines((await admin.query(`EXPLAIN EXECUTE shown(${values.map(literal).join(', ')})`)).rows);
    return { custom, generic };
  } finally {
    await admin.query('DEALLOCATE shown');
    await admin.query('RESET plan_cache_mode');
  }
}

beforeAll(async () => {
  // Its own connection, without the app pool's statement timeout: the load may take a while on a busy machine.
  admin = new pg.Client({ connectionString: ctx.db.url });
  await admin.connect();
});

/** The tenancy cast (each test starts from an empty database), with MANY leads for staffA and colleagueA each. */
async function world(): Promise<World> {
  const w = await buildWorld(ctx);
  await manyLeads(w.a.id, [w.staffA.id, w.colleagueA.id]);
  return w;
}

afterAll(async () => {
  await admin?.end();
});

describe("My day's leads with no next step", () => {
  it(
    'the longest quiet open leads without a task, read through Lead_idle_idx: no sort, in either plan',
    async () => {
      const w = await world();
      const s = await w.as(w.staffA);
      await s.get('/today').expect(200);
      const recorder = recordStatements(ctx.db.pool);
      const { result, statements, values } = await recorder.during(() => s.get('/today').expect(200));
      const shown = all(result.text, '[data-block="idle-leads"] li').map((li) => textOf(first(li, 'a')!));
      const expected = await admin.query<{ title: string }>(
        `SELECT title FROM "Lead" WHERE "assigneeId" = $1 AND status IN ('NEW', 'CONTACTED', 'QUALIFIED')
         AND "nextTaskId" IS NULL ORDER BY "lastActivityAt" ASC NULLS FIRST, "createdAt", id LIMIT 10`,
        [w.staffA.id],
      );
      expect(shown).toEqual(expected.rows.map((r) => r.title));
      expect(shown).toHaveLength(10);
      const i = statements.findIndex((sql) => sql.includes('"nextTaskId" IS NULL'));
      expect(i, statements.join('\n')).toBeGreaterThanOrEqual(0);
      const { custom, generic } = await plans(statements[i], values[i]);
      for (const plan of [custom, generic]) {
        expect(plan, plan).toMatch(/Index Scan using "Lead_idle_idx"/);
        expect(plan, plan).not.toMatch(/\bSort\b/);
      }
    },
    TIMEOUT,
  );

  it(
    'a lead given a task leaves the block and comes back when the task is done; a won lead never shows',
    async () => {
      const w = await world();
      const s = await w.as(w.staffA);
      const titles = async () =>
        all((await s.get('/today').expect(200)).text, '[data-block="idle-leads"] li').map((li) =>
          textOf(first(li, 'a')!),
        );
      const before = await titles();
      const quietest = await ctx.prisma.lead.findFirstOrThrow({ where: { title: before[0] } });
      const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Next step', leadId: quietest.id });
      expect(await titles()).not.toContain(before[0]);
      await ctx.prisma.task.update({ where: { id: task.id }, data: { status: 'DONE' } });
      expect(await titles()).toEqual(before);
      await ctx.prisma.lead.update({ where: { id: quietest.id }, data: { status: 'WON' } });
      const after = await titles();
      expect(after).not.toContain(before[0]);
      expect(after.slice(0, 9)).toEqual(before.slice(1));
    },
    TIMEOUT,
  );
});

describe("the record picker's leads", () => {
  it(
    'the first 20 by title, with or without a search, read through Lead_companyId_title_id_idx in either plan',
    async () => {
      const w = await world();
      const recorder = recordStatements(ctx.db.pool);
      for (const user of [w.managerA, w.staffA])
        for (const path of ['/pick/leads.json', '/pick/leads.json?q=lead']) {
          const s = await w.as(user);
          await s.get(path).expect(200);
          const { result, statements, values } = await recorder.during(() => s.get(path).expect(200));
          const names = (result.body as { options: { name: string }[] }).options.map((o) => o.name);
          const own = user === w.staffA ? `AND "assigneeId" = ${w.staffA.id}` : '';
          const expected = await admin.query<{ title: string }>(
            `SELECT title FROM "Lead" WHERE "companyId" = $1 ${own} ORDER BY title, id LIMIT 20`,
            [w.a.id],
          );
          expect(names).toEqual(expected.rows.map((r) => r.title));
          const i = statements.findIndex((sql) => sql.includes('"Lead"'));
          const { custom, generic } = await plans(statements[i], values[i]);
          for (const plan of [custom, generic]) {
            expect(plan, `${path}\n${plan}`).toMatch(/Index Scan using "Lead_companyId_title_id_idx"/);
            expect(plan, plan).not.toMatch(/\bSort\b|Seq Scan/);
          }
        }
    },
    TIMEOUT,
  );
});

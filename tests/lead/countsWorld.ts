// Many leads at once for the count tests: companies A and B with their people (tests/customer/world.ts),
// leads spread over assignees, statuses and sources, one in five titled "… relaunch …".
import type { TestContext } from '../helpers/context.ts';
import type { World } from '../customer/world.ts';

export const STATUSES = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'] as const;
export const SOURCES = ['WEBSITE', 'REFERRAL', 'EVENT', 'COLD_CALL', 'OTHER'] as const;

/** Inserts `n` leads of the company in one statement, spread over `assigneeIds`; `salt` varies the spread. */
export async function insertLeads(
  ctx: TestContext,
  companyId: number,
  assigneeIds: number[],
  n: number,
  salt = 0,
  title = 'Website relaunch',
): Promise<void> {
  await ctx.db.pool.query(
    `
    INSERT INTO "Lead" ("companyId", "assigneeId", "title", "status", "source", "createdAt", "updatedAt")
    SELECT $1, ($2::int[])[1 + (g * 7 + $4) % cardinality($2::int[])],
      CASE WHEN g % 5 = 0 THEN $5 ELSE 'Office fit-out ' || g END,
      ($6::text[])[1 + (g * 3 + $4) % 5]::"LeadStatus", ($7::text[])[1 + (g * 11 + $4) % 5]::"LeadSource",
      now() - g * interval '1 minute', now()
    FROM generate_series(1, $3) g`,
    [companyId, assigneeIds, n, salt, title, STATUSES, SOURCES],
  );
}

export async function countsWorld(ctx: TestContext, w: World): Promise<void> {
  await insertLeads(ctx, w.a.id, [w.managerA.id, w.staffA.id, w.colleagueA.id], 240, 0);
  await insertLeads(ctx, w.b.id, [w.managerB.id], 90, 3);
}

/** The number of the list's "Showing x–y of N leads" line; `exact: false` for "of more than N". */
export function listTotal(html: string): { total: number; exact: boolean; from: number; to: number } | null {
  if (/role="status">\s*No leads\s*</.test(html)) return { total: 0, exact: true, from: 0, to: 0 };
  const m = /Showing (\d+)–(\d+) of (<span data-count="lower-bound">more than )?(\d+)(?:<\/span>)? leads/.exec(html);
  return m ? { total: Number(m[4]), exact: !m[3], from: Number(m[1]), to: Number(m[2]) } : null;
}

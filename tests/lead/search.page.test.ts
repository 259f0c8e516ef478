// The lead search's pages (issue 11: a search reads its ids first, through the index that holds the
// stored search text, then its rows): each page shows exactly the leads SQL's ILIKE over title, contact,
// email and organisation finds, newest first, for each role, and never another company's.
import { describe, expect, it } from 'vitest';
import { makeWorld } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { signIn } from '../helpers/session.ts';
import { recordStatements } from '../helpers/statements.ts';

const ctx = useTestContext();
const PER_PAGE = 25;

/** Leads of a company whose match (if any) sits in a different column each time, in mixed case. */
async function insertSearchLeads(companyId: number, assigneeIds: number[], n: number) {
  await ctx.db.pool.query(
    `
    INSERT INTO "Lead" ("companyId", "assigneeId", title, "contactName", email, organisation, "createdAt", "updatedAt")
    SELECT $1, ($2::int[])[1 + g % cardinality($2::int[])],
      CASE WHEN g % 7 = 0 THEN 'Website RELAUNCH ' || g ELSE 'Office fit-out ' || g END,
      CASE WHEN g % 7 = 1 THEN 'Rita Relaunch' ELSE 'Pat Person' END,
      CASE WHEN g % 7 = 2 THEN 'team@relaunch.example' ELSE 'x' || g || '@example.test' END,
      CASE WHEN g % 7 = 3 THEN 'ReLaunchers Ltd' ELSE 'Acme' END,
      now() - (g % 50) * interval '1 minute', now()
    FROM generate_series(1, $3) g`,
    [companyId, assigneeIds, n],
  );
}

/** The ids SQL finds for `who` on a page: ILIKE over the four columns, newest first, id breaking ties. */
async function sqlPage(
  who: { role: string; companyId: number | null; id: number },
  q: string,
  page: number,
): Promise<number[]> {
  const conds = ['(title ILIKE $1 OR "contactName" ILIKE $1 OR email ILIKE $1 OR organisation ILIKE $1)'];
  const args: unknown[] = [`%${q}%`];
  if (who.role !== 'SUPERUSER') conds.push(`"companyId" = $${args.push(who.companyId)}`);
  if (who.role === 'STAFF') conds.push(`"assigneeId" = $${args.push(who.id)}`);
  const { rows } = await ctx.db.pool.query<{ id: number }>(
    `SELECT id FROM "Lead" WHERE ${conds.join(' AND ')} ORDER BY "createdAt" ` +
      `DESC, id DESC LIMIT ${PER_PAGE} OFFSET ${(page - 1) * PER_PAGE}`,
    args,
  );
  return rows.map((r) => r.id);
}

const pageIds = (html: string) => [...html.matchAll(/<td><a href="\/leads\/(\d+)">/g)].map((m) => Number(m[1]));

describe('lead search pages', () => {
  it('show exactly what SQL ILIKE finds, page by page, for manager, staff and superuser', async () => {
    const w = await makeWorld(ctx);
    await insertSearchLeads(w.a.id, [w.managerA.id, w.staffA.id, w.colleagueA.id], 400);
    await insertSearchLeads(w.b.id, [w.managerB.id], 150);
    const cast = [
      { who: { role: 'ACCOUNT_MANAGER', companyId: w.a.id, id: w.managerA.id }, s: await signIn(ctx, w.managerA) },
      { who: { role: 'STAFF', companyId: w.a.id, id: w.staffA.id }, s: await signIn(ctx, w.staffA) },
      { who: { role: 'SUPERUSER', companyId: null, id: w.su.id }, s: await signIn(ctx, w.su) },
    ];
    for (const { who, s } of cast) {
      for (const q of ['relaunch', 'RELAUNCH ', 'fit-out 1']) {
        for (const page of [1, 2, 5, 9]) {
          const expected = await sqlPage(who, q.trim(), page);
          // Past the last page the list shows its last page (tests/lead/counts.list.test.ts covers that).
          if (expected.length === 0) continue;
          const html = (await s.get(`/leads?q=${encodeURIComponent(q)}&page=${page}`).expect(200)).text;
          expect(pageIds(html), `${who.role} q=${q} page ${page}`).toEqual(expected);
        }
      }
    }
    // Sanity: the search found rows through each of the four columns.
    expect((await sqlPage(cast[0].who, 'relaunch', 1)).length).toBe(PER_PAGE);
  }, 120_000);

  it('the longest values the forms allow fit the index that holds the searched columns', async () => {
    const w = await makeWorld(ctx);
    // 200 three-byte characters (the most a form's 200 allows in bytes) in each text column, a 254-character email.
    const long = '€'.repeat(200);
    const email = `${'a'.repeat(64)}@${'b'.repeat(180)}.example`.slice(0, 254);
    const lead = await ctx.prisma.lead.create({
      data: { companyId: w.a.id, title: long, contactName: long, organisation: long, email, assigneeId: w.managerA.id },
    });
    const html = (await (await signIn(ctx, w.managerA)).get(`/leads?q=${encodeURIComponent('€€€')}`).expect(200)).text;
    expect(pageIds(html)).toEqual([lead.id]);
  });

  it('a newest-first search reads its matches once, for both the count and the page', async () => {
    const w = await makeWorld(ctx);
    await insertSearchLeads(w.a.id, [w.managerA.id, w.staffA.id], 300);
    const recorder = recordStatements(ctx.db.pool);
    const s = await signIn(ctx, w.managerA);
    await s.get('/leads?q=relaunch&page=2').expect(200);
    const searching = (sql: string) => /"searchText"::text LIKE/i.test(sql);
    const searches = async (path: string) =>
      (await recorder.during(() => s.get(path).expect(200))).statements.filter(searching).length;
    // After a change (the company's figure version moved): one statement for both the count and the page.
    const moved = () => ctx.db.pool.query(`UPDATE "FigureVersion" SET "version" = nextval('"FigureVersion_seq"')`);
    await moved();
    expect(await searches('/leads?q=relaunch&page=2')).toBe(1);
    // Again without a change: the matches come from the figure cache (src/lead/handlers.ts).
    expect(await searches('/leads?q=relaunch&page=2')).toBe(0);
    // Another order reads the page's own ids; the count's matches are the same walk (cached, or one more read).
    expect(await searches('/leads?q=relaunch&sort=title&dir=asc')).toBe(1);
    await moved();
    expect(await searches('/leads?q=relaunch&sort=title&dir=asc')).toBe(2);
  });
});

describe('the stored search text', () => {
  it('follows every searchable field of the descriptors, on insert and each change (by the database)', async () => {
    const { LEAD_LIST } = await import('../../src/lead/fields.ts');
    const w = await makeWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Plain title', email: '' });
    const found = async (word: string) =>
      (await ctx.prisma.lead.count({ where: { id: lead.id, searchText: { contains: word.toLowerCase() } } })) === 1;
    expect(LEAD_LIST.searchable.length).toBeGreaterThan(0);
    for (const name of LEAD_LIST.searchable) {
      const word = `Zq${name}Word`;
      const value = name === 'email' ? `${word}@example.test` : word;
      await ctx.prisma.lead.update({ where: { id: lead.id }, data: { [name]: value } });
      expect(await found(word), name).toBe(true);
      await ctx.prisma.lead.update({ where: { id: lead.id }, data: { [name]: '' } });
      expect(await found(word), name).toBe(false);
    }
    // A lead's other fields are not searched.
    await ctx.prisma.lead.update({ where: { id: lead.id }, data: { notes: 'ZqNotesWord', nextStep: 'ZqStepWord' } });
    expect(await found('ZqNotesWord')).toBe(false);
    expect(await found('ZqStepWord')).toBe(false);
  });
});

// Issue 14 item 1: a lead's amount is shown in its company's currency (the list, the lead page, the form's
// label); the CSV keeps the plain number and adds a currency column. A superuser's list shows each row in
// its own company's currency, read with the rows (the statements per page do not grow with the rows).
import { beforeEach, describe, expect, it } from 'vitest';
import { csvRows } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { all, first, textOf } from '../helpers/html.ts';
import { recordStatements } from '../helpers/statements.ts';
import { buildWorld, type World } from '../helpers/world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await buildWorld(ctx);
  await ctx.prisma.company.update({ where: { id: w.a.id }, data: { currency: 'USD' } });
  await ctx.prisma.company.update({ where: { id: w.b.id }, data: { currency: 'JPY' } });
});

/** The list row's cells of the lead titled `title`. */
function rowOf(html: string, title: string): string[] {
  const tr = all(html, 'tbody tr').find((r) => all(r, 'a').some((a) => textOf(a) === title));
  expect(tr, `no row ${title}`).toBeDefined();
  return all(tr!, 'td').map(textOf);
}

describe('amounts in the company currency', () => {
  it('shows them in the list and on the lead page, for staff, managers and superusers', async () => {
    const a = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Alpha deal', estimatedValue: '12500.5' });
    await ctx.make.lead(w.b.id, w.staffB.id, { title: 'Bravo deal', estimatedValue: '300000' });
    await ctx.make.lead(w.a.id, w.staffA.id, { title: 'No value' });
    for (const user of [w.staffA, w.managerA]) {
      const s = await w.as(user);
      const list = (await s.get('/leads').expect(200)).text;
      expect(rowOf(list, 'Alpha deal')).toContain('$12,500.50');
      expect(list).not.toContain('Bravo deal');
      const show = (await s.get(`/leads/${a.id}`).expect(200)).text;
      expect(show).toContain('$12,500.50');
      const edit = await s.get(`/leads/${a.id}/edit`).expect(200);
      expect(textOf(first(edit, 'label[for="f-estimatedValue"]')!)).toBe('Estimated value (USD)');
    }
    const su = await w.as(w.su);
    const list = (await su.get('/leads').expect(200)).text;
    expect(rowOf(list, 'Alpha deal')).toContain('$12,500.50');
    expect(rowOf(list, 'Bravo deal')).toContain('¥300,000');
    const newForm = await su.get(`/leads/new?companyId=${w.b.id}`).expect(200);
    expect(textOf(first(newForm, 'label[for="f-estimatedValue"]')!)).toBe('Estimated value (JPY)');
  });

  it('keeps the plain number in the CSV with a currency column', async () => {
    await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Alpha deal', estimatedValue: '12500.5' });
    await ctx.make.lead(w.b.id, w.staffB.id, { title: 'Bravo deal', estimatedValue: '300000' });
    const rows = csvRows((await (await w.as(w.su)).get('/leads/export.csv').expect(200)).text);
    const head = rows[0];
    const value = head.indexOf('estimated value');
    expect(head[value + 1]).toBe('currency');
    const byTitle = Object.fromEntries(rows.slice(1).map((r) => [r[1], [r[value], r[value + 1]]]));
    expect(byTitle).toEqual({ 'Alpha deal': ['12500.5', 'USD'], 'Bravo deal': ['300000', 'JPY'] });
    const mine = csvRows((await (await w.as(w.managerA)).get('/leads/export.csv').expect(200)).text);
    expect(mine.slice(1).map((r) => [r[value], r[value + 1]])).toEqual([['12500.5', 'USD']]);
  });

  it("reads each row's currency with the rows: the statements do not grow with the page", async () => {
    const su = await w.as(w.su);
    const recorder = recordStatements(ctx.db.pool);
    const count = async () => (await recorder.during(() => su.get('/leads').expect(200))).statements.length;
    await ctx.make.lead(w.a.id, w.staffA.id, { estimatedValue: '1' });
    const few = await count();
    for (let i = 0; i < 10; i++) await ctx.make.lead(i % 2 ? w.a.id : w.b.id, w.staffA.id, { estimatedValue: '2' });
    expect(await count()).toBe(few);
  });
});

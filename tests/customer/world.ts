// The people most customer and lead tests need: company A (an account manager and two staff),
// company B (an account manager) and a superuser.
import type { TestContext } from '../helpers/context.ts';
import { readCsvBytes } from '../helpers/csv.ts';

export async function makeWorld(ctx: TestContext) {
  const a = await ctx.make.company({ name: 'Alpha Ltd' });
  const b = await ctx.make.company({ name: 'Beta Ltd' });
  const amA = await ctx.make.manager(a.id, { name: 'Ann Manager' });
  const staff1 = await ctx.make.staff(a.id, { name: 'Sam Staff' });
  const staff2 = await ctx.make.staff(a.id, { name: 'Tia Staff' });
  const amB = await ctx.make.manager(b.id, { name: 'Bob Manager' });
  const su = await ctx.make.superuser({ name: 'Sue Super' });
  return { a, b, amA, staff1, staff2, amB, su };
}
export type World = Awaited<ReturnType<typeof makeWorld>>;

/** A staff user of the company whose only group holds exactly these permissions. */
export async function limitedStaff(ctx: TestContext, companyId: number, permissions: Parameters<TestContext['make']['group']>[1], name = 'Lim Ited') {
  const group = await ctx.make.group(companyId, permissions);
  return ctx.make.staff(companyId, { name, groups: [group.name] });
}

/** The body of a CSV export as rows of cells (header first), read by a real CSV parser after the byte-level checks. */
export function csvRows(text: string): string[][] {
  const csv = readCsvBytes(Buffer.from(text, 'utf8'));
  return [csv.header, ...csv.rows];
}

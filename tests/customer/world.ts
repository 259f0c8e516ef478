// The customer and lead tests' cast: the suite's world (tests/helpers/world.ts) with the names their
// pages are checked for.
import type { TestContext } from '../helpers/context.ts';
import { readCsvBytes } from '../helpers/csv.ts';
import { buildWorld } from '../helpers/world.ts';

export { limitedStaff } from '../helpers/world.ts';

/** The cast's names in the customer and lead tests. */
export const CUSTOMER_CAST = {
  a: { name: 'Alpha Ltd' },
  b: { name: 'Beta Ltd' },
  su: { name: 'Sue Super' },
  managerA: { name: 'Ann Manager' },
  staffA: { name: 'Sam Staff' },
  colleagueA: { name: 'Tia Staff' },
  managerB: { name: 'Bob Manager' },
};

export async function makeWorld(ctx: TestContext) {
  return buildWorld(ctx, CUSTOMER_CAST);
}
export type World = Awaited<ReturnType<typeof makeWorld>>;

/** The body of a CSV export as rows of cells (header first), read by a real CSV parser after the byte-level checks. */
export function csvRows(text: string): string[][] {
  const csv = readCsvBytes(Buffer.from(text, 'utf8'));
  return [csv.header, ...csv.rows];
}

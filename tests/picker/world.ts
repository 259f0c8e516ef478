// The record picker's world: the tenancy cast, and a company with 100,000 customers made in one
// set-based INSERT (the 100,000th, last by name, is the one to find), plus a look-alike in the other company.
import pg from 'pg';
import type { TestContext } from '../helpers/context.ts';
import { makeWorld } from '../tenancy/world.ts';

export const MANY = 100_000;

export async function pickerWorld(ctx: TestContext) {
  const w = await makeWorld(ctx);
  const foreign = await ctx.make.customer(w.b.id, { name: 'Zephyr Quartz Foreign', organisation: 'Bravo Secret' });
  return { ...w, foreign };
}

/** MANY customers in the company, "Customer 000001" … and, last, "Zephyr Quartz" (returned). */
export async function manyCustomers(ctx: TestContext, companyId: number) {
  // Its own connection, without the app pool's 15 s statement and 20 s read timeouts: on a busy machine the
  // load may take longer.
  const client = new pg.Client({ connectionString: ctx.db.url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Customer" ("companyId", name, organisation, "updatedAt")
       SELECT $1, 'Customer ' || lpad(g::text, 6, '0'), 'Org ' || (g % 500), now() FROM generate_series(1, $2::int) g`,
      [companyId, MANY - 1],
    );
    // What autovacuum does after a bulk load: statistics, and the trigram index's pending entries merged.
    await client.query('VACUUM ANALYZE "Customer"');
  } finally {
    await client.end();
  }
  return ctx.prisma.customer.create({ data: { companyId, name: 'Zephyr Quartz', organisation: 'Last Of Many' } });
}

/** The options of the select named `name`, as [value, text]. */
export function selectOptions(html: string, name: string): [string, string][] {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  return select
    ? [...select[1].matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]])
    : [];
}

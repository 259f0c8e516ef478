// The duplicate tests' cast: the suite's world, and records made with their phone keys as the app writes them.
import { phoneKeyOf } from '../../src/duplicate/keys.ts';
import type { Prisma } from '../../src/generated/prisma/client.ts';
import type { TestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

export async function makeWorld(ctx: TestContext) {
  const w = await buildWorld(ctx, { a: { currency: 'GBP' }, b: { currency: 'GBP' } });
  const customer = (companyId: number, o: Partial<Prisma.CustomerUncheckedCreateInput> = {}) =>
    ctx.make.customer(companyId, { ...o, phoneKey: phoneKeyOf(o.phone ?? '', 'GB') });
  const lead = (companyId: number, assigneeId: number, o: Partial<Prisma.LeadUncheckedCreateInput> = {}) =>
    ctx.make.lead(companyId, assigneeId, { ...o, phoneKey: phoneKeyOf(o.phone ?? '', 'GB') });
  return { ...w, customer, lead };
}
export type World = Awaited<ReturnType<typeof makeWorld>>;

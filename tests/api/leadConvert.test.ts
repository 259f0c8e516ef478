// The API's lead conversion: to a new customer from the lead's contact (the body's fields replacing the prefilled
// ones), or to an existing customer by customerId; the lead won and linked in one transaction, audited naming the
// token; answered with the lead and the customer. Refused: a second conversion (409), a possible duplicate customer
// (422 unless allowDuplicate), a customer of another company (422), without customer.add (403), another company's
// or a colleague's lead (404), and nothing is written.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { leadConversionApiSchema } from '../../src/api/leadConvert.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const convert = (id: number, token: string) =>
  request(ctx.app).post(`/api/v1/leads/${id}/convert`).set('Authorization', `Bearer ${token}`);
const counts = async () => [
  await ctx.prisma.customer.count(),
  await ctx.prisma.auditEntry.count(),
  await ctx.prisma.lead.count({ where: { convertedAt: { not: null } } }),
];

describe('API lead conversion', () => {
  it("converts to a new customer from the lead's contact; a second time is refused (409)", async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, {
      title: 'Roof',
      contactName: 'Rita Roof',
      email: 'rita@roof.test',
      organisation: 'Roofs Ltd',
    });
    const token = await makeToken(await w.as(w.staffA), { name: 'Converter' });
    const res = await convert(lead.id, token).send({ phone: '+44 20 7946 0002' }).expect(200);
    leadConversionApiSchema.parse(res.body);
    const customer = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Rita Roof' } });
    expect(customer).toMatchObject({ email: 'rita@roof.test', organisation: 'Roofs Ltd', ownerId: w.staffA.id });
    expect(customer.phone).not.toBe('');
    const saved = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(saved).toMatchObject({ status: 'WON', customerId: customer.id });
    expect(saved.convertedAt).not.toBeNull();
    expect(res.body).toMatchObject({ lead: { id: lead.id, status: 'WON' }, customer: { id: customer.id } });
    const entries = await ctx.prisma.auditEntry.findMany({ where: { action: { in: ['create', 'convert'] } } });
    expect(entries.map((e) => (e.changes as Record<string, unknown>).via)).toEqual([
      expect.stringMatching(/^API token "Converter"/),
      expect.stringMatching(/^API token "Converter"/),
    ]);
    const before = await counts();
    const again = await convert(lead.id, token).send({}).expect(409);
    expect(again.body.detail).toMatch(/converted only once/);
    expect(await counts()).toEqual(before);
  });

  it('converts to an existing customer of the company by customerId', async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.managerA.id, { title: 'Upsell' });
    const acme = await ctx.make.customer(w.a.id, { name: 'Acme' });
    const bravo = await ctx.make.customer(w.b.id, { name: 'Bravo Co' });
    const token = await makeToken(await w.as(w.managerA), { name: 'M' });
    const before = await counts();
    const foreign = await convert(lead.id, token).send({ customerId: bravo.id }).expect(422);
    expect(Object.keys(foreign.body.errors)).toEqual(['customerId']);
    const mixed = await convert(lead.id, token).send({ customerId: acme.id, name: 'X' }).expect(422);
    expect(mixed.body.errors).toEqual({ name: 'Not with customerId.' });
    // A "__proto__" key is a field like any other: refused, not lost.
    const proto = await convert(lead.id, token)
      .set('Content-Type', 'application/json')
      .send(`{"customerId": ${acme.id}, "__proto__": {"x": 1}}`)
      .expect(422);
    expect(Object.keys(proto.body.errors)).toEqual(['__proto__']);
    expect(await counts()).toEqual(before);
    const res = await convert(lead.id, token).send({ customerId: acme.id }).expect(200);
    expect(res.body.customer).toMatchObject({ id: acme.id, name: 'Acme' });
    expect(await ctx.prisma.customer.count()).toBe(before[0]);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      status: 'WON',
      customerId: acme.id,
    });
  });

  it('a new customer that may repeat one is 422 naming it, unless allowDuplicate', async () => {
    const w = await buildWorld(ctx);
    const acme = await ctx.make.customer(w.a.id, { name: 'Acme', email: 'info@acme.test' });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Acme deal', email: 'info@acme.test' });
    const token = await makeToken(await w.as(w.staffA), { name: 'S' });
    const before = await counts();
    const dup = await convert(lead.id, token).send({ name: 'Zebra Holdings' }).expect(422);
    expect(dup.body.duplicates).toEqual([{ kind: 'customer', id: acme.id, name: 'Acme', because: 'same email' }]);
    const bad = await convert(lead.id, token).send({ name: '', ownerId: w.staffB.id, email: 'x' }).expect(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['email', 'name']);
    expect(await counts()).toEqual(before);
    await convert(lead.id, token).send({ name: 'Zebra Holdings', allowDuplicate: true }).expect(200);
    expect(await ctx.prisma.customer.count({ where: { email: 'info@acme.test' } })).toBe(2);
  });

  it("refuses without customer.add (403), and another company's or a colleague's lead (404)", async () => {
    const w = await buildWorld(ctx);
    const noAdd = await limitedStaff(ctx, w.a.id, ['lead.view', 'lead.change', 'customer.view']);
    const own = await ctx.make.lead(w.a.id, noAdd.id, { title: 'Own' });
    const colleagues = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Carla' });
    const other = await ctx.make.lead(w.b.id, w.staffB.id, { title: 'Bravo' });
    const limited = await makeToken(await w.as(noAdd), { name: 'Limited' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'Staff' });
    const manager = await makeToken(await w.as(w.managerA), { name: 'Manager' });
    const before = await counts();
    await convert(own.id, limited).send({}).expect(403);
    await convert(colleagues.id, staff).send({}).expect(404);
    await convert(other.id, manager).send({}).expect(404);
    expect(await counts()).toEqual(before);
    // With customer.view it may still pick an existing customer.
    const acme = await ctx.make.customer(w.a.id, { name: 'Acme' });
    await convert(own.id, limited).send({ customerId: acme.id }).expect(200);
  });
});

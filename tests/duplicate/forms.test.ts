// The forms warn about possible duplicates (issue 16 item 5): 422 with the typed values kept and links to the
// matches, "Save anyway" saves; the lead conversion suggests the likely customers first.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { leadForm } from '../lead/form.ts';
import { makeWorld, type World } from './world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const customerForm = (o: Record<string, string> = {}) => ({
  name: 'Ada Lovelace',
  email: 'ada@example.test',
  phone: '',
  organisation: '',
  address: '',
  notes: '',
  ownerId: '',
  ...o,
});

describe('the customer form', () => {
  it('a new customer with a known email: 422, the values kept, a link to the match; "Save anyway" saves', async () => {
    const known = await w.customer(w.a.id, { name: 'A. Lovelace', email: 'ada@example.test' });
    const s = await w.as(w.managerA);
    const res = await s
      .post('/customers', customerForm({ email: 'ADA@example.test', address: 'Typed St 1' }))
      .expect(422);
    expect(res.text).toContain('Possibly the same as this customer:');
    expect(res.text).toContain(`href="/customers/${known.id}"`);
    expect(res.text).toContain('same email');
    expect(res.text).toContain('Typed St 1</textarea>');
    expect(res.text).toContain('name="saveAnyway" value="yes"');
    expect(await ctx.prisma.customer.count()).toBe(1);
    await s.post('/customers', customerForm({ address: 'Typed St 1', saveAnyway: 'yes' })).expect(303);
    expect(await ctx.prisma.customer.count()).toBe(2);
  });

  it('the same phone written another way, and a similar name, are both warned about; the edit too', async () => {
    const byPhone = await w.customer(w.a.id, { name: 'Zed', email: 'z@example.test', phone: '+44 20 7946 0000' });
    const s = await w.as(w.staffA);
    const res = await s.post('/customers', customerForm({ email: '', phone: '020 7946 0000' })).expect(422);
    expect(res.text).toContain(`href="/customers/${byPhone.id}"`);
    expect(res.text).toContain('same phone');
    // The saved phone key is the one compared.
    await s.post('/customers', customerForm({ email: '', phone: '020 7946 0000', saveAnyway: 'yes' })).expect(303);
    const saved = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Ada Lovelace' } });
    expect(saved.phoneKey).toBe('+442079460000');
    const twin = await w.customer(w.a.id, { name: 'Ada Lovelace', email: 'other@example.test' });
    const edit = await s
      .post(`/customers/${twin.id}`, { ...customerForm({ email: 'other@example.test' }), version: '1' })
      .expect(422);
    expect(edit.text).toContain(`href="/customers/${saved.id}"`);
    expect(edit.text).toContain('similar name');
    expect(edit.text).not.toContain(`data-duplicate-id="${twin.id}"`); // not itself
    expect((await ctx.prisma.customer.findUniqueOrThrow({ where: { id: twin.id } })).version).toBe(1);
  });

  it('a customer of another company is never named, even with the same email, phone and name', async () => {
    await w.customer(w.b.id, { name: 'Ada Lovelace', email: 'ada@example.test', phone: '+44 20 7946 0000' });
    const s = await w.as(w.managerA);
    await s.post('/customers', customerForm({ phone: '+44 20 7946 0000' })).expect(303);
    expect(await ctx.prisma.customer.count({ where: { companyId: w.a.id } })).toBe(1);
  });
});

describe('the lead form', () => {
  it('staff are warned about their own similar leads only; "Save anyway" saves', async () => {
    const mine = await w.lead(w.a.id, w.staffA.id, { title: 'Old deal', contactName: 'Dana Deal' });
    await w.lead(w.a.id, w.colleagueA.id, { title: 'Hidden', email: 'dana@deal.test' });
    const s = await w.as(w.staffA);
    const res = await s.post('/leads', leadForm({ title: 'New deal' })).expect(422);
    expect(res.text).toContain(`href="/leads/${mine.id}"`);
    expect(res.text).not.toContain('Hidden');
    expect(res.text).toContain('value="New deal"');
    await s.post('/leads', leadForm({ title: 'New deal', saveAnyway: 'yes' })).expect(303);
    expect(await ctx.prisma.lead.count()).toBe(3);
    // The colleague's lead alone (same email) is not reported to staff: no warning at all.
    await ctx.prisma.lead.deleteMany({ where: { assigneeId: w.staffA.id } });
    await s.post('/leads', leadForm({ title: 'Third' })).expect(303);
  });

  it('an account manager sees the company’s matches, and the edit form excludes the lead itself', async () => {
    const theirs = await w.lead(w.a.id, w.colleagueA.id, { title: 'Theirs', email: 'dana@deal.test' });
    const s = await w.as(w.managerA);
    const res = await s.post('/leads', leadForm({ assigneeId: String(w.staffA.id) })).expect(422);
    expect(res.text).toContain(`href="/leads/${theirs.id}"`);
    const edit = await s
      .post(`/leads/${theirs.id}`, leadForm({ title: 'Theirs', assigneeId: String(w.colleagueA.id), version: '1' }))
      .expect(303);
    expect(edit.headers.location).toBe(`/leads/${theirs.id}`);
  });
});

describe('the lead conversion', () => {
  it('suggests the likely customers first, best first, and warns about a new customer that repeats one', async () => {
    const lead = await w.lead(w.a.id, w.staffA.id, {
      title: 'Roof deal',
      contactName: 'Dana Deal',
      email: 'dana@deal.test',
      phone: '+44 20 7946 0000',
      organisation: 'Deal Corp',
    });
    const byName = await w.customer(w.a.id, { name: 'Dana Deal', email: 'x@x.test' });
    const byEmail = await w.customer(w.a.id, { name: 'Zed', email: 'dana@deal.test' });
    const byPhone = await w.customer(w.a.id, { name: 'Yan', email: 'y@y.test', phone: '020 7946 0000' });
    const byOrg = await w.customer(w.a.id, { name: 'Deal Corporation', organisation: 'Deal Corp', email: 'o@o.test' });
    for (let i = 0; i < 25; i++) await w.customer(w.a.id, { name: `Unrelated ${i}` });
    await w.customer(w.b.id, { name: 'Dana Deal', email: 'dana@deal.test' });
    const s = await w.as(w.staffA);
    const page = await s.get(`/leads/${lead.id}/convert`).expect(200);
    const order = [...page.text.matchAll(/data-likely="(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toEqual([byEmail.id, byPhone.id, byName.id, byOrg.id]);
    expect(page.text).not.toContain('Unrelated');
    const res = await s
      .post(`/leads/${lead.id}/convert`, {
        mode: 'new',
        name: 'Dana Deal',
        email: 'dana@deal.test',
        phone: '',
        organisation: '',
        address: '',
        notes: '',
        ownerId: '',
      })
      .expect(422);
    expect(res.text).toContain(`href="/customers/${byEmail.id}"`);
    expect(res.text).toContain('value="dana@deal.test"');
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).convertedAt).toBeNull();
    const count = await ctx.prisma.customer.count();
    await s
      .post(`/leads/${lead.id}/convert`, {
        mode: 'new',
        name: 'Dana Deal',
        email: 'dana@deal.test',
        phone: '',
        organisation: '',
        address: '',
        notes: '',
        ownerId: '',
        saveAnyway: 'yes',
      })
      .expect(303);
    expect(await ctx.prisma.customer.count()).toBe(count + 1);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).convertedAt).not.toBeNull();
  });

  it('without likely matches, the newest customers are offered', async () => {
    const lead = await w.lead(w.a.id, w.staffA.id, { title: 'Roof deal', contactName: 'Dana Deal' });
    await w.customer(w.a.id, { name: 'Unrelated Ltd' });
    const page = await (await w.as(w.staffA)).get(`/leads/${lead.id}/convert`).expect(200);
    expect(page.text).toContain('Unrelated Ltd');
    expect(page.text).not.toContain('data-likely=');
  });
});

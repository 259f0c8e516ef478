// The API's customers: the list pages through every customer the caller may see (the same rows and order as the
// SQL over their scope), with the page's search and filters, `limit` and an opaque `next` cursor that belongs to
// its query; one customer with its version as the ETag. Refusals: no customer.view → 403, a bad limit or cursor →
// 400, another company's customer → 404 (the sweep: tests/api/sweep.test.ts). Two statements besides the page.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { recordStatements } from '../helpers/statements.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const get = (path: string, token: string) =>
  request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);

async function all(path: string, token: string) {
  const ids: number[] = [];
  let next: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: request.Response = await get(`${path}${next ? `${sep}cursor=${next}` : ''}`, token).expect(200);
    ids.push(...res.body.data.map((c: { id: number }) => c.id));
    next = res.body.next;
    pages++;
  } while (next && pages < 50);
  return { ids, pages };
}

describe('API customers', () => {
  it('pages through exactly the scope in the list order, with search and the owner filter', async () => {
    const w = await buildWorld(ctx);
    for (let i = 0; i < 23; i++)
      await ctx.make.customer(w.a.id, {
        name: `Cust ${String(i).padStart(2, '0')}`,
        ownerId: i % 3 ? null : w.staffA.id,
      });
    await ctx.make.customer(w.a.id, { name: 'Zeta Findme', organisation: 'Needle Ltd' });
    await ctx.make.customer(w.b.id, { name: 'Other company Findme' });
    const token = await makeToken(await w.as(w.staffA), { name: 'Lister', access: 'READ' });
    const { ids, pages } = await all('/customers?limit=10', token);
    const expected = await ctx.prisma.customer.findMany({
      where: { companyId: w.a.id },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    expect(ids).toEqual(expected.map((c) => c.id));
    expect(pages).toBe(3);
    const desc = await all('/customers?limit=100&sort=name&dir=desc', token);
    expect(desc.ids).toEqual([...ids].reverse());
    const found = await get('/customers?q=findme', token).expect(200);
    expect(found.body).toMatchObject({
      data: [{ name: 'Zeta Findme', organisation: 'Needle Ltd', owner: null }],
      next: null,
    });
    const owned = await all(`/customers?ownerId=${w.staffA.id}&limit=3`, token);
    expect(owned.ids).toHaveLength(8);
  });

  it('one customer, its version as ETag; 2 statements besides the read', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id, { name: 'Acme', email: 'a@acme.test', ownerId: w.staffA.id });
    const token = await makeToken(await w.as(w.managerA), { name: 'Reader', access: 'READ' });
    await get(`/customers/${c.id}`, token).expect(200);
    const recorder = recordStatements(ctx.db.pool);
    const { result, statements } = await recorder.during(() => get(`/customers/${c.id}`, token));
    expect(result.status).toBe(200);
    expect(result.headers.etag).toBe('"1"');
    expect(result.body).toMatchObject({
      id: c.id,
      companyId: w.a.id,
      name: 'Acme',
      email: 'a@acme.test',
      owner: { id: w.staffA.id, name: w.staffA.name },
      version: 1,
    });
    expect(statements).toHaveLength(3);
    const list = await recorder.during(() => get('/customers', token));
    expect(list.statements).toHaveLength(3);
  });

  it('refuses a bad limit or cursor (400 problem), a cursor of another query, no customer.view', async () => {
    const w = await buildWorld(ctx);
    for (let i = 0; i < 3; i++) await ctx.make.customer(w.a.id, { name: `C${i}` });
    const token = await makeToken(await w.as(w.managerA), { name: 'Reader', access: 'READ' });
    for (const q of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'limit=1&limit=2',
      'cursor=abc',
      `cursor=${'x'.repeat(200)}`,
    ]) {
      const res = await get(`/customers?${q}`, token);
      expect(res.status, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    const first = await get('/customers?limit=1', token).expect(200);
    expect(first.body.next).toEqual(expect.any(String));
    await get(`/customers?limit=1&cursor=${first.body.next}`, token).expect(200);
    await get(`/customers?limit=1&sort=created&cursor=${first.body.next}`, token).expect(400);
    const blind = await limitedStaff(ctx, w.a.id, ['lead.view']);
    const blindToken = await makeToken(await w.as(blind), { name: 'Blind' });
    const refused = await get('/customers', blindToken);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/customer/i);
  });
});

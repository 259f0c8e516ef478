// Defects found reviewing the API (issue 17), each from its refusal side with the database re-read: an id beyond
// PostgreSQL's integer in a conversion's `customerId` (was a 500), and a control character in a query string,
// which the pages refuse with 400 but the API, mounted before that check, passed to PostgreSQL (a 500).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/api/routes.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const api = (token: string) => ({
  get: (path: string) => request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: object) =>
    request(ctx.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
  delete: (path: string) => request(ctx.app).delete(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
});

describe('API review: ids beyond int4', () => {
  it("a conversion's customerId beyond int4 is the 422 of an unknown customer; nothing is written", async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    const other = await ctx.make.customer(w.b.id);
    const token = await makeToken(await w.as(w.managerA), { name: 'Converter' });
    const customersBefore = await ctx.prisma.customer.count();
    const answers = [];
    for (const customerId of [3_000_000_000, 2_147_483_648, Number.MAX_SAFE_INTEGER, other.id, 999_999_999]) {
      const res = await api(token).post(`/leads/${lead.id}/convert`, { customerId }).expect(422);
      answers.push(res.body.errors);
    }
    // The same answer whether the id is too large, another company's or nobody's: no existence oracle.
    for (const a of answers) expect(a).toEqual({ customerId: "Name a customer of this lead's company by its id." });
    const after = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(after).toMatchObject({ status: lead.status, convertedAt: null, customerId: null, version: lead.version });
    expect(await ctx.prisma.customer.count()).toBe(customersBefore);
  });
});

describe('API review: control characters in query strings', () => {
  const lists = API_ROUTES.filter((r) => r.method === 'get' && r.doc.ok.list);

  it('every list answers 400 (a problem naming the parameter) to a NUL or line break in q or a filter', async () => {
    expect(lists.length).toBeGreaterThanOrEqual(7);
    const w = await buildWorld(ctx);
    await ctx.make.customer(w.a.id, { name: 'Acme' });
    const token = await makeToken(await w.as(w.managerA), { name: 'Lister', access: 'READ' });
    for (const r of lists)
      for (const query of ['q=a%00b', 'q=%0A', 'sort=name%00', 'x%00=1']) {
        const res = await api(token).get(`${r.path.slice(3)}?${query}`);
        expect(res.status, `${r.path}?${query}`).toBe(400);
        expect(res.type).toBe('application/problem+json');
        expect(res.body).toMatchObject({ status: 400, title: 'Bad request' });
        expect(res.body.detail).toMatch(/is not allowed/);
      }
    const su = await makeToken(await w.as(w.su), { name: 'Super lister', access: 'READ' });
    expect((await api(su).get('/users?q=%00')).status).toBe(400);
  });

  it('a write with one answers 400 and changes nothing', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id, { name: 'Keep me' });
    const token = await makeToken(await w.as(w.managerA), { name: 'Writer' });
    await api(token).delete(`/customers/${c.id}?detach=true%00`).expect(400);
    const res = await api(token).post('/customers?x=%00', { name: 'Not saved' }).expect(400);
    expect(res.body.status).toBe(400);
    expect(await ctx.prisma.customer.findUnique({ where: { id: c.id } })).toMatchObject({ name: 'Keep me' });
    expect(await ctx.prisma.customer.count({ where: { name: 'Not saved' } })).toBe(0);
  });

  it('without a token it is still the 401, not a 400 that answers before authentication', async () => {
    const res = await request(ctx.app).get('/api/v1/customers?q=%00').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="crm"');
  });
});

describe('API review: repeated parameters', () => {
  it('DELETE /customers/:id?detach=true&detach=true is a 400; the customer and what points at it stay', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id, { name: 'Linked' });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { customerId: c.id });
    const token = await makeToken(await w.as(w.managerA), { name: 'Deleter' });
    const res = await api(token).delete(`/customers/${c.id}?detach=true&detach=true`).expect(400);
    expect(res.body.detail).toBe('The parameter "detach" was given more than once.');
    expect(await ctx.prisma.customer.findUnique({ where: { id: c.id } })).not.toBeNull();
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).customerId).toBe(c.id);
    await api(token).delete(`/customers/${c.id}?detach=true`).expect(204);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).customerId).toBeNull();
  });
});

describe('API review: a task due in the hour the clocks go back', () => {
  it('saves the moment sent, for a user in Europe/Berlin, on create and on PATCH', async () => {
    const w = await buildWorld(ctx, { managerA: { timeZone: 'Europe/Berlin' } });
    const token = await makeToken(await w.as(w.managerA), { name: 'Berlin' });
    // 2030-10-27: 03:00 CEST becomes 02:00 CET at 01:00 UTC, so 02:30 local happens at 00:30 and at 01:30 UTC.
    const moments = ['2030-10-27T00:30:00Z', '2030-10-27T01:30:00Z', '2030-10-27T02:30:00+01:00'];
    for (const dueAt of moments) {
      const res = await api(token)
        .post('/tasks', { title: `Due ${dueAt}`, dueAt })
        .expect(201);
      expect(res.body.dueAt).toBe(new Date(dueAt).toISOString());
      const saved = await ctx.prisma.task.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(saved.dueAt?.toISOString()).toBe(new Date(dueAt).toISOString());
    }
    const task = await ctx.make.task(w.a.id, w.managerA.id, { title: 'Moved' });
    for (const dueAt of moments) {
      const res = await request(ctx.app)
        .patch(`/api/v1/tasks/${task.id}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ dueAt })
        .expect(200);
      expect(res.body.dueAt).toBe(new Date(dueAt).toISOString());
    }
    const saved = await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(saved.dueAt?.toISOString()).toBe('2030-10-27T01:30:00.000Z');
  });
});

describe('API review: a malformed percent-encoding in the path', () => {
  it('is a 400 problem on every route with an id, not a 500; nothing changes', async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Untouched' });
    const token = await makeToken(await w.as(w.managerA), { name: 'Encoder' });
    const withId = API_ROUTES.filter((r) => r.path.includes(':id'));
    expect(withId.length).toBeGreaterThanOrEqual(15);
    for (const r of withId)
      for (const bad of ['%E0%A4%A', '%', '%C0%AF']) {
        const path = `/api${r.path.replace(':id', bad)}`;
        const res = await request(ctx.app)[r.method](path).set('Authorization', `Bearer ${token}`).send({});
        expect(res.status, `${r.method} ${path}`).toBe(400);
        expect(res.body).toMatchObject({ status: 400, detail: 'The address holds a malformed percent-encoding.' });
      }
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ title: 'Untouched' });
  });
});

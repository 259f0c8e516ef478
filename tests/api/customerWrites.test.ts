// The API's customer writes: create (201, Location, ETag), partial update (PATCH, with the body's version → 409 or
// If-Match → 412 when stale) and delete (409 while records point at it, 204 with ?detach=true); each audited like
// the page's change, naming the token. Refusals: invalid fields → 422 with every field's problem and nothing
// written; a read-only token or a missing permission → 403; another company's customer → 404 (the sweep).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const call = (method: 'post' | 'patch' | 'delete', path: string, token: string) =>
  request(ctx.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
const counts = async () => [await ctx.prisma.customer.count(), await ctx.prisma.auditEntry.count()];

describe('API customer writes', () => {
  it('creates with 201, Location and ETag; the audit entry names the token', async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.staffA), { name: 'Website form' });
    const res = await call('post', '/customers', token)
      .send({ name: 'Acme', email: 'Info@Acme.test', phone: '+44 20 7946 0000', ownerId: w.colleagueA.id })
      .expect(201);
    const row = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Acme' } });
    expect(res.headers.location).toBe(`/api/v1/customers/${row.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ id: row.id, companyId: w.a.id, owner: { id: w.colleagueA.id }, version: 1 });
    expect(row).toMatchObject({ companyId: w.a.id, ownerId: w.colleagueA.id, email: row.email });
    const tokenRow = await ctx.prisma.apiToken.findFirstOrThrow({ where: { name: 'Website form' } });
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Customer', action: 'create' } });
    expect(entry).toMatchObject({ actorId: w.staffA.id, recordId: String(row.id), companyId: w.a.id });
    expect((entry.changes as Record<string, unknown>).via).toBe(`API token "Website form" (#${tokenRow.id})`);
    // Pages' changes carry no such mark.
    const s = await w.as(w.staffA);
    await s.post(`/customers/${row.id}`, { name: 'Acme Ltd', version: '1' }).expect(303);
    const pageEntry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { action: 'update' } });
    expect((pageEntry.changes as Record<string, unknown>).via).toBeUndefined();
  });

  it('refuses invalid fields with each problem (422), writing nothing', async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.managerA), { name: 'Importer' });
    const before = await counts();
    const bad = await call('post', '/customers', token)
      .send({ name: 42, email: 'not-an-email', ownerId: 'seven', colour: 'red', companyId: w.b.id })
      .expect(422);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.body.errors).toMatchObject({
      name: expect.any(String),
      email: expect.any(String),
      ownerId: expect.any(String),
      colour: 'Unknown field.',
    });
    const blank = await call('post', '/customers', token).send({ name: '   ' }).expect(422);
    expect(Object.keys(blank.body.errors)).toEqual(['name']);
    const foreignOwner = await call('post', '/customers', token).send({ name: 'X', ownerId: w.staffB.id }).expect(422);
    expect(Object.keys(foreignOwner.body.errors)).toEqual(['ownerId']);
    // An array is JSON but not an object (422); a bare value is not a body the API reads at all (400).
    await call('post', '/customers', token).set('Content-Type', 'application/json').send('[]').expect(422);
    for (const body of ['"text"', 'null', '42'])
      await call('post', '/customers', token).set('Content-Type', 'application/json').send(body).expect(400);
    expect(await counts()).toEqual(before);
  });

  it('a superuser names the company; company users cannot (their own is used)', async () => {
    const w = await buildWorld(ctx);
    const su = await makeToken(await w.as(w.su), { name: 'Admin' });
    expect((await call('post', '/customers', su).send({ name: 'Nowhere' }).expect(422)).body.errors).toHaveProperty(
      'companyId',
    );
    await call('post', '/customers', su).send({ name: 'In B', companyId: w.b.id }).expect(201);
    expect((await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'In B' } })).companyId).toBe(w.b.id);
    const manager = await makeToken(await w.as(w.managerA), { name: 'Mine' });
    await call('post', '/customers', manager).send({ name: 'Still A', companyId: w.b.id }).expect(201);
    expect((await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Still A' } })).companyId).toBe(w.a.id);
  });

  it('PATCH changes only what is sent; a stale version is 409, a stale If-Match 412', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id, { name: 'Acme', email: 'a@acme.test', notes: 'Keep me' });
    const token = await makeToken(await w.as(w.staffA), { name: 'Sync' });
    const res = await call('patch', `/customers/${c.id}`, token).send({ phone: '+44 20 7946 0001' }).expect(200);
    expect(res.headers.etag).toBe('"2"');
    const saved = await ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(saved).toMatchObject({ name: 'Acme', email: 'a@acme.test', notes: 'Keep me', version: 2 });
    expect(saved.phone).not.toBe('');
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { action: 'update', model: 'Customer' } });
    expect(Object.keys(entry.changes as object).sort()).toEqual(['phone', 'via']);
    const stale = await call('patch', `/customers/${c.id}`, token).send({ name: 'Old', version: 1 }).expect(409);
    expect(stale.headers['content-type']).toMatch(/problem\+json/);
    await call('patch', `/customers/${c.id}`, token).set('If-Match', '"1"').send({ name: 'Old' }).expect(412);
    await call('patch', `/customers/${c.id}`, token).set('If-Match', 'W/"x"').send({ name: 'Old' }).expect(412);
    await call('patch', `/customers/${c.id}`, token).send({ email: 'nope' }).expect(422);
    // Nothing sent, or the saved values: answered as saved, no new version, no audit entry.
    expect((await call('patch', `/customers/${c.id}`, token).send({ name: 'Acme' }).expect(200)).body.version).toBe(2);
    await call('patch', `/customers/${c.id}`, token).send({}).expect(200);
    expect(await ctx.prisma.auditEntry.count()).toBe(2); // the token's own entry and the phone's
    expect(await ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).toEqual(saved);
    await call('patch', `/customers/${c.id}`, token).set('If-Match', '"2"').send({ name: 'Acme Ltd' }).expect(200);
    expect((await ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).name).toBe('Acme Ltd');
  });

  it('If-Match as RFC 9110 has it: * matches the current version, a list matches when one entry does', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id, { name: 'Acme', version: 3 });
    const token = await makeToken(await w.as(w.staffA), { name: 'Sync' });
    const saved = async () => ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    const before = await saved();
    const patch = (ifMatch: string, body: Record<string, unknown>) =>
      call('patch', `/customers/${c.id}`, token).set('If-Match', ifMatch).send(body);
    // Refused, nothing changed: no entry is the current ETag; a weak one never matches (strong comparison), nor
    // "03"; "*" with another tag, or tags without a comma between them, are malformed.
    for (const ifMatch of ['"1", "2"', 'W/"3"', 'W/"3", "2"', '"03"', '"abc", W/"3"', '*, "3"', '"2" "3"', '3', '']) {
      const res = await patch(ifMatch, { name: 'Refused' });
      expect([ifMatch, res.status]).toEqual([ifMatch, 412]);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    // The body's version must be one of the list's.
    await patch('"2", "3"', { name: 'Refused', version: 1 }).expect(422);
    expect(await saved()).toEqual(before);
    expect(await ctx.prisma.auditEntry.count({ where: { model: 'Customer' } })).toBe(0);
    // "*": any current version.
    const star = await patch('*', { name: 'Starred' }).expect(200);
    expect(star.headers.etag).toBe('"4"');
    expect(await saved()).toMatchObject({ name: 'Starred', version: 4 });
    // A list holding the current ETag, among others (empty elements, weak and foreign tags ignored).
    const listed = await patch('W/"4", "abc", , "1", "4"', { name: 'Listed' }).expect(200);
    expect(listed.headers.etag).toBe('"5"');
    // The current one first, with spaces and a trailing comma.
    await patch(' "5" ,\t"4",', { name: 'Twice' }).expect(200);
    expect(await saved()).toMatchObject({ name: 'Twice', version: 6 });
    // Both sent and agreeing: the body's version is one of the list's, and the current one.
    await patch('"1", "6"', { name: 'Agreed', version: 6 }).expect(200);
    // A stale body version with "*": the body's 409, as without If-Match; nothing changed.
    const after = await saved();
    await patch('*', { name: 'Stale', version: 6 }).expect(409);
    // A list naming only older versions: 412, nothing changed.
    await patch('"5", "6"', { name: 'Stale' }).expect(412);
    expect(await saved()).toEqual(after);
    expect(after).toMatchObject({ name: 'Agreed', version: 7 });
  });

  it('DELETE is refused while records point at the customer, unless detached', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id, { name: 'Acme' });
    const lead = await ctx.make.lead(w.a.id, w.managerA.id, { customerId: c.id });
    const token = await makeToken(await w.as(w.managerA), { name: 'Cleaner' });
    const refused = await call('delete', `/customers/${c.id}`, token).expect(409);
    expect(refused.body.detail).toMatch(/detach=true/);
    expect(await ctx.prisma.customer.count({ where: { id: c.id } })).toBe(1);
    await call('delete', `/customers/${c.id}?detach=true`, token).expect(204);
    expect(await ctx.prisma.customer.count({ where: { id: c.id } })).toBe(0);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).customerId).toBeNull();
  });

  it('a read-only token, or a user without the permission, writes nothing (403)', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id, { name: 'Acme' });
    const reader = await makeToken(await w.as(w.managerA), { name: 'Reader', access: 'READ' });
    const viewer = await limitedStaff(ctx, w.a.id, ['customer.view']);
    const limited = await makeToken(await w.as(viewer), { name: 'Limited' });
    const before = await counts();
    for (const t of [reader, limited]) {
      await call('post', '/customers', t).send({ name: 'New' }).expect(403);
      await call('patch', `/customers/${c.id}`, t).send({ name: 'Changed' }).expect(403);
      await call('delete', `/customers/${c.id}`, t).expect(403);
    }
    expect(await counts()).toEqual(before);
    expect((await ctx.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).name).toBe('Acme');
  });
});

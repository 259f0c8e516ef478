// The API's lead writes: create (staff's leads are their own; an account manager names the assignee, who is
// mailed; a possible duplicate is 422 naming it unless "allowDuplicate": true), partial update (status moves with
// the lost reason rules, a converted lead stays won, a new assignee mailed through the real SMTP server; stale
// version → 409, stale If-Match → 412) and delete; each audited like the page's change, naming the token.
// Refusals: invalid → 422 with each field's problem and nothing written; read-only token or a group without the
// permission → 403; a colleague's or another company's lead → 404.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { leadApiSchema } from '../../src/api/leads.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const call = (method: 'post' | 'patch' | 'delete', path: string, token: string) =>
  request(ctx.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
const counts = async () => [await ctx.prisma.lead.count(), await ctx.prisma.auditEntry.count()];
const viaOf = (entry: { changes: unknown }) => (entry.changes as Record<string, unknown>).via;

describe('API lead writes', () => {
  it("creates a staff user's lead as theirs (201, Location, ETag); the audit entry names the token", async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.staffA), { name: 'Website form' });
    const res = await call('post', '/leads', token)
      .send({ title: 'Roof repair', contactName: 'Rita Roof', estimatedValue: 1250.5, source: 'WEBSITE' })
      .expect(201);
    leadApiSchema.parse(res.body);
    const row = await ctx.prisma.lead.findFirstOrThrow({ where: { title: 'Roof repair' } });
    expect(res.headers.location).toBe(`/api/v1/leads/${row.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(row).toMatchObject({ companyId: w.a.id, assigneeId: w.staffA.id, status: 'NEW', source: 'WEBSITE' });
    expect(row.estimatedValue?.toFixed(2)).toBe('1250.50');
    expect(res.body).toMatchObject({ estimatedValue: '1250.50', assignee: { id: w.staffA.id } });
    const tokenRow = await ctx.prisma.apiToken.findFirstOrThrow({ where: { name: 'Website form' } });
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Lead', action: 'create' } });
    expect(entry).toMatchObject({ actorId: w.staffA.id, recordId: String(row.id) });
    expect(viaOf(entry)).toBe(`API token "Website form" (#${tokenRow.id})`);
    // Staff may not name an assignee: a field error, never silently changed.
    const before = await counts();
    const bad = await call('post', '/leads', token).send({ title: 'X', assigneeId: w.colleagueA.id }).expect(422);
    expect(bad.body.errors).toEqual({ assigneeId: 'You may not set this field.' });
    expect(await counts()).toEqual(before);
  });

  it('an account manager assigns on create; the assignee is mailed through the SMTP server', async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.managerA), { name: 'CRM sync' });
    const res = await call('post', '/leads', token).send({ title: 'Big deal', assigneeId: w.colleagueA.id });
    expect(res.status).toBe(201);
    expect(res.body.assignee.id).toBe(w.colleagueA.id);
    const mail = await ctx.mail.latestTo(w.colleagueA.email);
    expect(mail.subject).toContain('Big deal');
    // Without an assignee the manager's own; another company's user is a field error.
    expect((await call('post', '/leads', token).send({ title: 'Mine' }).expect(201)).body.assignee.id).toBe(
      w.managerA.id,
    );
    const before = await counts();
    const foreign = await call('post', '/leads', token).send({ title: 'X', assigneeId: w.staffB.id }).expect(422);
    expect(Object.keys(foreign.body.errors)).toEqual(['assigneeId']);
    expect(await counts()).toEqual(before);
  });

  it('a possible duplicate is 422 naming it, unless allowDuplicate is true', async () => {
    const w = await buildWorld(ctx);
    const old = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Old', email: 'rita@roof.test' });
    const token = await makeToken(await w.as(w.staffA), { name: 'Form' });
    const before = await counts();
    const dup = await call('post', '/leads', token).send({ title: 'New', email: 'Rita@Roof.test' }).expect(422);
    expect(dup.body.duplicates).toEqual([{ kind: 'lead', id: old.id, name: 'Old', because: 'same email' }]);
    expect(dup.body.errors.allowDuplicate).toMatch(/allowDuplicate/);
    await call('post', '/leads', token).send({ title: 'New', allowDuplicate: 'yes' }).expect(422);
    expect(await counts()).toEqual(before);
    await call('post', '/leads', token)
      .send({ title: 'New', email: 'rita@roof.test', allowDuplicate: true })
      .expect(201);
    expect(await ctx.prisma.lead.count({ where: { email: 'rita@roof.test' } })).toBe(2);
  });

  it('refuses invalid fields with each problem (422), writing nothing', async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.managerA), { name: 'Importer' });
    const before = await counts();
    const bad = await call('post', '/leads', token)
      .send({ title: '', email: 'nope', status: 'LOST', estimatedValue: 'lots', colour: 'red', source: 'TV' })
      .expect(422);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.body.errors).toMatchObject({
      title: expect.any(String),
      email: expect.any(String),
      estimatedValue: expect.any(String),
      source: expect.any(String),
      colour: 'Unknown field.',
    });
    // Lost without a reason; Other without a note.
    const lost = await call('post', '/leads', token).send({ title: 'L', status: 'LOST' }).expect(422);
    expect(Object.keys(lost.body.errors)).toEqual(['lostReason']);
    const other = await call('post', '/leads', token).send({ title: 'L', status: 'LOST', lostReason: 'OTHER' });
    expect(other.status).toBe(422);
    expect(Object.keys(other.body.errors)).toEqual(['lostNote']);
    expect(await counts()).toEqual(before);
  });

  it('PATCH changes what is sent: lost rules; stale version 409, stale If-Match 412', async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Roof', notes: 'Keep me' });
    const token = await makeToken(await w.as(w.staffA), { name: 'Sync' });
    const path = `/leads/${lead.id}`;
    await call('patch', path, token).send({ status: 'LOST' }).expect(422);
    const res = await call('patch', path, token).send({ status: 'LOST', lostReason: 'PRICE' }).expect(200);
    leadApiSchema.parse(res.body);
    expect(res.headers.etag).toBe('"2"');
    const saved = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(saved).toMatchObject({ title: 'Roof', notes: 'Keep me', status: 'LOST', lostReason: 'PRICE', version: 2 });
    expect(saved.closedAt).not.toBeNull();
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Lead', action: 'update' } });
    expect(viaOf(entry)).toMatch(/^API token "Sync"/);
    await call('patch', path, token).send({ title: 'Old', version: 1 }).expect(409);
    await call('patch', path, token).set('If-Match', '"1"').send({ title: 'Old' }).expect(412);
    // Nothing sent: as saved, no new version.
    expect((await call('patch', path, token).send({}).expect(200)).body.version).toBe(2);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toEqual(saved);
    // Reopened: the lost reason goes.
    await call('patch', path, token).set('If-Match', '"2"').send({ status: 'NEW' }).expect(200);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      status: 'NEW',
      lostReason: null,
    });
    // A converted lead stays won.
    await ctx.prisma.lead.update({ where: { id: lead.id }, data: { status: 'WON', convertedAt: new Date() } });
    const won = await call('patch', path, token).send({ status: 'NEW' }).expect(422);
    expect(Object.keys(won.body.errors)).toEqual(['status']);
  });

  it("a manager's PATCH to another assignee mails them and writes an assign entry", async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Handover' });
    const token = await makeToken(await w.as(w.managerA), { name: 'Dispatcher' });
    await call('patch', `/leads/${lead.id}`, token).send({ assigneeId: w.colleagueA.id }).expect(200);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).assigneeId).toBe(w.colleagueA.id);
    expect((await ctx.mail.latestTo(w.colleagueA.email)).subject).toContain('Handover');
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Lead', action: 'assign' } });
    expect(viaOf(entry)).toMatch(/^API token "Dispatcher"/);
    await call('patch', `/leads/${lead.id}`, token).send({ assigneeId: w.staffB.id }).expect(422);
  });

  it('DELETE deletes as the page does, audited; refused without the permission or the record', async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Gone soon' });
    const colleagues = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Carla' });
    const other = await ctx.make.lead(w.b.id, w.staffB.id, { title: 'Bravo' });
    const manager = await makeToken(await w.as(w.managerA), { name: 'Cleaner' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'Staff' });
    const before = await counts();
    await call('delete', `/leads/${lead.id}`, staff).expect(403); // the Staff group has no lead.delete
    await call('delete', `/leads/${other.id}`, manager).expect(404);
    await call('patch', `/leads/${colleagues.id}`, staff).send({ title: 'Mine now' }).expect(404);
    await call('patch', `/leads/${other.id}`, manager).send({ title: 'Mine now' }).expect(404);
    expect(await counts()).toEqual(before);
    await call('delete', `/leads/${lead.id}`, manager).expect(204);
    expect(await ctx.prisma.lead.count({ where: { id: lead.id } })).toBe(0);
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Lead', action: 'delete' } });
    expect(viaOf(entry)).toMatch(/^API token "Cleaner"/);
  });

  it('a read-only token, or a user without the permission, writes nothing (403)', async () => {
    const w = await buildWorld(ctx);
    const viewer = await limitedStaff(ctx, w.a.id, ['lead.view']);
    const lead = await ctx.make.lead(w.a.id, viewer.id, { title: 'Viewed' });
    const reader = await makeToken(await w.as(w.managerA), { name: 'Reader', access: 'READ' });
    const limited = await makeToken(await w.as(viewer), { name: 'Limited' });
    const before = await counts();
    for (const t of [reader, limited]) {
      await call('post', '/leads', t).send({ title: 'New' }).expect(403);
      await call('patch', `/leads/${lead.id}`, t).send({ title: 'Changed' }).expect(403);
      await call('delete', `/leads/${lead.id}`, t).expect(403);
      await call('post', `/leads/${lead.id}/convert`, t).send({}).expect(403);
    }
    expect(await counts()).toEqual(before);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).title).toBe('Viewed');
  });
});

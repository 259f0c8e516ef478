// The webhook pages: an account manager registers, edits, rotates and deletes endpoints (audited, the secret shown
// once and kept sealed); refusals: another company's id → 404 on every page, staff and superusers → 403, no CSRF
// token → 403, bad input → 422 with the typed values kept. The database is re-read each time.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { fieldError, fieldValue } from '../helpers/html.ts';
import { buildWorld } from '../helpers/world.ts';
import { registerWebhook, secretOn } from './world.ts';

const ctx = useTestContext();
const URL_A = 'http://127.0.0.1:9/hooks/a';
const endpoints = () => ctx.prisma.webhookEndpoint.findMany({ orderBy: { id: 'asc' } });

describe('webhook pages', () => {
  it('register an endpoint: the secret shown once, kept sealed, audited; edit and rotate', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const nav = await s.get('/dashboard').expect(200);
    expect(nav.text).toContain('href="/webhooks"');
    expect((await s.get('/webhooks').expect(200)).text).toContain('No endpoints yet.');
    const form = await s.get('/webhooks/new').expect(200);
    expect(form.text).toMatch(/<label for="f-url" class="form-label">URL/);
    expect(form.text).toMatch(/<label class="form-check-label" for="f-events-lead.won">/);
    const { id, secret } = await registerWebhook(s, { url: URL_A, events: ['lead.won', 'lead.created'] });
    const [row] = await endpoints();
    expect(row).toMatchObject({
      id,
      companyId: w.a.id,
      url: URL_A,
      events: ['lead.created', 'lead.won'],
      active: true,
    });
    expect(row.secretPrefix).toBe(secret.slice(0, 10));
    // The secret is nowhere in the database in clear: not in the row, the session or the audit trail.
    const dump = await ctx.db.pool.query(
      `SELECT (SELECT json_agg(t)::text FROM "WebhookEndpoint" t) || (SELECT json_agg(s)::text FROM "session" s) ||
        (SELECT json_agg(a)::text FROM "AuditEntry" a) AS all`,
    );
    expect(dump.rows[0].all).not.toContain(secret.slice(6));
    const again = await s.get(`/webhooks/${id}`).expect(200);
    expect(secretOn(again.text)).toBeNull();
    expect(again.text).toContain(`${row.secretPrefix}…`);
    const created = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { actorId: w.managerA.id } });
    expect(created).toMatchObject({ model: 'Company', recordId: String(w.a.id) });
    expect(created.changes).toEqual({ webhook: `endpoint #${id} created: ${URL_A} (lead.created, lead.won)` });
    // Edit: switched off, other events.
    const edit = await s.get(`/webhooks/${id}/edit`).expect(200);
    expect(fieldValue(edit.text, 'url')).toBe(URL_A);
    await s.post(`/webhooks/${id}`, { url: URL_A, description: 'Books', events: ['task.done'] }).expect(303);
    expect((await endpoints())[0]).toMatchObject({ description: 'Books', events: ['task.done'], active: false });
    // Rotate: a new secret, shown once.
    const rotated = await s.post(`/webhooks/${id}/secret`).expect(303);
    expect(rotated.headers.location).toBe(`/webhooks/${id}#secret`);
    const fresh = secretOn((await s.get(`/webhooks/${id}`).expect(200)).text);
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(secret);
    expect((await endpoints())[0].secretPrefix).toBe(fresh!.slice(0, 10));
    const changes = (await ctx.prisma.auditEntry.findMany({ orderBy: { id: 'asc' } })).map((e) => e.changes);
    expect(changes.slice(1)).toEqual([
      { webhook: `endpoint #${id} changed: ${URL_A} (lead.created, lead.won) → ${URL_A} (task.done; off)` },
      { webhook: `endpoint #${id} secret rotated (${fresh!.slice(0, 10)}…)` },
    ]);
    // Delete after a confirmation page.
    const confirm = await s.get(`/webhooks/${id}/delete`).expect(200);
    expect(confirm.text).toContain('Delete this webhook?');
    expect(confirm.text).toContain(`Endpoint: ${URL_A}`);
    await s.post(`/webhooks/${id}/delete`).expect(303);
    expect(await endpoints()).toEqual([]);
  });

  it('keep what was typed on 422, with each field its message, and save nothing', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const bad = await s
      .post('/webhooks', { url: 'not a url', description: 'd'.repeat(201), events: ['lead.won', 'nope'] })
      .expect(422);
    expect(fieldError(bad.text, 'url')).toMatch(/full URL/);
    expect(fieldError(bad.text, 'description')).toMatch(/200 characters/);
    expect(bad.text).toMatch(/id="f-events-error"[^>]*>Choose events from the list/);
    expect(fieldValue(bad.text, 'url')).toBe('not a url');
    expect(bad.text).toMatch(/value="lead.won" id="f-events-lead.won" checked/);
    const none = await s.post('/webhooks', { url: 'ftp://example.com/x', description: 'Kept' }).expect(422);
    expect(fieldError(none.text, 'url')).toMatch(/must start with https/);
    expect(none.text).toMatch(/id="f-events-error"[^>]*>Choose at least one event/);
    expect(fieldValue(none.text, 'description')).toBe('Kept');
    const unknownHost = await s.post('/webhooks', { url: 'https://nowhere.invalid/x', events: 'lead.won' }).expect(422);
    expect(fieldError(unknownHost.text, 'url')).toMatch(/could not be found/);
    const { id } = await registerWebhook(s, { url: URL_A, events: ['lead.won'] });
    const badEdit = await s.post(`/webhooks/${id}`, { url: '', events: ['lead.won'] }).expect(422);
    expect(fieldError(badEdit.text, 'url')).toMatch(/Enter the URL/);
    expect(await endpoints()).toMatchObject([{ id, url: URL_A }]);
    expect(await ctx.prisma.auditEntry.count()).toBe(1);
  });

  it("answer 404 for another company's endpoint on every page, 403 to staff, superusers and without CSRF", async () => {
    const w = await buildWorld(ctx);
    const { id } = await registerWebhook(await w.as(w.managerA), { url: URL_A, events: ['lead.won'] });
    const before = await endpoints();
    const other = await w.as(w.managerB);
    for (const path of ['', '/edit', '/delete']) await other.get(`/webhooks/${id}${path}`).expect(404);
    await other.post(`/webhooks/${id}`, { url: URL_A, events: ['task.done'] }).expect(404);
    for (const path of ['/delete', '/secret', '/test']) await other.post(`/webhooks/${id}${path}`).expect(404);
    expect((await other.get('/webhooks').expect(200)).text).not.toContain(URL_A);
    for (const user of [w.staffA, w.su]) {
      const s = await w.as(user);
      expect((await s.get('/dashboard').expect(200)).text).not.toContain('href="/webhooks"');
      await s.get('/webhooks').expect(403);
      await s.get('/webhooks/new').expect(403);
      await s.post('/webhooks', { url: URL_A, events: ['lead.won'] }).expect(403);
      for (const path of ['', '/edit', '/delete']) await s.get(`/webhooks/${id}${path}`).expect(403);
      for (const path of ['', '/delete', '/secret', '/test']) await s.post(`/webhooks/${id}${path}`).expect(403);
    }
    const manager = await w.as(w.managerA);
    await manager.agent.post('/webhooks').type('form').send({ url: URL_A, events: 'lead.won' }).expect(403);
    await manager.agent.post(`/webhooks/${id}/delete`).type('form').send({}).expect(403);
    await manager.agent.post(`/webhooks/${id}/test`).type('form').send({}).expect(403);
    expect(await endpoints()).toEqual(before);
    expect(await ctx.prisma.webhookDelivery.count()).toBe(0);
    expect(await ctx.prisma.auditEntry.count()).toBe(1);
  });
});

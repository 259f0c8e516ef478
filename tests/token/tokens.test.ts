// The API tokens page (/tokens): a user makes tokens (shown once, stored as a hash, audited), lists and revokes
// their own; an account manager also revokes the company's; superusers anyone's. Refusals: a colleague's or another
// company's token → 404, bad input → 422 with the form kept and nothing saved, no CSRF token → 403.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { fieldError, fieldValue } from '../helpers/html.ts';
import { buildWorld } from '../helpers/world.ts';
import { makeToken, tokenOn } from './world.ts';

const ctx = useTestContext();
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const tokensOf = (userId: number) => ctx.prisma.apiToken.findMany({ where: { userId }, orderBy: { id: 'asc' } });

describe('API tokens', () => {
  it('are made from the page, shown once, stored as their hash only, and audited', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.staffA);
    expect((await s.get('/tokens').expect(200)).text).toContain('You have no tokens.');
    const before = Date.now();
    const token = await makeToken(s, { name: 'Website form', access: 'READ', lifetimeDays: '30' });
    const [row] = await tokensOf(w.staffA.id);
    expect(row).toMatchObject({
      name: 'Website form',
      access: 'READ',
      companyId: w.a.id,
      tokenHash: sha256(token),
      prefix: token.slice(0, 12),
      revokedAt: null,
      lastUsedAt: null,
    });
    const days = (row.expiresAt.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    // The secret itself is nowhere in the database: not in the row, the session or the audit trail.
    const dump = await ctx.db.pool.query(
      `SELECT (SELECT json_agg(t)::text FROM "ApiToken" t) || (SELECT json_agg(s)::text FROM "session" s) ||
        (SELECT json_agg(a)::text FROM "AuditEntry" a) AS all`,
    );
    expect(dump.rows[0].all).not.toContain(token.slice(8));
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { actorId: w.staffA.id, model: 'User' } });
    expect(entry.changes).toEqual({ apiToken: `created "Website form" (Read only, ${row.prefix}…)` });
    // Shown once: the next visit lists the token by its first characters, never the secret.
    const again = await s.get('/tokens').expect(200);
    expect(tokenOn(again.text)).toBeNull();
    expect(again.text).not.toContain(token);
    expect(again.text).toContain(`${row.prefix}…`);
    expect(again.text).toContain('Website form');
  });

  it('refuses a blank or long name and choices not offered (422, typed values kept), and no CSRF token', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const bad = await s.post('/tokens', { name: '  ', access: 'ADMIN', lifetimeDays: '3650' }).expect(422);
    expect(fieldError(bad.text, 'name')).toMatch(/Name the token/);
    expect(fieldError(bad.text, 'access')).toMatch(/Choose what the token may do/);
    expect(fieldError(bad.text, 'lifetimeDays')).toMatch(/Choose when the token expires/);
    const long = await s.post('/tokens', { name: 'x'.repeat(81), access: 'READ', lifetimeDays: '365' }).expect(422);
    expect(fieldError(long.text, 'name')).toMatch(/80 characters/);
    expect(fieldValue(long.text, 'name')).toBe('x'.repeat(81));
    expect(fieldValue(long.text, 'lifetimeDays')).toBe('365');
    await s.agent
      .post('/tokens')
      .type('form')
      .send({ name: 'No token', access: 'READ', lifetimeDays: '30' })
      .expect(403);
    expect(await ctx.prisma.apiToken.count()).toBe(0);
    expect(await ctx.prisma.auditEntry.count()).toBe(0);
  });

  it('are revoked after a confirmation by their user; a colleague or another company gets 404', async () => {
    const w = await buildWorld(ctx);
    const staff = await w.as(w.staffA);
    await makeToken(staff, { name: 'Mine' });
    const [row] = await tokensOf(w.staffA.id);
    const colleague = await w.as(w.colleagueA);
    const outsider = await w.as(w.managerB);
    for (const other of [colleague, outsider]) {
      await other.get(`/tokens/${row.id}/revoke`).expect(404);
      await other.post(`/tokens/${row.id}/revoke`).expect(404);
      expect((await other.get('/tokens').expect(200)).text).not.toContain('Mine');
    }
    await staff.get('/tokens/abc/revoke').expect(404);
    await staff.agent.post(`/tokens/${row.id}/revoke`).type('form').send({}).expect(403);
    expect((await tokensOf(w.staffA.id))[0].revokedAt).toBeNull();
    const confirm = await staff.get(`/tokens/${row.id}/revoke`).expect(200);
    expect(confirm.text).toContain('Revoke the token &#34;Mine&#34;?');
    await staff.post(`/tokens/${row.id}/revoke`).expect(303);
    const [revoked] = await tokensOf(w.staffA.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.revokedById).toBe(w.staffA.id);
    const page = await staff.get('/tokens').expect(200);
    expect(page.text).toContain('Token &#34;Mine&#34; revoked.');
    expect(page.text).toContain('data-token-state="revoked"');
    // A second revoke changes nothing and records nothing more.
    const audits = await ctx.prisma.auditEntry.count();
    await staff.post(`/tokens/${row.id}/revoke`).expect(303);
    expect(await ctx.prisma.auditEntry.count()).toBe(audits);
    expect((await tokensOf(w.staffA.id))[0].revokedAt).toEqual(revoked.revokedAt);
  });

  it("an account manager lists and revokes the company's tokens, not another company's", async () => {
    const w = await buildWorld(ctx);
    await makeToken(await w.as(w.staffA), { name: 'Staff script' });
    await makeToken(await w.as(w.staffB), { name: 'Other company script' });
    const [mine] = await tokensOf(w.staffA.id);
    const [theirs] = await tokensOf(w.staffB.id);
    const manager = await w.as(w.managerA);
    const page = await manager.get('/tokens').expect(200);
    expect(page.text).toContain("Your colleagues' tokens");
    expect(page.text).toContain('Staff script');
    expect(page.text).not.toContain('Other company script');
    await manager.post(`/tokens/${theirs.id}/revoke`).expect(404);
    await manager.post(`/tokens/${mine.id}/revoke`).expect(303);
    expect((await tokensOf(w.staffA.id))[0].revokedById).toBe(w.managerA.id);
    expect((await tokensOf(w.staffB.id))[0].revokedAt).toBeNull();
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { actorId: w.managerA.id } });
    expect(entry).toMatchObject({ recordId: String(w.staffA.id), companyId: w.a.id });
    // Staff see no one else's tokens.
    expect((await (await w.as(w.colleagueA)).get('/tokens').expect(200)).text).not.toContain('Staff script');
    // A superuser sees and may revoke any company's.
    const su = await w.as(w.su);
    expect((await su.get('/tokens').expect(200)).text).toContain('Other company script');
    await su.post(`/tokens/${theirs.id}/revoke`).expect(303);
    expect((await tokensOf(w.staffB.id))[0].revokedById).toBe(w.su.id);
  });
});

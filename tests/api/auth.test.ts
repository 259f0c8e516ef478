// The JSON API's authentication (issue 17): `Authorization: Bearer crm_pat_…` only. A good token acts as its user
// (GET /api/v1/me), its use recorded; a missing, malformed, unknown, revoked or expired token, or one whose user or
// company is deactivated, answers the same 401 problem; a session cookie is not a credential; a read-only token may
// not write; errors are problem details (RFC 9457), never a page.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { recordStatements } from '../helpers/statements.ts';
import { buildWorld } from '../helpers/world.ts';
import { API_REQUESTS_PER_MINUTE } from '../../src/api/auth.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const api = (method: 'get' | 'post' | 'delete', path: string, token?: string) => {
  const r = request(ctx.app)[method](`/api/v1${path}`);
  return token ? r.set('Authorization', `Bearer ${token}`) : r;
};

function expectProblem(res: request.Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: 'about:blank',
    status,
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(res.text).not.toMatch(/at \w+ \(|prisma|SELECT|node_modules/i);
}

describe('API authentication', () => {
  it('a token acts as its user: GET /api/v1/me, no cookie, no CSRF; its use is recorded', async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.staffA), { name: 'CLI', access: 'READ', lifetimeDays: '7' });
    const res = await api('get', '/me', token).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toMatchObject({
      id: w.staffA.id,
      email: w.staffA.email,
      role: 'STAFF',
      company: { id: w.a.id, name: w.a.name },
      token: { name: 'CLI', access: 'READ' },
    });
    expect(res.body.permissions).toContain('lead.view');
    const row = await ctx.prisma.apiToken.findFirstOrThrow({ where: { userId: w.staffA.id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(res.body.token.expiresAt).toBe(row.expiresAt.toISOString());
  });

  it('costs one statement for the token and its user, one for the rate limit', async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.managerA), { name: 'Count me' });
    await api('get', '/me', token).expect(200);
    const recorder = recordStatements(ctx.db.pool);
    const { statements } = await recorder.during(() => api('get', '/me', token).expect(200));
    expect(statements.filter((q) => /"ApiToken"/.test(q))).toHaveLength(1);
    expect(statements).toHaveLength(2);
  });

  it('answers 401 for a missing, malformed, unknown, revoked or expired token and an inactive user', async () => {
    const w = await buildWorld(ctx);
    const staff = await w.as(w.staffA);
    const good = await makeToken(staff, { name: 'Good' });
    const revoked = await makeToken(staff, { name: 'Revoked' });
    const expired = await makeToken(staff, { name: 'Expired' });
    const theirs = await makeToken(await w.as(w.staffB), { name: 'Company B' });
    await ctx.prisma.apiToken.updateMany({ where: { name: 'Revoked' }, data: { revokedAt: new Date() } });
    await ctx.prisma.apiToken.updateMany({
      where: { name: 'Expired' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const no = await api('get', '/me').expect(401);
    expectProblem(no, 401);
    expect(no.headers['www-authenticate']).toBe('Bearer realm="crm"');
    for (const header of [
      'Basic abc',
      `Token ${good}`,
      'Bearer',
      `Bearer ${good}x`,
      `Bearer crm_pat_${'a'.repeat(43)}`,
    ])
      expectProblem(await request(ctx.app).get('/api/v1/me').set('Authorization', header), 401);
    for (const t of [revoked, expired]) expectProblem(await api('get', '/me', t), 401);
    // Nothing records the use of a refused token.
    const unused = await ctx.prisma.apiToken.findMany({ where: { name: { in: ['Revoked', 'Expired'] } } });
    expect(unused.map((t) => t.lastUsedAt)).toEqual([null, null]);
    // A deactivated user, and every user of a deactivated company, is nobody.
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { active: false } });
    expectProblem(await api('get', '/me', good), 401);
    await ctx.prisma.company.update({ where: { id: w.b.id }, data: { active: false } });
    expectProblem(await api('get', '/me', theirs), 401);
  });

  it('records the use of an accepted request only: not for an inactive user or company, a 403 or a 429', async () => {
    const w = await buildWorld(ctx);
    const mine = await makeToken(await w.as(w.staffA), { name: 'Mine' });
    const reader = await makeToken(await w.as(w.managerA), { name: 'Reader', access: 'READ' });
    const busy = await makeToken(await w.as(w.managerA), { name: 'Busy' });
    const theirs = await makeToken(await w.as(w.staffB), { name: 'Theirs' });
    // Each last used two hours ago, so a request recording its use would move it.
    const long = new Date(Date.now() - 2 * 3600_000);
    await ctx.prisma.apiToken.updateMany({ data: { lastUsedAt: long } });
    const lastUsed = async (name: string) =>
      (await ctx.prisma.apiToken.findFirstOrThrow({ where: { name } })).lastUsedAt?.getTime();
    // Accepted: recorded.
    await api('get', '/me', busy).expect(200);
    expect(await lastUsed('Busy')).toBeGreaterThan(Date.now() - 60_000);
    // A read-only token's write: refused, not recorded.
    expectProblem(await api('post', '/me', reader).send({}), 403);
    expect(await lastUsed('Reader')).toBe(long.getTime());
    // Past the limit: refused, not recorded (the use above set it; moved back to see whether the 429 moves it).
    const busyRow = await ctx.prisma.apiToken.findFirstOrThrow({ where: { name: 'Busy' } });
    await ctx.prisma.apiToken.update({ where: { id: busyRow.id }, data: { lastUsedAt: long } });
    await ctx.db.pool.query('UPDATE rate_limits SET points = $2 WHERE key = $1', [
      `api:token:${busyRow.id}`,
      API_REQUESTS_PER_MINUTE,
    ]);
    expectProblem(await api('get', '/me', busy), 429);
    expect(await lastUsed('Busy')).toBe(long.getTime());
    // A deactivated user, and a user of a deactivated company: 401, not recorded.
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { active: false } });
    expectProblem(await api('get', '/me', mine), 401);
    expect(await lastUsed('Mine')).toBe(long.getTime());
    await ctx.prisma.company.update({ where: { id: w.b.id }, data: { active: false } });
    expectProblem(await api('get', '/me', theirs), 401);
    expect(await lastUsed('Theirs')).toBe(long.getTime());
  });

  it('a session cookie is not a credential; an unknown path or a bad body is a problem, not a page', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    expectProblem(await s.agent.get('/api/v1/me'), 401);
    const token = await makeToken(s, { name: 'Writer' });
    expectProblem(await api('get', '/nothing-here', token), 404);
    const bad = await api('post', '/me', token).set('Content-Type', 'application/json').send('{"name":');
    expectProblem(bad, 400);
    const big = await api('post', '/me', token)
      .set('Content-Type', 'application/json')
      .send(`"${'x'.repeat(200_000)}"`);
    expectProblem(big, 413);
  });

  it('a read-only token may not write (403); the pages ignore tokens', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const reader = await makeToken(s, { name: 'Reader', access: 'READ' });
    expectProblem(await api('post', '/me', reader).send({}), 403);
    expectProblem(await api('delete', '/me', reader), 403);
    // A page asked with a token and no session is a visitor's: to the sign-in page.
    const page = await request(ctx.app).get('/leads').set('Authorization', `Bearer ${reader}`);
    expect(page.status).toBe(302);
    expect(page.headers.location).toBe('/login?next=%2Fleads');
  });

  it('past the per-token limit answers 429 with Retry-After; another token is not held up', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const busy = await makeToken(s, { name: 'Busy' });
    const calm = await makeToken(s, { name: 'Calm' });
    const row = await ctx.prisma.apiToken.findFirstOrThrow({ where: { name: 'Busy' } });
    await api('get', '/me', busy).expect(200);
    // The counter as 600 requests in this minute would leave it (rate-limiter-flexible's row in PostgreSQL).
    const { rowCount } = await ctx.db.pool.query('UPDATE rate_limits SET points = $2 WHERE key = $1', [
      `api:token:${row.id}`,
      API_REQUESTS_PER_MINUTE,
    ]);
    expect(rowCount).toBe(1);
    const refused = await api('get', '/me', busy);
    expectProblem(refused, 429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    await api('get', '/me', calm).expect(200);
  });
});

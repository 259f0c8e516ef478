// SPEC section 4.6: /password/forgot and /password/reset/:token.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/account/passwords.ts';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { csrfFrom, signIn } from '../helpers/session.ts';
import { passwordStep } from './support.ts';

const ctx = useTestContext({ APP_URL: 'https://crm.example.org' });
const NEW_PASSWORD = 'copper-meadow-91-quartz';

async function askForLink(email: string, host?: string) {
  const agent = request.agent(ctx.app);
  const page = await agent.get('/password/forgot').expect(200);
  const req = agent
    .post('/password/forgot')
    .type('form')
    .send({ email, _csrf: csrfFrom(page.text) });
  return host ? req.set('Host', host) : req;
}

async function linkFor(email: string): Promise<{ url: string; token: string; path: string }> {
  ctx.mail.clear();
  expect((await askForLink(email)).status).toBe(200);
  const mail = await ctx.mail.latestTo(email);
  const url = /https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
  const token = url.split('/').at(-1)!;
  return { url, token, path: new URL(url).pathname };
}

/** Opens the reset page and posts the new password (twice) with its CSRF token. */
async function setPassword(path: string, password: string, confirm = password) {
  const agent = request.agent(ctx.app);
  const page = await agent.get(path);
  if (page.status !== 200) return page;
  return agent
    .post(path)
    .type('form')
    .send({ password, passwordConfirm: confirm, _csrf: csrfFrom(page.text) });
}

const hashOf = async (id: number) => (await ctx.prisma.user.findUniqueOrThrow({ where: { id } })).passwordHash!;

describe('/password/forgot', () => {
  it('gives the same answer for a known, an unknown and deactivated addresses; mails only the known one', async () => {
    const user = await ctx.make.superuser();
    const inactive = await ctx.make.superuser({ active: false });
    const ofClosed = await ctx.make.manager((await ctx.make.company({ active: false })).id);
    const answers = [];
    for (const email of [user.email, 'nobody@example.test', inactive.email, ofClosed.email]) {
      const res = await askForLink(email);
      answers.push({ status: res.status, body: res.text, type: res.headers['content-type'] });
    }
    expect(answers[0].status).toBe(200);
    expect(answers[0].body).toContain('If an account uses this address');
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[3]).toEqual(answers[0]);
    await ctx.mail.latestTo(user.email);
    expect(ctx.mail.messages.map((m) => m.to)).toEqual([user.email]);
    expect(await ctx.prisma.passwordResetToken.count()).toBe(1);
  });

  it('rejects a malformed address with 422 and keeps what was typed', async () => {
    const res = await askForLink('not an email');
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="not an email"');
    expect(res.text).toContain('Enter a valid email address.');
    expect(await ctx.prisma.passwordResetToken.count()).toBe(0);
  });

  it('builds the link from APP_URL, not from the Host header, and stores only a hash of the token', async () => {
    const user = await ctx.make.superuser();
    expect((await askForLink(user.email, 'evil.example')).status).toBe(200);
    const mail = await ctx.mail.latestTo(user.email);
    expect(mail.text).toMatch(/https:\/\/crm\.example\.org\/password\/reset\/[A-Za-z0-9_-]{40,}/);
    expect(mail.text + mail.html).not.toContain('evil.example');
    expect(mail.html).toContain('https://crm.example.org/password/reset/');
    const token = /\/password\/reset\/([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const { rows } = await ctx.db.pool.query(
      'SELECT row_to_json(t)::text AS json, "tokenHash" FROM "PasswordResetToken" t',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].json).not.toContain(token);
    expect(rows[0].tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
  });
});

describe('/password/reset/:token', () => {
  it("sets the password (argon2id), uses the token, ends the user's sessions and pending sign-ins", async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const pending = request.agent(ctx.app);
    expect((await passwordStep(pending, user.email)).status).toBe(303);
    const { path } = await linkFor(user.email);
    const page = await request(ctx.app).get(path).expect(200);
    expect(page.text).toContain(user.email);
    const res = await setPassword(path, NEW_PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');

    const hash = await hashOf(user.id);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, NEW_PASSWORD)).toBe(true);
    const token = await ctx.prisma.passwordResetToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(token.usedAt).not.toBeNull();
    expect(await s.get('/dashboard').then((r) => r.status)).toBe(302);
    const { rows } = await ctx.db.pool.query(
      `SELECT count(*)::int AS n FROM "session" WHERE sess->'passport'->>'user' = $1`,
      [String(user.id)],
    );
    expect(rows[0].n).toBe(0);
    expect(await ctx.prisma.loginAttempt.count({ where: { userId: user.id, endedAt: null } })).toBe(0);

    expect((await passwordStep(request.agent(ctx.app), user.email, PASSWORD)).status).toBe(422);
    await signIn(ctx, user, NEW_PASSWORD);
  });

  it('works once', async () => {
    const user = await ctx.make.superuser();
    const { path } = await linkFor(user.email);
    expect((await setPassword(path, NEW_PASSWORD)).status).toBe(303);
    const hash = await hashOf(user.id);
    expect((await request(ctx.app).get(path)).status).toBe(404);
    // A form opened before the first use cannot be posted afterwards either.
    const agent = request.agent(ctx.app);
    const csrf = csrfFrom((await agent.get('/password/forgot').expect(200)).text);
    const again = await agent
      .post(path)
      .type('form')
      .send({ password: 'another-long-pass-77', passwordConfirm: 'another-long-pass-77', _csrf: csrf });
    expect(again.status).toBe(404);
    expect(await hashOf(user.id)).toBe(hash);
  });

  it('a used link voids the other links of the user', async () => {
    const user = await ctx.make.superuser();
    const first = await linkFor(user.email);
    const second = await linkFor(user.email);
    expect(second.token).not.toBe(first.token);
    expect((await setPassword(second.path, NEW_PASSWORD)).status).toBe(303);
    expect((await request(ctx.app).get(first.path)).status).toBe(404);
  });

  it('expires after one hour', async () => {
    const user = await ctx.make.superuser();
    const { path } = await linkFor(user.email);
    const row = await ctx.prisma.passwordResetToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(59 * 60_000);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(60 * 60_000 + 1000);
    const agent = request.agent(ctx.app);
    const csrf = csrfFrom((await agent.get(path).expect(200)).text);
    await ctx.prisma.passwordResetToken.update({
      where: { id: row.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await request(ctx.app).get(path)).status).toBe(404);
    const res = await agent
      .post(path)
      .type('form')
      .send({ password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD, _csrf: csrf });
    expect(res.status).toBe(404);
    expect(await verifyPassword(await hashOf(user.id), PASSWORD)).toBe(true);
  });

  it('refuses a weak, common or mismatched password with 422 beside the field, and keeps the token', async () => {
    const user = await ctx.make.superuser();
    const { path } = await linkFor(user.email);
    const hash = await hashOf(user.id);
    const short = await setPassword(path, 'abc12');
    expect(short.status).toBe(422);
    expect(short.text).toMatch(/id="f-password-error"[^>]*>Use at least 8 characters/);
    const common = await setPassword(path, 'sunshine');
    expect(common.status).toBe(422);
    expect(common.text).toContain('too common');
    const mismatch = await setPassword(path, NEW_PASSWORD, NEW_PASSWORD + 'x');
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toMatch(/id="f-passwordConfirm-error"[^>]*>The two passwords differ/);
    expect(await hashOf(user.id)).toBe(hash);
    expect((await ctx.prisma.passwordResetToken.findFirstOrThrow({ where: { userId: user.id } })).usedAt).toBeNull();
    expect((await setPassword(path, NEW_PASSWORD)).status).toBe(303);
  });

  it('answers 404 for unknown or malformed tokens, and 403 without a CSRF token', async () => {
    const user = await ctx.make.superuser();
    for (const bad of ['abc', 'x'.repeat(43), '%00', 'a'.repeat(500)]) {
      expect((await request(ctx.app).get(`/password/reset/${bad}`)).status, bad).toBe(404);
    }
    const { path } = await linkFor(user.email);
    const hash = await hashOf(user.id);
    const res = await request(ctx.app)
      .post(path)
      .type('form')
      .send({ password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
    expect(res.status).toBe(403);
    expect(await hashOf(user.id)).toBe(hash);
    expect((await ctx.prisma.passwordResetToken.findFirstOrThrow({ where: { userId: user.id } })).usedAt).toBeNull();
  });
});

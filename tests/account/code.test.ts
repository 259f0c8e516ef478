// SPEC section 4.2–4.3: the emailed code — its mail, its life, its refusals — and mail that fails.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { codeFrom, csrfFrom, signIn } from '../helpers/session.ts';
import { buildSecondApp, codeStep, passwordStep, pendingSignIn, resendTooEarly, wrongCode } from './support.ts';

const MAIL_FROM = 'Acme CRM <crm-mail@acme.test>';
const ctx = useTestContext({ MAIL_FROM });

const attempts = (userId: number) =>
  ctx.prisma.loginAttempt.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });

describe('the emailed code', () => {
  it('is mailed with a text and an HTML part, from MAIL_FROM, without the password, and stored hashed', async () => {
    const user = await ctx.make.superuser();
    await passwordStep(request.agent(ctx.app), user.email).then((r) => expect(r.status).toBe(303));
    const mail = await ctx.mail.latestTo(user.email);
    const code = codeFrom(mail.text);
    expect(mail.from).toContain('crm-mail@acme.test');
    expect(mail.from).toContain('Acme CRM');
    expect(mail.html).toContain(code);
    expect(mail.html).toMatch(/<p>/);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain(PASSWORD);
    const [attempt] = await attempts(user.id);
    expect(attempt.codeHash).not.toContain(code);
    expect(attempt.codeHash).toBe(createHash('sha256').update(code).digest('hex'));
    expect(attempt.expiresAt.getTime() - attempt.createdAt.getTime()).toBeGreaterThan(9 * 60_000);
    expect(attempt.expiresAt.getTime() - attempt.createdAt.getTime()).toBeLessThanOrEqual(10 * 60_000 + 1000);
  });

  it('signs each role in and lands on /dashboard', async () => {
    const company = await ctx.make.company({ name: 'Harbour Ltd' });
    for (const [user, role] of [
      [await ctx.make.superuser(), 'Superuser'],
      [await ctx.make.manager(company.id), 'Account manager'],
      [await ctx.make.staff(company.id), 'Staff'],
    ] as const) {
      const s = await signIn(ctx, user);
      const page = await s.get('/dashboard').expect(200);
      expect(page.text).toContain(role);
      expect(page.text).toContain(user.email);
      const row = await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(row.lastSignInAt).not.toBeNull();
    }
  });

  it('is valid once: two requests with the right code sign in only one', async () => {
    const user = await ctx.make.superuser();
    const { agent, code } = await pendingSignIn(ctx, user);
    const csrf = csrfFrom((await agent.get('/login/verify').expect(200)).text);
    const both = await Promise.all(
      [1, 2].map(() => agent.post('/login/verify').type('form').send({ code, _csrf: csrf })),
    );
    // One signs in; the other is refused: back to /login when it finds the attempt ended, or 403 when it arrives
    // after the winner replaced the session (and with it the CSRF token) — which of the two depends on timing.
    const outcomes = both.map((r) => (r.status === 303 ? r.headers.location : String(r.status))).sort();
    expect(outcomes[0]).toBe('/dashboard');
    expect(['/login', '403']).toContain(outcomes[1]);
    const [attempt] = await attempts(user.id);
    expect(attempt.endedAt).not.toBeNull();
  });

  it('an old code does not open a newer attempt', async () => {
    const user = await ctx.make.superuser();
    const s = await signIn(ctx, user);
    const oldCode = codeFrom((await ctx.mail.latestTo(user.email)).text);
    await s.post('/logout').expect(303);
    ctx.mail.clear();
    const { agent, code: newCode } = await pendingSignIn(ctx, user);
    if (newCode !== oldCode) {
      const res = await codeStep(agent, oldCode);
      expect(res.status).toBe(422);
      await agent.get('/dashboard').expect(302);
    }
    expect((await codeStep(agent, newCode)).headers.location).toBe('/dashboard');
  });

  it('is bound to the browser that passed the password step', async () => {
    const victim = await ctx.make.superuser();
    const attacker = await ctx.make.superuser();
    const { agent: victimAgent, code } = await pendingSignIn(ctx, victim);

    // A browser with no pending sign-in.
    const stranger = request.agent(ctx.app);
    const page = await stranger.get('/login').expect(200);
    const res = await stranger
      .post('/login/verify')
      .type('form')
      .send({ code, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    await stranger.get('/dashboard').expect(302);

    // A browser with its own pending sign-in (the attacker's account).
    const { agent: attackerAgent, code: attackerCode } = await pendingSignIn(ctx, attacker);
    if (attackerCode !== code) {
      expect((await codeStep(attackerAgent, code)).status).toBe(422);
      await attackerAgent.get('/dashboard').expect(302);
    }

    const [attempt] = await attempts(victim.id);
    expect(attempt.endedAt).toBeNull();
    expect((await codeStep(victimAgent, code)).headers.location).toBe('/dashboard');
  });

  it('expires after 10 minutes', async () => {
    const user = await ctx.make.superuser();
    const { agent, code } = await pendingSignIn(ctx, user);
    await ctx.prisma.loginAttempt.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const res = await codeStep(agent, code);
    expect(res.status).toBe(422);
    expect(res.text).toContain('This code has expired');
    await agent.get('/dashboard').expect(302);
    const [attempt] = await attempts(user.id);
    expect(attempt.endedAt).toBeNull();
    expect(attempt.failedCodes).toBe(0);
  });

  it('wrong codes before the right one are told and counted', async () => {
    const user = await ctx.make.superuser();
    const { agent, code } = await pendingSignIn(ctx, user);
    const first = await codeStep(agent, wrongCode(code));
    expect(first.status).toBe(422);
    expect(first.text).toMatch(/id="f-code-error"[^>]*>That code is not right. 4 tries left./);
    expect((await codeStep(agent, 'abc')).status).toBe(422);
    expect((await codeStep(agent, wrongCode(code))).status).toBe(422);
    expect((await codeStep(agent, code)).headers.location).toBe('/dashboard');
    const [attempt] = await attempts(user.id);
    expect(attempt.failedCodes).toBe(2);
    expect(attempt.endedAt).not.toBeNull();
  });

  it('five wrong codes end the attempt', async () => {
    const user = await ctx.make.superuser();
    const { agent, code } = await pendingSignIn(ctx, user);
    for (let i = 1; i <= 4; i++) {
      const res = await codeStep(agent, wrongCode(code));
      expect(res.status).toBe(422);
      expect(res.text).toContain(`${5 - i} ${5 - i === 1 ? 'try' : 'tries'} left`);
    }
    const fifth = await codeStep(agent, wrongCode(code));
    expect(fifth.status).toBe(303);
    expect(fifth.headers.location).toBe('/login');
    const [attempt] = await attempts(user.id);
    expect(attempt.failedCodes).toBe(5);
    expect(attempt.endedAt).not.toBeNull();
    // The right code is of no use now.
    expect((await agent.get('/login/verify')).headers.location).toBe('/login');
    const page = await agent.get('/login').expect(200);
    const late = await agent
      .post('/login/verify')
      .type('form')
      .send({ code, _csrf: csrfFrom(page.text) });
    expect(late.headers.location).toBe('/login');
    await agent.get('/dashboard').expect(302);
  });

  it('resend: at most once a minute (429 + Retry-After); a new code voids the old one', async () => {
    const user = await ctx.make.superuser();
    const { agent, code: first } = await pendingSignIn(ctx, user);
    const csrf = csrfFrom((await agent.get('/login/verify').expect(200)).text);
    await resendTooEarly(agent, csrf);
    expect(ctx.mail.messages).toHaveLength(1);
    const before = (await attempts(user.id))[0];

    let second = first;
    for (let i = 0; i < 3 && second === first; i++) {
      await ctx.prisma.loginAttempt.updateMany({
        where: { userId: user.id },
        data: { lastSentAt: new Date(Date.now() - 61_000) },
      });
      const res = await agent.post('/login/resend').type('form').send({ _csrf: csrf });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login/verify');
      second = codeFrom(ctx.mail.messages.at(-1)!.text);
    }
    expect(second).not.toBe(first);
    const after = (await attempts(user.id))[0];
    expect(after.codeHash).not.toBe(before.codeHash);
    expect((await agent.post('/login/resend').type('form').send({ _csrf: csrf })).status).toBe(429);

    expect((await codeStep(agent, first)).status).toBe(422);
    expect((await codeStep(agent, second)).headers.location).toBe('/dashboard');
  });

  it('an expired code can be replaced by a new one', async () => {
    const user = await ctx.make.superuser();
    const agent = request.agent(ctx.app);
    await passwordStep(agent, user.email);
    await ctx.prisma.loginAttempt.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000), lastSentAt: new Date(Date.now() - 11 * 60_000) },
    });
    const csrf = csrfFrom((await agent.get('/login/verify').expect(200)).text);
    expect((await agent.post('/login/resend').type('form').send({ _csrf: csrf })).status).toBe(303);
    expect(ctx.mail.messages).toHaveLength(2);
    expect((await codeStep(agent, codeFrom(ctx.mail.messages[1].text))).headers.location).toBe('/dashboard');
  });

  it('a newer sign-in voids the code of an older pending one', async () => {
    const user = await ctx.make.superuser();
    const { agent: older, code: oldCode } = await pendingSignIn(ctx, user);
    ctx.mail.clear();
    const { agent: newer, code: newCode } = await pendingSignIn(ctx, user);
    const rows = await attempts(user.id);
    expect(rows).toHaveLength(2);
    expect(rows[0].endedAt).not.toBeNull();
    expect((await older.get('/login/verify')).headers.location).toBe('/login');
    const csrf = csrfFrom((await older.get('/login').expect(200)).text);
    expect((await older.post('/login/verify').type('form').send({ code: oldCode, _csrf: csrf })).headers.location).toBe(
      '/login',
    );
    await older.get('/dashboard').expect(302);
    expect((await codeStep(newer, newCode)).headers.location).toBe('/dashboard');
  });
});

describe('a mail server that refuses', () => {
  it('queues the code and says it is on its way (303, no error page); it arrives once mail works', async () => {
    const user = await ctx.make.superuser();
    ctx.mail.refuse = true;
    const agent = request.agent(ctx.app);
    const res = await passwordStep(agent, user.email);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login/verify');
    expect((await agent.get('/login/verify').expect(200)).text).toContain('Your code is on its way');
    expect(await ctx.prisma.loginAttempt.count()).toBe(1);
    await agent.get('/dashboard').expect(302);
    ctx.mail.refuse = false;
    const code = codeFrom((await ctx.mail.latestTo(user.email, 15_000)).text);
    expect((await codeStep(agent, code)).headers.location).toBe('/dashboard');
    expect(ctx.mail.messages.filter((m) => m.to.includes(user.email))).toHaveLength(1);
  });

  it('an unreachable mail server: the code is queued, and a worker with a working server sends it', async () => {
    const user = await ctx.make.superuser();
    // A web process of its own (JOBS=off) whose mail server is unreachable; ctx's worker sends the job.
    const broken = buildSecondApp(ctx, { SMTP_URL: 'smtp://127.0.0.1:1', JOBS: 'off' });
    try {
      const agent = request.agent(broken.app);
      const res = await passwordStep(agent, user.email);
      expect(res.status).toBe(303);
      const code = codeFrom((await ctx.mail.latestTo(user.email, 15_000)).text);
      expect((await codeStep(agent, code)).headers.location).toBe('/dashboard');
    } finally {
      await broken.close();
    }
  });

  it('a refused resend is queued: the new code replaces the old one and arrives once mail works', async () => {
    const user = await ctx.make.superuser();
    const { agent, code } = await pendingSignIn(ctx, user);
    await ctx.prisma.loginAttempt.updateMany({
      where: { userId: user.id },
      data: { lastSentAt: new Date(Date.now() - 61_000) },
    });
    ctx.mail.clear();
    ctx.mail.refuse = true;
    const csrf = csrfFrom((await agent.get('/login/verify').expect(200)).text);
    const res = await agent.post('/login/resend').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect((await agent.get('/login/verify').expect(200)).text).toContain('Your code is on its way');
    ctx.mail.refuse = false;
    const newCode = codeFrom((await ctx.mail.latestTo(user.email, 15_000)).text);
    expect(newCode).not.toBe(code);
    expect((await codeStep(agent, newCode)).headers.location).toBe('/dashboard');
  });
});

describe('without SMTP_URL', () => {
  it('writes the message under DATA_DIR/mail and logs its text, so a developer can read the code', async () => {
    const lines: string[] = [];
    const dev = buildSecondApp(
      ctx,
      { SMTP_URL: '', LOG_LEVEL: 'info', MAIL_FROM },
      { write: (l: string) => void lines.push(l) },
    );
    try {
      const user = await ctx.make.superuser();
      const agent = request.agent(dev.app);
      expect((await passwordStep(agent, user.email)).status).toBe(303);
      const dir = path.join(dev.dataDir, 'mail');
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      const eml = readFileSync(path.join(dir, files[0]), 'utf8');
      expect(eml).toContain(`From: ${MAIL_FROM}`);
      expect(eml).toContain(`To: ${user.email}`);
      expect(eml).not.toContain(PASSWORD);
      const code = codeFrom(eml.split('\n\n').slice(1).join('\n'));
      expect(lines.some((l) => l.includes(`Your sign-in code is ${code}`))).toBe(true);
      expect(ctx.mail.messages).toHaveLength(0);
      expect((await codeStep(agent, code)).headers.location).toBe('/dashboard');
    } finally {
      await dev.close();
    }
  });
});

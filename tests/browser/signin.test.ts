// A new user's first sign-in, in a real browser: the first superuser made with the real CLI, both
// sign-in steps through the pages (the code read from the mail the app sent), then sign-out.
// Drives Debian's Chromium with playwright-core; skipped only outside CI when it is not installed.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { codeFrom } from '../helpers/session.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (see .ci/run).`);
if (!available)
  console.warn(`Browser test skipped: ${CHROMIUM} is not installed (apt-get install chromium). In CI it runs.`);

const ctx = useTestContext();
let server: Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  server = ctx.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe.skipIf(!available)('signing in with a browser', () => {
  it('creates the first superuser with the CLI, signs in with password and emailed code, signs out', async () => {
    const email = 'first.admin@example.test';
    const password = 'tidal-basalt-42-orchard';
    const { stdout } = await promisify(execFile)(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['src/cli/createSuperuser.ts', '--email', email, '--name', 'First Admin', '--password', password],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: ctx.db.url }, timeout: 60_000 },
    );
    expect(stdout).toContain(`Superuser ${email} created`);
    expect(await ctx.prisma.user.findUniqueOrThrow({ where: { email } })).toMatchObject({
      role: 'SUPERUSER',
      active: true,
    });

    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    // No console error (a CSP violation would be one) and every file a page asks for is served;
    // the browser's own favicon probe aside.
    const probe = (url: string) => new URL(url).pathname === '/favicon.ico';
    page.on('console', (m) => {
      if (m.type() === 'error' && !probe(m.location().url || base)) problems.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && !probe(r.url())) problems.push(`${r.status()} ${r.url()}`);
    });

    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.screenshot({ path: '/tmp/login.png', fullPage: true });
    // Bootstrap's stylesheet applied (served locally, allowed by the CSP).
    expect(await page.evaluate('getComputedStyle(document.querySelector("button[type=submit]")).backgroundColor')).toBe(
      'rgb(13, 110, 253)',
    );

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/login/verify`);
    expect(await page.getByRole('heading', { name: 'Enter your code' }).isVisible()).toBe(true);
    // Not signed in yet.
    const cookiesBefore = await context.cookies();
    const pending = await context.request.get(`${base}/dashboard`, { maxRedirects: 0 });
    expect(pending.status()).toBe(302);

    const mail = await ctx.mail.latestTo(email);
    await page.getByLabel('Code').fill(codeFrom(mail.text));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${base}/dashboard`);
    await expect.poll(() => page.getByText('First Admin (first.admin@example.test)').isVisible()).toBe(true);
    expect(await page.getByText('Superuser').first().isVisible()).toBe(true);

    const cookie = (await context.cookies()).find((c) => c.name === 'crm.sid')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.value).not.toBe(cookiesBefore.find((c) => c.name === 'crm.sid')?.value);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/login`);
    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(
      await ctx.db.pool
        .query(`SELECT 1 FROM "session" WHERE sess->'passport'->>'user' IS NOT NULL`)
        .then((r) => r.rowCount),
    ).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});

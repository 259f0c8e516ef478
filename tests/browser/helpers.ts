// Shared by the browser tests: the app served on a free port, Debian's Chromium driven by
// playwright-core, a sign-in through the real pages (the code read from the captured mail) and
// signInAs, a signed-in context for tests not about signing in.
//   const ctx = useTestContext();
//   const web = useBrowser(ctx);
//   describe.skipIf(!browserAvailable)('…', () => { it('…', async () => { const { page } = await web.signIn(user); …
//   }); });
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { TestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import { codeFrom, createSignedInSession, sessionCookieFor } from '../helpers/session.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const browserAvailable = existsSync(CHROMIUM);
if (!browserAvailable && process.env.CI)
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (see .ci/run).`);
if (!browserAvailable)
  console.warn(`Browser test skipped: ${CHROMIUM} is not installed (apt-get install chromium). In CI it runs.`);

export type BrowserSession = {
  context: BrowserContext;
  page: Page;
  /** Console errors (a CSP violation is one), page errors, 5xx answers and failed sub-resources. */
  problems: string[];
};

export type Web = {
  /** http://127.0.0.1:port, set once beforeAll ran. */
  base: string;
  browser: Browser;
  /** A fresh browser context, watched for problems. */
  open: () => Promise<BrowserSession>;
  /** Signs the user in through /login and /login/verify; ends on /dashboard. */
  signIn: (user: { email: string }, password?: string) => Promise<BrowserSession>;
  /** A fresh context already signed in as the user (signInAs's session, no two steps); ends on /dashboard. */
  signInAs: (user: { id: number }) => Promise<BrowserSession>;
};

/**
 * Runs `work` on a page of the same signed-in session with JavaScript off (every flow must work without it), in a
 * context of its own that is closed afterwards.
 */
export async function withoutJavaScript<T>(
  web: Web,
  session: BrowserSession,
  work: (page: Page) => Promise<T>,
  viewport?: { width: number; height: number },
): Promise<T> {
  const context = await web.browser.newContext({
    javaScriptEnabled: false,
    ...(viewport ? { viewport } : {}),
    storageState: await session.context.storageState(),
  });
  try {
    return await work(await context.newPage());
  } finally {
    await context.close();
  }
}

/** Gives a browser context a signed-in session of the user (a real session row, see tests/helpers/session.ts). */
export async function signInContext(ctx: TestContext, context: BrowserContext, base: string, user: { id: number }) {
  const { sid } = await createSignedInSession(ctx.db.pool, user.id);
  const [name, value] = sessionCookieFor(sid).split('=');
  await context.addCookies([{ name, value, url: base, httpOnly: true, sameSite: 'Lax' }]);
}

export function useBrowser(ctx: TestContext): Web {
  const web = {} as Web;
  let server: Server | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!browserAvailable) return;
    server = ctx.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    web.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    web.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await web.browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
  });

  web.open = async () => {
    const context = await web.browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    // The browser's own favicon probe is not the app's business.
    const probe = (url: string) => {
      try {
        return new URL(url).pathname === '/favicon.ico';
      } catch {
        return false;
      }
    };
    page.on('console', (m) => {
      if (m.type() === 'error' && !probe(m.location().url || web.base))
        problems.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      if (probe(r.url())) return;
      // A 4xx page can be the right answer (422 form, 404); a 5xx never is, nor a missing stylesheet.
      if (r.status() >= 500 || (r.status() >= 400 && r.request().resourceType() !== 'document'))
        problems.push(`${r.status()} ${r.url()}`);
    });
    return { context, page, problems };
  };

  web.signIn = async (user, password = PASSWORD) => {
    const session = await web.open();
    const { page } = session;
    await page.goto(`${web.base}/login`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${web.base}/login/verify`);
    const mail = await ctx.mail.latestTo(user.email);
    await page.getByLabel('Code').fill(codeFrom(mail.text));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${web.base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    return session;
  };

  web.signInAs = async (user) => {
    const session = await web.open();
    await signInContext(ctx, session.context, web.base, user);
    await session.page.goto(`${web.base}/dashboard`);
    expect(new URL(session.page.url()).pathname).toBe('/dashboard');
    return session;
  };

  return web;
}

/**
 * Waits (up to playwright's timeout, not vitest's one second) until the text is on the page and
 * the page has loaded whole. The whole load matters: express-session sends all but the last byte
 * of a page before its session save completes, so a click on a half-received page can race that
 * save (and lose a flash message) in a way no person clicking could.
 */
export async function shows(page: Page, text: string | RegExp): Promise<void> {
  await page.getByText(text).first().waitFor({ state: 'visible' });
  await page.waitForLoadState('load');
}

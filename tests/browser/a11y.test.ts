// Accessibility and phone widths, page by page: every GET page of the app's own route table (so a
// page added tomorrow is walked without editing this file), as each role that can reach it and as
// a visitor for the sign-in pages, with records in place. axe-core (WCAG 2.2 AA) must find nothing
// at 1366 px and at 390 px, and at 390 px no page may scroll sideways. A page a role cannot reach
// (403/404) is skipped, except that the first error page of each status is itself checked.
// The collapsed navigation is then worked by keyboard with JavaScript switched off.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RouteDef } from '../../src/web/routes.ts';
import { useTestContext } from '../helpers/context.ts';
import { PASSWORD } from '../helpers/world.ts';
import {
  clock,
  preloadAxe,
  axeViolations,
  checkLoadedPage,
  failuresOf,
  PHONE,
  WIDE,
  type PageResult,
} from './a11y.check.ts';
import { makeA11yWorld, type A11yWorld } from './a11y.world.ts';
import { browserAvailable, useBrowser, type BrowserSession } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots';
/** Each role's walk is about a hundred page checks; the CI machine has 2 cores. */
const WALK_TIMEOUT = 600_000;
/** The browser logs every 4xx page it loads as an error; those answers are expected here (a role's 403, a 422 form). */
const unexpected = (problems: string[]) =>
  problems.filter((p) => !/^Failed to load resource: the server responded with a status of 4\d\d /.test(p));
/** Files (exports) are not pages. */
const isPage = (r: RouteDef) => r.method === 'get' && !/\.\w+$/.test(r.path);
const segment = (path: string) => path.split('/')[1];

function pathsOf(routes: RouteDef[], w: A11yWorld): string[] {
  return routes.map((r) =>
    r.path.replace(/:\w+/g, () => {
      const id = w.ids[segment(r.path)];
      if (!id)
        throw new Error(`No record for ${r.path}: add one for "${segment(r.path)}" in tests/browser/a11y.world.ts`);
      return id;
    }),
  );
}

/** More states of a page found on it: a list's empty search result, a superuser's form after choosing the company. */
async function variantsOf(page: Page, path: string, w: A11yWorld): Promise<string[]> {
  if (path.includes('?')) return [];
  const out: string[] = [];
  if (await page.locator('input[type="search"][name="q"]').count()) out.push(`${path}?q=nothing-matches-this`);
  if (await page.locator(`form[method="get"][action="${path}"] select[name="companyId"]`).count())
    out.push(`${path}?companyId=${w.a.id}`);
  return out;
}

type Walk = { results: PageResult[]; skipped: string[] };

async function walk(session: BrowserSession, who: string, start: string[], w: A11yWorld): Promise<Walk> {
  const { page } = session;
  await preloadAxe(session.context);
  await page.setViewportSize(WIDE);
  const queue = [...start];
  const seen = new Set(queue);
  const errorPagesChecked = new Set<number>();
  const walked: Walk = { results: [], skipped: [] };
  for (const path of queue) {
    const t0 = Date.now();
    const res = await page.goto(web.base + path);
    clock.load += Date.now() - t0;
    const status = res!.status();
    const landed = new URL(page.url());
    if (landed.pathname + landed.search !== path) {
      walked.skipped.push(`${path} → ${landed.pathname}`);
      continue;
    }
    if (status >= 400) {
      if (errorPagesChecked.has(status)) {
        walked.skipped.push(`${path} (${status})`);
        continue;
      }
      errorPagesChecked.add(status);
    }
    walked.results.push(await checkLoadedPage(page, who, path, status));
    for (const v of await variantsOf(page, path, w))
      if (!seen.has(v)) {
        seen.add(v);
        queue.push(v);
      }
  }
  return walked;
}

function report(who: string, walked: Walk, ms: number) {
  const lines = walked.results.map((r) => `  ${r.status} ${r.path}${r.violations.length || r.overflow ? '  ✗' : ''}`);
  console.log(
    `${who}: ${walked.results.length} pages checked (axe at ${WIDE.width} and ${PHONE.width} ` +
      `px, width at ${PHONE.width} px) in ${(ms / 1000).toFixed(1)} s; time in this ` +
      `file so far: page loads ${(clock.load / 1000).toFixed(1)} s, axe injections ` +
      `${(clock.inject / 1000).toFixed(1)} s, ${clock.axeRuns} axe runs ${(clock.axe / 1000).toFixed(1)} ` +
      `s\n${lines.join('\n')}\n  skipped: ${walked.skipped.join(', ') || 'none'}`,
  );
}

/** The signed-in pages of the route table as the role, plus a page that does not exist. */
async function walkSignedIn(who: string, session: BrowserSession, w: A11yWorld) {
  const t0 = Date.now();
  const walked = await walk(
    session,
    who,
    [
      ...pathsOf(
        ctx.routes.filter((r) => isPage(r) && r.access !== 'public'),
        w,
      ),
      '/no-such-page',
    ],
    w,
  );
  report(who, walked, Date.now() - t0);
  return walked;
}

/** Screenshots for a person to look at, and the collapsed menu worked by keyboard without JavaScript. */
async function phoneMenuAndShots(who: string, session: BrowserSession): Promise<string[]> {
  mkdirSync(SHOTS, { recursive: true });
  const failures: string[] = [];
  const { page } = session;
  for (const size of [WIDE, PHONE]) {
    await page.setViewportSize(size);
    for (const [name, path] of [
      ['tasks', '/tasks'],
      ['week', '/appointments/week'],
      ['nav', '/dashboard'],
    ] as const) {
      await page.goto(web.base + path);
      await page.screenshot({ path: `${SHOTS}/${who}-${size.width}-${name}.png`, fullPage: name !== 'nav' });
    }
  }
  // The open menu at phone width, in the page with JavaScript (axe needs it): no violations either.
  await page.setViewportSize(PHONE);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByText('Menu').click();
  await nav.getByRole('link', { name: 'Dashboard' }).waitFor({ state: 'visible' });
  await page.screenshot({ path: `${SHOTS}/${who}-390-nav-open.png` });
  failures.push(
    ...(await axeViolations(page)).map((v) => `${who} /dashboard with the menu open at ${PHONE.width}px: ${v}`),
  );
  await page.setViewportSize(WIDE);

  // Without JavaScript: collapsed, the menu takes one row; by keyboard it opens and its links work.
  const noJs = await web.browser.newContext({
    javaScriptEnabled: false,
    viewport: PHONE,
    storageState: await session.context.storageState(),
  });
  try {
    const p = await noJs.newPage();
    await p.goto(`${web.base}/dashboard`);
    const bar = p.getByRole('navigation', { name: 'Main' });
    const height = (await bar.boundingBox())!.height;
    if (height > 70) failures.push(`${who}: the collapsed navigation is ${height}px high at ${PHONE.width}px`);
    if (await bar.getByRole('link', { name: 'Tasks', exact: true }).isVisible())
      failures.push(`${who}: navigation links show before the menu is opened`);
    let focused = '';
    for (let i = 0; i < 6 && focused !== 'SUMMARY'; i++) {
      await p.keyboard.press('Tab');
      focused = String(await p.evaluate('document.activeElement && document.activeElement.tagName'));
    }
    if (focused !== 'SUMMARY') failures.push(`${who}: Tab never reached the Menu (last focus: ${focused})`);
    await p.keyboard.press('Enter');
    await bar.getByRole('link', { name: 'Tasks', exact: true }).waitFor({ state: 'visible' });
    // Tab into the open menu, past Dashboard (this page) to the next link, and follow it by Enter.
    const focusedHref = async () =>
      String(await p.evaluate('document.activeElement && document.activeElement.getAttribute("href")'));
    await p.keyboard.press('Tab');
    expect(await focusedHref()).toBe('/dashboard');
    await p.keyboard.press('Tab');
    const href = await focusedHref();
    expect(href).toMatch(/^\/companies/);
    await p.keyboard.press('Enter');
    await p.waitForURL(`${web.base}${href}`);
    await p.getByText('Menu').click();
    await bar.getByRole('link', { name: 'Tasks', exact: true }).click();
    await p.waitForURL(`${web.base}/tasks`);
    expect(await bar.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
  } finally {
    await noJs.close();
  }
  return failures;
}

async function signedInRole(who: string, user: (w: A11yWorld) => { id: number }) {
  const w = await makeA11yWorld(ctx);
  const session = await web.signInAs(user(w));
  const walked = await walkSignedIn(who, session, w);
  const failures = walked.results.flatMap(failuresOf);
  failures.push(...(await phoneMenuAndShots(who, session)));
  expect(failures).toEqual([]);
  // Every page was a real one (not all errors), and axe ran in the page without a CSP complaint.
  expect(walked.results.filter((r) => r.status === 200).length).toBeGreaterThan(15);
  expect(unexpected(session.problems)).toEqual([]);
}

describe.skipIf(!browserAvailable)('accessibility and phone widths of every page', () => {
  it(
    'as a visitor: the sign-in and password pages',
    async () => {
      const w = await makeA11yWorld(ctx);
      const session = await web.open();
      const { page } = session;
      const t0 = Date.now();
      // A sign-in under way, so that /login/verify shows its code form.
      await page.goto(`${web.base}/login`);
      await page.getByLabel('Email').fill(w.staffA.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${web.base}/login/verify`);
      const walked = await walk(
        session,
        'visitor',
        [
          ...pathsOf(
            ctx.routes.filter((r) => isPage(r) && r.access === 'public'),
            w,
          ),
          '/no-such-page',
        ],
        w,
      );
      // Pages that answer a form: a wrong password, and the mail-sent page of "forgot password".
      await page.goto(`${web.base}/login`);
      await page.getByLabel('Email').fill(w.managerA.email);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForLoadState('load');
      walked.results.push(await checkLoadedPage(page, 'visitor', 'POST /login (wrong password)', 422));
      await page.goto(`${web.base}/password/forgot`);
      await page.getByLabel('Email').fill(w.managerA.email);
      await page
        .getByRole('button')
        .filter({ hasText: /send|reset/i })
        .click();
      await page.waitForLoadState('load');
      walked.results.push(await checkLoadedPage(page, 'visitor', 'POST /password/forgot', 200));
      report('visitor', walked, Date.now() - t0);
      expect(walked.results.flatMap(failuresOf)).toEqual([]);
      expect(walked.results.map((r) => r.path)).toEqual(
        expect.arrayContaining(['/login', '/login/verify', '/password/forgot', `/password/reset/${w.ids.password}`]),
      );
      expect(unexpected(session.problems)).toEqual([]);
    },
    WALK_TIMEOUT,
  );

  it('as the superuser', () => signedInRole('superuser', (w) => w.su), WALK_TIMEOUT);
  it('as an account manager', () => signedInRole('manager', (w) => w.managerA), WALK_TIMEOUT);
  it('as staff', () => signedInRole('staff', (w) => w.staffA), WALK_TIMEOUT);
});

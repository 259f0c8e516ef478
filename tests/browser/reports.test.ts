// The reports in a real browser, for the manager, staff and a superuser: every report (and the refused range,
// and the superuser's company picker) passes axe at 1366 and 390 px without scrolling sideways, with deals
// in place so tables and charts are full; the period form works without JavaScript; screenshots for a person
// to look at go to /tmp/shots/reports/. (tests/browser/a11y.test.ts walks /reports too, with its own world.)
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { RANGE, reportWorld } from '../report/world.ts';
import { checkLoadedPage, failuresOf, PHONE, preloadAxe, WIDE } from './a11y.check.ts';
import { browserAvailable, useBrowser, withoutJavaScript } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots/reports';
const KINDS = ['person', 'source', 'month', 'reason'];

describe.skipIf(!browserAvailable)('reports in a browser', () => {
  it('pass axe at both widths for each role, and screenshots are taken', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await reportWorld(ctx);
    const cast = [
      { who: 'manager', user: w.managerA, extra: '' },
      { who: 'staff', user: w.staffA, extra: '' },
      { who: 'superuser', user: w.su, extra: `&companyId=${w.a.id}` },
    ];
    const failures: string[] = [];
    for (const { who, user, extra } of cast) {
      const session = await web.signInAs(user);
      const { page } = session;
      await preloadAxe(session.context);
      const paths = [
        ...KINDS.map((by) => `/reports?by=${by}&${RANGE}${extra}`),
        `/reports?by=person&range=custom&from=2026-02-30&to=2026-01-01${extra}`,
        ...(extra ? ['/reports?by=source'] : []),
      ];
      for (const path of paths) {
        await page.setViewportSize(WIDE);
        const res = await page.goto(web.base + path);
        failures.push(...failuresOf(await checkLoadedPage(page, who, path, res!.status())));
        const name = new URL(web.base + path).searchParams.get('by') ?? 'person';
        const tag = path.includes('2026-02-30') ? 'bad-range' : path === '/reports?by=source' ? 'picker' : name;
        for (const size of [WIDE, PHONE]) {
          await page.setViewportSize(size);
          await page.screenshot({ path: `${SHOTS}/${who}-${size.width}-${tag}.png`, fullPage: true });
        }
      }
      expect(session.problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('the period form works without JavaScript: choose last 12 months, then a tab keeps it', async () => {
    const w = await reportWorld(ctx);
    const session = await web.signInAs(w.managerA);
    await withoutJavaScript(web, session, async (p) => {
      await p.goto(`${web.base}/reports`);
      await p.getByLabel('Period', { exact: true }).selectOption('last-12-months');
      await p.getByLabel('Person', { exact: true }).selectOption(String(w.staffA.id));
      await p.getByRole('button', { name: 'Show report' }).click();
      await p.waitForURL(/range=last-12-months/);
      await p.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'By month' }).click();
      await p.waitForURL(/by=month/);
      const url = new URL(p.url());
      expect(url.searchParams.get('range')).toBe('last-12-months');
      expect(url.searchParams.get('assigneeId')).toBe(String(w.staffA.id));
      expect(await p.getByRole('heading', { name: /By month/ }).textContent()).toContain('Last 12 months');
    });
  });
});

// The dashboard's "Pipeline and results" in a real browser, for each role and choice (a manager's person, a
// superuser's company, a bad custom range): axe (WCAG 2.2 AA) finds nothing at 1366 px and 390 px, nothing
// scrolls sideways at 390 px, no console error (a CSP violation is one); screenshots for a person to look at.
// Without JavaScript the range form still works (a GET form).
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { resultsWorld } from '../dashboard/resultsWorld.ts';
import { checkLoadedPage, failuresOf, PHONE, preloadAxe, WIDE } from './a11y.check.ts';
import { browserAvailable, useBrowser, withoutJavaScript } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots/dash';
const unexpected = (problems: string[]) =>
  problems.filter((p) => !/^Failed to load resource: the server responded with a status of 422 /.test(p));

describe.skipIf(!browserAvailable)('the dashboard’s charts in a browser', () => {
  it('pass axe and fit 390 px for each role and choice', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await resultsWorld(ctx);
    const failures: string[] = [];
    for (const [who, user, paths] of [
      ['staff', w.staffA, ['/dashboard', '/dashboard?range=custom&from=2026-03-01&to=2026-02-01']],
      ['manager', w.managerA, ['/dashboard?range=last-12-months', `/dashboard?assigneeId=${w.staffA.id}`]],
      ['superuser', w.su, ['/dashboard?range=last-12-months', `/dashboard?companyId=${w.a.id}&range=last-12-months`]],
    ] as const) {
      const session = await web.signInAs(user);
      await preloadAxe(session.context);
      for (const [i, path] of paths.entries()) {
        await session.page.setViewportSize(WIDE);
        const res = await session.page.goto(web.base + path);
        failures.push(...failuresOf(await checkLoadedPage(session.page, who, path, res!.status())));
        for (const size of [WIDE, PHONE]) {
          await session.page.setViewportSize(size);
          await session.page.screenshot({ path: `${SHOTS}/${who}-${i}-${size.width}.png`, fullPage: true });
        }
      }
      failures.push(...unexpected(session.problems).map((p) => `${who}: ${p}`));
    }
    expect(failures).toEqual([]);
  }, 180_000);

  it('the range form works without JavaScript', async () => {
    const w = await resultsWorld(ctx);
    const session = await web.signInAs(w.managerA);
    await withoutJavaScript(web, session, async (p) => {
      await p.goto(`${web.base}/dashboard`);
      await p.getByLabel('Range', { exact: true }).selectOption('last-12-months');
      await p.getByLabel('Person', { exact: true }).selectOption(String(w.staffA.id));
      await p.getByRole('button', { name: 'Show' }).click();
      await p.waitForURL(/range=last-12-months/);
      expect(new URL(p.url()).searchParams.get('assigneeId')).toBe(String(w.staffA.id));
      expect(await p.getByRole('img', { name: /Won value per month/ }).count()).toBe(1);
    });
  });
});

// The appointment calendars in a browser: the month view (with tasks, a busy day's "+N more", a bad month value)
// and the week's hour grid, as an account manager, staff and a superuser: axe finds nothing at 1366 and 390 px, no page
// scrolls sideways, and without JavaScript the month's links are reached by Tab in reading order.
// Screenshots for a person to look at go to /tmp/shots/month/.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { checkLoadedPage, failuresOf, PHONE, preloadAxe, WIDE } from './a11y.check.ts';
import { browserAvailable, signInContext, useBrowser } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots/month';
const DAY = 86_400_000;
const TITLES = ['Kick-off', 'Budget review', 'Site visit', 'Demo for Zeppelin', 'Weekly sync', 'Contract call'];

async function calendarWorld() {
  const w = await buildWorld(ctx);
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const at = (days: number, hour: number) => new Date(today.getTime() + days * DAY + hour * 3600_000);
  const people = [w.staffA.id, w.colleagueA.id];
  for (let i = 0; i < 14; i++) {
    const startsAt = at(i - 7, 8 + (i % 9));
    await ctx.make.appointment(w.a.id, i % 3 ? [people[i % 2], w.managerA.id] : [w.staffA.id], {
      title: TITLES[i % TITLES.length],
      startsAt,
      endsAt: new Date(startsAt.getTime() + (1 + (i % 3)) * 1800_000),
      ...(i % 2 ? { location: 'Room 2' } : {}),
    });
  }
  // A busy day (today): six appointments, overlapping, for "+N more" and side-by-side hours.
  for (let i = 0; i < 6; i++)
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: `Busy ${i + 1}`, startsAt: at(0, 9 + (i >> 1)) });
  await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Night install', startsAt: at(1, 22), endsAt: at(2, 2) });
  await ctx.make.task(w.a.id, w.staffA.id, { title: 'Send the quote', dueAt: at(1, 15) });
  await ctx.make.task(w.a.id, w.staffA.id, { title: 'Call back Anna', dueAt: at(-1, 10), status: 'DONE' });
  await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Prepare slides', dueAt: at(2, 11) });
  return w;
}

describe.skipIf(!browserAvailable)('appointment calendars in a browser', () => {
  it('month and week views pass axe at both widths for a manager and staff; screenshots', async () => {
    const w = await calendarWorld();
    mkdirSync(SHOTS, { recursive: true });
    const failures: string[] = [];
    for (const [who, user] of [
      ['manager', w.managerA],
      ['staff', w.staffA],
      ['superuser', w.su],
    ] as const) {
      const session = await web.open();
      await signInContext(ctx, session.context, web.base, user);
      await preloadAxe(session.context);
      const { page } = session;
      for (const [name, path] of [
        ['month', '/appointments/month?tasks=1'],
        ['month-bad', '/appointments/month?month=2030-13'],
        ['week', '/appointments/week'],
      ]) {
        await page.setViewportSize(WIDE);
        const res = await page.goto(web.base + path);
        expect(res!.status(), path).toBe(200);
        failures.push(...failuresOf(await checkLoadedPage(page, who, path, 200)));
        for (const size of [WIDE, PHONE]) {
          await page.setViewportSize(size);
          await page.screenshot({ path: `${SHOTS}/${who}-${size.width}-${name}.png`, fullPage: true });
        }
      }
      expect(session.problems).toEqual([]);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('without JavaScript, Tab walks the month: switcher, months, filter, then the days’ links in order', async () => {
    const w = await calendarWorld();
    const context = await web.browser.newContext({ javaScriptEnabled: false, viewport: WIDE });
    try {
      await signInContext(ctx, context, web.base, w.staffA);
      const page = await context.newPage();
      await page.goto(`${web.base}/appointments/month?tasks=1`);
      // Strings, not functions: the tests compile without the DOM's types (as a11y.check.ts does).
      const expected = (await page.evaluate(
        `[...document.querySelectorAll('main a[href], main input, main select, main button')]
          .filter((e) => e.offsetParent !== null).map((e) => e.outerHTML.slice(0, 60))`,
      )) as string[];
      const focused: string[] = [];
      await page.evaluate(`(() => { const h = document.querySelector('main h1'); h.tabIndex = -1; h.focus(); })()`);
      for (let i = 0; i < expected.length; i++) {
        await page.keyboard.press('Tab');
        focused.push(String(await page.evaluate('document.activeElement.outerHTML.slice(0, 60)')));
      }
      expect(focused).toEqual(expected);
      expect(focused.some((h) => h.includes('href="/appointments/') && /\/appointments\/\d+"/.test(h))).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});

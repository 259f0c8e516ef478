// The board in a real browser: axe (WCAG 2.2 AA) finds nothing at 1366 and 390 px, the phone width does not
// scroll sideways, for a manager, staff and a superuser (the company picker and a chosen company's board);
// screenshots for a person to look at under /tmp/shots/board/.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLoadedPage, failuresOf, PHONE, preloadAxe, WIDE } from '../browser/a11y.check.ts';
import { browserAvailable, useBrowser, withoutJavaScript } from '../browser/helpers.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { fillBoard } from './boardWorld.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots/board';

describe.skipIf(!browserAvailable)('the board in a browser', () => {
  it('passes axe at both widths and fits a phone, for each role', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await buildWorld(ctx);
    await fillBoard(ctx, w);
    const failures: string[] = [];
    const visits = [
      ['manager', w.managerA, ['/leads/board', '/leads/board?month=2026-13', `/leads/board?assigneeId=${w.staffA.id}`]],
      ['staff', w.staffA, ['/leads/board']],
      ['superuser', w.su, ['/leads/board', `/leads/board?companyId=${w.a.id}`]],
    ] as const;
    for (const [who, user, paths] of visits) {
      const session = await web.signInAs(user);
      await preloadAxe(session.context);
      const { page } = session;
      for (const [i, path] of paths.entries()) {
        await page.setViewportSize(WIDE);
        const res = await page.goto(web.base + path);
        failures.push(...failuresOf(await checkLoadedPage(page, who, path, res!.status())));
        for (const size of [WIDE, PHONE]) {
          await page.setViewportSize(size);
          await page.screenshot({ path: `${SHOTS}/${who}-${size.width}-${i}.png`, fullPage: true });
          await page.screenshot({ path: `${SHOTS}/${who}-${size.width}-${i}-top.png` });
        }
      }
      expect(session.problems).toEqual([]);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('moves a card by dragging (JavaScript on) and with its button (JavaScript off), back on the board', async () => {
    const w = await buildWorld(ctx);
    const dragged = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', title: 'Drag me' });
    const pressed = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', title: 'Press me' });
    const session = await web.signInAs(w.managerA);
    const { page } = session;
    await page.setViewportSize(WIDE);
    await page.goto(`${web.base}/leads/board?source=OTHER`);
    await page.locator('[data-board-enhanced]').waitFor();
    await page.dragAndDrop(`li[data-lead-id="${dragged.id}"]`, 'section[data-stage="QUALIFIED"]');
    await page.waitForURL(`${web.base}/leads/board?source=OTHER`);
    await page.locator(`section[data-stage="QUALIFIED"] li[data-lead-id="${dragged.id}"]`).waitFor();
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: dragged.id } })).status).toBe('QUALIFIED');
    await page.screenshot({ path: `${SHOTS}/manager-1366-after-drag.png` });
    expect(session.problems).toEqual([]);

    await withoutJavaScript(
      web,
      session,
      async (p) => {
        await p.goto(`${web.base}/leads/board`);
        await p.locator(`li[data-lead-id="${pressed.id}"] button[data-move="CONTACTED"]`).click();
        await p.waitForURL(`${web.base}/leads/board`);
        await p.locator(`section[data-stage="CONTACTED"] li[data-lead-id="${pressed.id}"]`).waitFor();
        expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: pressed.id } })).status).toBe('CONTACTED');
      },
      WIDE,
    );
  }, 120_000);
});

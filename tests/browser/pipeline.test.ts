// Issue 14's walk in a real browser, as an account manager: on the board, a card moved with its button and
// (JavaScript on) by dragging; a deal marked lost with a reason from its card; the dashboard's figures for the
// chosen range, before and after. Then the same work with JavaScript off. Every step re-reads the database.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WIDE } from './a11y.check.ts';
import { browserAvailable, useBrowser, withoutJavaScript } from './helpers.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots/pipeline';

const statusOf = async (id: number) => ctx.prisma.lead.findUniqueOrThrow({ where: { id } });
const metric = async (page: Page, name: string) =>
  (await page.locator(`[data-metric="${name}"]`).textContent())?.trim();

/** Moves a card with its "Move to" button and waits until the board is shown again. */
async function pressMove(page: Page, leadId: number, stage: string) {
  await page.locator(`li[data-lead-id="${leadId}"] button[data-move="${stage}"]`).click();
  await page.locator(`section[data-stage="${stage}"] li[data-lead-id="${leadId}"]`).waitFor();
}

/** From the card's "Lost" link: the reason page, "Price", back on the board. */
async function markLost(page: Page, leadId: number) {
  await page.locator(`li[data-lead-id="${leadId}"] a[href^="/leads/${leadId}/lost"]`).click();
  await page.getByLabel('Price').check();
  await page.getByRole('button', { name: 'Mark lost' }).click();
  await page.waitForURL(/\/leads\/board/);
  await page.locator(`li[data-lead-id="${leadId}"]`).waitFor({ state: 'detached' });
}

/** The dashboard for a range chosen in its form (the select and "Show"), as a person would. */
async function dashboardFor(page: Page, rangeLabel: string) {
  await page.goto(`${web.base}/dashboard`);
  await page.getByLabel('Range', { exact: true }).selectOption({ label: rangeLabel });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('[data-metric="lost-value"]').waitFor();
}

describe.skipIf(!browserAvailable)('the pipeline, as a manager works it', () => {
  it('board moves (button, drag), a lost reason, the dashboard by range; all of it without JavaScript', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await buildWorld(ctx);
    const lead = (title: string, data: Record<string, unknown>) =>
      ctx.make.lead(w.a.id, w.staffA.id, { title, source: 'REFERRAL', ...data });
    const lastMonth = new Date();
    lastMonth.setUTCDate(1);
    lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1);
    lastMonth.setUTCDate(10);
    const alpha = await lead('Deal Alpha', { status: 'NEW', estimatedValue: '1000.00' });
    const beta = await lead('Deal Beta', { status: 'CONTACTED', estimatedValue: '2500.00' });
    await lead('Deal Gamma', { status: 'WON', estimatedValue: '4000.00', closedAt: lastMonth });
    const delta = await lead('Deal Delta', { status: 'NEW', estimatedValue: '700.00' });
    const epsilon = await lead('Deal Epsilon', { status: 'QUALIFIED', estimatedValue: '300.00' });

    const session = await web.signInAs(w.managerA);
    const { page } = session;
    await page.setViewportSize(WIDE);
    await dashboardFor(page, 'This month');
    expect(await metric(page, 'lost-value')).toBe('€0');

    await page.goto(`${web.base}/leads/board`);
    await page.locator('[data-board-enhanced]').waitFor();
    await pressMove(page, alpha.id, 'CONTACTED');
    expect((await statusOf(alpha.id)).status).toBe('CONTACTED');
    await page.dragAndDrop(`li[data-lead-id="${alpha.id}"]`, 'section[data-stage="QUALIFIED"]');
    await page.locator(`section[data-stage="QUALIFIED"] li[data-lead-id="${alpha.id}"]`).waitFor();
    expect((await statusOf(alpha.id)).status).toBe('QUALIFIED');
    await markLost(page, beta.id);
    expect(await statusOf(beta.id)).toMatchObject({ status: 'LOST', lostReason: 'PRICE' });
    await page.screenshot({ path: `${SHOTS}/board-after.png`, fullPage: true });

    await dashboardFor(page, 'This month');
    expect(await metric(page, 'lost-value')).toBe('€2,500');
    await page.screenshot({ path: `${SHOTS}/dashboard-this-month.png`, fullPage: true });
    await dashboardFor(page, 'Last month');
    expect(page.url()).toContain('range=last-month');
    expect([await metric(page, 'won-value'), await metric(page, 'lost-value')]).toEqual(['€4,000', '€0']);
    expect(session.problems).toEqual([]);

    await withoutJavaScript(
      web,
      session,
      async (p) => {
        await p.goto(`${web.base}/leads/board`);
        await pressMove(p, delta.id, 'CONTACTED');
        expect((await statusOf(delta.id)).status).toBe('CONTACTED');
        await markLost(p, epsilon.id);
        expect(await statusOf(epsilon.id)).toMatchObject({ status: 'LOST', lostReason: 'PRICE' });
        await dashboardFor(p, 'This month');
        expect(await metric(p, 'lost-value')).toBe('€2,800');
      },
      WIDE,
    );
    // Nothing else moved: the other company's and the untouched leads are as they were.
    expect((await ctx.prisma.lead.groupBy({ by: ['status'], _count: true, orderBy: { status: 'asc' } })).length).toBe(
      4,
    );
  }, 180_000);
});

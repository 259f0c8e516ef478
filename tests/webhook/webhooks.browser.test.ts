// Webhooks in a browser, at 1366 and 390 px, as an account manager: the menu link, a new endpoint (the 422 first),
// the secret shown once, "Send a test event", the ping in the log; axe finds nothing and nothing scrolls sideways.
// The receiver is a real HTTP server. Screenshots go to /tmp/shots/webhook/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, PHONE, sidewaysOverflow, WIDE } from '../browser/a11y.check.ts';
import { browserAvailable, useBrowser } from '../browser/helpers.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { startReceiver, verifySignature, waitFor } from './receiver.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots/webhook';
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

describe.skipIf(!browserAvailable)('webhooks in a browser', () => {
  it('an account manager registers an endpoint, copies its secret, sends a test event and reads the log', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await buildWorld(ctx);
    const { page, problems } = await web.signInAs(w.managerA);
    for (const [width, size] of [
      ['1366', WIDE],
      ['390', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      await page.goto(`${web.base}/dashboard`);
      if (width === '390') await page.getByText('Menu').click();
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('link', { name: 'New endpoint' }).click();
      await page.getByLabel('URL').fill('not a url');
      await page.getByLabel('Description').fill(`Receiver ${width}`);
      await page.getByRole('button', { name: 'Create endpoint' }).click();
      expect(await page.locator('#f-url-error').textContent()).toMatch(/full URL/);
      expect(await page.locator('#f-events-error').textContent()).toMatch(/at least one event/);
      expect(await page.getByLabel('Description').inputValue()).toBe(`Receiver ${width}`);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/form-422-${width}.png`, fullPage: true });
      await page.getByLabel('URL').fill(`${receiver.url}?w=${width}`);
      await page.getByLabel('lead.won').check();
      await page.getByLabel('task.done').check();
      await page.getByRole('button', { name: 'Create endpoint' }).click();
      const secret = await page.getByLabel('Secret', { exact: true }).inputValue();
      expect(secret).toMatch(/^whsec_/);
      expect(await axeViolations(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.screenshot({ path: `${SHOTS}/secret-${width}.png`, fullPage: true });
      const before = receiver.received.length;
      await page.getByRole('button', { name: 'Send a test event' }).click();
      await page.getByText('Test event queued').waitFor();
      expect(await page.locator('#new-secret-value').count()).toBe(0);
      await waitFor('the ping', () => receiver.received.length === before + 1);
      const ping = receiver.received[before];
      expect(JSON.parse(ping.body).type).toBe('ping');
      expect(verifySignature(secret, String(ping.headers['x-crm-signature']), ping.body)).toBe(true);
      await waitFor('the log row', async () => (await ctx.prisma.webhookDelivery.count()) > (width === '390' ? 1 : 0));
      await page.reload();
      await page.locator('tr[data-event="ping"]').first().waitFor();
      expect(await page.locator('#log').textContent()).toMatch(/Delivered\s+200/);
      expect(await axeViolations(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.screenshot({ path: `${SHOTS}/log-${width}.png`, fullPage: true });
      await page.goto(`${web.base}/webhooks`);
      expect(await axeViolations(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.screenshot({ path: `${SHOTS}/list-${width}.png`, fullPage: true });
    }
    // The 422 at each width is the one expected console error.
    expect(problems.filter((p) => !p.includes('422 (Unprocessable Entity) (http://127.0.0.1'))).toEqual([]);
    expect(await ctx.prisma.webhookEndpoint.count()).toBe(2);
  }, 180_000);
});

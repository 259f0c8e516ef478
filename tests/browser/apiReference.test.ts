// The API reference page in a real browser: no CSP violation or console error, axe-core (WCAG 2.2 AA) finds
// nothing at 1366 and 390 px, nothing scrolls sideways on a phone, and the contents' links reach their operation.
// Screenshots go to /tmp/shots for a person to look at.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { checkLoadedPage, failuresOf, PHONE, WIDE } from './a11y.check.ts';
import { browserAvailable, useBrowser } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots';

describe.skipIf(!browserAvailable)('the API reference page in a browser', () => {
  it('is accessible at both widths, fits a phone, and its contents link to the operations', async () => {
    const w = await buildWorld(ctx);
    const { page, problems } = await web.signInAs(w.staffA);
    await page.setViewportSize(WIDE);
    const res = await page.goto(`${web.base}/api/docs`);
    expect(res?.status()).toBe(200);
    const result = await checkLoadedPage(page, 'staff', '/api/docs', 200);
    expect(failuresOf(result)).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    const patch = page.locator('#op-patchCustomersById');
    await page.screenshot({ path: `${SHOTS}/api-docs-1366.png` });
    await patch.screenshot({ path: `${SHOTS}/api-docs-1366-patch.png` });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/api-docs-390.png` });
    await page.getByRole('link', { name: /PATCH \/api\/v1\/customers\/\{id\}/ }).click();
    expect(new URL(page.url()).hash).toBe('#op-patchCustomersById');
    await patch.screenshot({ path: `${SHOTS}/api-docs-390-patch.png` });
    await page.locator('#schema-Lead').screenshot({ path: `${SHOTS}/api-docs-390-lead.png` });
    expect(problems).toEqual([]);
    // axe over the long reference at two widths: 52 s of the default 60 in the last CI run (a loaded machine).
  }, 180_000);
});

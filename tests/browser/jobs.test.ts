// /jobs in a browser: a superuser retries a failed mail with the keyboard; axe finds nothing at either width.
// With SHOTS_DIR set, the page's screenshots are written there (for review).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { axeViolations, PHONE, WIDE } from './a11y.check.ts';
import { browserAvailable, useBrowser } from './helpers.ts';

// The app only enqueues here: the jobs stay put for the page to show.
const ctx = useTestContext({ JOBS: 'off' });
const web = useBrowser(ctx);

describe.runIf(browserAvailable)('/jobs', () => {
  it('lists failed and waiting jobs, passes axe, and Retry works from the keyboard', async () => {
    const w = await buildWorld(ctx);
    for (const to of ['ada@x.test', 'bob@x.test', 'cy@x.test'])
      await ctx.jobs.enqueue('mail', { to, subject: 'S', text: 'code 123456', html: '<p>code 123456</p>' });
    await ctx.db.pool.query(
      `UPDATE pgboss.job SET state = 'failed', retry_count = 8, started_on = now(), completed_on = now(),
              output = '{"message":"The mail server did not accept the message."}'
        WHERE data->>'to' <> 'cy@x.test'`,
    );
    const { page, problems } = await web.signInAs(w.su);
    for (const size of [WIDE, PHONE]) {
      await page.setViewportSize(size);
      await page.goto(`${web.base}/jobs`);
      expect(await axeViolations(page)).toEqual([]);
      if (process.env.SHOTS_DIR)
        await page.screenshot({ path: path.join(process.env.SHOTS_DIR, `jobs-${size.width}.png`), fullPage: true });
    }
    await page.setViewportSize(WIDE);
    expect(await page.locator('tbody tr').count()).toBe(3);
    expect(await page.content()).not.toContain('123456');
    // Tab to the first Retry button and press Enter: back on the list with the message.
    const retry = page.getByRole('button', { name: /Retry/ }).first();
    await retry.focus();
    await page.keyboard.press('Enter');
    await page.getByText('The job will run again shortly.').waitFor();
    expect(page.url()).toMatch(/\/jobs(\?|$)/);
    expect(await page.getByRole('button', { name: /Retry/ }).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});

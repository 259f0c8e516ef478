// The profile's calendar section in a browser, at 1366 and 390 px: created with its button (no script needed), the
// address shown once in a labelled read-only field, axe finds nothing, nothing scrolls sideways. Screenshots go
// to /tmp/shots/cal/.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axeViolations, PHONE, sidewaysOverflow, WIDE } from '../browser/a11y.check.ts';
import { browserAvailable, useBrowser } from '../browser/helpers.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots/cal';

describe.skipIf(!browserAvailable)('the calendar section of the profile', () => {
  it('creates, shows once, replaces; accessible and fitting at both widths', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await buildWorld(ctx);
    for (const [who, user] of [
      ['staff', w.staffA],
      ['manager', w.managerA],
    ] as const) {
      const { page, problems } = await web.signInAs(user);
      for (const [width, size] of [
        ['1366', WIDE],
        ['390', PHONE],
      ] as const) {
        await page.setViewportSize(size);
        await page.goto(`${web.base}/profile`);
        await page.getByRole('button', { name: /Create a calendar address|Replace the address/ }).click();
        await page.waitForURL(`${web.base}/profile#calendar`);
        const field = page.getByLabel('Your calendar address');
        expect(await field.inputValue()).toMatch(/^http:\/\/crm\.test\/calendar\/[\w-]{43}\.ics$/);
        expect(await axeViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);
        await page.locator('#calendar').screenshot({ path: `${SHOTS}/profile-calendar-new-${who}-${width}.png` });
        await page.screenshot({ path: `${SHOTS}/profile-${who}-${width}.png`, fullPage: true });
        await page.reload();
        expect(await page.getByLabel('Your calendar address').count()).toBe(0);
        expect(await axeViolations(page)).toEqual([]);
        await page.locator('#calendar').screenshot({ path: `${SHOTS}/profile-calendar-active-${who}-${width}.png` });
      }
      expect(problems).toEqual([]);
    }
  }, 120_000);

  it('an appointment page offers "Add to calendar" (a download) and fits at both widths', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await buildWorld(ctx);
    const appt = await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Quarterly review with the client' });
    const { page, problems } = await web.signInAs(w.staffA);
    for (const [width, size] of [
      ['1366', WIDE],
      ['390', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      await page.goto(`${web.base}/appointments/${appt.id}`);
      expect(await axeViolations(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.screenshot({ path: `${SHOTS}/appointment-${width}.png` });
    }
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Add to calendar' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('quarterly-review-with-the-client.ics');
    expect(problems).toEqual([]);
  }, 60_000);
});

// The reminder settings in a browser, at 1366 and 390 px, for each role: chosen with the keyboard-usable selects and
// saved without any script, axe finds nothing, nothing scrolls sideways; a wrong value posted by hand is announced
// beside its field. A task's reminder on the task form too. Screenshots go to /tmp/shots/reminder/.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axeViolations, PHONE, sidewaysOverflow, WIDE } from '../browser/a11y.check.ts';
import { browserAvailable, useBrowser } from '../browser/helpers.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots/reminder';

describe.skipIf(!browserAvailable)('reminder settings in a browser', () => {
  it('each role saves its reminders and digest hour; accessible and fitting at both widths', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await buildWorld(ctx);
    for (const [who, user] of [
      ['staff', w.staffA],
      ['manager', w.managerA],
      ['superuser', w.su],
    ] as const) {
      const { page, problems } = await web.signInAs(user);
      for (const [width, size, hour] of [
        ['1366', WIDE, '7'],
        ['390', PHONE, '9'],
      ] as const) {
        await page.setViewportSize(size);
        await page.goto(`${web.base}/profile`);
        await page.getByLabel('Morning digest').selectOption(hour);
        await page.getByLabel('Appointments you attend').selectOption('60');
        await page.getByRole('button', { name: 'Save reminders' }).click();
        await page.waitForURL(`${web.base}/profile#reminders`);
        expect(await page.getByLabel('Morning digest').inputValue()).toBe(hour);
        expect(await page.getByText('Reminder settings saved.').count()).toBe(1);
        expect(await axeViolations(page)).toEqual([]);
        expect(await sidewaysOverflow(page)).toBe(0);
        await page.locator('#reminders').screenshot({ path: `${SHOTS}/profile-reminders-${who}-${width}.png` });
        await page.screenshot({ path: `${SHOTS}/profile-${who}-${width}.png`, fullPage: true });
      }
      const saved = await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect([saved.digestHour, saved.appointmentReminderMinutes]).toEqual([9, 60]);
      expect(problems).toEqual([]);
    }
  }, 180_000);

  it('a bad value is announced beside its field; the task form offers the reminder', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await buildWorld(ctx);
    const { page, problems } = await web.signInAs(w.staffA);
    await page.setViewportSize(WIDE);
    await page.goto(`${web.base}/profile`);
    // A value the select does not offer, as a crafted post would send it.
    await page.locator('#f-digestHour option[value="7"]').evaluate((o) => o.setAttribute('value', '31'));
    await page.getByLabel('Morning digest').selectOption('31');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    const error = page.locator('#f-digestHour-error');
    expect(await error.textContent()).toBe('Choose an hour for the digest.');
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await page.getByLabel('Morning digest').getAttribute('aria-describedby')).toBe('f-digestHour-error');
    await page.locator('#reminders').screenshot({ path: `${SHOTS}/profile-reminders-error-1366.png` });
    for (const [width, size] of [
      ['1366', WIDE],
      ['390', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      await page.goto(`${web.base}/tasks/new`);
      await page.getByLabel('Title').fill(`Follow up ${width}`);
      await page.getByLabel('Due').fill('2030-01-14T10:00');
      await page.getByLabel('Reminder').selectOption('DAY_BEFORE');
      expect(await axeViolations(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.screenshot({ path: `${SHOTS}/task-form-${width}.png`, fullPage: true });
      await page.getByRole('button', { name: /Save|Create/ }).click();
      await page.waitForURL(/\/tasks\/\d+$/);
      expect(await page.getByText('One day before').count()).toBe(1);
    }
    expect(await ctx.prisma.task.count({ where: { reminder: 'DAY_BEFORE' } })).toBe(2);
    // The 422 of the crafted value is the one expected console error.
    expect(problems.filter((p) => !p.includes('422'))).toEqual([]);
  }, 120_000);
});

// The record picker in a real browser, in a company of 100,000 customers: the last one by name is
// found by typing (public/js/recordPicker.js asks /pick/customers.json; the status line says how many
// matched) and, with JavaScript switched off, by the Search button, which posts the form back with
// everything typed kept. Keyboard only in both; Enter in a field still saves; no CSP or console error.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { manyCustomers } from '../picker/world.ts';
import { browserAvailable, shows, useBrowser } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const TIMEOUT = 240_000;

/** The task form's customer picker (the form has a lead picker too, with its own "Find by name" and "Search"). */
const customerPicker = (page: Page) => page.locator('[data-record-picker="customers"]');

async function fillTask(page: Page, title: string) {
  await page.goto(`${web.base}/tasks/new`);
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Typed before the search.');
  await page.getByLabel('Priority').selectOption({ label: 'High' });
}

describe.skipIf(!browserAvailable)('the record picker in a browser', () => {
  it(
    'with JavaScript: typing lists the 100,000th customer; it is chosen by keyboard and saved',
    async () => {
      const company = await ctx.make.company({ name: 'Acme' });
      const staff = await ctx.make.staff(company.id, { name: 'Sam Staff' });
      const other = await ctx.make.company({ name: 'Other' });
      await ctx.make.customer(other.id, { name: 'Zephyr Quartz Elsewhere' });
      const last = await manyCustomers(ctx, company.id);
      const { page, problems } = await web.signInAs(staff);

      await fillTask(page, 'Call the last customer');
      const customer = page.getByLabel('Customer', { exact: true });
      expect(await customer.locator('option').count()).toBeLessThanOrEqual(21);
      await customerPicker(page).getByLabel('Find by name').focus();
      await page.keyboard.type('zephyr');
      await page.getByText('1 customer matches "zephyr".').waitFor();
      expect(await customer.locator('option').allTextContents()).toEqual([
        'No customer',
        'Zephyr Quartz — Last Of Many',
      ]);
      // The typing went to the search box and nowhere else: nothing was posted.
      expect(new URL(page.url()).pathname).toBe('/tasks/new');
      await page.keyboard.press('Enter');
      await page.getByText('1 customer matches "zephyr".').waitFor();
      expect(await ctx.prisma.task.count()).toBe(0);
      // Shift+Tab back to the select, choose by keyboard, then Enter in the title saves the form.
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('f-customerId');
      await page.keyboard.press('ArrowDown');
      expect(await customer.inputValue()).toBe(String(last.id));
      await page.getByLabel('Title').press('Enter');
      await shows(page, 'Task "Call the last customer" created.');
      expect(await ctx.prisma.task.findFirstOrThrow()).toMatchObject({
        customerId: last.id,
        priority: 'HIGH',
        description: 'Typed before the search.',
      });
      expect(problems).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'without JavaScript: Search posts the form back with the matches and the typed values; then Save',
    async () => {
      const company = await ctx.make.company({ name: 'Acme' });
      const staff = await ctx.make.staff(company.id, { name: 'Sam Staff' });
      const last = await manyCustomers(ctx, company.id);
      const signedIn = await web.signInAs(staff);
      const context = await web.browser.newContext({
        javaScriptEnabled: false,
        storageState: await signedIn.context.storageState(),
      });
      const page = await context.newPage();
      try {
        await fillTask(page, 'Visit the last customer');
        await customerPicker(page).getByLabel('Find by name').fill('quartz');
        await customerPicker(page).getByRole('button', { name: 'Search' }).press('Enter');
        await page.getByText('1 customer matches "quartz".').waitFor();
        await page.waitForLoadState('load');
        expect(await ctx.prisma.task.count()).toBe(0);
        expect(await page.getByLabel('Title').inputValue()).toBe('Visit the last customer');
        expect(await page.getByLabel('Description').inputValue()).toBe('Typed before the search.');
        expect(await page.getByLabel('Priority').inputValue()).toBe('HIGH');
        expect(await customerPicker(page).getByLabel('Find by name').inputValue()).toBe('quartz');
        await page.getByLabel('Customer', { exact: true }).selectOption({ label: 'Zephyr Quartz — Last Of Many' });
        await page.getByRole('button', { name: 'Save' }).click();
        await shows(page, 'Task "Visit the last customer" created.');
        expect(await ctx.prisma.task.findFirstOrThrow()).toMatchObject({ customerId: last.id, priority: 'HIGH' });
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );
});

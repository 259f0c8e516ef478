// An account manager works a lead in a real browser: create it for a colleague, find it by search,
// edit it, convert it to a new customer, then delete that customer (detaching the lead).
// No JavaScript is needed by the pages; none may fail.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { browserAvailable, useBrowser } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);

describe.skipIf(!browserAvailable)('leads in a browser', () => {
  it('create → find by search → edit → convert → delete the customer', async () => {
    const company = await ctx.make.company({ name: 'Acme' });
    const manager = await ctx.make.manager(company.id, { name: 'Mona Manager' });
    const staff = await ctx.make.staff(company.id, { name: 'Sam Staff' });
    await ctx.make.lead(company.id, staff.id, { title: 'Something else entirely' });
    const { page, problems } = await web.signInAs(manager);
    const nav = page.getByRole('navigation', { name: 'Main' });
    // Waits for what the next page shows (it may take a moment on a busy machine). Flash messages are
    // not waited for: the browser's /favicon.ico request can consume one before the page shows it.
    const see = (text: string) => page.getByText(text).first().waitFor({ state: 'visible', timeout: 15_000 });

    await nav.getByRole('link', { name: 'Leads', exact: true }).click();
    await page.getByRole('link', { name: 'New lead' }).click();
    await page.getByLabel('Title').fill('Solar roof for the depot');
    await page.getByLabel('Contact name').fill('Dana Deal');
    await page.getByLabel('Organisation').fill('Deal Logistics');
    await page.getByLabel('Email').fill('dana@deal.test');
    await page.getByLabel('Source').selectOption({ label: 'Referral' });
    await page.getByLabel('Estimated value').fill('48000');
    await page.getByLabel('Assigned to').selectOption({ label: 'Sam Staff' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/leads\/\d+$/);
    await see('Created');
    const lead = await ctx.prisma.lead.findFirstOrThrow({ where: { title: 'Solar roof for the depot' } });
    expect(lead).toMatchObject({ assigneeId: staff.id, source: 'REFERRAL', status: 'NEW', companyId: company.id });
    expect(
      (await ctx.mail.latestTo(staff.email, 10_000, 'Lead assigned to you: Solar roof for the depot')).subject,
    ).toBe('Lead assigned to you: Solar roof for the depot');

    await nav.getByRole('link', { name: 'Leads', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('DEAL LOG');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=DEAL\+LOG/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'Solar roof for the depot' }).click();

    await page.getByRole('button', { name: 'Mark contacted' }).click();
    await page.getByRole('button', { name: 'Mark qualified' }).waitFor();
    await page.getByRole('link', { name: 'Edit' }).click();
    expect(await page.getByLabel('Estimated value').inputValue()).toBe('48000.00');
    await page.getByLabel('Estimated value').fill('52000');
    await page.getByLabel('Status').selectOption({ label: 'Qualified' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/leads\/\d+$/);
    await see('52,000.00');
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      status: 'QUALIFIED',
      version: 3,
    });

    await page.getByRole('link', { name: 'Convert to customer' }).click();
    expect(await page.getByLabel(/^Name/).inputValue()).toBe('Dana Deal');
    await page.getByLabel('Address').fill('Harbour Road 7');
    await page.getByRole('button', { name: 'Convert to a new customer' }).click();
    await page.waitForURL(/\/customers\/\d+$/);
    await page.getByRole('heading', { name: 'Dana Deal' }).waitFor();
    const customer = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Dana Deal' } });
    expect(customer).toMatchObject({
      companyId: company.id,
      organisation: 'Deal Logistics',
      address: 'Harbour Road 7',
      ownerId: staff.id,
    });
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      status: 'WON',
      customerId: customer.id,
    });
    // The lead is linked twice from the customer's timeline: as its lead, and in "… created it from the lead …".
    const leadLinks = page.getByRole('link', { name: 'Solar roof for the depot' });
    expect(await leadLinks.count()).toBe(2);
    const inTimeline = page
      .getByRole('region', { name: 'Timeline' })
      .getByRole('link', { name: 'Solar roof for the depot' });
    expect(await inTimeline.count()).toBe(2);
    expect(await inTimeline.first().isVisible()).toBe(true);
    expect(await inTimeline.last().isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Delete' }).click();
    expect(await page.getByText('1 lead', { exact: true }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Delete' }).click();
    await see('still has 1 lead');
    expect(await ctx.prisma.customer.count({ where: { id: customer.id } })).toBe(1);
    await page.getByLabel(/Detach them/).check();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${web.base}/customers`);
    await see('No customers yet.');
    expect(await ctx.prisma.customer.count({ where: { id: customer.id } })).toBe(0);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      status: 'WON',
      customerId: null,
    });
    // The refused delete answers 409 on purpose; Chromium logs every 4xx page as a console error.
    expect(problems.filter((p) => !/status of 409 .*\/customers\/\d+\/delete/.test(p))).toEqual([]);
  }, 120_000);
});

// An account manager plans a meeting with two colleagues in a real browser: the overlap warning
// and "Save anyway", finding it by search, moving it, the week view, and cancelling it.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { browserAvailable, shows, useBrowser } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);

describe.skipIf(!browserAvailable)('appointments in a browser', () => {
  it('create (through an overlap warning) → find by search → edit → week view → delete', async () => {
    const company = await ctx.make.company({ name: 'Acme' });
    const manager = await ctx.make.manager(company.id, { name: 'Mona Manager', timeZone: 'Europe/Paris' });
    const sam = await ctx.make.staff(company.id, { name: 'Sam Staff' });
    const tess = await ctx.make.staff(company.id, { name: 'Tess Colleague' });
    await ctx.make.customer(company.id, { name: 'Dupont SA' });
    // Sam is already busy from 09:30 to 10:30 Paris time on Monday 14 January 2030.
    await ctx.make.appointment(company.id, [sam.id], {
      title: 'Dentist',
      startsAt: new Date('2030-01-14T08:30:00Z'),
      endsAt: new Date('2030-01-14T09:30:00Z'),
    });
    const { page, problems } = await web.signInAs(manager);

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Appointments', exact: true })
      .click();
    await page.getByRole('link', { name: 'New appointment' }).click();
    await page.getByLabel('Title').fill('Contract walkthrough');
    await page.getByLabel('Starts').fill('2030-01-14T09:00');
    await page.getByLabel('Ends').fill('2030-01-14T10:00');
    await page.getByLabel('Location').fill('Dupont offices, Lyon');
    await page.getByLabel('Customer').selectOption({ label: 'Dupont SA' });
    await page.getByLabel('Mona Manager').uncheck();
    await page.getByLabel('Sam Staff').check();
    await page.getByLabel('Tess Colleague').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await shows(page, 'Some attendees have another appointment at that time');
    expect(await page.locator('#overlap-warning').innerText()).toContain('Sam Staff');
    expect(await ctx.prisma.appointment.count()).toBe(1);
    await page.getByRole('button', { name: 'Save anyway' }).click();
    await shows(page, 'Appointment "Contract walkthrough" created.');
    const appt = await ctx.prisma.appointment.findFirstOrThrow({
      where: { title: 'Contract walkthrough' },
      include: { attendees: true },
    });
    expect(appt.startsAt.toISOString()).toBe('2030-01-14T08:00:00.000Z');
    expect(appt.attendees.map((a) => a.userId).sort()).toEqual([sam.id, tess.id].sort());
    expect((await ctx.mail.latestTo(tess.email, 10_000, 'Appointment invited: Contract walkthrough')).subject).toBe(
      'Appointment invited: Contract walkthrough',
    );

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Appointments', exact: true })
      .click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('dupont');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=dupont/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'Contract walkthrough' }).click();

    await page.getByRole('link', { name: 'Edit' }).click();
    expect(await page.getByLabel('Starts').inputValue()).toBe('2030-01-14T09:00');
    await page.getByLabel('Starts').fill('2030-01-15T14:00');
    await page.getByLabel('Ends').fill('2030-01-15T15:30');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await shows(page, 'Appointment "Contract walkthrough" saved.');
    expect((await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: appt.id } })).startsAt.toISOString()).toBe(
      '2030-01-15T13:00:00.000Z',
    );
    expect((await ctx.mail.latestTo(sam.email, 10_000, 'Appointment moved: Contract walkthrough')).subject).toBe(
      'Appointment moved: Contract walkthrough',
    );

    await page.getByRole('link', { name: 'Week', exact: true }).click();
    await shows(page, 'Week: 14 Jan – 20 Jan 2030');
    // On a wide screen the week is an hour grid: the appointment sits in Tuesday's 14:00 row.
    const tuesday = page.locator('td[data-slot="2030-01-15T14:00"]');
    expect(await tuesday.textContent()).toContain('14:00');
    await page.getByRole('link', { name: 'Next week →' }).click();
    await shows(page, 'Week: 21 Jan – 27 Jan 2030');
    await page.getByRole('link', { name: '← Previous week' }).click();
    await shows(page, 'Week: 14 Jan – 20 Jan 2030');
    await tuesday.getByRole('link', { name: 'Contract walkthrough' }).click();

    await page.getByRole('link', { name: 'Delete' }).click();
    await shows(page, 'These attendees will be emailed that it is cancelled');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${web.base}/appointments`);
    await shows(page, 'Appointment "Contract walkthrough" deleted.');
    expect(await ctx.prisma.appointment.count({ where: { id: appt.id } })).toBe(0);
    expect((await ctx.mail.latestTo(tess.email, 10_000, 'Appointment cancelled: Contract walkthrough')).subject).toBe(
      'Appointment cancelled: Contract walkthrough',
    );
    expect(problems).toEqual([]);
  }, 120_000);
});

// Steps of the sales-week browser test (sales-week.test.ts): dates in the users' zone, and the
// clicks a person makes for recurring chores. Everything goes through the pages' links and labels.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { toLocalInput } from '../../src/web/time.ts';
import { shows } from './helpers.ts';

export const TZ = 'Europe/Paris';

/** The calendar date `days` from now in Paris, as yyyy-MM-dd. */
export const parisDate = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + days * 86_400_000),
  );

/** A stored instant as a Paris datetime-local value. */
export const parisLocal = (d: Date): string => toLocalInput(d, TZ);

export const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

export const metric = async (page: Page, name: string) =>
  (await page.locator(`[data-metric="${name}"]`).innerText()).trim();

export const mainText = (page: Page) => page.locator('main').innerText();

/** Keyboard only: Tab until the element with this id has the focus. */
export async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await page.locator(`#${id}:focus`).count()) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

/** The CSV the page's "Export CSV" link downloads. */
export async function exportCsv(page: Page): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  return readFileSync(await download.path(), 'utf8');
}

/** Opens a path typed into the address bar; answers the page's status. */
export async function visit(page: Page, path: string): Promise<number> {
  const res = await page.goto(new URL(path, page.url()).href);
  return res!.status();
}

/** Leads → New lead → the form → Save; ends on the new lead's page. */
export async function newLead(
  page: Page,
  lead: { title: string; contactName: string; assignee: string; source?: string },
): Promise<void> {
  await nav(page, 'Leads');
  await page.getByRole('link', { name: 'New lead' }).click();
  await page.getByLabel('Title').fill(lead.title);
  await page.getByLabel('Contact name').fill(lead.contactName);
  if (lead.source) await page.getByLabel('Source').selectOption({ label: lead.source });
  await page.getByLabel('Assigned to').selectOption({ label: lead.assignee });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/leads\/\d+$/);
  await page.waitForLoadState('load');
}

/** Tasks → New task → a high-priority task for the customer → Save. */
export async function planTask(
  page: Page,
  task: { title: string; customer: string; assignee: string; due: string },
): Promise<void> {
  await nav(page, 'Tasks');
  await page.getByRole('link', { name: 'New task' }).click();
  await page.getByLabel('Title').fill(task.title);
  await page.getByLabel('Customer').selectOption({ label: task.customer });
  await page.getByLabel('Assignee').selectOption({ label: task.assignee });
  await page.getByLabel('Due').fill(task.due);
  await page.getByLabel('Priority').selectOption({ label: 'High' });
  await page.getByRole('button', { name: 'Save' }).click();
  await shows(page, `Task "${task.title}" created.`);
}

/** Appointments → New appointment → exactly these attendees → Save. */
export async function book(
  page: Page,
  appt: {
    title: string;
    starts: string;
    ends: string;
    location?: string;
    customer?: string;
    attendees: string[];
    others: string[];
  },
): Promise<void> {
  await nav(page, 'Appointments');
  await page.getByRole('link', { name: 'New appointment' }).click();
  await page.getByLabel('Title').fill(appt.title);
  await page.getByLabel('Starts').fill(appt.starts);
  await page.getByLabel('Ends').fill(appt.ends);
  if (appt.location) await page.getByLabel('Location').fill(appt.location);
  if (appt.customer) await page.getByLabel('Customer').selectOption({ label: appt.customer });
  for (const name of appt.attendees) await page.getByLabel(name).check();
  for (const name of appt.others) await page.getByLabel(name).uncheck();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await shows(page, `Appointment "${appt.title}" created.`);
}

/** From the lead list to the lead's page, then along the pipeline: new → contacted → qualified. */
export async function qualify(page: Page, title: string): Promise<void> {
  await nav(page, 'Leads');
  await page.getByRole('link', { name: title }).click();
  await page.getByRole('button', { name: 'Mark contacted' }).click();
  await page.getByRole('button', { name: 'Mark qualified' }).click();
  // Only a qualified lead offers "Mark won": the step is saved and its page fully loaded.
  await page.getByRole('button', { name: 'Mark won' }).waitFor();
  await page.waitForLoadState('load');
}

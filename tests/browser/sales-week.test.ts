// Issue 6's first "Done when": an account manager and two staff users of one company run a week of
// sales work in a real browser, clicking links and filling forms as a user would, while a second
// company's manager looks on. Leads are created (one by keyboard only), assigned and reassigned,
// called and converted; tasks are planned and done; an appointment has three attendees. No page
// answers 500, and neither staff user (nor the other company) ever sees the other's leads or tasks:
// not in lists, search, dashboards, CSV exports, nor by opening a URL. Screenshots go to /tmp/shots.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { browserAvailable, shows, useBrowser, type BrowserSession } from './helpers.ts';
import {
  book,
  exportCsv,
  mainText,
  metric,
  nav,
  newLead,
  parisDate,
  parisLocal,
  planTask,
  qualify,
  tabTo,
  TZ,
  visit,
} from './salesWeek.steps.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const SHOTS = '/tmp/shots';

/** Problems but the 4xx pages this test asked for on purpose (Chromium logs each as a console error). */
const unexpected = (s: BrowserSession, allowed: string[]) =>
  s.problems.filter((p) => !allowed.some((path) => p.includes(`${web.base}${path})`) && /status of 4(04|22)/.test(p)));

describe.skipIf(!browserAvailable)('a week of sales work', () => {
  it('manager plans, Anna and Ben work their own leads, ' +
    'tasks and appointment, nobody sees what is not theirs', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const acme = await ctx.make.company({ name: 'Acme' });
    const mona = await ctx.make.manager(acme.id, { name: 'Mona Manager', timeZone: TZ });
    const anna = await ctx.make.staff(acme.id, { name: 'Anna Staff', timeZone: TZ });
    const ben = await ctx.make.staff(acme.id, { name: 'Ben Staff', timeZone: TZ });
    const globex = await ctx.make.company({ name: 'Globex' });
    const gary = await ctx.make.manager(globex.id, { name: 'Gary Globex', timeZone: TZ });
    const garyLead = await ctx.make.lead(globex.id, gary.id, { title: 'Globex own lead' });
    const tomorrow = parisDate(1);
    const m = await web.signInAs(mona);
    const a = await web.signInAs(anna);
    const b = await web.signInAs(ben);
    const g = await web.signInAs(gary);

    // ── Monday: the manager sets up the week ──
    let page = m.page;
    await nav(page, 'Customers');
    await page.getByRole('link', { name: 'New customer' }).first().click();
    await page.getByLabel(/^Name/).fill('Northwind Traders');
    await page.getByLabel('Email').fill('buying@northwind.test');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Northwind Traders' }).waitFor();

    // A lead for Anna, by keyboard only: a first Enter without a title is refused beside the field.
    await nav(page, 'Leads');
    await page.getByRole('link', { name: 'New lead' }).click();
    await page.waitForLoadState('load');
    await tabTo(page, 'f-contactName');
    await page.keyboard.type('Hana Harbour');
    await page.keyboard.press('Tab');
    await page.keyboard.type('hana@harbour.test');
    await tabTo(page, 'f-organisation');
    await page.keyboard.type('Harbour Cranes Ltd');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Referral');
    await tabTo(page, 'f-estimatedValue');
    await page.keyboard.type('30000');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Call Hana about the crane refit');
    await tabTo(page, 'f-assigneeId');
    await page.keyboard.type('Anna');
    await tabTo(page, 'f-lostNote'); // the last field (issue 14's lost reason and note follow the notes)
    await page.keyboard.press('Tab'); // the Save button
    await page.keyboard.press('Enter');
    await shows(page, 'Enter the title.');
    expect(await page.locator('#f-title-error').innerText()).toBe('Enter the title.');
    expect(await page.getByLabel('Contact name').inputValue()).toBe('Hana Harbour');
    expect(await page.getByLabel('Assigned to').inputValue()).toBe(String(anna.id));
    await page.screenshot({ path: `${SHOTS}/lead-form-error.png`, fullPage: true });
    expect(await ctx.prisma.lead.count({ where: { companyId: acme.id } })).toBe(0);
    await tabTo(page, 'f-title');
    await page.keyboard.type('Harbour cranes retrofit');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/leads\/\d+$/);
    await shows(page, 'Harbour cranes retrofit');
    const annaLead = await ctx.prisma.lead.findFirstOrThrow({ where: { title: 'Harbour cranes retrofit' } });
    expect(annaLead).toMatchObject({
      assigneeId: anna.id,
      source: 'REFERRAL',
      status: 'NEW',
      organisation: 'Harbour Cranes Ltd',
      companyId: acme.id,
    });
    expect((await ctx.mail.latestTo(anna.email, 10_000, 'Lead assigned to you: Harbour cranes retrofit')).subject).toBe(
      'Lead assigned to you: Harbour cranes retrofit',
    );

    // A lead for Ben, by mouse.
    await newLead(page, {
      title: 'Lumen office fit-out',
      contactName: 'Luca Lumen',
      source: 'Event',
      assignee: 'Ben Staff',
    });
    const benLead = await ctx.prisma.lead.findFirstOrThrow({ where: { title: 'Lumen office fit-out' } });
    expect(benLead.assigneeId).toBe(ben.id);
    expect((await ctx.mail.latestTo(ben.email, 10_000, 'Lead assigned to you: Lumen office fit-out')).subject).toBe(
      'Lead assigned to you: Lumen office fit-out',
    );

    // A lead she first keeps, then hands to Anna from its page.
    await newLead(page, { title: 'Warehouse lighting', contactName: 'Walt Ware', assignee: 'Mona Manager (me)' });
    await page.getByLabel('Assign to').selectOption({ label: 'Anna Staff' });
    await page.getByRole('button', { name: 'Reassign' }).click();
    await shows(page, 'Anna Staff');
    const warehouse = await ctx.prisma.lead.findFirstOrThrow({ where: { title: 'Warehouse lighting' } });
    expect(warehouse.assigneeId).toBe(anna.id);
    expect((await ctx.mail.latestTo(anna.email, 10_000, 'Lead assigned to you: Warehouse lighting')).subject).toBe(
      'Lead assigned to you: Warehouse lighting',
    );

    await nav(page, 'Leads');
    await shows(page, 'Warehouse lighting');
    expect(await page.locator('tbody tr').count()).toBe(3);
    const textAlign = (selector: string) =>
      page.evaluate(`getComputedStyle(document.querySelector('${selector}')).textAlign`);
    expect(await textAlign('th:has(a[href*="sort=value"])')).toBe(await textAlign('td.text-end'));
    await page.screenshot({ path: `${SHOTS}/lead-list.png`, fullPage: true });

    // Tasks for both, due later this week.
    await planTask(page, {
      title: 'Call Harbour about crane specs',
      customer: 'Northwind Traders',
      assignee: 'Anna Staff',
      due: `${parisDate(2)}T09:00`,
    });
    await planTask(page, {
      title: 'Send Lumen the floor plan',
      customer: 'Northwind Traders',
      assignee: 'Ben Staff',
      due: `${parisDate(3)}T14:00`,
    });
    const annaTask = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Call Harbour about crane specs' } });
    const benTask = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Send Lumen the floor plan' } });
    expect([annaTask.assigneeId, benTask.assigneeId]).toEqual([anna.id, ben.id]);
    expect(parisLocal(annaTask.dueAt!)).toBe(`${parisDate(2)}T09:00`);
    expect(
      (await ctx.mail.latestTo(anna.email, 10_000, 'Task assigned to you: Call Harbour about crane specs')).subject,
    ).toBe('Task assigned to you: Call Harbour about crane specs');
    expect(
      (await ctx.mail.latestTo(ben.email, 10_000, 'Task assigned to you: Send Lumen the floor plan')).subject,
    ).toBe('Task assigned to you: Send Lumen the floor plan');

    // The kick-off tomorrow with both of them.
    await book(page, {
      title: 'Northwind kick-off',
      starts: `${tomorrow}T10:00`,
      ends: `${tomorrow}T11:00`,
      location: 'Northwind HQ',
      customer: 'Northwind Traders',
      attendees: ['Mona Manager', 'Anna Staff', 'Ben Staff'],
      others: [],
    });
    const mailsBefore = ctx.mail.messages.length;
    expect((await ctx.mail.latestTo(anna.email, 10_000, 'Appointment invited: Northwind kick-off')).subject).toBe(
      'Appointment invited: Northwind kick-off',
    );
    expect((await ctx.mail.latestTo(ben.email, 10_000, 'Appointment invited: Northwind kick-off')).subject).toBe(
      'Appointment invited: Northwind kick-off',
    );
    // The organiser made it herself: she is an attendee but gets no invitation.
    expect(
      ctx.mail.messages.slice(0, mailsBefore).some((x) => x.to.includes(mona.email) && /Appointment/.test(x.subject)),
    ).toBe(false);

    // And a site visit for Ben alone.
    await book(page, {
      title: 'Lumen site visit',
      starts: `${tomorrow}T15:00`,
      ends: `${tomorrow}T16:00`,
      attendees: ['Ben Staff'],
      others: ['Mona Manager'],
    });

    // ── Anna's week ──
    page = a.page;
    await nav(page, 'Dashboard');
    await shows(page, 'My work');
    expect(await metric(page, 'leads-NEW')).toBe('2');
    expect(await metric(page, 'tasks-due-soon')).toBe('1');
    expect(await metric(page, 'appointments-upcoming')).toBe('1');
    expect(await mainText(page)).not.toMatch(/Lumen|floor plan/);

    await nav(page, 'Leads');
    await shows(page, 'Harbour cranes retrofit');
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await mainText(page)).not.toContain('Lumen');
    const annaCsv = await exportCsv(page);
    expect(annaCsv).toContain('Harbour cranes retrofit');
    expect(annaCsv).toContain('Warehouse lighting');
    expect(annaCsv).not.toContain('Lumen');
    await page.getByRole('searchbox', { name: 'Search' }).fill('Lumen office fit-out');
    await page.getByRole('button', { name: 'Search' }).click();
    await shows(page, 'No leads match your search and filters.');
    expect(await exportCsv(page)).not.toContain('Lumen');
    expect(await visit(page, `/leads/${benLead.id}`)).toBe(404);
    expect(await visit(page, `/leads/${benLead.id}/edit`)).toBe(404);
    expect(await visit(page, `/tasks/${benTask.id}`)).toBe(404);

    // She calls Harbour: contacted, qualified, converted to a new customer.
    await qualify(page, 'Harbour cranes retrofit');
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: annaLead.id } })).status).toBe('QUALIFIED');
    await page.getByRole('link', { name: 'Convert to customer' }).click();
    expect(await page.getByLabel(/^Name/).inputValue()).toBe('Hana Harbour');
    await page.getByRole('button', { name: 'Convert to a new customer' }).click();
    await page.waitForURL(/\/customers\/\d+$/);
    await page.getByRole('heading', { name: 'Hana Harbour' }).waitFor();

    await nav(page, 'Tasks');
    await shows(page, 'Call Harbour about crane specs');
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await mainText(page)).not.toContain('floor plan');
    const taskCsv = await exportCsv(page);
    expect(taskCsv).toContain('Call Harbour about crane specs');
    expect(taskCsv).not.toContain('floor plan');
    await page.getByRole('searchbox', { name: 'Search' }).fill('floor plan');
    await page.getByRole('button', { name: 'Apply' }).click();
    await shows(page, 'No tasks match these filters.');
    await nav(page, 'Tasks');
    await page.getByRole('link', { name: 'Call Harbour about crane specs' }).click();
    await page.getByRole('button', { name: 'Mark done' }).click();
    await shows(page, 'marked done');

    // The shared customer's timeline shows her work on it, not Ben's.
    await nav(page, 'Customers');
    await page.getByRole('link', { name: 'Northwind Traders' }).click();
    await shows(page, 'Call Harbour about crane specs');
    expect(await mainText(page)).not.toMatch(/Lumen|floor plan/);

    await nav(page, 'Appointments');
    await shows(page, 'Northwind kick-off');
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await exportCsv(page)).not.toContain('Lumen');
    await page.getByRole('link', { name: 'Week view' }).click();
    await page.waitForURL(/\/appointments\/week/);
    if (!(await page.locator(`td[data-date="${tomorrow}"]`).count()))
      await page.getByRole('link', { name: 'Next week →' }).click();
    // At this width the week is an hour grid: the appointment sits in the row of the hour it starts.
    const cell = page.locator(`td[data-slot="${tomorrow}T10:00"]`);
    await cell.getByRole('link', { name: 'Northwind kick-off' }).waitFor();
    expect(await cell.innerText()).toContain('10:00–11:00');
    expect(await mainText(page)).not.toContain('Lumen');
    // A quiet day's "Free" sits at the top of its cell, level with the busy day's first appointment.
    expect(await page.evaluate('getComputedStyle(document.querySelector("td[data-date]")).verticalAlign')).toBe('top');
    await page.screenshot({ path: `${SHOTS}/week-view.png`, fullPage: true });

    await nav(page, 'Dashboard');
    await shows(page, 'My work');
    expect(await metric(page, 'leads-WON')).toBe('1');
    expect(await metric(page, 'leads-NEW')).toBe('1');
    expect(await metric(page, 'tasks-due-soon')).toBe('0');

    // ── Ben's week: his lead goes to the customer Mona created ──
    page = b.page;
    await nav(page, 'Leads');
    await shows(page, 'Lumen office fit-out');
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await mainText(page)).not.toMatch(/Harbour|Warehouse/);
    expect(await visit(page, `/leads/${annaLead.id}`)).toBe(404);
    expect(await visit(page, `/tasks/${annaTask.id}`)).toBe(404);
    await qualify(page, 'Lumen office fit-out');
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: benLead.id } })).status).toBe('QUALIFIED');
    await page.getByRole('link', { name: 'Convert to customer' }).click();
    await page.getByLabel('Find a customer').fill('northwind');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel(/Northwind Traders/).check();
    await page.getByRole('button', { name: 'Convert to this customer' }).click();
    await page.waitForURL(/\/customers\/\d+$/);
    await page.getByRole('heading', { name: 'Northwind Traders' }).waitFor();
    await shows(page, 'Send Lumen the floor plan');
    expect(await mainText(page)).not.toMatch(/Harbour|crane/);
    await nav(page, 'Tasks');
    await page.getByRole('button', { name: /^Mark done\W+Send Lumen the floor plan$/ }).click();
    await shows(page, 'marked done');
    await nav(page, 'Appointments');
    await page.getByRole('link', { name: 'Northwind kick-off' }).click();
    await shows(page, 'Anna Staff');

    // ── The other company sees none of it ──
    page = g.page;
    await nav(page, 'Dashboard');
    expect(await metric(page, 'leads-NEW')).toBe('1');
    expect(await metric(page, 'leads-WON')).toBe('0');
    expect(await mainText(page)).not.toMatch(/Anna|Ben|Northwind|Mona/);
    await nav(page, 'Leads');
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Search' }).fill('Harbour');
    await page.getByRole('button', { name: 'Search' }).click();
    await shows(page, 'No leads match your search and filters.');
    await nav(page, 'Leads');
    const globexCsv = await exportCsv(page);
    expect(globexCsv).toContain('Globex own lead');
    expect(globexCsv).not.toMatch(/Harbour|Lumen|Warehouse/);
    for (const nameOf of ['Customers', 'Tasks', 'Appointments']) {
      await nav(page, nameOf);
      await page.waitForLoadState('load');
      expect(await mainText(page)).not.toMatch(/Northwind|Harbour|Lumen|kick-off/);
    }
    const northwind = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Northwind Traders' } });
    const appt = await ctx.prisma.appointment.findFirstOrThrow({
      where: { title: 'Northwind kick-off' },
      include: { attendees: true },
    });
    expect(await visit(page, `/leads/${annaLead.id}`)).toBe(404);
    expect(await visit(page, `/customers/${northwind.id}`)).toBe(404);
    expect(await visit(page, `/appointments/${appt.id}`)).toBe(404);

    // ── Friday: the manager's dashboard ──
    page = m.page;
    await nav(page, 'Dashboard');
    await shows(page, 'Team workload');
    expect(await metric(page, 'leads-WON')).toBe('2');
    expect(await metric(page, 'leads-NEW')).toBe('1'); // Warehouse lighting; Globex's own new lead is not counted
    expect(await metric(page, `workload-${anna.id}-leads`)).toBe('1');
    expect(await metric(page, `workload-${ben.id}-leads`)).toBe('0');
    expect(await metric(page, `workload-${anna.id}-tasks`)).toBe('0');
    await page.screenshot({ path: `${SHOTS}/manager-dashboard.png`, fullPage: true });

    // ── What the database holds at the end of the week ──
    const leads = await ctx.prisma.lead.findMany({ where: { companyId: acme.id }, orderBy: { id: 'asc' } });
    const hana = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Hana Harbour' } });
    expect(hana).toMatchObject({ companyId: acme.id, organisation: 'Harbour Cranes Ltd', email: 'hana@harbour.test' });
    expect(leads.map((l) => [l.title, l.status, l.assigneeId, l.customerId])).toEqual([
      ['Harbour cranes retrofit', 'WON', anna.id, hana.id],
      ['Lumen office fit-out', 'WON', ben.id, northwind.id],
      ['Warehouse lighting', 'NEW', anna.id, null],
    ]);
    expect(leads[0].convertedAt).toBeInstanceOf(Date);
    for (const t of [annaTask, benTask]) {
      expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({
        status: 'DONE',
        completedAt: expect.any(Date),
      });
    }
    expect(appt).toMatchObject({
      companyId: acme.id,
      organiserId: mona.id,
      customerId: northwind.id,
      location: 'Northwind HQ',
    });
    expect(parisLocal(appt.startsAt)).toBe(`${tomorrow}T10:00`);
    expect(appt.attendees.map((x) => x.userId).sort()).toEqual([mona.id, anna.id, ben.id].sort());
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: garyLead.id } })).toMatchObject({
      status: 'NEW',
      companyId: globex.id,
    });

    expect(unexpected(m, ['/leads'])).toEqual([]);
    expect(unexpected(a, [`/leads/${benLead.id}`, `/leads/${benLead.id}/edit`, `/tasks/${benTask.id}`])).toEqual([]);
    expect(unexpected(b, [`/leads/${annaLead.id}`, `/tasks/${annaTask.id}`])).toEqual([]);
    expect(unexpected(g, [`/leads/${annaLead.id}`, `/customers/${northwind.id}`, `/appointments/${appt.id}`])).toEqual(
      [],
    );
  }, 300_000);
});

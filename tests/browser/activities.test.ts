// Issue 13's walk, in a real browser, as new users would: staff 1 logs a call (no answer) on a lead and plans
// the follow-up in the same form, logs the follow-up call (reached), schedules a meeting from the lead page and
// converts the lead; the customer's page then shows the whole history in order, to staff 2 as well. Staff 2
// never sees staff 1's lead without a customer nor its activities; the account manager sees everything and
// edits a call; another company sees nothing. No page may fail (console errors, CSP, 5xx).
import { describe, expect, it } from 'vitest';
import { toLocalInput } from '../../src/web/time.ts';
import { useTestContext } from '../helpers/context.ts';
import { browserAvailable, useBrowser } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const DAY = 86_400_000;

describe.skipIf(!browserAvailable)('activities in a browser', () => {
  it('log → plan → log → meet → convert: the customer shows the whole history to everyone who sees it', async () => {
    const company = await ctx.make.company({ name: 'Acme' });
    const manager = await ctx.make.manager(company.id, { name: 'Mona Manager' });
    const staff1 = await ctx.make.staff(company.id, { name: 'Sam Staff' });
    const staff2 = await ctx.make.staff(company.id, { name: 'Tina Team' });
    const other = await ctx.make.company({ name: 'Bravo' });
    const outsider = await ctx.make.manager(other.id, { name: 'Olaf Outsider' });
    const lead = await ctx.make.lead(company.id, staff1.id, { title: 'Depot solar roof', contactName: 'Dana Deal' });
    const hidden = await ctx.make.lead(company.id, staff1.id, { title: 'Quiet harbour deal' });
    const secret = await ctx.make.activity(company.id, staff1.id, {
      leadId: hidden.id,
      summary: 'Harbour secret call',
    });

    // Staff 1: a call with no answer, and the follow-up planned in the same form.
    const s1 = await web.signInAs(staff1);
    const page = s1.page;
    await page.goto(`${web.base}/leads/${lead.id}`);
    const quick = page.locator('#timeline form[action="/activities"]');
    await quick.getByLabel('Kind').selectOption({ label: 'Call' });
    await quick.getByLabel('Summary').fill('Called Dana, no answer');
    await quick.getByLabel('Call outcome').selectOption({ label: 'No answer' });
    const tomorrow = toLocalInput(new Date(Date.now() + DAY), 'UTC').slice(0, 10);
    await quick.getByLabel('Follow-up task').fill('Call Dana again');
    await quick.getByLabel('Follow-up due').fill(tomorrow);
    await quick.getByRole('button', { name: 'Log it' }).click();
    await page.waitForURL(new RegExp(`/leads/${lead.id}$`));
    const timeline = page.locator('#timeline ol');
    await timeline.getByText('Called Dana, no answer').waitFor();
    await timeline.getByText('Call Dana again').waitFor();
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Call Dana again' } });
    expect(task).toMatchObject({ leadId: lead.id, assigneeId: staff1.id, status: 'OPEN' });
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).nextTaskId).toBe(task.id);

    // The follow-up call, reached.
    await quick.getByLabel('Summary').fill('Reached Dana: wants a quote');
    await quick.getByLabel('Call outcome').selectOption({ label: 'Reached' });
    await quick.getByLabel('Call duration (minutes)').fill('12');
    await quick.getByRole('button', { name: 'Log it' }).click();
    await page.waitForURL(new RegExp(`/leads/${lead.id}$`));
    await timeline.getByText('Reached Dana: wants a quote').waitFor();

    // A meeting from the lead page: the form comes with the lead set, and returns to the lead.
    await page.getByRole('link', { name: 'Schedule meeting' }).click();
    await page.waitForURL(/\/appointments\/new\?/);
    const start = toLocalInput(new Date(Date.now() + 2 * DAY), 'UTC').slice(0, 10);
    await page.getByLabel('Title').fill('Site visit at the depot');
    await page.getByLabel('Starts').fill(`${start}T10:00`);
    await page.getByLabel('Ends').fill(`${start}T11:00`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(new RegExp(`/leads/${lead.id}$`));
    const meeting = await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Site visit at the depot' } });
    expect(meeting.leadId).toBe(lead.id);

    // Convert to a new customer.
    await page.getByRole('link', { name: 'Convert to customer' }).click();
    await page.getByRole('button', { name: 'Convert to a new customer' }).click();
    await page.waitForURL(/\/customers\/\d+$/);
    const customerId = Number(/\/customers\/(\d+)$/.exec(page.url())![1]);
    const items = async (p = page) => (await p.locator('#timeline ol > li').allTextContents()).join('\n');
    const order = (text: string, parts: string[]) => parts.map((part) => text.indexOf(part));
    const history = ['Site visit at the depot', 'Reached Dana: wants a quote', 'Called Dana, no answer'];
    let shown = await items();
    for (const at of order(shown, history)) expect(at).toBeGreaterThanOrEqual(0);
    expect(order(shown, history)).toEqual([...order(shown, history)].sort((x, y) => x - y)); // newest first
    expect(shown).toContain('Call Dana again');
    expect(shown).not.toContain('Harbour secret call');
    expect(await ctx.prisma.activity.count({ where: { leadId: lead.id, customerId } })).toBe(2);

    // Staff 2 sees the customer's whole history, never staff 1's customer-less lead nor its activity.
    const s2 = await web.signInAs(staff2);
    await s2.page.goto(`${web.base}/customers/${customerId}`);
    shown = await items(s2.page);
    for (const part of ['Reached Dana: wants a quote', 'Called Dana, no answer']) expect(shown).toContain(part);
    for (const path of [`/leads/${hidden.id}`, `/activities/${secret.id}`]) {
      const res = await s2.page.goto(`${web.base}${path}`);
      expect(res!.status()).toBe(404);
    }
    for (const path of ['/activities', '/activities?q=Harbour', '/leads?q=Quiet', '/activities/export.csv']) {
      const res = await s2.context.request.get(`${web.base}${path}`);
      expect(res.status()).toBe(200);
      const body = await res.text();
      expect(body).not.toContain('Harbour secret call');
      expect(body).not.toContain('Quiet harbour deal');
    }

    // The account manager sees everything and edits the first call.
    const m = await web.signInAs(manager);
    const call = await ctx.prisma.activity.findFirstOrThrow({ where: { summary: 'Called Dana, no answer' } });
    await m.page.goto(`${web.base}/activities?q=Harbour`);
    await m.page.getByText('Harbour secret call').first().waitFor();
    await m.page.goto(`${web.base}/activities/${call.id}`);
    await m.page.getByRole('link', { name: 'Edit' }).click();
    await m.page.getByLabel('Summary').fill('Called Dana, no answer (twice)');
    await m.page.getByRole('button', { name: 'Save' }).click();
    await m.page.waitForURL(new RegExp(`/activities/${call.id}$`));
    expect(await ctx.prisma.activity.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({
      summary: 'Called Dana, no answer (twice)',
      version: 2,
      authorId: staff1.id,
    });
    const audit = await ctx.prisma.auditEntry.findMany({ where: { model: 'Activity', recordId: String(call.id) } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['create', staff1.id],
      ['update', manager.id],
    ]);

    // Another company: nothing.
    const o = await web.signInAs(outsider);
    for (const path of [`/customers/${customerId}`, `/activities/${call.id}`, `/leads/${lead.id}`]) {
      const res = await o.page.goto(`${web.base}${path}`);
      expect(res!.status()).toBe(404);
    }
    const list = await (await o.context.request.get(`${web.base}/activities`)).text();
    expect(list).not.toContain('Dana');

    // Nothing failed but the 404s asked for above.
    const unexpected = (problems: string[]) => problems.filter((p) => !/status of 404 \(Not Found\)/.test(p));
    for (const session of [s1, s2, m, o]) expect(unexpected(session.problems)).toEqual([]);
    expect(s1.problems).toEqual([]);
  }, 300_000);
});

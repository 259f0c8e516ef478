// An account manager plans a task for a colleague in a real browser: create, find it by search,
// edit it, mark it done, delete it. No JavaScript is needed by the pages; none may fail.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { browserAvailable, shows, useBrowser } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);

describe.skipIf(!browserAvailable)('tasks in a browser', () => {
  it('create → find by search → edit → mark done → delete', async () => {
    const company = await ctx.make.company({ name: 'Acme' });
    const manager = await ctx.make.manager(company.id, { name: 'Mona Manager', timeZone: 'Europe/Paris' });
    const staff = await ctx.make.staff(company.id, { name: 'Sam Staff' });
    await ctx.make.customer(company.id, { name: 'Dupont SA' });
    await ctx.make.task(company.id, staff.id, { title: 'Something else entirely' });
    const { page, problems } = await web.signInAs(manager);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('link', { name: 'New task' }).click();
    await page.getByLabel('Title').fill('Send the renewal offer');
    await page.getByLabel('Description').fill('Two-year term, 5% discount.');
    await page.getByLabel('Customer').selectOption({ label: 'Dupont SA' });
    await page.getByLabel('Assignee').selectOption({ label: 'Sam Staff' });
    await page.getByLabel('Due').fill('2030-01-15T09:00');
    await page.getByLabel('Priority').selectOption({ label: 'High' });
    await page.getByRole('button', { name: 'Save' }).click();
    await shows(page, 'Task "Send the renewal offer" created.');
    const task = await ctx.prisma.task.findFirstOrThrow({ where: { title: 'Send the renewal offer' } });
    expect(task).toMatchObject({ assigneeId: staff.id, priority: 'HIGH', companyId: company.id });
    expect(task.dueAt?.toISOString()).toBe('2030-01-15T08:00:00.000Z');
    expect((await ctx.mail.latestTo(staff.email, 10_000, 'Task assigned to you: Send the renewal offer')).subject).toBe(
      'Task assigned to you: Send the renewal offer',
    );

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('RENEWAL');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=RENEWAL/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('cell', { name: '2030-01-15 09:00' }).waitFor();
    await page.getByRole('link', { name: 'Send the renewal offer' }).click();

    await page.getByRole('link', { name: 'Edit' }).click();
    expect(await page.getByLabel('Due').inputValue()).toBe('2030-01-15T09:00');
    await page.getByLabel('Title').fill('Send the renewal offer (signed copy)');
    await page.getByLabel('Status').selectOption({ label: 'In progress' });
    await page.getByRole('button', { name: 'Save' }).click();
    await shows(page, 'Task "Send the renewal offer (signed copy)" saved.');
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: 'IN_PROGRESS',
      version: 2,
    });

    await page.getByRole('button', { name: 'Mark done' }).click();
    await shows(page, 'marked done');
    expect((await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).completedAt).toBeInstanceOf(Date);

    await page.getByRole('link', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${web.base}/tasks`);
    await shows(page, 'Task "Send the renewal offer (signed copy)" deleted.');
    expect(await ctx.prisma.task.count({ where: { id: task.id } })).toBe(0);
    await page.getByRole('link', { name: 'Something else entirely' }).waitFor();
    expect(problems).toEqual([]);
  }, 120_000);
});

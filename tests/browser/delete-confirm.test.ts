// Deleting with JavaScript switched off, for every record type: the record's Delete link opens
// the confirmation page, Cancel goes back with the record intact, and the page's button deletes.
// Its limit allows for a machine shared with other test runs (about 30 s alone).
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { browserAvailable, shows, signInContext, useBrowser } from './helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);

describe.skipIf(!browserAvailable)('deleting without JavaScript', () => {
  it('Delete link → confirmation page → Cancel keeps the ' +
    'record → Delete removes it, for all six record types', async () => {
    const company = await ctx.make.company({ name: 'Acme' });
    const manager = await ctx.make.manager(company.id, { name: 'Mona Manager' });
    const staff = await ctx.make.staff(company.id, { name: 'Sam Staff' });
    const customer = await ctx.make.customer(company.id, { name: 'Dupont SA' });
    const lead = await ctx.make.lead(company.id, staff.id, { title: 'Renewal deal' });
    const task = await ctx.make.task(company.id, staff.id, { title: 'Call Dupont' });
    const appointment = await ctx.make.appointment(company.id, [staff.id], { title: 'Dupont visit' });
    const group = await ctx.make.group(company.id, ['lead.view'], { name: 'Readers' });
    const p = ctx.prisma;
    const cases = [
      {
        path: `/customers/${customer.id}`,
        heading: 'Delete Dupont SA?',
        flash: 'Customer "Dupont SA" deleted.',
        gone: async () => !(await p.customer.findUnique({ where: { id: customer.id } })),
      },
      {
        path: `/leads/${lead.id}`,
        heading: 'Delete lead "Renewal deal"?',
        flash: 'Lead "Renewal deal" deleted.',
        gone: async () => !(await p.lead.findUnique({ where: { id: lead.id } })),
      },
      {
        path: `/tasks/${task.id}`,
        heading: 'Delete task "Call Dupont"?',
        flash: 'Task "Call Dupont" deleted.',
        gone: async () => !(await p.task.findUnique({ where: { id: task.id } })),
      },
      {
        path: `/appointments/${appointment.id}`,
        heading: 'Delete appointment "Dupont visit"?',
        flash: 'Appointment "Dupont visit" deleted.',
        gone: async () => !(await p.appointment.findUnique({ where: { id: appointment.id } })),
      },
      {
        path: `/groups/${group.id}`,
        heading: 'Delete the group Readers?',
        flash: 'Group "Readers" deleted.',
        gone: async () => !(await p.group.findUnique({ where: { id: group.id } })),
      },
      {
        path: `/users/${staff.id}`,
        heading: 'Deactivate Sam Staff?',
        flash: 'Sam Staff is deactivated and signed out.',
        button: 'Deactivate',
        gone: async () => !(await p.user.findUniqueOrThrow({ where: { id: staff.id } })).active,
      },
    ];

    const context = await web.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await signInContext(ctx, context, web.base, manager);
      await page.goto(`${web.base}/dashboard`);
      expect(new URL(page.url()).pathname).toBe('/dashboard');

      for (const c of cases) {
        const button = c.button ?? 'Delete';
        await page.goto(`${web.base}${c.path}`);
        await page.getByRole('link', { name: button, exact: true }).click();
        await page.waitForURL(`${web.base}${c.path}/delete`);
        await page.getByRole('heading', { name: c.heading }).waitFor();
        await page.getByRole('link', { name: 'Cancel' }).click();
        await page.waitForURL(`${web.base}${c.path}`);
        expect(await c.gone(), `${c.path} after Cancel`).toBe(false);

        await page.getByRole('link', { name: button, exact: true }).click();
        await page.waitForURL(`${web.base}${c.path}/delete`);
        await page.getByRole('button', { name: button, exact: true }).click();
        await shows(page, c.flash);
        expect(await c.gone(), `${c.path} after ${button}`).toBe(true);
      }
      expect(await p.auditEntry.count({ where: { action: { in: ['delete', 'deactivate'] } } })).toBe(cases.length);
    } finally {
      await context.close();
    }
  }, 240_000);
});

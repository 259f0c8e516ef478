// Tenancy as people meet it, in a real browser: a superuser opens a company and invites its
// first account manager; she sets her password from the email, invites a staff user and narrows
// his groups; his open session feels each change on the next page, without signing in again.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { browserAvailable, useBrowser } from '../browser/helpers.ts';

const ctx = useTestContext();
const web = useBrowser(ctx);
const linkIn = (text: string) => /(\/password\/reset\/[A-Za-z0-9_-]+)/.exec(text)![1];

describe.skipIf(!browserAvailable)('companies, users and groups in a browser', () => {
  it('company → first account manager → staff invitation → groups change what staff can do', async () => {
    const su = await ctx.make.superuser({ name: 'Olivia Operator' });
    const admin = await web.signInAs(su);
    const see = (page: typeof admin.page, text: string | RegExp) =>
      page.getByText(text).first().waitFor({ state: 'visible', timeout: 15_000 });
    const nav = admin.page.getByRole('navigation', { name: 'Main' });

    await nav.getByRole('link', { name: 'Companies' }).click();
    await admin.page.getByRole('link', { name: 'New company' }).click();
    await admin.page.getByLabel('Name').fill('Harbour Bakery');
    await admin.page.getByRole('button', { name: 'Save' }).click();
    await admin.page.waitForURL(/\/companies\/\d+$/);
    await admin.page.getByRole('link', { name: 'Add an account manager' }).click();
    await admin.page.getByLabel('Full name').fill('Hanna Harbour');
    await admin.page.getByLabel('Email').fill('hanna@harbour.test');
    expect(await admin.page.getByLabel('Role').inputValue()).toBe('ACCOUNT_MANAGER');
    await admin.page.getByRole('button', { name: 'Send invitation' }).click();
    await admin.page.waitForURL(/\/users\/\d+$/);
    await see(admin.page, 'invitation pending');
    const company = await ctx.prisma.company.findUniqueOrThrow({ where: { slug: 'harbour-bakery' } });
    expect(
      await ctx.prisma.user.findUniqueOrThrow({
        where: { email: 'hanna@harbour.test' },
        include: { memberships: true },
      }),
    ).toMatchObject({
      companyId: company.id,
      role: 'ACCOUNT_MANAGER',
      timeZone: 'UTC',
      memberships: [],
      passwordHash: null,
    });

    // Hanna sets her password from the email and signs in.
    const hannaMail = await ctx.mail.latestTo('hanna@harbour.test');
    const hanna0 = await web.open();
    await hanna0.page.goto(web.base + linkIn(hannaMail.text));
    await hanna0.page.locator('#f-password').fill('sourdough-lighthouse-93');
    await hanna0.page.locator('#f-passwordConfirm').fill('sourdough-lighthouse-93');
    await hanna0.page.getByRole('button', { name: 'Save' }).click();
    await hanna0.page.waitForURL(`${web.base}/login`);
    const hanna = await web.signIn({ email: 'hanna@harbour.test' }, 'sourdough-lighthouse-93');
    const hnav = hanna.page.getByRole('navigation', { name: 'Main' });
    expect(await hnav.getByRole('link', { name: 'Companies' }).count()).toBe(0);

    // She invites Tom; he joins the Staff group.
    await hnav.getByRole('link', { name: 'Users' }).click();
    await hanna.page.getByRole('link', { name: 'New user' }).click();
    expect(await hanna.page.getByLabel('Staff').isChecked()).toBe(true);
    await hanna.page.getByLabel('Full name').fill('Tom Tray');
    await hanna.page.getByLabel('Email').fill('tom@harbour.test');
    await hanna.page.getByRole('button', { name: 'Send invitation' }).click();
    await hanna.page.waitForURL(/\/users\/\d+$/);
    const tomUrl = hanna.page.url();
    const tom0 = await web.open();
    await tom0.page.goto(web.base + linkIn((await ctx.mail.latestTo('tom@harbour.test')).text));
    await tom0.page.locator('#f-password').fill('croissant-harbour-71');
    await tom0.page.locator('#f-passwordConfirm').fill('croissant-harbour-71');
    await tom0.page.getByRole('button', { name: 'Save' }).click();
    await tom0.page.waitForURL(`${web.base}/login`);
    const tom = await web.signIn({ email: 'tom@harbour.test' }, 'croissant-harbour-71');
    const tnav = tom.page.getByRole('navigation', { name: 'Main' });
    expect(await tnav.getByRole('link', { name: 'Customers' }).count()).toBe(1);
    expect(await tnav.getByRole('link', { name: 'Users' }).count()).toBe(0);

    // A read-only group, and Tom moved into it: on his next page he can no longer add customers.
    await hnav.getByRole('link', { name: 'Groups' }).click();
    await hanna.page.getByRole('link', { name: 'New group' }).click();
    await hanna.page.getByLabel('Name').fill('Read only');
    for (const p of ['customer.view', 'lead.view', 'task.view', 'appointment.view'])
      await hanna.page.locator(`input[value="${p}"]`).check();
    await hanna.page.getByRole('button', { name: 'Save' }).click();
    await hanna.page.waitForURL(/\/groups\/\d+$/);
    await hanna.page.goto(`${tomUrl}/edit`);
    await hanna.page.getByLabel('Staff', { exact: true }).uncheck();
    await hanna.page.getByLabel('Read only').check();
    await hanna.page.getByRole('button', { name: 'Save' }).click();
    await hanna.page.waitForURL(tomUrl);

    const denied = await tom.page.goto(`${web.base}/customers/new`);
    expect(denied?.status()).toBe(403);
    await see(tom.page, 'customer.add');
    const list = await tom.page.goto(`${web.base}/customers`);
    expect(list?.status()).toBe(200);

    // Deactivating the company signs everyone of it out.
    await admin.page.goto(`${web.base}/companies/${company.id}/delete`);
    await admin.page.getByRole('button', { name: 'Deactivate' }).click();
    await admin.page.waitForURL(`${web.base}/companies/${company.id}`);
    await tom.page.goto(`${web.base}/dashboard`);
    expect(new URL(tom.page.url()).pathname).toBe('/login');
    await hanna.page.goto(`${web.base}/users`);
    expect(new URL(hanna.page.url()).pathname).toBe('/login');

    // Chromium logs a 403 document as a console error; that refusal is the point here.
    const expected = (p: string) => /status of 403/.test(p);
    expect([...admin.problems, ...hanna.problems, ...tom.problems.filter((p) => !expected(p))]).toEqual([]);
  }, 180_000);
});

// SPEC section 2: staff see colleagues' names only (issue 10, item 5). A staff user holding every
// record permission walks every GET route of the app's own route table (pages, forms, confirmation
// pages, the convert page, the dashboard and every export.csv), with records that name their
// colleagues; no answer may hold a colleague's email. Account managers, who administer users, do see them.
import { describe, expect, it } from 'vitest';
import { PERMISSION_GROUPS } from '../../src/access/permissions.ts';
import { seesColleagueEmails } from '../../src/access/policy.ts';
import { useTestContext } from '../helpers/context.ts';
import { column, downloadCsv } from '../helpers/csv.ts';
import { signInAs } from '../helpers/session.ts';
import { DEFAULT_PROBABILITIES } from '../../src/pipeline/stages.ts';

const ctx = useTestContext();
const fill = (path: string, id: number) => path.replace(/:\w+/g, String(id));
/** Over a hundred requests; on a busy machine (the whole suite in parallel) they need time. */
const SWEEP_TIMEOUT = 300_000;

async function companyWithColleagues() {
  const a = await ctx.make.company({ name: 'Alpha Works', slug: 'alpha-works' });
  const manager = await ctx.make.manager(a.id, { name: 'Mona Manager', email: 'mona.manager@alpha.test' });
  const colleague = await ctx.make.staff(a.id, { name: 'Tess Colleague', email: 'tess.colleague@alpha.test' });
  const gone = await ctx.make.staff(a.id, { name: 'Gil Gone', email: 'gil.gone@alpha.test', active: false });
  const everything = await ctx.make.group(
    a.id,
    [
      ...PERMISSION_GROUPS.customer,
      ...PERMISSION_GROUPS.lead,
      ...PERMISSION_GROUPS.task,
      ...PERMISSION_GROUPS.appointment,
      ...PERMISSION_GROUPS.activity,
    ],
    { name: 'Everything' },
  );
  const staff = await ctx.make.staff(a.id, {
    name: 'Sam Staff',
    email: 'sam.staff@alpha.test',
    groups: [everything.name],
  });
  const customer = await ctx.make.customer(a.id, { name: 'Kiwi Co', ownerId: colleague.id });
  await ctx.make.customer(a.id, { name: 'Lime Ltd', ownerId: manager.id });
  await ctx.make.customer(a.id, { name: 'Gone Goods', ownerId: gone.id });
  const lead = await ctx.make.lead(a.id, staff.id, { title: 'Sam lead', customerId: customer.id });
  await ctx.make.lead(a.id, colleague.id, { title: 'Tess lead', customerId: customer.id });
  const task = await ctx.make.task(a.id, staff.id, { title: 'Sam task', customerId: customer.id });
  const appointment = await ctx.make.appointment(a.id, [staff.id, colleague.id, gone.id], {
    title: 'Team call',
    organiserId: manager.id,
    customerId: customer.id,
  });
  const activity = await ctx.make.activity(a.id, colleague.id, { summary: 'Tess call', customerId: customer.id });
  // The staff user's own finished lead import (its page names who ran it; its failed rows are their own file's).
  const imp = await ctx.prisma.import.create({
    data: {
      companyId: a.id,
      userId: staff.id,
      kind: 'LEAD',
      status: 'DONE',
      fileName: 'fair.csv',
      delimiter: ',',
      encoding: 'UTF-8',
      headers: ['Title'],
      mapping: ['title'],
      finishedAt: new Date(),
    },
  });
  // The staff user's own API token (its revoke page names its owner).
  const token = await ctx.prisma.apiToken.create({
    data: {
      userId: staff.id,
      companyId: a.id,
      name: 'Website form',
      prefix: 'crm_pat_abcd',
      tokenHash: 'hash-of-a-token',
      access: 'READ',
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  // A webhook endpoint of the company (its pages are the account manager's: staff get 403).
  const webhook = await ctx.prisma.webhookEndpoint.create({
    data: {
      companyId: a.id,
      url: 'https://hooks.example.com/x',
      events: ['lead.won'],
      secretSealed: 's',
      secretPrefix: 'p',
    },
  });
  return {
    ...{ a, manager, colleague, gone, staff, everything, customer, lead, task, appointment, activity, imp, token },
    webhook,
  };
}

describe("colleagues' emails", () => {
  it('the named rule: account managers and superusers see them, staff and visitors do not', async () => {
    const base = {
      id: 1,
      email: 'x@y.test',
      name: 'X',
      companyId: 1,
      companyName: 'C',
      timeZone: 'UTC',
      currency: 'EUR',
      probabilities: DEFAULT_PROBABILITIES,
      permissions: new Set<never>(),
    };
    expect(seesColleagueEmails({ ...base, role: 'SUPERUSER' })).toBe(true);
    expect(seesColleagueEmails({ ...base, role: 'ACCOUNT_MANAGER' })).toBe(true);
    expect(seesColleagueEmails({ ...base, role: 'STAFF' })).toBe(false);
    expect(seesColleagueEmails(null)).toBe(false);
  });

  it(
    'appear on no page and in no export a staff user can reach, while their names do',
    async () => {
      const w = await companyWithColleagues();
      const ids: Record<string, number> = {
        customers: w.customer.id,
        leads: w.lead.id,
        tasks: w.task.id,
        appointments: w.appointment.id,
        activities: w.activity.id,
        companies: w.a.id,
        users: w.colleague.id,
        groups: w.everything.id,
        imports: w.imp.id,
        tokens: w.token.id,
        webhooks: w.webhook.id,
      };
      const emails = [w.manager.email, w.colleague.email, w.gone.email];
      const s = await signInAs(ctx, w.staff);
      const problems: string[] = [];
      const seen: string[] = [];
      const names = new Set<string>();
      for (const r of ctx.routes.filter((x) => x.method === 'get' && x.access !== 'public')) {
        const segment = r.path.split('/')[1];
        if (/:\w+/.test(r.path) && !ids[segment]) {
          problems.push(`GET ${r.path}: no record to fill it with (add one above)`);
          continue;
        }
        const path = fill(r.path, ids[segment]);
        await Promise.all(
          ['', '?q=a', '?when=all'].map(async (query) => {
            const res = await s.get(path + query);
            if (res.status >= 500) problems.push(`GET ${path}${query} → ${res.status}`);
            if (res.status === 200) seen.push(path + query);
            for (const e of emails) if (res.text?.includes(e)) problems.push(`GET ${path}${query} shows ${e}`);
            for (const n of ['Tess Colleague', 'Mona Manager', 'Gil Gone']) if (res.text?.includes(n)) names.add(n);
          }),
        );
      }
      expect(problems).toEqual([]);
      // The walk reached the pages that name colleagues: lists, details, forms, the convert and delete pages, every
      // export.
      expect(seen).toEqual(
        expect.arrayContaining([
          '/dashboard',
          '/customers',
          '/customers/export.csv',
          `/customers/${w.customer.id}`,
          `/customers/${w.customer.id}/edit`,
          `/customers/${w.customer.id}/delete`,
          '/leads/export.csv',
          `/leads/${w.lead.id}`,
          `/leads/${w.lead.id}/convert`,
          `/leads/${w.lead.id}/edit`,
          '/tasks/export.csv',
          `/tasks/${w.task.id}/edit`,
          '/appointments/export.csv?when=all',
          `/appointments/${w.appointment.id}`,
          `/appointments/${w.appointment.id}/edit`,
          '/appointments/week',
          `/companies/${w.a.id}`,
          '/profile',
        ]),
      );
      expect([...names].sort()).toEqual(['Gil Gone', 'Mona Manager', 'Tess Colleague']);
    },
    SWEEP_TIMEOUT,
  );

  it(
    "the staff user's customer and lead exports have no " + "email column for people; an account manager's do",
    async () => {
      const w = await companyWithColleagues();
      const staff = await signInAs(ctx, w.staff);
      const customers = await downloadCsv(staff.get('/customers/export.csv'));
      expect(customers.header).not.toContain('owner email');
      expect(column(customers, 'owner').sort()).toEqual(['Gil Gone', 'Mona Manager', 'Tess Colleague']);
      const leads = await downloadCsv(staff.get('/leads/export.csv'));
      expect(leads.header).not.toContain('assignee email');
      const manager = await signInAs(ctx, w.manager);
      const all = await downloadCsv(manager.get('/customers/export.csv'));
      expect(column(all, 'owner email').sort()).toEqual([w.gone.email, w.manager.email, w.colleague.email]);
      const allLeads = await downloadCsv(manager.get('/leads/export.csv'));
      expect(column(allLeads, 'assignee email').sort()).toEqual([w.staff.email, w.colleague.email].sort());
    },
  );
});

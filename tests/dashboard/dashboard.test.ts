// GET /dashboard per role: every number counts only the caller's scope, links only to what the
// caller may use, and the page costs a fixed number of queries whatever the data.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext, type TestContext } from '../helpers/context.ts';
import { metric } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext();
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(Date.now() + ms);

/** Two companies: A with a manager and two staff, B with a manager and one staff, each with their own work. */
async function makeWorld(c: TestContext) {
  const { make } = c;
  const w = await buildWorld(c, {
    a: { name: 'Alpha Trading' },
    b: { name: 'Bravo Supplies' },
    managerA: { name: 'Mona Manager' },
    staffA: { name: 'Sam First' },
    colleagueA: { name: 'Tina Second' },
    managerB: { name: 'Boris Boss' },
    staffB: { name: 'Bella Other' },
  });
  const { a, b, managerA, staffA, colleagueA, staffB } = w;
  const leads: [number, number, 'NEW' | 'CONTACTED' | 'QUALIFIED' | 'WON' | 'LOST', number][] = [
    [a.id, staffA.id, 'NEW', 2],
    [a.id, staffA.id, 'QUALIFIED', 1],
    [a.id, colleagueA.id, 'NEW', 3],
    [a.id, colleagueA.id, 'WON', 1],
    [a.id, managerA.id, 'CONTACTED', 1],
    [b.id, staffB.id, 'NEW', 4],
    [b.id, staffB.id, 'LOST', 2],
  ];
  for (const [companyId, assigneeId, status, n] of leads) {
    for (let i = 0; i < n; i++) await make.lead(companyId, assigneeId, { status, estimatedValue: '1000.00' });
  }
  await make.task(a.id, staffA.id, { title: 'A1 overdue call', dueAt: at(-DAY) });
  await make.task(a.id, staffA.id, { title: 'A1 soon', dueAt: at(2 * DAY), status: 'IN_PROGRESS' });
  await make.task(a.id, staffA.id, {
    title: 'A1 done long ago',
    dueAt: at(-5 * DAY),
    status: 'DONE',
    completedAt: at(-5 * DAY),
  });
  await make.task(a.id, colleagueA.id, { title: 'A2 overdue one', dueAt: at(-2 * DAY) });
  await make.task(a.id, colleagueA.id, { title: 'A2 overdue two', dueAt: at(-3 * HOUR) });
  for (let i = 0; i < 3; i++) await make.task(b.id, staffB.id, { title: `B overdue ${i}`, dueAt: at(-DAY) });
  await make.appointment(a.id, [staffA.id, colleagueA.id], { title: 'Joint demo', startsAt: at(DAY) });
  await make.appointment(a.id, [colleagueA.id], { title: 'Tina solo visit', startsAt: at(2 * DAY) });
  await make.appointment(a.id, [staffA.id], { title: 'Sam far future', startsAt: at(10 * DAY) });
  await make.appointment(a.id, [staffA.id], { title: 'Sam past meeting', startsAt: at(-2 * DAY) });
  await make.appointment(b.id, [staffB.id], { title: 'Bravo meeting', startsAt: at(DAY) });
  await make.customer(a.id);
  await make.customer(b.id);
  await make.customer(b.id);
  return w;
}

describe('GET /dashboard', () => {
  it('sends a visitor to sign in', async () => {
    const res = await request(ctx.app).get('/dashboard').expect(302);
    expect(res.headers.location).toBe('/login?next=%2Fdashboard');
  });

  it("shows a staff user only their own leads, tasks and appointments, never a colleague's", async () => {
    const w = await makeWorld(ctx);
    const page = (await (await signInAs(ctx, w.staffA)).get('/dashboard').expect(200)).text;
    expect(page).toContain('My work');
    expect(page).toContain('Staff');
    expect(metric(page, 'leads-NEW')).toBe(2);
    expect(metric(page, 'leads-QUALIFIED')).toBe(1);
    expect(metric(page, 'leads-CONTACTED')).toBe(0);
    expect(metric(page, 'leads-WON')).toBe(0);
    expect(metric(page, 'tasks-overdue')).toBe(1);
    expect(metric(page, 'tasks-due-soon')).toBe(1);
    expect(metric(page, 'appointments-upcoming')).toBe(2);
    expect(page).toContain('A1 overdue call');
    expect(page).toContain('Joint demo');
    expect(page).toContain('Sam far future');
    for (const other of [
      'A2 overdue one',
      'Tina solo visit',
      'Bravo meeting',
      'B overdue',
      'Sam past meeting',
      'A1 done long ago',
    ])
      expect(page).not.toContain(other);
    expect(page).toContain('href="/leads?status=NEW"');
    expect(page).toContain('href="/tasks?show=overdue"');
    // Staff manage nobody: no user links and no team table.
    expect(page).not.toContain('href="/users');
    expect(page).not.toContain('Team workload');

    const other = (await (await signInAs(ctx, w.colleagueA)).get('/dashboard').expect(200)).text;
    expect(metric(other, 'leads-NEW')).toBe(3);
    expect(metric(other, 'leads-WON')).toBe(1);
    expect(metric(other, 'leads-QUALIFIED')).toBe(0);
    expect(metric(other, 'tasks-overdue')).toBe(2);
    expect(metric(other, 'appointments-upcoming')).toBe(2);
    expect(other).not.toContain('A1 overdue call');
  });

  it(
    "shows an account manager their company's pipeline, " + 'tasks, week and team, nothing of another company',
    async () => {
      const w = await makeWorld(ctx);
      const page = (await (await signInAs(ctx, w.managerA)).get('/dashboard').expect(200)).text;
      expect(page).toContain('Alpha Trading');
      expect(metric(page, 'leads-NEW')).toBe(5);
      expect(metric(page, 'leads-CONTACTED')).toBe(1);
      expect(metric(page, 'leads-QUALIFIED')).toBe(1);
      expect(metric(page, 'leads-WON')).toBe(1);
      expect(metric(page, 'leads-LOST')).toBe(0);
      expect(metric(page, 'tasks-overdue')).toBe(3);
      expect(metric(page, 'tasks-due-soon')).toBe(1);
      // The next 7 days only: the joint demo and Tina's visit, not the one in ten days nor Bravo's.
      expect(metric(page, 'appointments-upcoming')).toBe(2);
      expect(page).toContain('Tina solo visit');
      expect(page).not.toContain('Sam far future');
      expect(metric(page, `workload-${w.staffA.id}-leads`)).toBe(3);
      expect(metric(page, `workload-${w.staffA.id}-tasks`)).toBe(2);
      expect(metric(page, `workload-${w.staffA.id}-overdue`)).toBe(1);
      expect(metric(page, `workload-${w.colleagueA.id}-leads`)).toBe(3);
      expect(metric(page, `workload-${w.colleagueA.id}-overdue`)).toBe(2);
      expect(metric(page, `workload-${w.managerA.id}-leads`)).toBe(1);
      expect(page).toContain(`href="/users/${w.staffA.id}"`);
      expect(page).toContain(`href="/leads?assigneeId=${w.colleagueA.id}"`);
      for (const foreign of ['Bravo', 'Bella Other', 'Boris Boss', 'B overdue']) expect(page).not.toContain(foreign);
      expect(metric(page, `workload-${w.staffB.id}-leads`)).toBeNull();

      const pageB = (await (await signInAs(ctx, w.managerB)).get('/dashboard').expect(200)).text;
      expect(metric(pageB, 'leads-NEW')).toBe(4);
      expect(metric(pageB, 'leads-LOST')).toBe(2);
      expect(metric(pageB, 'tasks-overdue')).toBe(3);
      expect(pageB).not.toContain('Alpha Trading');
    },
  );

  it('lists a deactivated user in the workload only while they still hold open work', async () => {
    const w = await makeWorld(ctx);
    const idle = await ctx.make.staff(w.a.id, { name: 'Ivan Idle', active: false });
    const busy = await ctx.make.staff(w.a.id, { name: 'Betty Busy', active: false });
    await ctx.make.lead(w.a.id, busy.id);
    const page = (await (await signInAs(ctx, w.managerA)).get('/dashboard').expect(200)).text;
    expect(page).not.toContain(idle.name);
    expect(metric(page, `workload-${busy.id}-leads`)).toBe(1);
    expect(page).toContain('deactivated');
  });

  it('shows a superuser every company with its own counts and the latest audit entries', async () => {
    const w = await makeWorld(ctx);
    const su = w.su;
    await ctx.prisma.auditEntry.create({
      data: { companyId: w.b.id, actorId: w.managerB.id, action: 'update', model: 'Lead', recordId: '42' },
    });
    const page = (await (await signInAs(ctx, su)).get('/dashboard').expect(200)).text;
    expect(page).toContain('All companies');
    expect(metric(page, 'companies')).toBe(2);
    expect(metric(page, `company-${w.a.id}-leads`)).toBe(8);
    expect(metric(page, `company-${w.b.id}-leads`)).toBe(6);
    expect(metric(page, `company-${w.a.id}-customers`)).toBe(1);
    expect(metric(page, `company-${w.b.id}-customers`)).toBe(2);
    expect(metric(page, `company-${w.a.id}-users`)).toBe(3);
    expect(metric(page, 'active-users')).toBe(6);
    expect(page).toContain(`href="/leads?companyId=${w.b.id}"`);
    expect(page).toContain('Boris Boss · update Lead #42');
  });

  it('leaves out what a staff user may not view, with no link to it', async () => {
    const w = await makeWorld(ctx);
    await ctx.make.group(w.a.id, ['customer.view'], { name: 'Directory only' });
    const limited = await ctx.make.staff(w.a.id, { groups: ['Directory only'] });
    await ctx.make.lead(w.a.id, limited.id);
    const page = (await (await signInAs(ctx, limited)).get('/dashboard').expect(200)).text;
    expect(metric(page, 'leads-NEW')).toBeNull();
    expect(metric(page, 'tasks-overdue')).toBeNull();
    expect(page).not.toContain('href="/leads');
    expect(page).not.toContain('href="/tasks');
    expect(page).not.toContain('href="/appointments');
    expect(page).toContain('no access to leads, tasks or appointments');
  });

  it('runs the same number of queries for each role whatever the amount of data', async () => {
    const w = await makeWorld(ctx);
    const su = w.su;
    const sessions = [await signInAs(ctx, su), await signInAs(ctx, w.managerA), await signInAs(ctx, w.staffA)];
    const before: number[] = [];
    for (const s of sessions) {
      ctx.takeQueryCount();
      await s.get('/dashboard').expect(200);
      before.push(ctx.takeQueryCount());
    }
    const extra = await ctx.make.company();
    const more = [w.staffA.id, w.colleagueA.id, w.managerA.id];
    for (let i = 0; i < 12; i++) {
      const who = more[i % 3];
      await ctx.make.lead(w.a.id, who, { status: i % 2 ? 'LOST' : 'CONTACTED' });
      await ctx.make.task(w.a.id, who, { dueAt: at((i - 6) * DAY) });
      await ctx.make.appointment(
        w.a.id,
        [who, w.staffA.id].filter((v, j, l) => l.indexOf(v) === j),
        { startsAt: at(((i % 6) + 1) * HOUR) },
      );
      await ctx.make.staff(w.a.id);
      await ctx.prisma.auditEntry.create({
        data: { companyId: extra.id, action: 'create', model: 'Lead', recordId: String(i) },
      });
    }
    await ctx.make.customer(extra.id);
    const after: number[] = [];
    for (const s of sessions) {
      ctx.takeQueryCount();
      await s.get('/dashboard').expect(200);
      after.push(ctx.takeQueryCount());
    }
    expect(after).toEqual(before);
    for (const n of before) expect(n).toBeLessThan(20);
  });
});

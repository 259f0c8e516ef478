// GET /today — My day: each role, the blocks' content by the day owner's time zone, mark done from the
// page, the account manager's switch to a colleague's day and its refusals, and the statement count.
import { TZDate } from '@date-fns/tz';
import { addDays, startOfDay } from 'date-fns';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { all, first, metric, text, textOf } from '../helpers/html.ts';
import { recordStatements } from '../helpers/statements.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';
import { RESULTS_STATEMENTS } from '../../src/dashboard/results.ts';

const ctx = useTestContext();
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(Date.now() + ms);

/** The end of today in `zone`, as a UTC instant. */
const endOfToday = (zone: string) => new Date(addDays(startOfDay(new TZDate(Date.now(), zone)), 1).getTime());
const startOfToday = (zone: string) => new Date(startOfDay(new TZDate(Date.now(), zone)).getTime());

/** The titles listed in one block of the page (data-block="…"). */
const block = (html: string, name: string) =>
  all(html, `[data-block="${name}"] li`).map((li) => textOf(first(li, 'a')!));

describe('GET /today', () => {
  it('sends a visitor to sign in', async () => {
    const res = await request(ctx.app).get('/today').expect(302);
    expect(res.headers.location).toBe('/login?next=%2Ftoday');
  });

  it("staff: my overdue and today's open tasks by my zone; not done ones, tomorrow's or a colleague's", async () => {
    const w = await buildWorld(ctx);
    const { make } = ctx;
    await make.task(w.a.id, w.staffA.id, { title: 'Call back Ada', dueAt: at(-2 * DAY) });
    await make.task(w.a.id, w.staffA.id, { title: 'Earlier, overdue', dueAt: at(-60_000), status: 'IN_PROGRESS' });
    await make.task(w.a.id, w.staffA.id, { title: 'Later today', dueAt: new Date(endOfToday('UTC').getTime() - 1) });
    await make.task(w.a.id, w.staffA.id, { title: 'First thing tomorrow', dueAt: endOfToday('UTC') });
    await make.task(w.a.id, w.staffA.id, { title: 'Finished already', dueAt: at(-DAY), status: 'DONE' });
    await make.task(w.a.id, w.staffA.id, { title: 'No due date' });
    await make.task(w.a.id, w.colleagueA.id, { title: 'Carla overdue', dueAt: at(-DAY) });
    await make.task(w.b.id, w.staffB.id, { title: 'Bravo overdue', dueAt: at(-DAY) });
    const page = (await (await w.as(w.staffA)).get('/today').expect(200)).text;
    expect(text(page, 'h1')).toBe('My day');
    expect(block(page, 'overdue')).toEqual(['Call back Ada', 'Earlier, overdue']);
    expect(block(page, 'today')).toEqual(['Later today']);
    expect(metric(page, 'day-tasks')).toBe(3);
    for (const absent of ['First thing tomorrow', 'Finished already', 'No due date', 'Carla overdue', 'Bravo overdue'])
      expect(page).not.toContain(absent);
    // Staff have no colleague picker.
    expect(page).not.toContain('name="userId"');
  });

  it('counts "today" in the user\'s own zone: Pacific/Auckland and UTC disagree about the same task', async () => {
    const w = await buildWorld(ctx, {
      staffA: { timeZone: 'Pacific/Auckland' },
      colleagueA: { timeZone: 'UTC' },
    });
    // Halfway between the two zones' ends of today: today for the zone whose day ends later, tomorrow for the other.
    const [nz, utc] = [endOfToday('Pacific/Auckland'), endOfToday('UTC')];
    const due = new Date((nz.getTime() + utc.getTime()) / 2);
    for (const u of [w.staffA, w.colleagueA])
      await ctx.make.task(w.a.id, u.id, { title: `Zone task ${u.id}`, dueAt: due });
    const nzPage = (await (await w.as(w.staffA)).get('/today').expect(200)).text;
    const utcPage = (await (await w.as(w.colleagueA)).get('/today').expect(200)).text;
    const [later, earlier] = nz > utc ? [nzPage, utcPage] : [utcPage, nzPage];
    expect(block(later, 'today')).toHaveLength(1);
    expect(block(earlier, 'today')).toEqual([]);
    expect(earlier).toContain('Nothing overdue and nothing due today');
    // The date line is the owner's date in their zone.
    const nzDate = new TZDate(Date.now(), 'Pacific/Auckland');
    expect(nzPage).toContain(`${nzDate.getDate()} ${nzDate.toLocaleString('en-GB', { month: 'long' })}`);
  });

  it("lists today's appointments I attend, with times in my zone; not one I don't attend, nor tomorrow's", async () => {
    const w = await buildWorld(ctx, { staffA: { timeZone: 'Europe/Berlin' } });
    const start = startOfToday('Europe/Berlin');
    const { make } = ctx;
    await make.appointment(w.a.id, [w.colleagueA.id, w.staffA.id], {
      title: 'Morning demo',
      startsAt: new Date(start.getTime() + 9 * HOUR),
      endsAt: new Date(start.getTime() + 10 * HOUR),
    });
    await make.appointment(w.a.id, [w.colleagueA.id], {
      title: 'Carla alone',
      startsAt: new Date(start.getTime() + 11 * HOUR),
      endsAt: new Date(start.getTime() + 12 * HOUR),
    });
    await make.appointment(w.a.id, [w.staffA.id], {
      title: 'Tomorrow visit',
      startsAt: new Date(start.getTime() + DAY + 9 * HOUR),
      endsAt: new Date(start.getTime() + DAY + 10 * HOUR),
    });
    await make.appointment(w.a.id, [w.staffA.id], {
      title: 'Yesterday visit',
      startsAt: new Date(start.getTime() - 3 * HOUR),
      endsAt: new Date(start.getTime() - 2 * HOUR),
    });
    const page = (await (await w.as(w.staffA)).get('/today').expect(200)).text;
    expect(block(page, 'appointments')).toEqual(['Morning demo']);
    expect(text(page, '[data-block="appointments"] li')).toContain('09:00–10:00');
    for (const absent of ['Carla alone', 'Tomorrow visit', 'Yesterday visit']) expect(page).not.toContain(absent);
    // The manager (UTC) sees the same appointment in staffA's day, with staffA's zone named.
    const m = (await (await w.as(w.managerA)).get(`/today?userId=${w.staffA.id}`).expect(200)).text;
    expect(text(m, '[data-block="appointments"] li')).toContain('09:00–10:00');
    expect(m).toContain('times in Europe/Berlin');
  });

  it('leads: my open leads with no next task, longest quiet first; new leads since yesterday began', async () => {
    const w = await buildWorld(ctx);
    const { make } = ctx;
    const quiet = await make.lead(w.a.id, w.staffA.id, { title: 'Quiet lead', createdAt: at(-30 * DAY) });
    await make.activity(w.a.id, w.staffA.id, { leadId: quiet.id, occurredAt: at(-20 * DAY) });
    const recent = await make.lead(w.a.id, w.staffA.id, { title: 'Recently called', createdAt: at(-30 * DAY) });
    await make.activity(w.a.id, w.staffA.id, { leadId: recent.id, occurredAt: at(-HOUR) });
    await make.lead(w.a.id, w.staffA.id, { title: 'Never touched', createdAt: at(-10 * DAY) });
    const planned = await make.lead(w.a.id, w.staffA.id, { title: 'Planned lead', createdAt: at(-30 * DAY) });
    await make.task(w.a.id, w.staffA.id, { title: 'Next for planned', leadId: planned.id, dueAt: at(DAY) });
    await make.lead(w.a.id, w.staffA.id, { title: 'Won deal', status: 'WON', createdAt: at(-30 * DAY) });
    await make.lead(w.a.id, w.staffA.id, { title: 'Fresh lead' });
    await make.lead(w.a.id, w.colleagueA.id, { title: 'Carla lead' });
    await make.lead(w.b.id, w.staffB.id, { title: 'Bravo lead' });
    // Reassigned to staffA today: "new" to them although created a month ago (Lead.assignedAt, set by a trigger).
    const handedOver = await make.lead(w.a.id, w.colleagueA.id, { title: 'Handed over', createdAt: at(-30 * DAY) });
    await make.task(w.a.id, w.colleagueA.id, { title: 'Planned by Carla', leadId: handedOver.id, dueAt: at(DAY) });
    await ctx.prisma.lead.update({ where: { id: handedOver.id }, data: { assigneeId: w.staffA.id } });
    // The triggers keep the freshness columns: re-read them rather than trust the test's intent.
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: planned.id } })).toMatchObject({
      nextTaskId: expect.any(Number),
    });
    const page = (await (await w.as(w.staffA)).get('/today').expect(200)).text;
    expect(block(page, 'idle-leads')).toEqual(['Never touched', 'Fresh lead', 'Quiet lead', 'Recently called']);
    expect(block(page, 'new-leads')).toEqual(['Handed over', 'Fresh lead']);
    for (const absent of ['Planned lead', 'Won deal', 'Carla lead', 'Bravo lead']) expect(page).not.toContain(absent);
  });

  it('caps the leads block at 10 with a link to the lead list', async () => {
    const w = await buildWorld(ctx);
    for (let i = 0; i < 12; i++)
      await ctx.make.lead(w.a.id, w.staffA.id, { title: `Idle ${i}`, createdAt: at(-9 * DAY) });
    const page = (await (await w.as(w.staffA)).get('/today').expect(200)).text;
    expect(block(page, 'idle-leads')).toHaveLength(10);
    expect(metric(page, 'day-idle-leads')).toBeNull(); // "10+" is not a plain number
    expect(text(page, '[data-metric="day-idle-leads"]')).toBe('10+');
    expect(page).toContain('href="/leads"');
  });

  it('shows an empty state that says what to do in every block', async () => {
    const w = await buildWorld(ctx);
    const page = (await (await w.as(w.staffA)).get('/today').expect(200)).text;
    expect(page).toContain('Nothing overdue and nothing due today');
    expect(page).toContain('href="/tasks/new"');
    expect(page).toContain('No appointments today');
    expect(page).toContain('href="/appointments/new"');
    expect(page).toContain('No open lead of yours is without a next');
    expect(page).toContain('No lead was given to you since the start of yesterday');
  });

  it('shows only the blocks the user may view; a user with no such permission is told why', async () => {
    const w = await buildWorld(ctx);
    const tasksOnly = await limitedStaff(ctx, w.a.id, ['task.view']);
    await ctx.make.lead(w.a.id, tasksOnly.id, { title: 'Hidden lead' });
    const page = (await (await w.as(tasksOnly)).get('/today').expect(200)).text;
    expect(page).toContain('id="day-tasks-heading"');
    expect(page).not.toContain('id="day-appointments-heading"');
    expect(page).not.toContain('Hidden lead');
    // No task.change: no "Mark done" button.
    await ctx.make.task(w.a.id, tasksOnly.id, { title: 'Look only', dueAt: at(-HOUR) });
    const again = (await (await w.as(tasksOnly)).get('/today').expect(200)).text;
    expect(again).toContain('Look only');
    expect(again).not.toContain('/done"');
    const nothing = await limitedStaff(ctx, w.a.id, [], 'No Perms');
    const empty = (await (await w.as(nothing)).get('/today').expect(200)).text;
    expect(empty).toContain('Your groups give you no access');
  });

  it('superuser: no day of their own, a page pointing to the dashboard; no "My day" in their menu', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.su);
    const page = (await s.get('/today').expect(200)).text;
    expect(page).toContain('you have no day of your own');
    expect(page).toContain('href="/dashboard"');
    expect((await s.get(`/today?userId=${w.staffA.id}`).expect(200)).text).not.toContain('Steve Alpha');
    expect((await s.get('/dashboard').expect(200)).text).not.toContain('href="/today"');
    expect((await (await w.as(w.staffA)).get('/dashboard').expect(200)).text).toContain('href="/today"');
  });
});

describe('mark done from /today', () => {
  it('marks the task done, writes its audit row and comes back to /today', async () => {
    const w = await buildWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Send the quote', dueAt: at(-HOUR) });
    const s = await w.as(w.staffA);
    const page = (await s.get('/today').expect(200)).text;
    const form = first(page, `form[action="/tasks/${task.id}/done"]`)!;
    expect(first(form, 'input[name="returnTo"]')!.attribs.value).toBe('/today');
    expect(first(form, 'input[name="_csrf"]')).toBeDefined();
    const res = await s.post(`/tasks/${task.id}/done`, { returnTo: '/today' }).expect(303);
    expect(res.headers.location).toBe('/today');
    const row = await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(row).toMatchObject({ status: 'DONE', version: 2 });
    expect(row.completedAt).toBeInstanceOf(Date);
    const audit = await ctx.prisma.auditEntry.findFirstOrThrow({
      where: { model: 'Task', recordId: String(task.id), action: 'update' },
    });
    expect(audit).toMatchObject({ actorId: w.staffA.id, companyId: w.a.id });
    expect(audit.changes).toMatchObject({ status: ['OPEN', 'DONE'] });
    const after = (await s.get('/today').expect(200)).text;
    expect(after).toContain('Task &#34;Send the quote&#34; marked done.');
    expect(block(after, 'overdue')).toEqual([]);
  });

  it("returns to a colleague's day and to the dashboard; any other address falls back to the task", async () => {
    const w = await buildWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { dueAt: at(-HOUR) });
    const m = await w.as(w.managerA);
    const page = (await m.get(`/today?userId=${w.staffA.id}`).expect(200)).text;
    expect(first(page, `form[action="/tasks/${task.id}/done"] input[name="returnTo"]`)!.attribs.value).toBe(
      `/today?userId=${w.staffA.id}`,
    );
    const res = await m.post(`/tasks/${task.id}/done`, { returnTo: `/today?userId=${w.staffA.id}` }).expect(303);
    expect(res.headers.location).toBe(`/today?userId=${w.staffA.id}`);
    const back = await m.post(`/tasks/${task.id}/reopen`, { returnTo: '/dashboard' }).expect(303);
    expect(back.headers.location).toBe('/dashboard');
    for (const bad of ['//evil.test/today', '/today?userId=1&x=https://evil.test', '/today/../admin', '/todayx']) {
      const r = await m.post(`/tasks/${task.id}/done`, { returnTo: bad }).expect(303);
      expect(r.headers.location, bad).toBe(`/tasks/${task.id}`);
      await m.post(`/tasks/${task.id}/reopen`).expect(303);
    }
  });

  it('refuses a POST without the CSRF token and changes nothing', async () => {
    const w = await buildWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { dueAt: at(-HOUR) });
    const s = await w.as(w.staffA);
    await s.agent.post(`/tasks/${task.id}/done`).type('form').send({ returnTo: '/today' }).expect(403);
    expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: 'OPEN',
      version: 1,
    });
    expect(await ctx.prisma.auditEntry.count({ where: { model: 'Task' } })).toBe(0);
  });

  it("staff cannot mark a colleague's task done from a crafted form (404), nor another company's", async () => {
    const w = await buildWorld(ctx);
    const theirs = await ctx.make.task(w.a.id, w.colleagueA.id, { dueAt: at(-HOUR) });
    const foreign = await ctx.make.task(w.b.id, w.staffB.id, { dueAt: at(-HOUR) });
    const s = await w.as(w.staffA);
    for (const t of [theirs, foreign]) {
      await s.post(`/tasks/${t.id}/done`, { returnTo: '/today' }).expect(404);
      expect(await ctx.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ status: 'OPEN' });
    }
  });
});

describe("switching to a colleague's day", () => {
  it('the account manager picks any active colleague and sees their day, not their own', async () => {
    const w = await buildWorld(ctx);
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Steve overdue', dueAt: at(-HOUR) });
    await ctx.make.task(w.a.id, w.managerA.id, { title: 'Maria overdue', dueAt: at(-HOUR) });
    await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Steve fresh lead' });
    const gone = await ctx.make.staff(w.a.id, { name: 'Gone Person', active: false });
    await ctx.make.task(w.a.id, gone.id, { title: 'Left behind', dueAt: at(-HOUR) });
    const m = await w.as(w.managerA);
    const own = (await m.get('/today').expect(200)).text;
    expect(block(own, 'overdue')).toEqual(['Maria overdue']);
    const options = all(own, 'select[name="userId"] option').map((o) => textOf(o));
    expect(options).toEqual(['Carla Alpha', 'Maria Alpha (me)', 'Steve Alpha']);
    expect(first(own, 'label[for="day-user"]')).toBeDefined();
    const theirs = (await m.get(`/today?userId=${w.staffA.id}`).expect(200)).text;
    expect(text(theirs, 'h1')).toBe("Steve Alpha's day");
    expect(block(theirs, 'overdue')).toEqual(['Steve overdue']);
    expect(block(theirs, 'new-leads')).toEqual(['Steve fresh lead']);
    expect(first(theirs, `option[value="${w.staffA.id}"][selected]`)).toBeDefined();
    // A deactivated colleague's day can still be opened (their open work needs a new owner).
    const left = (await m.get(`/today?userId=${gone.id}`).expect(200)).text;
    expect(block(left, 'overdue')).toEqual(['Left behind']);
    expect(left).toContain('Gone Person (inactive)');
    // Their own id, or an empty choice, is their own day.
    expect(text((await m.get(`/today?userId=${w.managerA.id}`).expect(200)).text, 'h1')).toBe('My day');
    expect(text((await m.get('/today?userId=').expect(200)).text, 'h1')).toBe('My day');
  });

  it("another company's user, a superuser, a missing or malformed id: 404, nothing of theirs shown", async () => {
    const w = await buildWorld(ctx);
    await ctx.make.task(w.b.id, w.staffB.id, { title: 'Bravo secret task', dueAt: at(-HOUR) });
    const m = await w.as(w.managerA);
    for (const id of [w.staffB.id, w.managerB.id, w.su.id, 999999, 'abc', '0', '-1']) {
      const res = await m.get(`/today?userId=${id}`).expect(404);
      expect(res.text).not.toContain('Bravo secret task');
      expect(res.text).not.toContain('Sue Bravo');
    }
    await m.get(`/today?userId=${w.staffA.id}&userId=${w.colleagueA.id}`).expect(400);
  });

  it("staff cannot switch: another person's id is refused with 403; their own id is their day", async () => {
    const w = await buildWorld(ctx);
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Carla private task', dueAt: at(-HOUR) });
    const s = await w.as(w.staffA);
    for (const id of [w.colleagueA.id, w.managerA.id, w.staffB.id]) {
      const res = await s.get(`/today?userId=${id}`).expect(403);
      expect(res.text).not.toContain('Carla private task');
    }
    expect(text((await s.get(`/today?userId=${w.staffA.id}`).expect(200)).text, 'h1')).toBe('My day');
  });
});

describe('the staff dashboard', () => {
  it("starts with My day's tasks and appointments, and links to My day for the leads", async () => {
    const w = await buildWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Dash overdue', dueAt: at(-HOUR) });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Dash in three days', dueAt: at(3 * DAY) });
    const page = (await (await w.as(w.staffA)).get('/dashboard').expect(200)).text;
    const headings = all(page, 'h2').map((h) => textOf(h));
    expect(headings[0]).toMatch(/^My day/);
    expect(block(page, 'overdue')).toEqual(['Dash overdue']);
    expect(page).not.toContain('Dash in three days');
    expect(metric(page, 'tasks-due-soon')).toBe(1);
    expect(first(page, `form[action="/tasks/${task.id}/done"] input[name="returnTo"]`)!.attribs.value).toBe(
      '/dashboard',
    );
    expect(page).toContain('id="day-appointments-heading"');
    expect(page).toContain('are on <a href="/today">My day</a>');
  });
});

describe('statements', () => {
  it('a fixed number however full the day: staff 5, account manager 6 (session read included)', async () => {
    const w = await buildWorld(ctx);
    for (let i = 0; i < 30; i++) {
      const who = i % 2 ? w.staffA.id : w.colleagueA.id;
      const customer = await ctx.make.customer(w.a.id);
      await ctx.make.task(w.a.id, who, { dueAt: at(-i * HOUR), customerId: customer.id });
      await ctx.make.lead(w.a.id, who, { customerId: customer.id });
      await ctx.make.appointment(w.a.id, [who, w.managerA.id], { startsAt: at(-i * 60_000), customerId: customer.id });
    }
    const recorder = recordStatements(ctx.db.pool);
    const count = async (s: Awaited<ReturnType<typeof w.as>>, path: string) => {
      await s.get(path).expect(200);
      const { statements } = await recorder.during(() => s.get(path).expect(200));
      return statements.length;
    };
    expect(await count(await w.as(w.staffA), '/today')).toBe(5);
    expect(await count(await w.as(w.managerA), `/today?userId=${w.staffA.id}`)).toBe(6);
    expect(await count(await w.as(w.su), '/today')).toBe(1);
    // The staff dashboard: My day's blocks and counts, then "Pipeline and results" (issue 14, RESULTS_STATEMENTS).
    expect(await count(await w.as(w.staffA), '/dashboard')).toBeLessThanOrEqual(7 + RESULTS_STATEMENTS);
  });
});

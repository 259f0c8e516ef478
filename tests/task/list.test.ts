// The task list: quick views (mine / overdue / due this week / done), filters, search, sort,
// pagination, empty state, CSV of exactly the filtered rows, and a fixed number of queries.
import { TZDate } from '@date-fns/tz';
import { addDays, startOfWeek } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { downloadCsv } from '../helpers/csv.ts';
import { recordTitles } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { taskWorld } from './world.ts';

const ctx = useTestContext();
const HOUR = 3600_000;

/** Task titles in the order the list shows them. */
const titles = (html: string): string[] => recordTitles(html, '/tasks');

describe('task list views and filters', () => {
  it('mine, overdue, done, status, priority and assignee filters', async () => {
    const w = await taskWorld(ctx);
    const past = new Date(Date.now() - 2 * HOUR);
    const future = new Date(Date.now() + 48 * HOUR);
    await ctx.make.task(w.a.id, w.managerA.id, { title: 'Manager own', dueAt: future });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Late one', dueAt: past, priority: 'HIGH' });
    await ctx.make.task(w.a.id, w.staffA.id, {
      title: 'Late but done',
      dueAt: past,
      status: 'DONE',
      completedAt: new Date(),
    });
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'No date', status: 'IN_PROGRESS' });
    const s = await signInAs(ctx, w.managerA);
    expect(titles((await s.get('/tasks?show=mine').expect(200)).text)).toEqual(['Manager own']);
    expect(titles((await s.get('/tasks?show=overdue').expect(200)).text)).toEqual(['Late one']);
    expect(titles((await s.get('/tasks?show=done').expect(200)).text)).toEqual(['Late but done']);
    expect(titles((await s.get('/tasks?status=IN_PROGRESS').expect(200)).text)).toEqual(['No date']);
    expect(titles((await s.get('/tasks?priority=HIGH').expect(200)).text)).toEqual(['Late one']);
    expect(titles((await s.get(`/tasks?assigneeId=${w.staffA.id}&sort=title`).expect(200)).text)).toEqual([
      'Late but done',
      'Late one',
    ]);
    const overdueRow = (await s.get('/tasks').expect(200)).text;
    expect(overdueRow).toContain('Overdue</span>');
    // An unknown filter value is ignored; a repeated parameter is a 400, never a 500.
    expect(titles((await s.get('/tasks?show=nonsense').expect(200)).text)).toHaveLength(4);
    await s.get('/tasks?status=OPEN&status=DONE').expect(400);
  });

  it('"due this week" is Monday to Sunday in the user’s time zone', async () => {
    const w = await taskWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'Europe/Paris' } });
    const monday = startOfWeek(new TZDate(Date.now(), 'Europe/Paris'), { weekStartsOn: 1 });
    const at = (d: Date, ms: number) => new Date(d.getTime() + ms);
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Monday half past midnight', dueAt: at(monday, 30 * 60_000) });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Sunday evening', dueAt: at(addDays(monday, 6), 20 * HOUR) });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Last Sunday night', dueAt: at(monday, -30 * 60_000) });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Next Monday', dueAt: at(addDays(monday, 7), 30 * 60_000) });
    const s = await signInAs(ctx, w.staffA);
    const shown = titles((await s.get('/tasks?show=week&sort=due').expect(200)).text);
    expect(shown).toEqual(['Monday half past midnight', 'Sunday evening']);
  });

  it('searches title and description, case-insensitively', async () => {
    const w = await taskWorld(ctx);
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Send the ACME offer' });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Call', description: 'About the acme renewal' });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Unrelated' });
    const s = await signInAs(ctx, w.staffA);
    const res = await s.get('/tasks?q=acme&sort=title').expect(200);
    expect(titles(res.text)).toEqual(['Call', 'Send the ACME offer']);
    expect(res.text).toContain('value="acme"');
    const none = await s.get('/tasks?q=zebra').expect(200);
    expect(none.text).toContain('No tasks match these filters.');
  });

  it('shows an empty state with a create button when there are no tasks', async () => {
    const w = await taskWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    const res = await s.get('/tasks').expect(200);
    expect(res.text).toContain('No tasks yet.');
    expect(res.text).toContain('Create the first task');
  });

  it('sorts by due (empty dates last), priority, status, title and created', async () => {
    const w = await taskWorld(ctx);
    const now = Date.now();
    await ctx.make.task(w.a.id, w.staffA.id, {
      title: 'B',
      dueAt: new Date(now + 2 * HOUR),
      priority: 'LOW',
      status: 'DONE',
    });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'A', dueAt: null, priority: 'HIGH', status: 'OPEN' });
    await ctx.make.task(w.a.id, w.staffA.id, {
      title: 'C',
      dueAt: new Date(now + HOUR),
      priority: 'NORMAL',
      status: 'IN_PROGRESS',
    });
    const s = await signInAs(ctx, w.staffA);
    const order = async (q: string) => titles((await s.get(`/tasks?${q}`).expect(200)).text);
    expect(await order('')).toEqual(['C', 'B', 'A']);
    expect(await order('sort=due&dir=desc')).toEqual(['B', 'C', 'A']);
    expect(await order('sort=priority&dir=desc')).toEqual(['A', 'C', 'B']);
    expect(await order('sort=status&dir=asc')).toEqual(['A', 'C', 'B']);
    expect(await order('sort=title&dir=asc')).toEqual(['A', 'B', 'C']);
    expect(await order('sort=created&dir=desc')).toEqual(['C', 'A', 'B']);
    const page = (await s.get('/tasks?sort=title&dir=asc').expect(200)).text;
    expect(page).toContain('aria-sort="ascending"');
  });

  it('pages through the tasks, keeping the filters in the links', async () => {
    const w = await taskWorld(ctx);
    for (let i = 1; i <= 30; i++)
      await ctx.make.task(w.a.id, w.staffA.id, { title: `Task ${String(i).padStart(2, '0')}`, priority: 'HIGH' });
    const s = await signInAs(ctx, w.staffA);
    const first = await s.get('/tasks?priority=HIGH&sort=title').expect(200);
    expect(titles(first.text)).toHaveLength(25);
    expect(first.text).toContain('Showing 1–25 of 30 tasks');
    expect(first.text).toContain('href="/tasks?priority=HIGH&amp;sort=title&amp;dir=asc&amp;page=2"');
    const second = await s.get('/tasks?priority=HIGH&sort=title&page=2').expect(200);
    expect(titles(second.text)).toEqual(['Task 26', 'Task 27', 'Task 28', 'Task 29', 'Task 30']);
    // A page past the last (an old link) shows the last page, rows and counts agreeing.
    const beyond = await s.get('/tasks?priority=HIGH&sort=title&page=9').expect(200);
    expect(titles(beyond.text)).toEqual(['Task 26', 'Task 27', 'Task 28', 'Task 29', 'Task 30']);
    expect(beyond.text).toContain('Showing 26–30 of 30 tasks');
  });

  it('costs the same number of queries for 3 tasks as for 25', async () => {
    const w = await taskWorld(ctx);
    const s = await signInAs(ctx, w.managerA);
    const customers = [await ctx.make.customer(w.a.id), await ctx.make.customer(w.a.id)];
    const people = [w.managerA, w.staffA, w.colleagueA];
    for (let i = 0; i < 3; i++) await ctx.make.task(w.a.id, people[i].id, { customerId: customers[i % 2].id });
    ctx.takeQueryCount();
    await s.get('/tasks').expect(200);
    const few = ctx.takeQueryCount();
    for (let i = 0; i < 22; i++) {
      const extra = await ctx.make.staff(w.a.id);
      const customer = await ctx.make.customer(w.a.id);
      await ctx.make.task(w.a.id, extra.id, { customerId: customer.id });
    }
    ctx.takeQueryCount();
    const many = await s.get('/tasks').expect(200);
    expect(titles(many.text)).toHaveLength(25);
    expect(ctx.takeQueryCount()).toBe(few);
  });
});

describe('task CSV export', () => {
  it('exports exactly the filtered rows, in the user’s time zone, with formulas neutralised', async () => {
    const w = await taskWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.managerA.id }, data: { timeZone: 'Europe/Paris' } });
    const customer = await ctx.make.customer(w.a.id, { name: 'Dupont SA' });
    await ctx.make.task(w.a.id, w.staffA.id, {
      title: '=HYPERLINK("x")',
      priority: 'HIGH',
      dueAt: new Date('2026-01-15T08:00:00Z'),
      customerId: customer.id,
    });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Low one', priority: 'LOW' });
    await ctx.make.task(w.b.id, w.staffB.id, { title: 'Other company', priority: 'HIGH' });
    for (let i = 0; i < 30; i++) await ctx.make.task(w.a.id, w.colleagueA.id, { title: `Bulk ${i}`, priority: 'HIGH' });
    const s = await signInAs(ctx, w.managerA);
    const list = await s.get(`/tasks?priority=HIGH&assigneeId=${w.staffA.id}`).expect(200);
    expect(list.text).toContain(
      `href="/tasks/export.csv?priority=HIGH&amp;assigneeId=${w.staffA.id}&amp;sort=due&amp;dir=asc"`,
    );
    const csv = await downloadCsv(s.get(`/tasks/export.csv?priority=HIGH&assigneeId=${w.staffA.id}`), 'tasks.csv');
    expect(csv.header).toEqual([
      'id',
      'title',
      'status',
      'priority',
      'due (Europe/Paris)',
      'assignee',
      'customer',
      'lead',
      'completed (Europe/Paris)',
      'created (Europe/Paris)',
    ]);
    expect(csv.rows).toHaveLength(1);
    expect(csv.rows[0].slice(1, 7)).toEqual([
      '\'=HYPERLINK("x")',
      'Open',
      'High',
      '2026-01-15 09:00',
      'Sam Staff',
      'Dupont SA',
    ]);
    // Without a page limit: all 31 high-priority rows of the company, none of the other company.
    const all = await downloadCsv(s.get('/tasks/export.csv?priority=HIGH'));
    expect(all.rows).toHaveLength(31);
    expect(all.text).not.toContain('Other company');
  });
});

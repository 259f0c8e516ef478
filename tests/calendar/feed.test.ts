// The personal calendar feed: created, replaced and revoked from the profile (CSRF-checked POSTs), read by calendar
// apps without a session at /calendar/<token>.ics. It lists exactly the appointments the user attends and their
// tasks with a due time, in the window (30 days back, 90 ahead), and answers the same 404 once the token is
// revoked or replaced, or the user or their company is deactivated.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { fieldValue } from '../helpers/html.ts';
import type { Session } from '../helpers/session.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';
import { parseIcs } from './ics.ts';
import { signInAs } from '../helpers/session.ts';

const ctx = useTestContext();
const DAY = 24 * 3600_000;
/** Whole minutes: iCalendar times have seconds, not milliseconds. */
const inDays = (n: number) => new Date(Math.floor((Date.now() + n * DAY) / 60_000) * 60_000);

/** Creates (or replaces) the session user's feed from the profile; returns the address shown once. */
async function issue(s: Session): Promise<string> {
  const res = await s.post('/profile/calendar').expect(303);
  expect(res.headers.location).toBe('/profile#calendar');
  // Waiting in the session for the next page, the address is sealed: no session row holds it readable.
  const sessions = await ctx.db.pool.query('SELECT sess::text AS s FROM "session"');
  expect(sessions.rows.some((r) => r.s.includes('calendarFeedUrl'))).toBe(true);
  expect(sessions.rows.some((r) => r.s.includes('/calendar/'))).toBe(false);
  const page = await s.get('/profile').expect(200);
  const url = fieldValue(page.text, 'calendar-feed-url') ?? feedUrlOn(page.text);
  expect(url).toMatch(/^http:\/\/crm\.test\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  // Shown once: the next visit has no address on it.
  expect(feedUrlOn((await s.get('/profile').expect(200)).text)).toBeNull();
  return new URL(url!).pathname;
}

const feedUrlOn = (html: string) => /value="(http:\/\/crm\.test\/calendar\/[^"]+)"/.exec(html)?.[1] ?? null;

/** A calendar app's request: no cookie. */
const fetchFeed = (path: string) => request(ctx.app).get(path);

async function world() {
  const w = await buildWorld(ctx);
  const { a, b, staffA, colleagueA, managerA, staffB } = w;
  const mine = await ctx.make.appointment(a.id, [staffA.id, colleagueA.id], {
    title: 'Mine soon',
    startsAt: inDays(2),
  });
  const minePast = await ctx.make.appointment(a.id, [staffA.id], { title: 'Mine last week', startsAt: inDays(-7) });
  await ctx.make.appointment(a.id, [staffA.id], { title: 'Mine too far', startsAt: inDays(100) });
  await ctx.make.appointment(a.id, [staffA.id], { title: 'Mine too old', startsAt: inDays(-40) });
  const managers = await ctx.make.appointment(a.id, [managerA.id, colleagueA.id], {
    title: 'Colleague meeting',
    startsAt: inDays(3),
  });
  await ctx.make.appointment(b.id, [staffB.id], { title: 'Other company', startsAt: inDays(2) });
  const task = await ctx.make.task(a.id, staffA.id, { title: 'Send quote', dueAt: inDays(1) });
  const done = await ctx.make.task(a.id, staffA.id, { title: 'Old call', dueAt: inDays(-3), status: 'DONE' });
  await ctx.make.task(a.id, staffA.id, { title: 'No due date' });
  await ctx.make.task(a.id, staffA.id, { title: 'Task too far', dueAt: inDays(95) });
  await ctx.make.task(a.id, colleagueA.id, { title: 'Colleague task', dueAt: inDays(1) });
  await ctx.make.task(b.id, staffB.id, { title: 'Other task', dueAt: inDays(1) });
  return { ...w, mine, minePast, managers, task, done };
}

describe('the calendar feed', () => {
  it('holds only what the user may see on the pages: nothing without appointment.view and task.view', async () => {
    const w = await world();
    const leadsOnly = await limitedStaff(ctx, w.a.id, ['lead.view'], 'Lena Leads');
    await ctx.make.appointment(w.a.id, [leadsOnly.id], {
      title: 'Her meeting',
      startsAt: new Date(Date.now() + 3600e3),
    });
    await ctx.make.task(w.a.id, leadsOnly.id, { title: 'Her task', dueAt: new Date(Date.now() + 3600e3) });
    const s = await signInAs(ctx, leadsOnly);
    expect((await s.get('/profile').expect(200)).text).not.toContain('Calendar subscription');
    await s.post('/profile/calendar').expect(403);
    expect(await ctx.prisma.calendarFeed.count()).toBe(0);
    // Given task.view only, the feed is possible and lists the task, never the meeting.
    const tasksOnly = await limitedStaff(ctx, w.a.id, ['task.view'], 'Tom Tasks');
    await ctx.make.appointment(w.a.id, [tasksOnly.id], {
      title: 'His meeting',
      startsAt: new Date(Date.now() + 3600e3),
    });
    await ctx.make.task(w.a.id, tasksOnly.id, { title: 'His task', dueAt: new Date(Date.now() + 3600e3) });
    const feed = await fetchFeed(await issue(await signInAs(ctx, tasksOnly))).expect(200);
    expect(feed.text).toContain('His task');
    expect(feed.text).not.toContain('His meeting');
  });

  it("lists exactly the user's appointments and due tasks in the window, read without a session", async () => {
    const w = await world();
    const path = await issue(await w.as(w.staffA));
    ctx.takeQueryCount();
    const res = await fetchFeed(path).expect(200);
    // The token with its user, the appointments, the tasks.
    expect(ctx.takeQueryCount()).toBe(3);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(res.headers['set-cookie']).toBeUndefined();
    // A calendar app may ask with HEAD first: the same answer without the body, never the sign-in page.
    const head = await request(ctx.app).head(path).expect(200);
    expect(head.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const ics = parseIcs(res.text);
    expect(ics.method).toBe('PUBLISH');
    expect(ics.name).toBe(`CRM — ${w.staffA.name}`);
    expect(ics.events.map((e) => e.uid).sort()).toEqual(
      [
        `appointment-${w.mine.id}@crm.test`,
        `appointment-${w.minePast.id}@crm.test`,
        `task-${w.task.id}@crm.test`,
        `task-${w.done.id}@crm.test`,
      ].sort(),
    );
    const byUid = new Map(ics.events.map((e) => [e.uid, e]));
    expect(byUid.get(`appointment-${w.mine.id}@crm.test`)).toMatchObject({
      summary: 'Mine soon',
      start: w.mine.startsAt.toISOString(),
      end: w.mine.endsAt.toISOString(),
      sequence: 0,
      // A feed names no one.
      attendees: [],
      organizer: null,
    });
    expect(byUid.get(`task-${w.task.id}@crm.test`)).toMatchObject({
      summary: 'Task: Send quote',
      start: w.task.dueAt!.toISOString(),
    });
    expect(byUid.get(`task-${w.done.id}@crm.test`)?.summary).toBe('Done: Old call');
    for (const hidden of ['Colleague meeting', 'Other company', 'Colleague task', 'Other task', 'too far', 'too old'])
      expect(res.text).not.toContain(hidden);
    expect(res.text).not.toContain(w.colleagueA.email);
    const row = await ctx.prisma.calendarFeed.findUniqueOrThrow({ where: { userId: w.staffA.id } });
    expect(row.lastUsedAt).not.toBeNull();
    // Only the token's hash is stored.
    const token = path.slice('/calendar/'.length, -'.ics'.length);
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(row.tokenHash).not.toContain(token);
  });

  it("an account manager's feed holds the meetings they attend, not every meeting of the company", async () => {
    const w = await world();
    const res = await fetchFeed(await issue(await w.as(w.managerA))).expect(200);
    expect(parseIcs(res.text).events.map((e) => e.summary)).toEqual(['Colleague meeting']);
  });

  it('the profile shows the feed state; replacing stops the old address, revoking the new one', async () => {
    const w = await world();
    const s = await w.as(w.staffA);
    expect((await s.get('/profile').expect(200)).text).toContain('data-calendar-feed="none"');
    const first = await issue(s);
    await fetchFeed(first).expect(200);
    const page = (await s.get('/profile').expect(200)).text;
    expect(page).toContain('data-calendar-feed="active"');
    expect(page).toContain('last read by a calendar app');
    const second = await issue(s);
    expect(second).not.toBe(first);
    await fetchFeed(first).expect(404);
    await fetchFeed(second).expect(200);
    await s.post('/profile/calendar/revoke').expect(303);
    await fetchFeed(second).expect(404);
    expect(await ctx.prisma.calendarFeed.count()).toBe(0);
    const audit = await ctx.prisma.auditEntry.findMany({
      where: { model: 'User', recordId: String(w.staffA.id) },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((e) => e.changes)).toEqual([
      { calendarFeed: 'created' },
      { calendarFeed: 'replaced' },
      { calendarFeed: 'revoked' },
    ]);
  });

  it('answers the same 404 for an unknown, malformed or revoked token and a deactivated user or company', async () => {
    const w = await world();
    const path = await issue(await w.as(w.staffA));
    const bodyOf = async (p: string) => {
      const res = await fetchFeed(p).expect(404);
      return res.text.replace(/[0-9a-f-]{36}/g, 'ID');
    };
    const unknown = await bodyOf(`/calendar/${'A'.repeat(43)}.ics`);
    expect(await bodyOf('/calendar/short.ics')).toBe(unknown);
    expect(await bodyOf(`/calendar/${'%00'.repeat(3)}.ics`)).toBeTruthy();
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { active: false } });
    expect(await bodyOf(path)).toBe(unknown);
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { active: true } });
    await fetchFeed(path).expect(200);
    await ctx.prisma.company.update({ where: { id: w.a.id }, data: { active: false } });
    expect(await bodyOf(path)).toBe(unknown);
  });

  it('creating, replacing and revoking need the CSRF token (403, nothing changed) and a session (401)', async () => {
    const w = await world();
    const s = await w.as(w.staffA);
    await s.agent.post('/profile/calendar').type('form').send({}).expect(403);
    expect(await ctx.prisma.calendarFeed.count()).toBe(0);
    const path = await issue(s);
    const before = await ctx.prisma.calendarFeed.findUniqueOrThrow({ where: { userId: w.staffA.id } });
    await s.agent.post('/profile/calendar').type('form').send({ _csrf: 'wrong' }).expect(403);
    await s.agent.post('/profile/calendar/revoke').type('form').send({}).expect(403);
    expect(await ctx.prisma.calendarFeed.findUniqueOrThrow({ where: { userId: w.staffA.id } })).toEqual(before);
    await fetchFeed(path).expect(200);
    await request(ctx.app).post('/profile/calendar').type('form').send({}).expect(401);
    await request(ctx.app).post('/profile/calendar/revoke').type('form').send({}).expect(401);
  });

  it("one user's buttons never touch another's feed", async () => {
    const w = await world();
    const staffPath = await issue(await w.as(w.staffA));
    await issue(await w.as(w.managerA));
    await (await w.as(w.managerA)).post('/profile/calendar/revoke').expect(303);
    await fetchFeed(staffPath).expect(200);
    expect(await ctx.prisma.calendarFeed.count()).toBe(1);
  });
});

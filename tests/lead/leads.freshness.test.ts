// Lead freshness (issue 13, item 5): the list's "Last activity" and "Next task" columns and the lead
// page's same two facts, read from the columns the database's triggers keep (never written by the app),
// their sorts (leads without one last, both ways), the filter "No activity for 14 days" (with the search,
// the other filters, the count line, the links and the CSV), who sees what, and the statements per page.
import { TIMELINE_STATEMENTS } from '../../src/timeline/timeline.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { SEARCH_COUNT_LIMIT } from '../../src/lead/search.ts';
import { dateTimeFormatter } from '../../src/web/time.ts';
import { csvRows, makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { all, first, recordTitles, tableRows, textOf } from '../helpers/html.ts';
import { recordStatements } from '../helpers/statements.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);
const ahead = (ms: number) => new Date(Date.now() + ms);
const warsaw = dateTimeFormatter('Europe/Warsaw');

const titles = (html: string) => recordTitles(html, '/leads');

/** The text of a lead's cell under the column headed `header` in the list. */
function cell(html: string, leadId: number, header: string): string {
  const rows = tableRows(html);
  const headers = rows[0].map((h) => h.replace(/[▲▼]/g, '').trim());
  const column = headers.indexOf(header);
  expect(column, `no column ${header} in ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
  const tr = all(html, 'tbody tr').find((r) => first(r, `a[href="/leads/${leadId}"]`));
  expect(tr, `lead ${leadId} is not in the list`).toBeDefined();
  const tds = all(tr!, 'td');
  return textOf(tds[column]);
}

/** The element of a lead's cell under `header` (for its links and <time>). */
function cellElement(html: string, leadId: number, header: string) {
  const headers = tableRows(html)[0].map((h) => h.replace(/[▲▼]/g, '').trim());
  const tr = all(html, 'tbody tr').find((r) => first(r, `a[href="/leads/${leadId}"]`))!;
  return all(tr, 'td')[headers.indexOf(header)];
}

/** The lead page's <dd> after the <dt> named `term`. */
function fact(html: string, term: string): string | null {
  const dts = all(html, 'dl dt');
  const dt = dts.find((d) => textOf(d) === term);
  if (!dt) return null;
  let next = dt.next;
  while (next && !(next.type === 'tag' && (next as { name: string }).name === 'dd')) next = next.next;
  return next ? textOf(next) : null;
}

describe('lead freshness: the list columns and the lead page', () => {
  it('show the newest activity and the soonest open task as activities and tasks come and go', async () => {
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'Europe/Warsaw' } });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Fresh lead' });
    const s = await w.as(w.staffA);
    let page = (await s.get('/leads').expect(200)).text;
    expect(cell(page, lead.id, 'Last activity')).toBe('—');
    expect(cell(page, lead.id, 'Next task')).toBe('—');

    const older = ago(3 * DAY + HOUR);
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: lead.id, occurredAt: older });
    page = (await s.get('/leads').expect(200)).text;
    expect(cell(page, lead.id, 'Last activity')).toBe(`3 days ago ${warsaw(older)}`);
    expect(first(cellElement(page, lead.id, 'Last activity'), 'time')?.attribs.datetime).toBe(older.toISOString());

    const newer = await ctx.make.activity(w.a.id, w.staffA.id, { leadId: lead.id, occurredAt: ago(2 * HOUR) });
    // An activity about another lead, or about the customer only, does not count.
    const other = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Other lead' });
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: other.id, occurredAt: ago(60_000 * 5) });
    page = (await s.get('/leads').expect(200)).text;
    expect(cell(page, lead.id, 'Last activity')).toBe(`2 hours ago ${warsaw(newer.occurredAt)}`);
    expect(cell(page, other.id, 'Last activity')).toMatch(/^5 minutes ago /);

    const later = ahead(2 * DAY);
    const soon = ahead(DAY);
    const t1 = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Send the quote', leadId: lead.id, dueAt: later });
    const t2 = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Call back', leadId: lead.id, dueAt: soon });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Undated', leadId: lead.id });
    page = (await s.get('/leads').expect(200)).text;
    expect(cell(page, lead.id, 'Next task')).toBe(`Call back Due ${warsaw(soon)}`);
    expect(first(cellElement(page, lead.id, 'Next task'), 'a')?.attribs.href).toBe(`/tasks/${t2.id}`);

    // Completing the soonest task moves the next task on; deleting the last dated one leaves the undated one.
    await ctx.prisma.task.update({ where: { id: t2.id }, data: { status: 'DONE' } });
    page = (await s.get('/leads').expect(200)).text;
    expect(cell(page, lead.id, 'Next task')).toBe(`Send the quote Due ${warsaw(later)}`);
    await ctx.prisma.task.delete({ where: { id: t1.id } });
    page = (await s.get('/leads').expect(200)).text;
    expect(cell(page, lead.id, 'Next task')).toBe('Undated No due date');
    await ctx.prisma.task.updateMany({ where: { leadId: lead.id }, data: { status: 'DONE' } });
    page = (await s.get('/leads').expect(200)).text;
    expect(cell(page, lead.id, 'Next task')).toBe('—');

    // An overdue task says so.
    const late = ago(DAY);
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Late one', leadId: lead.id, dueAt: late });
    page = (await s.get('/leads').expect(200)).text;
    expect(cell(page, lead.id, 'Next task')).toBe(`Late one Overdue, due ${warsaw(late)}`);
    expect(first(cellElement(page, lead.id, 'Next task'), 'div.text-danger')).toBeDefined();

    // Deleting the newest activity brings the older one back.
    await ctx.prisma.activity.delete({ where: { id: newer.id } });
    page = (await s.get('/leads').expect(200)).text;
    expect(cell(page, lead.id, 'Last activity')).toBe(`3 days ago ${warsaw(older)}`);

    // The same two facts on the lead page.
    const show = (await s.get(`/leads/${lead.id}`).expect(200)).text;
    expect(fact(show, 'Last activity')).toBe(`3 days ago (${warsaw(older)})`);
    expect(fact(show, 'Next task')).toBe(`Late one (Overdue, due ${warsaw(late)})`);
    expect(show).toMatch(/<dd class="col-sm-8"><a href="\/tasks\/\d+">Late one<\/a>/);
    // The hand-typed "Next step" field stays as it was, beside the new facts.
    expect(fact(show, 'Next step')).toBe('—');
    const bare = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Bare lead' });
    const bareShow = (await s.get(`/leads/${bare.id}`).expect(200)).text;
    expect(fact(bareShow, 'Last activity')).toBe('—');
    expect(fact(bareShow, 'Next task')).toBe('—');
  });

  it('sort by last activity and by next task both ways, leads without one last, id breaking ties', async () => {
    const lead = (title: string) => ctx.make.lead(w.a.id, w.staffA.id, { title });
    const [a, b, c, d] = [await lead('A'), await lead('B'), await lead('C'), await lead('D')];
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: a.id, occurredAt: ago(DAY) });
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: b.id, occurredAt: ago(5 * DAY) });
    await ctx.make.task(w.a.id, w.staffA.id, { leadId: c.id, dueAt: ahead(3 * DAY) });
    await ctx.make.task(w.a.id, w.staffA.id, { leadId: d.id, dueAt: ahead(DAY) });
    // An undated open task makes a next task without a due time: it sorts with the leads without one.
    await ctx.make.task(w.a.id, w.staffA.id, { leadId: a.id });
    const s = await w.as(w.managerA);
    const order = async (q: string) => titles((await s.get(`/leads?${q}`).expect(200)).text);
    expect(await order('sort=lastActivity&dir=asc')).toEqual(['B', 'A', 'C', 'D']);
    expect(await order('sort=lastActivity&dir=desc')).toEqual(['A', 'B', 'D', 'C']);
    expect(await order('sort=nextTask&dir=asc')).toEqual(['D', 'C', 'A', 'B']);
    expect(await order('sort=nextTask&dir=desc')).toEqual(['C', 'D', 'B', 'A']);
    const page = (await s.get('/leads?sort=nextTask&dir=asc').expect(200)).text;
    expect(page).toMatch(/aria-sort="ascending"><a href="\/leads\?sort=nextTask&amp;dir=desc">Next task/);
    expect(page).toMatch(/<th scope="col" class="d-none d-md-table-cell" aria-sort="none"><a [^>]*>Last activity/);
    // The CSV follows the list's order and carries both facts, in the user's zone.
    const csv = csvRows((await s.get('/leads/export.csv?sort=lastActivity&dir=desc').expect(200)).text);
    expect(csv.slice(1).map((r) => r[1])).toEqual(['A', 'B', 'D', 'C']);
    const [activityAt, dueAt] = [csv[0].indexOf('last activity (UTC)'), csv[0].indexOf('next task due (UTC)')];
    expect(activityAt).toBeGreaterThan(0);
    expect(dueAt).toBe(activityAt + 1);
    const leadA = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: a.id } });
    const leadD = await ctx.prisma.lead.findUniqueOrThrow({ where: { id: d.id } });
    const utc = dateTimeFormatter('UTC');
    expect([csv[1][activityAt], csv[1][dueAt]]).toEqual([utc(leadA.lastActivityAt!), '']);
    expect([csv[3][activityAt], csv[3][dueAt]]).toEqual(['', utc(leadD.nextTaskDueAt!)]);
  });

  it('the filter "No activity for 14 days": none ever or none in 14 days, with search, filters, links', async () => {
    const make = (title: string, o: { status?: 'NEW' | 'CONTACTED' } = {}) =>
      ctx.make.lead(w.a.id, w.staffA.id, { title, ...o });
    await make('Never touched');
    const recent = await make('Thirteen days');
    const stale = await make('Fifteen days', { status: 'CONTACTED' });
    const fresh = await make('Touched today');
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: recent.id, occurredAt: ago(13 * DAY) });
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: stale.id, occurredAt: ago(15 * DAY) });
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: fresh.id, occurredAt: ago(HOUR) });
    // An old activity does not make a lead stale when a newer one exists.
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: fresh.id, occurredAt: ago(40 * DAY) });
    // A colleague's stale lead: never in a staff user's list.
    await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Fifteen days colleague' });

    const s = await w.as(w.staffA);
    const res = await s.get('/leads?noActivity=14').expect(200);
    expect(titles(res.text)).toEqual(['Fifteen days', 'Never touched']);
    expect(res.text).toContain('Showing 1–2 of 2 leads');
    expect(first(res.text, 'input#f-noActivity')?.attribs.checked).toBeDefined();
    expect(first(res.text, 'label[for="f-noActivity"]') && textOf(first(res.text, 'label[for="f-noActivity"]')!)).toBe(
      'No activity for 14 days',
    );
    // Kept in the sort links, the export link and (with Clear) shown as a filter.
    expect(res.text).toContain('href="/leads?noActivity=14&amp;sort=title&amp;dir=asc"');
    expect(res.text).toContain('href="/leads/export.csv?noActivity=14&amp;sort=created&amp;dir=desc"');
    // Without the filter the box is unchecked and every lead shows.
    const plain = (await s.get('/leads').expect(200)).text;
    expect(first(plain, 'input#f-noActivity')?.attribs.checked).toBeUndefined();
    expect(titles(plain)).toHaveLength(4);
    // Combined with the search and with the status filter.
    expect(titles((await s.get('/leads?noActivity=14&q=fifteen').expect(200)).text)).toEqual(['Fifteen days']);
    const withStatus = (await s.get('/leads?noActivity=14&status=NEW').expect(200)).text;
    expect(titles(withStatus)).toEqual(['Never touched']);
    expect(withStatus).toContain('Showing 1–1 of 1 leads');
    expect(titles((await s.get('/leads?noActivity=14&q=thirteen').expect(200)).text)).toEqual([]);
    // Sorted by last activity: the stale one first, then the ones never touched.
    expect(titles((await s.get('/leads?noActivity=14&sort=lastActivity&dir=asc').expect(200)).text)).toEqual([
      'Fifteen days',
      'Never touched',
    ]);
    // An unknown value is ignored, as for every filter.
    expect(titles((await s.get('/leads?noActivity=7').expect(200)).text)).toHaveLength(4);
    // The CSV exports exactly the filtered rows.
    const csv = csvRows((await s.get('/leads/export.csv?noActivity=14').expect(200)).text);
    expect(csv.slice(1).map((r) => r[1])).toEqual(['Fifteen days', 'Never touched']);

    // Account managers see the colleague's stale lead too.
    const m = await w.as(w.managerA);
    expect(titles((await m.get('/leads?noActivity=14').expect(200)).text)).toEqual([
      'Fifteen days colleague',
      'Fifteen days',
      'Never touched',
    ]);
    expect(titles((await m.get(`/leads?noActivity=14&assigneeId=${w.colleagueA.id}`).expect(200)).text)).toEqual([
      'Fifteen days colleague',
    ]);
  });

  it(`counts the filtered list exactly up to ${SEARCH_COUNT_LIMIT}, then "more than"`, async () => {
    await ctx.prisma.lead.createMany({
      data: Array.from({ length: SEARCH_COUNT_LIMIT + 5 }, (_, i) => ({
        companyId: w.a.id,
        assigneeId: w.managerA.id,
        title: `Quiet ${i}`,
      })),
    });
    const touched = await ctx.make.lead(w.a.id, w.managerA.id, { title: 'Touched' });
    await ctx.make.activity(w.a.id, w.managerA.id, { leadId: touched.id });
    const s = await w.as(w.managerA);
    const all = (await s.get('/leads').expect(200)).text;
    expect(all).toContain(`Showing 1–25 of ${SEARCH_COUNT_LIMIT + 6} leads`);
    const quiet = (await s.get('/leads?noActivity=14').expect(200)).text;
    expect(quiet).toContain(`Showing 1–25 of <span data-count="lower-bound">more than ${SEARCH_COUNT_LIMIT}</span>`);
    const few = (await s.get('/leads?noActivity=14&q=Quiet%2020').expect(200)).text;
    // "Quiet 20" and "Quiet 200" … "Quiet 204".
    expect(few).toContain('Showing 1–6 of 6 leads');
    const last = (await s.get('/leads?noActivity=14&perPage=100&page=3').expect(200)).text;
    expect(last).toContain(`Showing 201–${SEARCH_COUNT_LIMIT + 5} of ${SEARCH_COUNT_LIMIT + 5} leads`);
    expect(titles(last)).not.toContain('Touched');
  });

  it("staff see their own leads' facts only; a colleague's task on their lead shows without its title", async () => {
    const mine = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Mine' });
    const theirs = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Theirs' });
    await ctx.make.activity(w.a.id, w.colleagueA.id, { leadId: theirs.id, occurredAt: ago(HOUR) });
    await ctx.make.task(w.a.id, w.colleagueA.id, { leadId: theirs.id, title: 'Secret call', dueAt: ahead(DAY) });
    const due = ahead(2 * DAY);
    const task = await ctx.make.task(w.a.id, w.colleagueA.id, { leadId: mine.id, title: 'Hidden title', dueAt: due });
    const s = await w.as(w.staffA);
    const page = (await s.get('/leads').expect(200)).text;
    expect(titles(page)).toEqual(['Mine']);
    expect(page).not.toContain('Secret call');
    expect(page).not.toContain('Hidden title');
    expect(cell(page, mine.id, 'Next task')).toBe(`A colleague's task Due ${dateTimeFormatter('UTC')(due)}`);
    expect(first(cellElement(page, mine.id, 'Next task'), 'a')).toBeUndefined();
    const show = (await s.get(`/leads/${mine.id}`).expect(200)).text;
    expect(show).not.toContain('Hidden title');
    expect(fact(show, 'Next task')).toMatch(/^A colleague's task \(Due /);
    await s.get(`/leads/${theirs.id}`).expect(404);
    const csv = (await s.get('/leads/export.csv').expect(200)).text;
    expect(csv).not.toContain('Theirs');
    // The account manager sees the title and its link.
    const m = (await (await w.as(w.managerA)).get('/leads').expect(200)).text;
    expect(first(cellElement(m, mine.id, 'Next task'), 'a')?.attribs.href).toBe(`/tasks/${task.id}`);
    expect(cell(m, theirs.id, 'Next task')).toMatch(/^Secret call Due /);
    // Another company sees none of it.
    const b = (await (await w.as(w.managerB)).get('/leads?noActivity=14').expect(200)).text;
    expect(titles(b)).toEqual([]);
  });

  it('the list with both columns reads a page in a fixed number of statements (≤ 4), joined in', async () => {
    const people = [w.staffA.id, w.colleagueA.id, w.managerA.id];
    await ctx.prisma.lead.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        companyId: w.a.id,
        assigneeId: people[i % 3],
        title: `Count Lead ${i}`,
      })),
    });
    const leads = await ctx.prisma.lead.findMany({ where: { companyId: w.a.id }, select: { id: true } });
    await ctx.prisma.activity.createMany({
      data: leads.map((l, i) => ({
        companyId: w.a.id,
        authorId: w.managerA.id,
        kind: 'CALL' as const,
        summary: `Call ${i}`,
        occurredAt: ago((i % 30) * DAY),
        leadId: l.id,
      })),
    });
    await ctx.prisma.task.createMany({
      data: leads.map((l, i) => ({
        companyId: w.a.id,
        assigneeId: people[i % 3],
        title: `Count Task ${i}`,
        leadId: l.id,
        dueAt: ahead((i + 1) * HOUR),
      })),
    });
    const recorder = recordStatements(ctx.db.pool);
    const counts: string[] = [];
    for (const user of [w.managerA, w.staffA, w.su]) {
      const s = await w.as(user);
      for (const q of ['', '?sort=nextTask&dir=asc', '?sort=lastActivity&dir=desc', '?noActivity=14', '?perPage=100']) {
        await s.get(`/leads${q}`).expect(200);
        const { result, statements } = await recorder.during(() => s.get(`/leads${q}`));
        expect(result.status).toBe(200);
        expect(statements.length, `${user.name} /leads${q}:\n${statements.join('\n')}`).toBeLessThanOrEqual(4);
        counts.push(`${user.name} /leads${q}: ${statements.length}`);
        if (user === w.managerA) expect(result.text).toMatch(/<a href="\/tasks\/\d+">Count Task \d+<\/a>/);
      }
    }
    // The lead page: its one statement joins the next task in (3 at most, as every detail page).
    const s = await w.as(w.managerA);
    await s.get(`/leads/${leads[0].id}`).expect(200);
    const { result, statements } = await recorder.during(() => s.get(`/leads/${leads[0].id}`));
    expect(result.text).toContain('Count Task 0');
    // The session read and the lead, then the timeline's statements (its changes are the History section's).
    expect(statements.length).toBeLessThanOrEqual(2 + TIMELINE_STATEMENTS);
    counts.push(`${w.managerA.name} /leads/:id: ${statements.length}`);
    console.log(`statements per request (session read included):\n${counts.join('\n')}`);
  });
});

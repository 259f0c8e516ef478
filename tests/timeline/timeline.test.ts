// The record's timeline on the lead and customer pages (issue 13 item 3): activities, tasks,
// appointments (a customer's leads too) and the record's own changes in people's words, newest
// first, filtered by kind, paged by "Show older" links, a fixed number of statements, and nothing
// the user may not see.
import { describe, expect, it } from 'vitest';
import { TIMELINE_STATEMENTS } from '../../src/timeline/timeline.ts';
import { auditEntryWriter } from '../audit/entries.ts';
import { useTestContext } from '../helpers/context.ts';
import { pageText } from './text.ts';
import { all, first, textOf } from '../helpers/html.ts';
import type { Session } from '../helpers/session.ts';
import { recordStatements } from '../helpers/statements.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';

const ctx = useTestContext();
const entry = auditEntryWriter(ctx);

const day = (n: number, hour = 9) => new Date(Date.UTC(2026, 9, n, hour));

/** The timeline's items as read: each item's text, in page order. */
function items(html: string): string[] {
  return all(html, '#timeline ol li').map(textOf);
}

/** The "Show older" link of a page, or null. */
function olderLink(html: string): string | null {
  const link = all(html, '#timeline a').find((a) => textOf(a) === 'Show older');
  return link ? link.attribs.href.replace(/&amp;/g, '&') : null;
}

/** Every page of a timeline, following "Show older" from `path`. */
async function walk(s: Session, path: string) {
  const pages: string[][] = [];
  const times: string[] = [];
  let next: string | null = path;
  while (next && pages.length < 10) {
    const res = await s.get(next).expect(200);
    pages.push(items(res.text));
    times.push(...all(res.text, '#timeline ol time').map((t) => t.attribs.datetime));
    next = olderLink(res.text);
  }
  return { pages, times };
}

describe('a lead page timeline', () => {
  it('shows activities, tasks, appointments and changes newest first, each with its kind, who and link', async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Harbour deal' });
    await ctx.make.activity(w.a.id, w.staffA.id, {
      leadId: lead.id,
      summary: 'Called about the crane',
      occurredAt: day(5),
      callOutcome: 'NO_ANSWER',
      durationMinutes: 3,
    });
    await ctx.make.activity(w.a.id, w.staffA.id, {
      leadId: lead.id,
      kind: 'EMAIL',
      summary: 'Sent the price list',
      occurredAt: day(7),
    });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Follow up on crane', leadId: lead.id, createdAt: day(6) });
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Site visit', leadId: lead.id, startsAt: day(8) });
    await entry(w.a.id, w.managerA.id, 'Lead', 'update', lead.id, { status: ['NEW', 'CONTACTED'] }, day(4));
    // Not this lead's: another lead's activity and entry.
    const other = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Other deal' });
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: other.id, summary: 'Other call', occurredAt: day(6) });
    await entry(w.a.id, w.managerA.id, 'Lead', 'update', other.id, { status: ['NEW', 'LOST'] }, day(6));

    for (const who of [w.staffA, w.managerA, w.su]) {
      const res = await (await w.as(who)).get(`/leads/${lead.id}`).expect(200);
      const list = items(res.text);
      expect(
        list.map((t) => t.split(' ')[0]),
        who.name,
      ).toEqual(['Appointment', 'Email', 'Task', 'Call', 'Change']);
      expect(list[0]).toContain('Site visit');
      expect(list[1]).toContain('Sent the price list · Steve Alpha');
      expect(list[3]).toContain('No answer · 3 min');
      expect(list[4]).toContain('Maria Alpha moved it from New to Contacted');
      expect(res.text).not.toContain('Other call');
      expect(res.text).not.toContain('to Lost');
      expect(first(res.text, '#timeline a[href^="/tasks/"]')?.attribs.href).toMatch(/^\/tasks\/\d+$/);
      expect(first(res.text, '#timeline a[href^="/activities/"]')).toBeDefined();
      // Times in the viewer's zone, machine-readable beside.
      expect(first(res.text, '#timeline time')?.attribs.datetime).toBe(day(8).toISOString());
    }
  });

  it('says who changed what for people, and keeps other field values from staff', async () => {
    const w = await buildWorld(ctx);
    const customer = await ctx.make.customer(w.a.id, { name: 'Kiwi Co' });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Kiwi deal' });
    const m = await w.as(w.managerA);
    // Through the app: a status step, a reassignment there and back, a conversion.
    await m.post(`/leads/${lead.id}/status`, { status: 'CONTACTED' }).expect(303);
    await m.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.colleagueA.id) }).expect(303);
    await m.post(`/leads/${lead.id}/assign`, { assigneeId: String(w.staffA.id) }).expect(303);
    await entry(w.a.id, w.managerA.id, 'Lead', 'update', lead.id, { notes: ['', 'Manager-only note change'] });
    await m.post(`/leads/${lead.id}/convert`, { mode: 'existing', customerId: String(customer.id) }).expect(303);
    expect((await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).customerId).toBe(customer.id);

    const managerPage = pageText((await m.get(`/leads/${lead.id}?timeline=changes`).expect(200)).text);
    const staffPage = pageText((await (await w.as(w.staffA)).get(`/leads/${lead.id}?timeline=changes`)).text);
    for (const page of [managerPage, staffPage]) {
      expect(page).toContain('Maria Alpha moved it from New to Contacted');
      expect(page).toContain('Maria Alpha reassigned it from Steve Alpha to Carla Alpha');
      expect(page).toContain('Maria Alpha reassigned it from Carla Alpha to Steve Alpha');
      expect(page).toContain('Maria Alpha converted it to the customer Kiwi Co');
    }
    // The manager sees the other field changes and the audit trail's link; staff see neither.
    expect(managerPage).toContain('Manager-only note change');
    expect(managerPage).toContain('All changes to this record');
    expect(staffPage).not.toContain('Manager-only note change');
    expect(staffPage).not.toContain('All changes to this record');
    expect(staffPage).not.toMatch(/Notes:/);
    expect(managerPage).toContain('Maria Alpha changed notes');
    expect(staffPage).not.toContain('changed notes');
  });

  it('filters by kind with plain links', async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: lead.id, kind: 'CALL', summary: 'A call' });
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: lead.id, kind: 'NOTE', summary: 'A note' });
    await ctx.make.task(w.a.id, w.staffA.id, { leadId: lead.id, title: 'A task' });
    await ctx.make.appointment(w.a.id, [w.staffA.id], { leadId: lead.id, title: 'A meeting' });
    await entry(w.a.id, w.staffA.id, 'Lead', 'create', lead.id, { title: [null, 'x'] });
    const s = await w.as(w.staffA);
    const shown = async (filter: string) =>
      items((await s.get(`/leads/${lead.id}?timeline=${filter}`).expect(200)).text).map((t) => t.split(' ')[0]);
    expect((await shown('all')).sort()).toEqual(['Appointment', 'Call', 'Change', 'Note', 'Task']);
    expect(await shown('activities')).toEqual(['Note', 'Call']);
    expect(await shown('calls')).toEqual(['Call']);
    expect(await shown('notes')).toEqual(['Note']);
    expect(await shown('emails')).toEqual([]);
    expect(await shown('tasks')).toEqual(['Task']);
    expect(await shown('appointments')).toEqual(['Appointment']);
    expect(await shown('changes')).toEqual(['Change']);
    // Unknown filters and cursors show everything from the newest: no error from any input.
    expect((await shown('nonsense')).length).toBe(5);
    const odd = await s.get(`/leads/${lead.id}?before=99999999999999999999-9-x&timeline[]=a`).expect(200);
    expect(items(odd.text)).toHaveLength(5);
    await s.get(`/leads/${lead.id}?before=1-4-99999999999999999`).expect(200);
    const page = await s.get(`/leads/${lead.id}?timeline=calls`).expect(200);
    const current = first(page.text, '#timeline a[aria-current="page"]');
    expect(current && textOf(current)).toBe('Calls');
    expect(all(page.text, '#timeline nav a').map((a) => a.attribs.href)).toContain(
      `/leads/${lead.id}?timeline=tasks#timeline`,
    );
  });

  it('pages 45 items by 20 with "Show older": 3 pages, none lost, none twice, ties included', async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    // Items of every source, many sharing a moment with items of other sources.
    for (let i = 0; i < 15; i++) {
      await ctx.make.activity(w.a.id, w.staffA.id, { leadId: lead.id, summary: `Item A${i}`, occurredAt: day(1, i) });
      await ctx.make.task(w.a.id, w.staffA.id, { leadId: lead.id, title: `Item T${i}`, createdAt: day(1, i) });
    }
    for (let i = 0; i < 10; i++)
      await ctx.make.appointment(w.a.id, [w.staffA.id], {
        leadId: lead.id,
        title: `Item P${i}`,
        startsAt: day(1, i % 3),
      });
    for (let i = 0; i < 5; i++)
      await entry(w.a.id, w.managerA.id, 'Lead', 'update', lead.id, { status: ['NEW', 'LOST'] }, day(1, 2));
    const s = await w.as(w.staffA);
    const { pages, times } = await walk(s, `/leads/${lead.id}`);
    expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
    const seen = pages.flat();
    expect(new Set(seen).size + 4).toBe(seen.length); // the five identical sentences, and nothing else, repeat
    for (const prefix of ['A', 'T'])
      for (let i = 0; i < 15; i++) expect(seen.filter((t) => t.includes(`Item ${prefix}${i} `))).toHaveLength(1);
    for (let i = 0; i < 10; i++) expect(seen.filter((t) => t.includes(`Item P${i} `))).toHaveLength(1);
    expect(seen.filter((t) => t.includes('moved it from New to Lost'))).toHaveLength(5);
    // Newest first across the pages.
    expect(times).toHaveLength(45);
    expect([...times].sort().reverse()).toEqual(times);
    // A filtered timeline pages too, and keeps its filter in the link.
    const tasks = await s.get(`/leads/${lead.id}?timeline=tasks`).expect(200);
    expect(items(tasks.text)).toHaveLength(15);
    expect(olderLink(tasks.text)).toBeNull();
    const first20 = await s.get(`/leads/${lead.id}?timeline=activities`).expect(200);
    expect(olderLink(first20.text)).toBeNull();
    const everything = await s.get(`/leads/${lead.id}`).expect(200);
    expect(olderLink(everything.text)).toMatch(new RegExp(`^/leads/${lead.id}\\?before=\\d+-\\d-\\d+#timeline$`));
  });

  it(`costs the same statements with 5 or 200 activities (the timeline: ${TIMELINE_STATEMENTS})`, async () => {
    const w = await buildWorld(ctx);
    const recorder = recordStatements(ctx.db.pool);
    const count = async (s: Session, path: string) => {
      await s.get(path).expect(200);
      const { statements } = await recorder.during(() => s.get(path).expect(200));
      return statements.length;
    };
    const customer = await ctx.make.customer(w.a.id);
    const small = await ctx.make.lead(w.a.id, w.staffA.id, { customerId: customer.id });
    const big = await ctx.make.lead(w.a.id, w.staffA.id, { customerId: customer.id });
    const bigCustomer = await ctx.make.customer(w.a.id);
    const rows = (leadId: number, customerId: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        companyId: w.a.id,
        authorId: i % 2 ? w.staffA.id : w.colleagueA.id,
        kind: (['CALL', 'EMAIL', 'MEETING', 'NOTE'] as const)[i % 4],
        summary: `Bulk ${i}`,
        occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        leadId,
        customerId,
      }));
    await ctx.prisma.activity.createMany({ data: rows(small.id, customer.id, 5) });
    await ctx.prisma.activity.createMany({ data: rows(big.id, bigCustomer.id, 200) });
    for (const [lead, cust] of [
      [small, customer],
      [big, bigCustomer],
    ] as const) {
      await entry(w.a.id, w.managerA.id, 'Lead', 'assign', lead.id, { assigneeId: [w.colleagueA.id, w.staffA.id] });
      await entry(w.a.id, w.managerA.id, 'Customer', 'update', cust.id, { ownerId: [null, w.staffA.id] });
    }
    for (const who of [w.staffA, w.managerA]) {
      const s = await w.as(who);
      const lead = [await count(s, `/leads/${small.id}`), await count(s, `/leads/${big.id}`)];
      const cust = [await count(s, `/customers/${customer.id}`), await count(s, `/customers/${bigCustomer.id}`)];
      expect(lead[0], who.name).toBe(lead[1]);
      expect(cust[0], who.name).toBe(cust[1]);
      // An older page (here without the changes, which are newer, so without their names) costs no more.
      const older = await count(s, `/leads/${big.id}?before=${Date.UTC(2026, 0, 1) + 100 * 60_000}-4-999999`);
      expect(older).toBeLessThanOrEqual(lead[1]);
      // Session read, the record, (a manager's assignee choices), and the timeline's statements.
      expect(lead[1]).toBeLessThanOrEqual(3 + TIMELINE_STATEMENTS);
      expect(cust[1]).toBeLessThanOrEqual(2 + TIMELINE_STATEMENTS);
    }
  });
});

describe('a customer page timeline', () => {
  it('shows what the user may see: staff never a colleague’s lead-only activity, task or appointment', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id, { name: 'Shared Co' });
    const mine = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Lead of Steve', customerId: c.id });
    const theirs = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Lead of Carla', customerId: c.id });
    // A converted lead's activity is on the customer too (customerId set): everyone who sees the customer sees it.
    await ctx.make.activity(w.a.id, w.colleagueA.id, {
      leadId: theirs.id,
      customerId: c.id,
      summary: 'Carla called the customer',
    });
    await ctx.make.activity(w.a.id, w.colleagueA.id, { leadId: theirs.id, summary: 'Carla lead-only note' });
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: mine.id, summary: 'Steve lead-only note' });
    await ctx.make.task(w.a.id, w.staffA.id, { title: 'Task of Steve', customerId: c.id });
    await ctx.make.task(w.a.id, w.colleagueA.id, { title: 'Task of Carla', customerId: c.id });
    await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Visit with Steve', customerId: c.id });
    await ctx.make.appointment(w.a.id, [w.colleagueA.id], { title: 'Visit with Carla', customerId: c.id });
    await entry(w.a.id, w.managerA.id, 'Customer', 'update', c.id, { ownerId: [null, w.staffA.id] });
    await entry(w.a.id, w.managerA.id, 'Customer', 'update', c.id, { phone: ['', '555-secret-old'] });

    const staff = pageText((await (await w.as(w.staffA)).get(`/customers/${c.id}`).expect(200)).text);
    for (const shown of ['Carla called the customer', 'Task of Steve', 'Visit with Steve', 'Lead of Steve'])
      expect(staff).toContain(shown);
    expect(staff).toContain('Maria Alpha made Steve Alpha its owner');
    for (const hidden of [
      'Carla lead-only note',
      'Steve lead-only note', // a lead-only activity belongs to the lead's page, not the customer's
      'Task of Carla',
      'Visit with Carla',
      'Lead of Carla',
      '555-secret-old',
    ])
      expect(staff, hidden).not.toContain(hidden);

    const manager = pageText((await (await w.as(w.managerA)).get(`/customers/${c.id}`).expect(200)).text);
    for (const shown of ['Carla called the customer', 'Task of Carla', 'Visit with Carla', 'Lead of Carla'])
      expect(manager).toContain(shown);
    expect(manager).toContain('555-secret-old');
    expect(manager).not.toContain('lead-only note');

    // The lead-only activity stays on its lead's page, for its assignee (and managers), not for colleagues.
    const own = await (await w.as(w.staffA)).get(`/leads/${mine.id}`).expect(200);
    expect(pageText(own.text)).toContain('Steve lead-only note');
    await (await w.as(w.staffA)).get(`/leads/${theirs.id}`).expect(404);
  });

  it("after a conversion: the lead's activities and the conversion show on the customer, to all", async () => {
    const w = await buildWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Dana roof', contactName: 'Dana Deal' });
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: lead.id, summary: 'No answer from Dana' });
    const steve = await w.as(w.staffA);
    const body = { mode: 'new', name: 'Dana Deal', email: 'dana@deal.test', phone: '', organisation: '' };
    await steve.post(`/leads/${lead.id}/convert`, { ...body, address: '', notes: '', ownerId: '' }).expect(303);
    const customer = await ctx.prisma.customer.findFirstOrThrow({ where: { name: 'Dana Deal' } });
    // The activity logged on the lead before the conversion: the activity domain links it to the customer
    // at conversion (issue 13); here it is linked as that would, to read the customer's page.
    await ctx.prisma.activity.updateMany({ where: { leadId: lead.id }, data: { customerId: customer.id } });

    const own = pageText((await steve.get(`/customers/${customer.id}`).expect(200)).text);
    expect(own).toContain('No answer from Dana');
    expect(own).toContain('Steve Alpha created it from the lead Dana roof');
    const leadPage = pageText((await steve.get(`/leads/${lead.id}?timeline=changes`).expect(200)).text);
    expect(leadPage).toContain('Steve Alpha converted it to a new customer, Dana Deal');
    // A colleague sees the customer and the activity, not the name of Steve's lead.
    const carla = pageText((await (await w.as(w.colleagueA)).get(`/customers/${customer.id}`).expect(200)).text);
    expect(carla).toContain('No answer from Dana');
    expect(carla).toContain('Steve Alpha created it from a lead');
    expect(carla).not.toContain('Dana roof');
  });

  it('answers 404 to another company, whatever the timeline asks', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id, { name: 'Alpha only' });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { customerId: c.id });
    await ctx.make.activity(w.a.id, w.staffA.id, { leadId: lead.id, customerId: c.id, summary: 'Alpha secret call' });
    for (const who of [w.managerB, w.staffB]) {
      const s = await w.as(who);
      for (const path of [`/customers/${c.id}`, `/leads/${lead.id}`]) {
        for (const q of ['', '?timeline=calls', '?before=1-4-1']) {
          const res = await s.get(`${path}${q}`).expect(404);
          expect(res.text).not.toContain('Alpha secret call');
        }
      }
    }
    // A forged entry in company B about A's ids is not on A's pages.
    await entry(w.b.id, w.managerB.id, 'Customer', 'update', c.id, { ownerId: [null, w.managerB.id] });
    await entry(w.b.id, w.managerB.id, 'Lead', 'update', lead.id, { status: ['NEW', 'LOST'] });
    for (const who of [w.staffA, w.managerA]) {
      const s = await w.as(who);
      expect((await s.get(`/customers/${c.id}`).expect(200)).text).not.toContain('Mike Bravo');
      expect((await s.get(`/leads/${lead.id}`).expect(200)).text).not.toContain('Mike Bravo');
    }
  });

  it('offers the quick-log form only to users who may add activities', async () => {
    const w = await buildWorld(ctx);
    const c = await ctx.make.customer(w.a.id);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    const viewer = await limitedStaff(ctx, w.a.id, ['customer.view', 'lead.view', 'activity.view'], 'Vera Viewer');
    await ctx.prisma.lead.update({ where: { id: lead.id }, data: { assigneeId: viewer.id } });
    // The quick-log form (the activity domain's partial; on this branch a stub that marks where it renders).
    const quickLog = (html: string) => first(html, '[data-quick-log]') ?? first(html, '#timeline form');
    for (const path of [`/customers/${c.id}`, `/leads/${lead.id}`]) {
      expect(quickLog((await (await w.as(w.managerA)).get(path).expect(200)).text), path).toBeDefined();
      const viewing = (await (await w.as(viewer)).get(path).expect(200)).text;
      expect(first(viewing, '#timeline'), path).toBeDefined();
      expect(quickLog(viewing), path).toBeUndefined();
    }
  });
});

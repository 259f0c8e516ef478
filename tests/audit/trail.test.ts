// The audit trail in the viewer's words (issue 12 item 7): field labels, names for ids (looked up
// within the viewer's scope, "deleted …" when gone), formatted values, times in the viewer's zone,
// links to records, and each record's own history on its page, under the trail's rules.
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { auditEntryWriter } from './entries.ts';
import { makeWorld } from '../tenancy/world.ts';
import { historyOf, textOf } from './text.ts';
import { all, textOf as elementText } from '../helpers/html.ts';
import { timelineOf } from '../timeline/text.ts';

const ctx = useTestContext();

const entry = auditEntryWriter(ctx);

describe('the audit trail in words', () => {
  it("shows labels, names with links, formatted values and times in the viewer's zone", async () => {
    const w = await makeWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.managerA.id }, data: { timeZone: 'Europe/Berlin' } });
    const customer = await ctx.make.customer(w.a.id, { name: 'Harbour Supplies' });
    const gone = await ctx.make.customer(w.a.id, { name: 'Vanished Ltd' });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Harbour deal' });
    await entry(
      w.a.id,
      w.managerA.id,
      'Lead',
      'update',
      lead.id,
      {
        assigneeId: [w.staffA.id, w.colleagueA.id],
        status: ['NEW', 'QUALIFIED'],
        estimatedValue: ['1000', '2500.5'],
        customerId: [gone.id, customer.id],
      },
      new Date('2026-01-15T12:00:00Z'),
    );
    await ctx.prisma.customer.delete({ where: { id: gone.id } });
    const m = await w.as(w.managerA);
    const res = await m.get('/audit').expect(200);
    const text = textOf(res.text);
    expect(text).toContain('Assigned to: Steve Alpha → Carla Alpha');
    expect(text).toContain('Status: New → Qualified');
    expect(text).toContain('Estimated value: 1,000.00 → 2,500.50');
    expect(text).toContain(`Customer: deleted customer #${gone.id} → Harbour Supplies`);
    expect(text).toContain('Lead: Harbour deal');
    expect(text).toContain('2026-01-15 13:00'); // 12:00 UTC in Berlin
    expect(text).toContain('Time (Europe/Berlin)');
    expect(text).not.toContain('assigneeId');
    expect(res.text).toContain(`href="/leads/${lead.id}"`);
    expect(res.text).toContain(`href="/customers/${customer.id}"`);
    expect(res.text).toContain(`href="/users/${w.colleagueA.id}"`);
    expect(res.text).not.toContain(`href="/customers/${gone.id}"`);
    // The filters speak the same words.
    expect(res.text).toMatch(/<option value="assign"[^>]*>Reassigned<\/option>/);
    expect(res.text).toMatch(/<option value="Appointment"[^>]*>Appointment<\/option>/);
  });

  it('never names a record of another company, even when an entry points at it', async () => {
    const w = await makeWorld(ctx);
    const secret = await ctx.make.customer(w.b.id, { name: 'Bravo Secret Customer' });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Alpha lead' });
    // A forged entry of company A that refers to B's customer and B's manager.
    await entry(w.a.id, w.managerA.id, 'Lead', 'update', lead.id, {
      customerId: [null, secret.id],
      assigneeId: [w.managerB.id, w.staffA.id],
    });
    const m = await w.as(w.managerA);
    for (const path of ['/audit', `/leads/${lead.id}`]) {
      const res = await m.get(path).expect(200);
      expect(res.text).not.toContain('Bravo Secret Customer');
      expect(res.text).not.toContain('Mike Bravo');
      expect(textOf(res.text)).toContain(`Customer: set to deleted customer #${secret.id}`);
      expect(res.text).not.toContain(`href="/customers/${secret.id}"`);
    }
    // A superuser sees every company, so the same entry names both.
    const su = await w.as(w.su);
    const text = textOf((await su.get('/audit').expect(200)).text);
    expect(text).toContain('Customer: set to Bravo Secret Customer');
    expect(text).toContain('Assigned to: Mike Bravo → Steve Alpha');
  });

  it('marking a task done records the status and completion only, and says so', async () => {
    const w = await makeWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, {
      title: 'Call back Harbour',
      description: 'Ask about the order',
    });
    const m = await w.as(w.managerA);
    await m.post(`/tasks/${task.id}/done`).expect(303);
    const [e] = await ctx.prisma.auditEntry.findMany({ where: { model: 'Task', recordId: String(task.id) } });
    expect(e.action).toBe('update');
    expect(Object.keys(e.changes as object).sort()).toEqual(['completedAt', 'status']);
    const history = historyOf((await m.get(`/tasks/${task.id}`).expect(200)).text);
    expect(history).not.toBeNull();
    const text = textOf(history!);
    expect(text).toContain('Status: Open → Done');
    expect(text).toMatch(/Completed: set to \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).toContain('by Maria Alpha');
    expect(text).not.toContain('Title');
    expect(text).not.toContain('Description');
  });

  it('a deleted record shows what it was, its fields as values rather than changes', async () => {
    const w = await makeWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Short-lived task' });
    const m = await w.as(w.managerA);
    await m.post(`/tasks/${task.id}/delete`).expect(303);
    const text = textOf((await m.get('/audit?model=Task&action=delete').expect(200)).text);
    expect(text).toContain(`Task "Short-lived task" (deleted, #${task.id})`);
    expect(text).toContain('Title: Short-lived task');
    expect(text).toContain('Assigned to: Steve Alpha');
    expect(text).not.toContain('Short-lived task → —');
  });

  it('says "set to" for a field that was empty, and "→" for one that had a value or was cleared', async () => {
    const w = await makeWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Set lead' });
    await entry(w.a.id, w.managerA.id, 'Lead', 'update', lead.id, {
      nextStep: ['', 'Send the revised quote'],
      estimatedValue: [null, '1200'],
      phone: ['+44 20 1111 2222', ''],
      status: ['NEW', 'CONTACTED'],
    });
    const m = await w.as(w.managerA);
    for (const html of [
      (await m.get('/audit').expect(200)).text,
      // A lead's changes are on its timeline (a manager sees each field's change there).
      (await m.get(`/leads/${lead.id}`).expect(200)).text.split('id="timeline"')[1],
    ]) {
      const text = textOf(html);
      expect(text).toContain('Next step: set to Send the revised quote');
      expect(text).toContain('Estimated value: set to 1,200.00');
      expect(text).toContain('Phone: +44 20 1111 2222 → —');
      expect(text).not.toContain('— →');
    }
    expect(textOf((await m.get('/audit').expect(200)).text)).toContain('Status: New → Contacted');
    const timeline = (await m.get(`/leads/${lead.id}`).expect(200)).text.split('id="timeline"')[1];
    expect(textOf(timeline)).toContain('Maria Alpha moved it from New to Contacted');
  });

  it('reads on a phone: one cell per entry with its facts stacked, the wide columns only from md up', async () => {
    const w = await makeWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Phone lead' });
    await entry(w.a.id, w.managerA.id, 'Lead', 'update', lead.id, { status: ['NEW', 'QUALIFIED'] });
    const html = (await (await w.as(w.managerA)).get('/audit').expect(200)).text;
    const row = /<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(html)![1];
    const cells = [...row.matchAll(/<td class="([^"]*)">([\s\S]*?)<\/td>/g)];
    // The phone's cell first (hidden from md up), then the five desktop cells (hidden below md).
    expect(
      cells.map((c) =>
        c[1]
          .split(' ')
          .filter((k) => k.startsWith('d-'))
          .join(' '),
      ),
    ).toEqual(['d-md-none', ...Array(5).fill('d-none d-md-table-cell')]);
    const phone = textOf(cells[0][2]);
    expect(phone).toContain('Lead: Phone lead');
    expect(phone).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} · Changed by Maria Alpha/);
    expect(phone).toContain('Status: New → Qualified');
    expect(html).toMatch(/<th scope="col" class="d-md-none">Change \(time in UTC\)<\/th>/);
  });

  it('says once that nothing was recorded', async () => {
    const w = await makeWorld(ctx);
    const m = await w.as(w.managerA);
    const text = textOf((await m.get('/audit?recordId=999999').expect(200)).text);
    expect(text).toContain('No changes recorded for these filters.');
    expect(text).not.toContain('No entries');
    expect(text.match(/No changes recorded/g)).toHaveLength(1);
    // A page past the last one still has its pagination (the count of entries there are).
    await entry(w.a.id, w.managerA.id, 'Lead', 'update', 1, { status: ['NEW', 'QUALIFIED'] });
    const past = await m.get('/audit?page=5').expect(200);
    expect(past.text).toContain('No changes recorded');
    expect(past.text).toContain('of 1 entries');
  });
});

describe("a record's history on its page", () => {
  it("shows the record's own entries on every record page, for managers and superusers", async () => {
    const w = await makeWorld(ctx);
    const customer = await ctx.make.customer(w.a.id, { name: 'History Customer' });
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'History lead' });
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'History task' });
    const appointment = await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'History meeting' });
    const group = await ctx.make.group(w.a.id, ['lead.view'], { name: 'History group' });
    const pages: [string, string, number][] = [
      ['/leads', 'Lead', lead.id],
      ['/customers', 'Customer', customer.id],
      ['/tasks', 'Task', task.id],
      ['/appointments', 'Appointment', appointment.id],
      ['/users', 'User', w.staffA.id],
      ['/companies', 'Company', w.a.id],
      ['/groups', 'Group', group.id],
    ];
    for (const [, model, id] of pages) {
      await entry(w.a.id, w.managerA.id, model, 'update', id, { name: [`Old ${model} name`, `New ${model} name`] });
      // Another record of the same type: never on this record's page.
      await entry(w.a.id, w.managerA.id, model, 'update', id + 1000, { name: ['x', `Other ${model} record`] });
    }
    for (const who of [w.managerA, w.su]) {
      const s = await w.as(who);
      for (const [path, model, id] of pages) {
        const res = await s.get(`${path}/${id}`).expect(200);
        if (model === 'Lead' || model === 'Customer') {
          // A lead's and a customer's changes are on their timeline (tests/timeline), with the trail's link.
          const timeline = timelineOf(res.text);
          expect(timeline, `${who.name} ${path}/${id}`).toBeDefined();
          expect(elementText(timeline!)).toContain(`Old ${model} name → New ${model} name`);
          expect(elementText(timeline!)).not.toContain(`Other ${model} record`);
          const links = all(timeline!, 'a').map((a) => a.attribs.href);
          expect(links).toContain(`/audit?model=${model}&recordId=${id}`);
          continue;
        }
        const history = historyOf(res.text);
        expect(history, `${who.name} ${path}/${id}`).not.toBeNull();
        expect(textOf(history!)).toContain(`Old ${model} name → New ${model} name`);
        expect(history).not.toContain(`Other ${model} record`);
        expect(history).toContain(`href="/audit?model=${model}&amp;recordId=${id}"`);
      }
    }
  });

  it('shows the last ten entries and links to all of them', async () => {
    const w = await makeWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Busy task' });
    for (let i = 0; i < 12; i++) {
      const at = new Date(Date.UTC(2026, 0, 1 + i));
      await entry(w.a.id, w.managerA.id, 'Task', 'update', task.id, { description: ['', `Note number ${i}`] }, at);
    }
    const m = await w.as(w.managerA);
    const history = historyOf((await m.get(`/tasks/${task.id}`).expect(200)).text)!;
    expect(history.match(/<li /g)).toHaveLength(10);
    expect(history).toContain('Note number 11');
    expect(history).not.toContain('Note number 1<');
    expect(history).not.toContain('Note number 0');
    expect(history).toContain('All changes to this record');
    const trail = await m.get(`/audit?model=Task&recordId=${task.id}`).expect(200);
    expect(trail.text).toContain('Showing 1–12 of 12 entries');
  });

  it('says "No changes recorded." once for a record without entries, with no link to an empty trail', async () => {
    const w = await makeWorld(ctx);
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Quiet task' });
    const history = historyOf((await (await w.as(w.managerA)).get(`/tasks/${task.id}`).expect(200)).text)!;
    expect(textOf(history)).toContain('No changes recorded.');
    expect(history).not.toContain('href="/audit');
  });

  it('is not shown to staff (who do not see the audit trail), nor across companies', async () => {
    const w = await makeWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Staff lead' });
    const task = await ctx.make.task(w.a.id, w.staffA.id, { title: 'Staff task' });
    await entry(w.a.id, w.managerA.id, 'Lead', 'update', lead.id, { notes: ['', 'Manager-only note change'] });
    await entry(w.a.id, w.managerA.id, 'Task', 'update', task.id, { title: ['Old', 'Staff task'] });
    const staff = await w.as(w.staffA);
    for (const path of [`/leads/${lead.id}`, `/tasks/${task.id}`]) {
      const res = await staff.get(path).expect(200);
      expect(historyOf(res.text)).toBeNull();
      expect(res.text).not.toContain('Manager-only note change');
    }
    // Another company's manager: the record (and so its history) does not exist for them.
    const other = await w.as(w.managerB);
    const refused = await other.get(`/leads/${lead.id}`).expect(404);
    expect(refused.text).not.toContain('Manager-only note change');
    // A forged entry in company B about A's lead id is B's, not on A's page.
    await entry(w.b.id, w.managerB.id, 'Lead', 'update', lead.id, { notes: ['', 'Bravo forged note'] });
    const m = await w.as(w.managerA);
    const page = await m.get(`/leads/${lead.id}`).expect(200);
    expect(elementText(timelineOf(page.text)!)).toContain('Manager-only note change');
    expect(page.text).not.toContain('Bravo forged note');
  });
});

// The lead's "next step" and "expected close date", added through one descriptor line each
// (src/lead/fields.ts): saved by create and edit, validated, in the list (sortable), CSV, audit and 409 page.
import { beforeEach, describe, expect, it } from 'vitest';
import { csvRows, makeWorld, type World } from '../customer/world.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs } from '../helpers/session.ts';
import { leadForm } from './form.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await makeWorld(ctx);
});

const form = (o: Record<string, string> = {}) =>
  leadForm({
    email: '',
    phone: '',
    organisation: '',
    estimatedValue: '',
    notes: '',
    nextStep: 'Send the quote',
    expectedCloseDate: '2026-03-31',
    ...o,
  });
const utcDay = (s: string) => new Date(`${s}T00:00:00.000Z`);
/** Lead titles in the table's order. */
const titles = (html: string) => [...html.matchAll(/<td><a href="\/leads\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('lead next step and expected close date', () => {
  it('create and edit save both, the detail page and the audit entries show them', async () => {
    const s = await signInAs(ctx, w.staffA);
    const blank = await s.get('/leads/new').expect(200);
    expect(blank.text).toMatch(/<label for="f-nextStep" class="form-label">Next step/);
    expect(blank.text).toMatch(/<input id="f-expectedCloseDate" name="expectedCloseDate" type="date"/);
    await s.post('/leads', form()).expect(303);
    const lead = await ctx.prisma.lead.findFirstOrThrow();
    expect(lead).toMatchObject({ nextStep: 'Send the quote', expectedCloseDate: utcDay('2026-03-31') });
    const created = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Lead', action: 'create' } });
    expect(created.changes).toMatchObject({
      nextStep: [null, 'Send the quote'],
      expectedCloseDate: [null, '2026-03-31T00:00:00.000Z'],
    });
    const show = await s.get(`/leads/${lead.id}`).expect(200);
    expect(show.text).toContain('<dt class="col-sm-4">Next step</dt><dd class="col-sm-8">Send the quote</dd>');
    expect(show.text).toContain('<dt class="col-sm-4">Expected close date</dt><dd class="col-sm-8">2026-03-31</dd>');

    const edit = await s.get(`/leads/${lead.id}/edit`).expect(200);
    expect(edit.text).toContain('value="Send the quote"');
    expect(edit.text).toContain('value="2026-03-31"');
    const edited = form({ nextStep: 'Call back on Monday', expectedCloseDate: '2026-04-15', version: '1' });
    await s.post(`/leads/${lead.id}`, edited).expect(303);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      nextStep: 'Call back on Monday',
      expectedCloseDate: utcDay('2026-04-15'),
      version: 2,
    });
    const updated = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Lead', action: 'update' } });
    expect(updated.changes).toEqual({
      nextStep: ['Send the quote', 'Call back on Monday'],
      expectedCloseDate: ['2026-03-31T00:00:00.000Z', '2026-04-15T00:00:00.000Z'],
    });
    // Emptied: both are optional.
    await s.post(`/leads/${lead.id}`, form({ nextStep: '', expectedCloseDate: '', version: '2' })).expect(303);
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      nextStep: '',
      expectedCloseDate: null,
    });
  });

  it('refuses a bad date, a long or multi-line next step with 422 beside the field, the form kept', async () => {
    const s = await signInAs(ctx, w.staffA);
    const cases: [Record<string, string>, string, string][] = [
      [{ expectedCloseDate: '2026-02-30' }, 'expectedCloseDate', 'Enter a date, for example 2026-03-31.'],
      [{ expectedCloseDate: 'next Friday' }, 'expectedCloseDate', 'Enter a date, for example 2026-03-31.'],
      [{ expectedCloseDate: '0999-01-01' }, 'expectedCloseDate', 'Enter a date between the years 1900 and 2999.'],
      [{ nextStep: 'x'.repeat(201) }, 'nextStep', 'Use at most 200 characters.'],
      [{ nextStep: 'one\r\ntwo' }, 'nextStep', 'line'],
    ];
    for (const [bad, name, message] of cases) {
      const res = await s.post('/leads', form(bad)).expect(422);
      const escaped = message.replace(/[.()]/g, '\\$&');
      expect(res.text).toMatch(new RegExp(`id="f-${name}-error"[^>]*>[^<]*${escaped}`));
      expect(res.text).toContain(`aria-describedby="f-${name}-error"`);
      expect(res.text).toContain('value="Website relaunch"');
    }
    expect(await ctx.prisma.lead.count()).toBe(0);
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Kept' });
    const typed = form({ title: 'Kept', expectedCloseDate: '31/03/2026', version: '1' });
    const res = await s.post(`/leads/${lead.id}`, typed).expect(422);
    expect(res.text).toContain('value="31/03/2026"');
    expect(res.text).toContain('value="Send the quote"');
    expect(await ctx.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
      version: 1,
      expectedCloseDate: null,
    });
  });

  it('the list shows the next step and sorts by close date, blank dates last both ways, ties by id', async () => {
    const make = (title: string, expectedCloseDate: Date | null, nextStep = '') =>
      ctx.make.lead(w.a.id, w.staffA.id, { title, expectedCloseDate, nextStep });
    await make('May deal', utcDay('2026-05-01'), 'Demo on site');
    await make('No date A', null);
    await make('March deal', utcDay('2026-03-01'));
    await make('No date B', null);
    await make('May twin', utcDay('2026-05-01'));
    const s = await signInAs(ctx, w.managerA);
    const page = await s.get('/leads').expect(200);
    expect(page.text).toContain('<th scope="col">Next step</th>');
    expect(page.text).toMatch(/<th scope="col" aria-sort="none"><a href="[^"]*sort=closeDate[^"]*">Expected close</);
    expect(page.text).toContain('<td>Demo on site</td>');
    expect(page.text).toContain('<td class="nowrap">2026-05-01</td>');
    expect(titles((await s.get('/leads?sort=closeDate&dir=asc').expect(200)).text)).toEqual([
      'March deal',
      'May deal',
      'May twin',
      'No date A',
      'No date B',
    ]);
    expect(titles((await s.get('/leads?sort=closeDate&dir=desc').expect(200)).text)).toEqual([
      'May twin',
      'May deal',
      'March deal',
      'No date B',
      'No date A',
    ]);
    const csv = csvRows((await s.get('/leads/export.csv?sort=closeDate&dir=asc').expect(200)).text);
    const col = (name: string) => csv[0].indexOf(name);
    expect(csv.slice(1).map((r) => [r[1], r[col('next step')], r[col('expected close date')]])).toEqual([
      ['March deal', '', '2026-03-01'],
      ['May deal', 'Demo on site', '2026-05-01'],
      ['May twin', '', '2026-05-01'],
      ['No date A', '', ''],
      ['No date B', '', ''],
    ]);
  });

  it('the 409 page shows the saved next step and expected close date', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Contested' });
    const s = await signInAs(ctx, w.staffA);
    const first = form({ title: 'Contested', nextStep: 'Saved step', expectedCloseDate: '2026-06-30', version: '1' });
    await s.post(`/leads/${lead.id}`, first).expect(303);
    const second = form({ title: 'Contested', nextStep: 'Typed step', version: '1' });
    const stale = await s.post(`/leads/${lead.id}`, second).expect(409);
    expect(stale.text).toContain('<dt class="col-sm-3">Next step</dt><dd class="col-sm-9">Saved step</dd>');
    expect(stale.text).toContain(
      '<dt class="col-sm-3">Expected close date</dt>' + '<dd class="col-sm-9">2026-06-30</dd>',
    );
    expect(stale.text).toContain('value="Typed step"');
  });
});

// Issue 14 item 2: a lost deal needs its reason. The status move (POST /leads/:id/status) with its refusals
// (reason missing → 422 with the form kept, stale version → 409 showing the newer state, other company → 404,
// no lead.change → 403, no CSRF → 403, a foreign returnTo never followed), the lost page, the lead form's
// same rule, the reopen clearing the reason, and the relaxed pipeline the board moves along.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { all, fieldError, fieldValue, first, postForm, textOf } from '../helpers/html.ts';
import { buildWorld, limitedStaff, type World } from '../helpers/world.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await buildWorld(ctx);
});

const saved = (id: number) =>
  ctx.prisma.lead.findUniqueOrThrow({
    where: { id },
    select: { status: true, lostReason: true, lostNote: true, version: true, closedAt: true },
  });

describe('marking a lead lost', () => {
  it('asks why on its own page, then saves the reason, audits it and goes back to returnTo', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'CONTACTED' });
    const s = await w.as(w.managerA);
    const back = '/leads/board?assigneeId=3&source=WEBSITE';
    const page = await s.get(`/leads/${lead.id}/lost?returnTo=${encodeURIComponent(back)}`).expect(200);
    const form = postForm(page, `/leads/${lead.id}/status`)!;
    expect(form).toBeDefined();
    expect(fieldValue(form, 'status')).toBe('LOST');
    expect(fieldValue(form, 'version')).toBe(String(lead.version));
    expect(fieldValue(form, 'returnTo')).toBe(back);
    expect(all(form, 'input[name="lostReason"]').map((i) => i.attribs.value)).toEqual([
      'PRICE',
      'COMPETITOR',
      'NO_BUDGET',
      'NO_RESPONSE',
      'NOT_A_FIT',
      'OTHER',
    ]);
    const res = await s
      .post(`/leads/${lead.id}/status`, {
        status: 'LOST',
        version: String(lead.version),
        lostReason: 'COMPETITOR',
        lostNote: 'Chose Initech',
        returnTo: back,
      })
      .expect(303);
    expect(res.headers.location).toBe(back);
    const after = await saved(lead.id);
    expect(after).toMatchObject({ status: 'LOST', lostReason: 'COMPETITOR', lostNote: 'Chose Initech' });
    expect(after.closedAt).not.toBeNull();
    const entry = await ctx.prisma.auditEntry.findFirstOrThrow({
      where: { model: 'Lead', recordId: String(lead.id), action: 'update' },
    });
    expect(entry.changes).toEqual({
      status: ['CONTACTED', 'LOST'],
      lostReason: [null, 'COMPETITOR'],
      lostNote: ['', 'Chose Initech'],
    });
    // The lead page shows why.
    const show = (await s.get(`/leads/${lead.id}`).expect(200)).text;
    expect(show).toContain('Went with a competitor');
    expect(show).toContain('Chose Initech');
  });

  it('refuses a missing reason (422, beside the field, form kept, nothing saved)', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    const s = await w.as(w.staffA);
    const before = await saved(lead.id);
    const res = await s
      .post(`/leads/${lead.id}/status`, {
        status: 'LOST',
        version: String(lead.version),
        lostNote: 'kept note',
        returnTo: '/leads',
      })
      .expect(422);
    expect(fieldError(res, 'lostReason')).toBe('Choose why the deal was lost.');
    expect(first(res, 'textarea[name="lostNote"]') && textOf(first(res, 'textarea[name="lostNote"]')!)).toBe(
      'kept note',
    );
    expect(fieldValue(postForm(res, `/leads/${lead.id}/status`)!, 'returnTo')).toBe('/leads');
    // A reason that is not one of the list, and Other without a note.
    const bad = await s.post(`/leads/${lead.id}/status`, { status: 'LOST', lostReason: 'BORED' }).expect(422);
    expect(fieldError(bad, 'lostReason')).toMatch(/Choose a reason/);
    const other = await s.post(`/leads/${lead.id}/status`, { status: 'LOST', lostReason: 'OTHER' }).expect(422);
    expect(fieldError(other, 'lostNote')).toMatch(/Say why/);
    const long = await s
      .post(`/leads/${lead.id}/status`, { status: 'LOST', lostReason: 'OTHER', lostNote: 'x'.repeat(501) })
      .expect(422);
    expect(fieldError(long, 'lostNote')).toMatch(/at most 500/);
    expect(await saved(lead.id)).toEqual(before);
  });

  it('answers a stale version with 409 showing the newer state, and changes nothing', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    await ctx.prisma.lead.update({ where: { id: lead.id }, data: { status: 'QUALIFIED', version: { increment: 1 } } });
    const before = await saved(lead.id);
    const s = await w.as(w.managerA);
    const res = await s
      .post(`/leads/${lead.id}/status`, {
        status: 'CONTACTED',
        version: String(lead.version),
        returnTo: '/leads/board',
      })
      .expect(409);
    expect(res.text).toContain('was changed by someone else');
    expect(res.text).toContain('Qualified');
    // The move is offered again from the newer version, going back to the board.
    const again = postForm(res, `/leads/${lead.id}/status`)!;
    expect(fieldValue(again, 'version')).toBe(String(before.version));
    expect(fieldValue(again, 'returnTo')).toBe('/leads/board');
    const lost = await s
      .post(`/leads/${lead.id}/status`, { status: 'LOST', version: String(lead.version), lostReason: 'PRICE' })
      .expect(409);
    expect(lost.text).toContain('Someone else changed this lead');
    expect(fieldValue(postForm(lost, `/leads/${lead.id}/status`)!, 'version')).toBe(String(before.version));
    expect(await saved(lead.id)).toEqual(before);
  });

  it('never follows a returnTo outside the site', async () => {
    const s = await w.as(w.managerA);
    for (const evil of [
      '//evil.test',
      'https://evil.test',
      '/\\evil.test',
      'javascript:alert(1)',
      '/leads/board/../x',
    ]) {
      const lead = await ctx.make.lead(w.a.id, w.staffA.id);
      const res = await s.post(`/leads/${lead.id}/status`, { status: 'CONTACTED', returnTo: evil }).expect(303);
      expect(res.headers.location).toBe(`/leads/${lead.id}`);
      const page = await s.get(`/leads/${lead.id}/lost?returnTo=${encodeURIComponent(evil)}`).expect(200);
      expect(fieldValue(postForm(page, `/leads/${lead.id}/status`)!, 'returnTo')).toBeNull();
    }
  });

  it('refuses other companies (404), missing lead.change (403) and a missing CSRF token (403)', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    const theirs = await ctx.make.lead(w.a.id, w.colleagueA.id);
    const before = await saved(lead.id);
    const b = await w.as(w.managerB);
    await b.get(`/leads/${lead.id}/lost`).expect(404);
    await b.post(`/leads/${lead.id}/status`, { status: 'LOST', lostReason: 'PRICE' }).expect(404);
    // Staff: a colleague's lead is out of their scope.
    await (await w.as(w.staffA)).get(`/leads/${theirs.id}/lost`).expect(404);
    const viewer = await limitedStaff(ctx, w.a.id, ['lead.view']);
    const v = await w.as(viewer);
    await ctx.prisma.lead.update({ where: { id: lead.id }, data: { assigneeId: viewer.id } });
    await v.get(`/leads/${lead.id}/lost`).expect(403);
    await v.post(`/leads/${lead.id}/status`, { status: 'LOST', lostReason: 'PRICE' }).expect(403);
    const m = await w.as(w.managerA);
    await m.agent
      .post(`/leads/${lead.id}/status`)
      .type('form')
      .send({ status: 'LOST', lostReason: 'PRICE' })
      .expect(403);
    expect(await saved(lead.id)).toMatchObject({ status: before.status, lostReason: null, version: before.version });
  });

  it('reopens a lost lead as new, forgetting why it was lost', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    const s = await w.as(w.staffA);
    await s
      .post(`/leads/${lead.id}/status`, { status: 'LOST', lostReason: 'OTHER', lostNote: 'Moved away' })
      .expect(303);
    expect((await saved(lead.id)).closedAt).not.toBeNull();
    // The lead page's Lost button is now a Reopen; "Mark lost" links to the lost page on open leads.
    await s.post(`/leads/${lead.id}/status`, { status: 'NEW' }).expect(303);
    expect(await saved(lead.id)).toMatchObject({ status: 'NEW', lostReason: null, lostNote: '', closedAt: null });
    const show = await s.get(`/leads/${lead.id}`).expect(200);
    expect(first(show, `a[href="/leads/${lead.id}/lost"]`)).toBeDefined();
  });

  it('moves an open lead to any stage; a won lead stays won', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id);
    const s = await w.as(w.staffA);
    await s.post(`/leads/${lead.id}/status`, { status: 'QUALIFIED' }).expect(303);
    await s.post(`/leads/${lead.id}/status`, { status: 'NEW' }).expect(303);
    await s.post(`/leads/${lead.id}/status`, { status: 'WON' }).expect(303);
    const res = await s.post(`/leads/${lead.id}/status`, { status: 'NEW' }).expect(422);
    expect(res.text).toContain('A won lead cannot become new.');
    expect((await saved(lead.id)).status).toBe('WON');
    // A lost page for a closed lead explains instead of offering the form.
    const page = await s.get(`/leads/${lead.id}/lost`).expect(200);
    expect(postForm(page, `/leads/${lead.id}/status`)).toBeUndefined();
  });
});

describe('the lead form asks the same', () => {
  it('refuses status Lost without a reason and saves it with one; another status clears them', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { title: 'Form lead', contactName: 'Ann' });
    const s = await w.as(w.staffA);
    const edit = await s.get(`/leads/${lead.id}/edit`).expect(200);
    expect(first(edit, 'select[name="lostReason"]')).toBeDefined();
    const form = { title: 'Form lead', source: 'OTHER', status: 'LOST', version: String(lead.version) };
    const res = await s.post(`/leads/${lead.id}`, form).expect(422);
    expect(fieldError(res, 'lostReason')).toBe('Choose why the deal was lost.');
    expect((await saved(lead.id)).status).toBe('NEW');
    await s.post(`/leads/${lead.id}`, { ...form, lostReason: 'NO_BUDGET' }).expect(303);
    expect(await saved(lead.id)).toMatchObject({ status: 'LOST', lostReason: 'NO_BUDGET' });
    const v = (await saved(lead.id)).version;
    await s
      .post(`/leads/${lead.id}`, { ...form, status: 'NEW', lostReason: 'NO_BUDGET', lostNote: 'x', version: String(v) })
      .expect(303);
    expect(await saved(lead.id)).toMatchObject({ status: 'NEW', lostReason: null, lostNote: '' });
    // Creating a lost lead asks too.
    const created = await s.post('/leads', { title: 'New lost', source: 'OTHER', status: 'LOST' }).expect(422);
    expect(fieldError(created, 'lostReason')).toBe('Choose why the deal was lost.');
  });
});

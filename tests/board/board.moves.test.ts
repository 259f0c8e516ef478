// Moving a card from the board without JavaScript: the card's "Move to" form (POST /leads/:id/status with the
// lead's version and the board's URL as returnTo) moves it and comes back to the same board; every refusal
// changes nothing: a stale version (409, the newer state shown), another company's lead (404), no
// lead.change (403), no CSRF token (403). The database is re-read each time.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../helpers/context.ts';
import { all, type Html } from '../helpers/html.ts';
import { buildWorld, limitedStaff, type World } from '../helpers/world.ts';
import { boardFigures, expectedFigures, sqlTotals } from './boardWorld.ts';

const ctx = useTestContext();
let w: World;
beforeEach(async () => {
  w = await buildWorld(ctx);
});

/** The fields of the card's form that moves lead `id` to `stage`, as a browser would send them. */
function moveForm(html: Html, id: number, stage: string): Record<string, string> {
  const [form] = all(html, `form[action="/leads/${id}/status"]`);
  const [button] = form ? all(form, `button[data-move="${stage}"]`) : [];
  expect(button, `no move of lead ${id} to ${stage}`).toBeDefined();
  const fields = Object.fromEntries(all(form, 'input').map((i) => [i.attribs.name, i.attribs.value]));
  return { ...fields, [button.attribs.name]: button.attribs.value };
}

const state = (id: number) =>
  ctx.prisma.lead.findUniqueOrThrow({ where: { id }, select: { status: true, version: true, lostReason: true } });

describe('moving a card from the board', () => {
  it('moves with the button and returns to the same board; the totals follow, as SQL says', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', source: 'EVENT', estimatedValue: '1500' });
    await ctx.make.lead(w.b.id, w.managerB.id, { status: 'NEW', source: 'EVENT', estimatedValue: '999' });
    const s = await w.as(w.managerA);
    const board = await s.get('/leads/board?source=EVENT').expect(200);
    const form = moveForm(board, lead.id, 'QUALIFIED');
    const res = await s.post(`/leads/${lead.id}/status`, form).expect(303);
    expect(res.headers.location).toBe('/leads/board?source=EVENT');
    expect(await state(lead.id)).toMatchObject({ status: 'QUALIFIED', version: lead.version + 1 });
    const after = await s.get('/leads/board?source=EVENT').expect(200);
    expect(after.text).toContain('is now qualified');
    expect(boardFigures(after)).toEqual(expectedFigures(await sqlTotals(ctx, w.managerA, { source: 'EVENT' })));
    expect(boardFigures(after).QUALIFIED).toMatchObject({ count: '1', total: '€1,500', weighted: '€750' });
    // Staff move their own leads too, back to an earlier stage as well.
    const staff = await w.as(w.staffA);
    const own = await staff.get('/leads/board').expect(200);
    await staff.post(`/leads/${lead.id}/status`, moveForm(own, lead.id, 'NEW')).expect(303);
    expect((await state(lead.id)).status).toBe('NEW');
  });

  it('a stale move answers 409 with the newer state and changes nothing', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', title: 'Stale card' });
    const s = await w.as(w.managerA);
    const board = await s.get('/leads/board').expect(200);
    // Someone else moves it after the board was shown.
    await ctx.prisma.lead.update({ where: { id: lead.id }, data: { status: 'CONTACTED', version: { increment: 1 } } });
    const before = await state(lead.id);
    const res = await s.post(`/leads/${lead.id}/status`, moveForm(board, lead.id, 'WON')).expect(409);
    expect(res.text).toContain('was changed by someone else');
    expect(res.text).toContain('Contacted');
    expect(await state(lead.id)).toEqual(before);
  });

  it("refuses another company's lead (404), no lead.change (403) and a missing CSRF token (403)", async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW' });
    const form = { status: 'CONTACTED', version: String(lead.version), returnTo: '/leads/board' };
    const before = await state(lead.id);
    await (await w.as(w.managerB)).post(`/leads/${lead.id}/status`, form).expect(404);
    // A colleague's lead is not in a staff user's scope either.
    await (await w.as(w.colleagueA)).post(`/leads/${lead.id}/status`, form).expect(404);
    const viewer = await limitedStaff(ctx, w.a.id, ['lead.view']);
    await ctx.prisma.lead.update({ where: { id: lead.id }, data: { assigneeId: viewer.id } });
    await (await w.as(viewer)).post(`/leads/${lead.id}/status`, form).expect(403);
    const s = await w.as(w.managerA);
    await s.agent.post(`/leads/${lead.id}/status`).type('form').send(form).expect(403);
    expect(await state(lead.id)).toEqual(before);
  });

  it('Lost asks the reason on its own page and comes back to the board', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'QUALIFIED' });
    const s = await w.as(w.managerA);
    const board = await s.get(`/leads/board?assigneeId=${w.staffA.id}`).expect(200);
    const [link] = all(board, `a[href^="/leads/${lead.id}/lost?"]`);
    const page = await s.get(link.attribs.href).expect(200);
    const returnTo = `/leads/board?assigneeId=${w.staffA.id}`;
    expect(page.text).toContain(`value="${returnTo.replace('&', '&amp;')}"`);
    const version = String(lead.version);
    await s.post(`/leads/${lead.id}/status`, { status: 'LOST', version, returnTo }).expect(422);
    expect((await state(lead.id)).status).toBe('QUALIFIED');
    const res = await s
      .post(`/leads/${lead.id}/status`, { status: 'LOST', version, returnTo, lostReason: 'PRICE' })
      .expect(303);
    expect(res.headers.location).toBe(returnTo);
    expect(await state(lead.id)).toMatchObject({ status: 'LOST', lostReason: 'PRICE' });
  });
});

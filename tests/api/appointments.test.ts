// The API's appointments: the list pages through the caller's scope with the page's "when" (upcoming by default,
// past newest first), attendee filter, search and sorts, with a fixed number of statements whatever the rows; one
// appointment with its attendees, times in UTC, its version as the ETag, a colleague's lead named for staff only
// as hidden. Refusals: no appointment.view → 403, a staff user not attending → 404, another company's → 404 (and
// the sweep: tests/api/sweep.test.ts).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { appointmentApiSchema } from '../../src/api/appointments.ts';
import { useTestContext } from '../helpers/context.ts';
import { recordStatements } from '../helpers/statements.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const get = (path: string, token: string) =>
  request(ctx.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
const DAY = 24 * 3600_000;

async function all(path: string, token: string) {
  const ids: number[] = [];
  let next: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: request.Response = await get(`${path}${next ? `${sep}cursor=${next}` : ''}`, token).expect(200);
    for (const row of res.body.data) ids.push(appointmentApiSchema.parse(row).id);
    next = res.body.next;
  } while (next);
  return ids;
}

describe('API appointments', () => {
  it('lists the scope: upcoming by default, past newest first, attendee filter, search, sorts', async () => {
    const w = await buildWorld(ctx);
    const at = (days: number) => ({ startsAt: new Date(Date.now() + days * DAY) });
    const ids: Record<string, number> = {};
    for (const [title, days, who] of [
      ['Future staff 1', 1, w.staffA.id],
      ['Future colleague', 2, w.colleagueA.id],
      ['Future staff 2', 3, w.staffA.id],
      ['Past staff', -3, w.staffA.id],
      ['Older past staff', -5, w.staffA.id],
    ] as const)
      ids[title] = (await ctx.make.appointment(w.a.id, [who], { title, ...at(days), location: `Room ${title}` })).id;
    await ctx.make.appointment(w.b.id, [w.staffB.id], { title: 'Bravo future', ...at(1) });
    const manager = await makeToken(await w.as(w.managerA), { name: 'Boss', access: 'READ' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'Mine', access: 'READ' });
    const upcoming = [ids['Future staff 1'], ids['Future colleague'], ids['Future staff 2']];
    expect(await all('/appointments?limit=2', manager)).toEqual(upcoming);
    expect(await all('/appointments', staff)).toEqual([ids['Future staff 1'], ids['Future staff 2']]);
    expect(await all('/appointments?when=past&limit=1', staff)).toEqual([ids['Past staff'], ids['Older past staff']]);
    expect(await all('/appointments?when=past&dir=asc', staff)).toEqual([ids['Older past staff'], ids['Past staff']]);
    expect(await all(`/appointments?attendeeId=${w.colleagueA.id}`, manager)).toEqual([ids['Future colleague']]);
    // Staff see their own only: the attendee filter is not theirs (as on the page).
    expect(await all(`/appointments?attendeeId=${w.colleagueA.id}`, staff)).toEqual([
      ids['Future staff 1'],
      ids['Future staff 2'],
    ]);
    expect(await all('/appointments?when=all&q=room%20older', manager)).toEqual([ids['Older past staff']]);
    expect(await all('/appointments?sort=title&dir=desc', manager)).toEqual([
      ids['Future staff 2'],
      ids['Future staff 1'],
      ids['Future colleague'],
    ]);
    // The cursor belongs to its query.
    const first = await get('/appointments?limit=1', manager).expect(200);
    await get(`/appointments?limit=1&when=all&cursor=${first.body.next}`, manager).expect(400);
  });

  it('a fixed number of statements, whatever the rows and attendees', async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.managerA), { name: 'Reader', access: 'READ' });
    const recorder = recordStatements(ctx.db.pool);
    await ctx.make.appointment(w.a.id, [w.staffA.id]);
    await get('/appointments', token).expect(200);
    const one = await recorder.during(() => get('/appointments', token));
    for (let i = 0; i < 12; i++) await ctx.make.appointment(w.a.id, [w.staffA.id, w.colleagueA.id, w.managerA.id]);
    const many = await recorder.during(() => get('/appointments', token));
    expect(many.result.body.data).toHaveLength(13);
    expect(many.statements).toHaveLength(one.statements.length);
  });

  it('one appointment with its attendees, UTC times and the version as ETag; a hidden lead is not named', async () => {
    const w = await buildWorld(ctx);
    const customer = await ctx.make.customer(w.a.id, { name: 'Acme' });
    const lead = await ctx.make.lead(w.a.id, w.colleagueA.id, { title: 'Colleague deal' });
    const a = await ctx.make.appointment(w.a.id, [w.managerA.id, w.staffA.id], {
      title: 'Kick-off',
      startsAt: new Date('2030-01-14T08:00:00Z'),
      customerId: customer.id,
      leadId: lead.id,
    });
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { active: false } });
    const manager = await makeToken(await w.as(w.managerA), { name: 'Boss', access: 'READ' });
    const res = await get(`/appointments/${a.id}`, manager).expect(200);
    expect(res.headers.etag).toBe('"1"');
    expect(appointmentApiSchema.parse(res.body)).toEqual({
      id: a.id,
      companyId: w.a.id,
      title: 'Kick-off',
      startsAt: '2030-01-14T08:00:00.000Z',
      endsAt: '2030-01-14T09:00:00.000Z',
      location: '',
      notes: '',
      customer: { id: customer.id, name: 'Acme' },
      lead: { id: lead.id, title: 'Colleague deal' },
      organiser: { id: w.managerA.id, name: w.managerA.name },
      attendees: [
        { id: w.managerA.id, name: w.managerA.name, active: true },
        { id: w.staffA.id, name: w.staffA.name, active: false },
      ],
      version: 1,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    });
    const mine = await ctx.make.appointment(w.a.id, [w.colleagueA.id, w.staffA.id], { leadId: lead.id });
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { active: true } });
    const staff = await makeToken(await w.as(w.staffA), { name: 'Mine', access: 'READ' });
    const seen = await get(`/appointments/${mine.id}`, staff).expect(200);
    expect(seen.body.lead).toEqual({ id: lead.id, title: null });
    expect(seen.text).not.toContain('Colleague deal');
  });

  it('404 for a staff user not attending and for another company; 403 without appointment.view', async () => {
    const w = await buildWorld(ctx);
    const theirs = await ctx.make.appointment(w.a.id, [w.colleagueA.id], { title: 'Theirs Marigold' });
    const bravo = await ctx.make.appointment(w.b.id, [w.staffB.id], { title: 'Bravo Juniper' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'Mine', access: 'READ' });
    const manager = await makeToken(await w.as(w.managerA), { name: 'Boss', access: 'READ' });
    for (const [t, id] of [
      [staff, theirs.id],
      [staff, bravo.id],
      [manager, bravo.id],
    ] as const) {
      const res = await get(`/appointments/${id}`, t).expect(404);
      expect(res.text).not.toMatch(/Marigold|Juniper/);
    }
    const blind = await limitedStaff(ctx, w.a.id, ['customer.view']);
    const blindToken = await makeToken(await w.as(blind), { name: 'Blind' });
    await get('/appointments', blindToken).expect(403);
    await get(`/appointments/${theirs.id}`, blindToken).expect(403);
  });
});

// Who sees and changes which activity: another company's answers 404 on every route, a staff user never sees a
// colleague's lead-only activity (page, list, search, CSV), only its author and account managers edit and delete,
// a missing permission is 403, and a refused request changes nothing.
import { describe, expect, it } from 'vitest';
import { scope } from '../../src/access/scope.ts';
import { NotFound } from '../../src/web/errors.ts';
import { useTestContext } from '../helpers/context.ts';
import { signInAs, type Session } from '../helpers/session.ts';
import { activityForm, activityWorld } from './world.ts';

const ctx = useTestContext();

/** Every route naming the activity answers 404 (delete: 403 first for staff, who hold no activity.delete). */
async function expectInvisible(s: Session, id: number, deleteStatus = 404) {
  await s.get(`/activities/${id}`).expect(404);
  await s.get(`/activities/${id}/edit`).expect(404);
  await s.post(`/activities/${id}`, activityForm({ summary: 'Hijacked', version: '1' })).expect(404);
  await s.get(`/activities/${id}/delete`).expect(deleteStatus);
  await s.post(`/activities/${id}/delete`).expect(deleteStatus);
}

describe('activity scope', () => {
  it("another company's activity does not exist for its manager or staff; lists and CSV leave it out", async () => {
    const w = await activityWorld(ctx);
    for (const [who, deleteStatus] of [
      [w.managerA, 404],
      [w.staffA, 403],
    ] as const) {
      const s = await signInAs(ctx, who);
      await expectInvisible(s, w.act.foreign.id, deleteStatus);
      const list = await s.get('/activities').expect(200);
      expect(list.text).not.toContain('Bravo meeting Jade');
      const csv = await s.get('/activities/export.csv?q=Jade').expect(200);
      expect(csv.text).not.toContain('Jade');
    }
    const b = await signInAs(ctx, w.managerB);
    await expectInvisible(b, w.act.staffOwn.id);
    const bList = await b.get('/activities').expect(200);
    expect(bList.text).toContain('Bravo meeting Jade');
    expect(bList.text).not.toContain('Steve call Quartz');
    expect(await ctx.prisma.activity.findUniqueOrThrow({ where: { id: w.act.foreign.id } })).toMatchObject({
      summary: 'Bravo meeting Jade',
      version: 1,
    });
  });

  it("staff never see a colleague's lead-only activity: 404 by URL, absent from list, search and CSV", async () => {
    const w = await activityWorld(ctx);
    const s = await signInAs(ctx, w.staffA);
    await expectInvisible(s, w.act.colleagueLone.id, 403);
    const list = await s.get('/activities').expect(200);
    expect(list.text).toContain('Steve call Quartz');
    expect(list.text).toContain('Carla email Amber');
    expect(list.text).not.toContain('Carla secret Obsidian');
    expect(list.text).toContain('Showing 1–2 of 2');
    const searched = await s.get('/activities?q=Garnet').expect(200);
    expect(searched.text).not.toContain('Obsidian');
    const filtered = await s.get(`/activities?authorId=${w.colleagueA.id}&leadId=${w.colleagueLead.id}`).expect(200);
    expect(filtered.text).not.toContain('Obsidian');
    const csv = await s.get('/activities/export.csv').expect(200);
    expect(csv.text).toContain('Carla email Amber');
    expect(csv.text).not.toContain('Obsidian');
    expect(csv.text).not.toContain('Garnet');
    // The colleague's customer activity is readable, not editable: 403, and the buttons are not shown.
    const shown = await s.get(`/activities/${w.act.colleagueCustomer.id}`).expect(200);
    expect(shown.text).not.toContain(`/activities/${w.act.colleagueCustomer.id}/edit`);
    await s.get(`/activities/${w.act.colleagueCustomer.id}/edit`).expect(403);
    await s
      .post(
        `/activities/${w.act.colleagueCustomer.id}`,
        activityForm({ kind: 'EMAIL', summary: 'Mine now', version: '1' }),
      )
      .expect(403);
    expect(await ctx.prisma.activity.findUniqueOrThrow({ where: { id: w.act.colleagueCustomer.id } })).toMatchObject({
      summary: 'Carla email Amber',
      version: 1,
    });
  });

  it("staff: their own activity on a lead reassigned away shows its customer, not the lead's title", async () => {
    const w = await activityWorld(ctx);
    const lead = await ctx.make.lead(w.a.id, w.colleagueA.id, {
      title: 'Handed over Cobalt',
      customerId: w.customer.id,
    });
    const mine = await ctx.make.activity(w.a.id, w.staffA.id, {
      summary: 'Before handover',
      leadId: lead.id,
      customerId: w.customer.id,
    });
    const s = await signInAs(ctx, w.staffA);
    const page = await s.get(`/activities/${mine.id}`).expect(200);
    expect(page.text).toContain('Harbour Supplies');
    expect(page.text).not.toContain('Handed over Cobalt');
    const list = await s.get('/activities').expect(200);
    expect(list.text).not.toContain('Handed over Cobalt');
    const csv = await s.get('/activities/export.csv').expect(200);
    expect(csv.text).not.toContain('Handed over Cobalt');
  });

  it('account managers see and change every activity of their company; the superuser every company', async () => {
    const w = await activityWorld(ctx);
    const m = await signInAs(ctx, w.managerA);
    const list = await m.get('/activities').expect(200);
    for (const t of ['Steve call Quartz', 'Carla secret Obsidian', 'Carla email Amber']) expect(list.text).toContain(t);
    expect(list.text).not.toContain('Bravo meeting Jade');
    const page = await m.get(`/activities/${w.act.colleagueLone.id}`).expect(200);
    expect(page.text).toContain(`/activities/${w.act.colleagueLone.id}/edit`);
    expect(page.text).toContain(`/activities/${w.act.colleagueLone.id}/delete`);
    await m.get(`/activities/${w.act.colleagueLone.id}/edit`).expect(200);
    const su = await signInAs(ctx, w.su);
    const all = await su.get('/activities').expect(200);
    expect(all.text).toContain('Bravo meeting Jade');
    expect(all.text).toContain('Carla secret Obsidian');
    const onlyB = await su.get(`/activities?companyId=${w.b.id}`).expect(200);
    expect(onlyB.text).not.toContain('Carla secret Obsidian');
    await su.get(`/activities/${w.act.foreign.id}`).expect(200);
    await su.get(`/activities/${w.act.foreign.id}/edit`).expect(200);
  });

  it("the scope: staff writing a colleague's readable activity find nothing (routes answer 403 first)", async () => {
    const w = await activityWorld(ctx);
    const staff = scope(ctx.prisma, w.staffA);
    const id = w.act.colleagueCustomer.id;
    expect(await staff.activity.findUnique({ where: { id } })).not.toBeNull();
    await expect(staff.activity.update({ where: { id }, data: { summary: 'x' } })).rejects.toBeInstanceOf(NotFound);
    expect((await staff.activity.updateMany({ where: { id }, data: { summary: 'x' } })).count).toBe(0);
    await expect(staff.activity.delete({ where: { id } })).rejects.toBeInstanceOf(NotFound);
    const manager = scope(ctx.prisma, w.managerA);
    expect((await manager.activity.updateMany({ where: { id }, data: { details: 'ok' } })).count).toBe(1);
  });

  it('the colleague (staff) reads the company activity and edits only their own', async () => {
    const w = await activityWorld(ctx);
    const c = await signInAs(ctx, w.colleagueA);
    await c.get(`/activities/${w.act.colleagueCustomer.id}/edit`).expect(200);
    await c.get(`/activities/${w.act.staffOwn.id}`).expect(404);
    const list = await c.get('/activities').expect(200);
    expect(list.text).toContain('Carla secret Obsidian');
    expect(list.text).not.toContain('Steve call Quartz');
  });

  it('without activity.view the list, the page and the CSV are 403; without activity.add the form is', async () => {
    const w = await activityWorld(ctx);
    await ctx.make.group(w.a.id, ['lead.view', 'customer.view'], { name: 'Readers' });
    const reader = await ctx.make.staff(w.a.id, { name: 'Rita Reader', groups: ['Readers'] });
    const s = await signInAs(ctx, reader);
    await s.get('/activities').expect(403);
    await s.get('/activities/export.csv').expect(403);
    await s.get(`/activities/${w.act.colleagueCustomer.id}`).expect(403);
    const nav = await s.get('/dashboard').expect(200);
    expect(nav.text).not.toContain('href="/activities"');
    await ctx.make.group(w.a.id, ['activity.view', 'customer.view', 'lead.view'], { name: 'Viewers' });
    const viewer = await ctx.make.staff(w.a.id, { name: 'Vic Viewer', groups: ['Viewers'] });
    const v = await signInAs(ctx, viewer);
    await v.get('/activities').expect(200);
    await v.get('/activities/new').expect(403);
    const before = await ctx.prisma.activity.count();
    await v.post('/activities', activityForm({ customerId: String(w.customer.id) })).expect(403);
    expect(await ctx.prisma.activity.count()).toBe(before);
    // Staff hold no activity.delete by default: the confirmation and the delete are 403 even on their own.
    const st = await signInAs(ctx, w.staffA);
    await st.get(`/activities/${w.act.staffOwn.id}/delete`).expect(403);
    await st.post(`/activities/${w.act.staffOwn.id}/delete`).expect(403);
    expect(await ctx.prisma.activity.count()).toBe(before);
  });
});

describe('activity list', () => {
  it('filters by kind, about, author and days (in the user zone), sorts and pages', async () => {
    const w = await activityWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.managerA.id }, data: { timeZone: 'Europe/Warsaw' } });
    // 2026-03-01 00:30 in Warsaw is 2026-02-28 23:30 UTC: it belongs to March 1st for this user.
    await ctx.make.activity(w.a.id, w.managerA.id, {
      summary: 'Warsaw midnight Onyx',
      customerId: w.customer.id,
      occurredAt: new Date('2026-02-28T23:30:00Z'),
    });
    const s = await signInAs(ctx, w.managerA);
    const calls = await s.get('/activities?kind=EMAIL').expect(200);
    expect(calls.text).toContain('Carla email Amber');
    expect(calls.text).not.toContain('Steve call Quartz');
    const aboutCustomer = await s.get('/activities?about=customer').expect(200);
    expect(aboutCustomer.text).toContain('Carla email Amber');
    expect(aboutCustomer.text).not.toContain('Carla secret Obsidian');
    const byAuthor = await s.get(`/activities?authorId=${w.staffA.id}`).expect(200);
    expect(byAuthor.text).toContain('Steve call Quartz');
    expect(byAuthor.text).not.toContain('Carla email');
    const day = await s.get('/activities?from=2026-03-01&to=2026-03-01').expect(200);
    expect(day.text).toContain('Warsaw midnight Onyx');
    expect(day.text).toContain('Showing 1–1 of 1');
    const dayBefore = await s.get('/activities?to=2026-02-28').expect(200);
    expect(dayBefore.text).not.toContain('Warsaw midnight Onyx');
    const sorted = await s.get('/activities?sort=summary&dir=asc').expect(200);
    const order = ['Carla email Amber', 'Carla secret Obsidian', 'Steve call Quartz', 'Warsaw midnight Onyx'].map((t) =>
      sorted.text.indexOf(t),
    );
    expect(order).toEqual([...order].sort((x, y) => x - y));
    await ctx.prisma.activity.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        companyId: w.a.id,
        authorId: w.managerA.id,
        kind: 'NOTE' as const,
        summary: `Bulk note ${i}`,
        occurredAt: new Date(Date.now() - i * 60_000),
        customerId: w.customer.id,
      })),
    });
    const page2 = await s.get('/activities?page=2').expect(200);
    expect(page2.text).toContain('Showing 26–34 of 34');
    const csv = await s.get('/activities/export.csv?kind=CALL').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toContain('"when (Europe/Warsaw)"');
    expect(lines).toHaveLength(3); // header, Steve's call, the Warsaw call
  });
});

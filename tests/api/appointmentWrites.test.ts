// The API's appointment writes: create (201, Location, ETag) inviting the attendees by mail with a real iCalendar
// REQUEST (received by the test's SMTP server, read with ical.js), a move and attendee changes by PATCH (moved,
// invited and removed attendees told, as by the form), DELETE cancelling with a CANCEL file; each audited naming
// the token. Times: ISO 8601 with an offset in, UTC out. Refusals: invalid → 422 with every field's problem,
// another company's user as attendee → 422 "Unknown user", an overlap → 409 listing it until confirmed, a stale
// version → 409 and a stale If-Match → 412, a read-only token or a missing permission → 403, another company's
// appointment or one a staff user does not attend → 404; nothing written (database re-read).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { appointmentApiSchema } from '../../src/api/appointments.ts';
import { parseIcs } from '../calendar/ics.ts';
import { useTestContext } from '../helpers/context.ts';
import type { CapturedMail } from '../helpers/smtp.ts';
import { buildWorld, limitedStaff } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();
const call = (method: 'post' | 'patch' | 'delete', path: string, token: string) =>
  request(ctx.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
const counts = async () => [
  await ctx.prisma.appointment.count(),
  await ctx.prisma.appointmentAttendee.count(),
  await ctx.prisma.auditEntry.count(),
];
const attendeesOf = async (id: number) =>
  (await ctx.prisma.appointmentAttendee.findMany({ where: { appointmentId: id }, orderBy: { userId: 'asc' } })).map(
    (a) => a.userId,
  );

function inviteOf(mail: CapturedMail) {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) throw new Error(`no text/calendar part in "${mail.subject}"`);
  const ics = parseIcs(part.content);
  expect(ics.events).toHaveLength(1);
  return { method: ics.method, event: ics.events[0] };
}

describe('API appointment writes', () => {
  it('creates and invites with an .ics; a move, an added and a removed attendee are mailed', async () => {
    const w = await buildWorld(ctx);
    await ctx.prisma.user.update({ where: { id: w.staffA.id }, data: { timeZone: 'America/New_York' } });
    const token = await makeToken(await w.as(w.managerA), { name: 'Planner' });
    const res = await call('post', '/appointments', token)
      .send({
        title: 'Roadmap review',
        startsAt: '2030-01-14T09:00:00+01:00',
        endsAt: '2030-01-14T10:30+01:00',
        location: 'Room 7',
        attendeeIds: [w.staffA.id, w.managerA.id],
      })
      .expect(201);
    const row = await ctx.prisma.appointment.findFirstOrThrow({ where: { title: 'Roadmap review' } });
    expect(res.headers.location).toBe(`/api/v1/appointments/${row.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(row).toMatchObject({ companyId: w.a.id, organiserId: w.managerA.id, location: 'Room 7' });
    expect(row.startsAt.toISOString()).toBe('2030-01-14T08:00:00.000Z');
    expect(await attendeesOf(row.id)).toEqual([w.managerA.id, w.staffA.id].sort((x, y) => x - y));
    const body = appointmentApiSchema.parse(res.body);
    expect(body).toMatchObject({ startsAt: '2030-01-14T08:00:00.000Z', endsAt: '2030-01-14T09:30:00.000Z' });
    expect(body.attendees.map((a) => a.name)).toEqual([w.managerA.name, w.staffA.name]);

    const invited = await ctx.mail.latestTo(w.staffA.email);
    expect(invited.text).toContain('2030-01-14 03:00–04:30 (America/New_York)');
    expect(inviteOf(invited)).toMatchObject({
      method: 'REQUEST',
      event: { uid: `appointment-${row.id}@crm.test`, sequence: 0, start: '2030-01-14T08:00:00.000Z' },
    });
    // The organiser made the change: no mail to them, as on the pages.
    expect(ctx.mail.messages.filter((m) => m.to.includes(w.managerA.email))).toHaveLength(0);
    const tokenRow = await ctx.prisma.apiToken.findFirstOrThrow({ where: { name: 'Planner' } });
    const created = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Appointment', action: 'create' } });
    expect((created.changes as Record<string, unknown>).via).toBe(`API token "Planner" (#${tokenRow.id})`);

    // Moved an hour later, colleagueA added, staffA removed: each told as by the form.
    ctx.mail.clear();
    const moved = await call('patch', `/appointments/${row.id}`, token)
      .set('If-Match', '"1"')
      .send({ startsAt: '2030-01-14T09:00:00Z', endsAt: '2030-01-14T10:30:00Z', attendeeIds: [w.colleagueA.id] })
      .expect(200);
    expect(moved.headers.etag).toBe('"2"');
    expect(appointmentApiSchema.parse(moved.body)).toMatchObject({ startsAt: '2030-01-14T09:00:00.000Z', version: 2 });
    const saved = await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: row.id } });
    expect(saved).toMatchObject({ title: 'Roadmap review', location: 'Room 7', version: 2 });
    expect(await attendeesOf(row.id)).toEqual([w.colleagueA.id]);
    const toNew = inviteOf(await ctx.mail.latestTo(w.colleagueA.email));
    expect(toNew).toMatchObject({ method: 'REQUEST', event: { sequence: 1, start: '2030-01-14T09:00:00.000Z' } });
    const toRemoved = inviteOf(await ctx.mail.latestTo(w.staffA.email));
    expect(toRemoved).toMatchObject({ method: 'CANCEL', event: { start: '2030-01-14T08:00:00.000Z' } });
    const update = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Appointment', action: 'update' } });
    expect(Object.keys(update.changes as object).sort()).toEqual(['attendeeIds', 'endsAt', 'startsAt', 'via']);

    // The same values again: answered as saved, no new version, audit entry or mail.
    const again = await call('patch', `/appointments/${row.id}`, token).send({ startsAt: '2030-01-14T10:00+01:00' });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);

    // Deleted: the attendees get the cancellation.
    ctx.mail.clear();
    await call('delete', `/appointments/${row.id}`, token).expect(204);
    expect(await ctx.prisma.appointment.count({ where: { id: row.id } })).toBe(0);
    const cancel = await ctx.mail.latestTo(w.colleagueA.email);
    expect(inviteOf(cancel)).toMatchObject({ method: 'CANCEL', event: { sequence: 2 } });
    const deleted = await ctx.prisma.auditEntry.findFirstOrThrow({ where: { model: 'Appointment', action: 'delete' } });
    expect((deleted.changes as Record<string, unknown>).via).toBe(`API token "Planner" (#${tokenRow.id})`);
  });

  it('refuses invalid fields with each problem (422) and an attendee of another company, writing nothing', async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.managerA), { name: 'Importer' });
    const before = await counts();
    const bad = await call('post', '/appointments', token)
      .send({ title: 42, startsAt: '2030-01-14 09:00', endsAt: '2030-01-14T08:00:00Z', colour: 'red', location: 5 })
      .expect(422);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.body.errors).toEqual({
      title: 'Must be a string or null.',
      startsAt: expect.stringMatching(/ISO 8601/),
      colour: 'Unknown field.',
      location: 'Must be a string or null.',
    });
    const order = await call('post', '/appointments', token)
      .send({
        title: 'X',
        startsAt: '2030-01-14T09:00:00Z',
        endsAt: '2030-01-14T08:00:00Z',
        attendeeIds: [w.staffA.id],
      })
      .expect(422);
    expect(order.body.errors).toEqual({ endsAt: 'The end must be after the start.' });
    const seconds = await call('post', '/appointments', token)
      .send({ title: 'X', startsAt: '2030-01-14T09:00:30Z', endsAt: '2030-02-30T08:00:00Z', attendeeIds: ['1'] })
      .expect(422);
    expect(Object.keys(seconds.body.errors).sort()).toEqual(['attendeeIds', 'endsAt', 'startsAt']);
    const slot = { startsAt: '2030-01-14T09:00:00Z', endsAt: '2030-01-14T10:00:00Z' };
    for (const other of [w.staffB.id, w.su.id, 99_999_999]) {
      const foreign = await call('post', '/appointments', token)
        .send({ title: 'X', ...slot, attendeeIds: [w.staffA.id, other] })
        .expect(422);
      expect(foreign.body.errors).toEqual({ attendeeIds: expect.stringMatching(/^Unknown user/) });
    }
    const foreignCustomer = await ctx.make.customer(w.b.id, { name: 'Bravo customer' });
    const cust = await call('post', '/appointments', token)
      .send({ title: 'X', ...slot, attendeeIds: [w.staffA.id], customerId: foreignCustomer.id })
      .expect(422);
    expect(Object.keys(cust.body.errors)).toEqual(['customerId']);
    const none = await call('post', '/appointments', token)
      .send({ title: 'X', ...slot })
      .expect(422);
    expect(Object.keys(none.body.errors)).toEqual(['attendeeIds']);
    expect(await counts()).toEqual(before);
    expect(ctx.mail.messages).toHaveLength(0);
  });

  it('an overlap is a 409 listing it, saved once confirmed; staff see a colleague as busy only', async () => {
    const w = await buildWorld(ctx);
    const other = await ctx.make.appointment(w.a.id, [w.colleagueA.id], {
      title: 'Secret dentist',
      startsAt: new Date('2030-01-14T09:30:00Z'),
    });
    const token = await makeToken(await w.as(w.staffA), { name: 'Mine' });
    const body = {
      title: 'Sync',
      startsAt: '2030-01-14T09:00:00Z',
      endsAt: '2030-01-14T10:00:00Z',
      attendeeIds: [w.colleagueA.id],
    };
    const before = await counts();
    const res = await call('post', '/appointments', token).send(body).expect(409);
    expect(res.body.overlaps).toEqual([{ user: { id: w.colleagueA.id, name: w.colleagueA.name }, appointments: null }]);
    expect(res.text).not.toContain('Secret dentist');
    expect(await counts()).toEqual(before);
    await call('post', '/appointments', token)
      .send({ ...body, confirmOverlap: 'yes' })
      .expect(422);
    const saved = await call('post', '/appointments', token)
      .send({ ...body, confirmOverlap: true })
      .expect(201);
    // Staff always attend what they create.
    expect(await attendeesOf(saved.body.id)).toEqual([w.staffA.id, w.colleagueA.id].sort((x, y) => x - y));
    // The account manager sees the other appointment itself; moving onto it is a 409 too.
    const manager = await makeToken(await w.as(w.managerA), { name: 'Boss' });
    const later = await ctx.make.appointment(w.a.id, [w.colleagueA.id], { startsAt: new Date('2030-01-15T09:00Z') });
    const move = await call('patch', `/appointments/${later.id}`, manager)
      .send({ startsAt: '2030-01-14T09:15:00Z', endsAt: '2030-01-14T09:45:00Z' })
      .expect(409);
    expect(move.body.overlaps[0].appointments.map((a: { id: number }) => a.id).sort()).toEqual(
      [other.id, saved.body.id].sort(),
    );
    expect((await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: later.id } })).version).toBe(1);
  });

  it('a stale version is 409, a stale If-Match 412, or a list without the current ETag; nothing changes', async () => {
    const w = await buildWorld(ctx);
    const a = await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Old', version: 3 });
    const token = await makeToken(await w.as(w.staffA), { name: 'Sync' });
    const before = await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: a.id } });
    const stale = await call('patch', `/appointments/${a.id}`, token).send({ title: 'New', version: 2 }).expect(409);
    expect(stale.headers['content-type']).toMatch(/problem\+json/);
    await call('patch', `/appointments/${a.id}`, token).set('If-Match', '"2"').send({ title: 'New' }).expect(412);
    await call('patch', `/appointments/${a.id}`, token)
      .set('If-Match', '"1", W/"3"')
      .send({ title: 'New' })
      .expect(412);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: a.id } })).toEqual(before);
    await call('patch', `/appointments/${a.id}`, token).set('If-Match', '"3"').send({ title: 'New' }).expect(200);
    expect((await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: a.id } })).title).toBe('New');
    // "*" matches whatever version is saved now (RFC 9110 §13.1.1).
    await call('patch', `/appointments/${a.id}`, token).set('If-Match', '*').send({ title: 'Newer' }).expect(200);
    expect(await ctx.prisma.appointment.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({
      title: 'Newer',
      version: 5,
    });
  });

  it('403 for a read-only token or a missing permission, 404 out of scope; nothing written', async () => {
    const w = await buildWorld(ctx);
    const mine = await ctx.make.appointment(w.a.id, [w.staffA.id], { title: 'Mine' });
    const colleagues = await ctx.make.appointment(w.a.id, [w.colleagueA.id], { title: 'Theirs' });
    const bravo = await ctx.make.appointment(w.b.id, [w.staffB.id], { title: 'Bravo' });
    const reader = await makeToken(await w.as(w.managerA), { name: 'Reader', access: 'READ' });
    const viewer = await limitedStaff(ctx, w.a.id, ['appointment.view']);
    const limited = await makeToken(await w.as(viewer), { name: 'Limited' });
    const staff = await makeToken(await w.as(w.staffA), { name: 'Staff' });
    const manager = await makeToken(await w.as(w.managerA), { name: 'Manager' });
    const before = [await counts(), await ctx.prisma.appointment.findMany({ orderBy: { id: 'asc' } })];
    const slot = { title: 'New', startsAt: '2030-01-14T09:00:00Z', endsAt: '2030-01-14T10:00:00Z' };
    for (const t of [reader, limited]) {
      await call('post', '/appointments', t).send(slot).expect(403);
      await call('patch', `/appointments/${mine.id}`, t).send({ title: 'Changed' }).expect(403);
      await call('delete', `/appointments/${mine.id}`, t).expect(403);
    }
    for (const [t, id] of [
      [staff, colleagues.id],
      [staff, bravo.id],
      [manager, bravo.id],
    ] as const)
      await call('patch', `/appointments/${id}`, t).send({ title: 'Changed' }).expect(404);
    await call('delete', `/appointments/${bravo.id}`, manager).expect(404);
    // Staff may not delete appointments (no appointment.delete, as on the pages).
    await call('delete', `/appointments/${mine.id}`, staff).expect(403);
    expect([await counts(), await ctx.prisma.appointment.findMany({ orderBy: { id: 'asc' } })]).toEqual(before);
    expect(ctx.mail.messages).toHaveLength(0);
  });
});

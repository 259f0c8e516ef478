// Every write of the appointment domain, each with its audit entry in the same transaction, through
// the request's scoped client (req.db). Mail is enqueued in the transaction (the outbox
// callback; notify.ts builds it).
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { emitWebhookEvent } from '../webhook/events.ts';
import { presentWebhookAppointment } from '../webhook/present.ts';
import { changedFields, recordAudit, removedFields } from '../audit/record.ts';
import type { Outbox } from '../jobs/outbox.ts';
import { NotFound } from '../web/errors.ts';
import type { AppointmentFormData } from './schema.ts';
import type { IcsAppointment } from '../calendar/ics.ts';

export const AUDITED_FIELDS = [
  'title',
  'customerId',
  'leadId',
  'startsAt',
  'endsAt',
  'location',
  'notes',
  'attendeeIds',
];

/** What a write stores: the form's data, the lead optional (an appointment planned elsewhere may name none). */
export type AppointmentInput = Omit<AppointmentFormData, 'leadId'> & { leadId?: number | null };

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/** The columns the form sets, on create and on update alike. */
const formColumns = (d: AppointmentInput) => ({
  title: d.title,
  customerId: d.customerId,
  leadId: d.leadId ?? null,
  startsAt: d.startsAt!,
  endsAt: d.endsAt!,
  location: d.location,
  notes: d.notes,
});

/** Creates the appointment in `companyId`, organised by `user`, with its attendees. */
export function createAppointment(
  db: ScopedClient,
  user: CurrentUser,
  companyId: number,
  d: AppointmentInput,
  attendeeIds: number[],
  // The saved row, as its calendar file describes it (the people are added by the caller).
  outbox?: Outbox<Omit<IcsAppointment, 'organiser' | 'attendees'>>,
) {
  return db.$transaction(async (tx) => {
    const a = await tx.appointment.create({
      data: {
        companyId,
        ...formColumns(d),
        organiserId: user.id,
        attendees: { create: attendeeIds.map((userId) => ({ userId })) },
      },
    });
    await recordAudit(tx, user, {
      action: 'create',
      model: 'Appointment',
      recordId: a.id,
      companyId: a.companyId,
      changes: changedFields(null, { ...a, attendeeIds }, AUDITED_FIELDS),
    });
    await emitWebhookEvent(tx, a.companyId, 'appointment.created', () => presentWebhookAppointment(a, attendeeIds));
    await outbox?.(tx, a);
    return a;
  });
}

/**
 * Saves the form and the attendee list if `version` is still the saved one; null when someone else
 * saved first (409). Returns who was added and removed and whether the time moved, for the mail.
 */
export function updateAppointment(
  db: ScopedClient,
  user: CurrentUser,
  id: number,
  d: AppointmentFormData & { version: number },
  attendeeIds: number[],
  outbox?: Outbox<AppointmentChange>,
) {
  return db.$transaction(async (tx) => {
    const before = await tx.appointment.findUnique({
      where: { id },
      include: { attendees: { select: { userId: true } } },
    });
    if (!before) throw new NotFound();
    const after = formColumns(d);
    const { count } = await tx.appointment.updateMany({
      where: { id, version: d.version },
      data: { ...after, version: { increment: 1 } },
    });
    if (count === 0) return null;
    const oldIds = before.attendees.map((x) => x.userId);
    await tx.appointmentAttendee.deleteMany({ where: { appointmentId: id, userId: { notIn: attendeeIds } } });
    const added = attendeeIds.filter((u) => !oldIds.includes(u));
    if (added.length) {
      await tx.appointmentAttendee.createMany({
        data: added.map((userId) => ({ appointmentId: id, userId })),
        skipDuplicates: true,
      });
    }
    await recordAudit(tx, user, {
      action: 'update',
      model: 'Appointment',
      recordId: id,
      companyId: before.companyId,
      changes: changedFields(
        { ...before, attendeeIds: sorted(oldIds) },
        { ...after, attendeeIds: sorted(attendeeIds) },
        AUDITED_FIELDS,
      ),
    });
    const change: AppointmentChange = {
      oldIds,
      added,
      previous: { startsAt: before.startsAt, endsAt: before.endsAt },
      removed: oldIds.filter((u) => !attendeeIds.includes(u)),
      moved:
        after.startsAt.getTime() !== before.startsAt.getTime() || after.endsAt.getTime() !== before.endsAt.getTime(),
    };
    if (change.moved)
      await emitWebhookEvent(tx, before.companyId, 'appointment.moved', async () =>
        presentWebhookAppointment(await tx.appointment.findUniqueOrThrow({ where: { id } }), attendeeIds),
      );
    await outbox?.(tx, change);
    return change;
  });
}

/** Who was added and removed and whether the time moved, for the mail. */
export type AppointmentChange = {
  oldIds: number[];
  added: number[];
  previous: { startsAt: Date; endsAt: Date };
  removed: number[];
  moved: boolean;
};

/** Deletes (cancels) the appointment; `attendeeIds` are its attendees as loaded, for the audit entry. */
export function deleteAppointment(
  db: ScopedClient,
  user: CurrentUser,
  id: number,
  attendeeIds: number[],
  outbox?: Outbox,
) {
  return db.$transaction(async (tx) => {
    const before = await tx.appointment.findUnique({ where: { id } });
    if (!before) throw new NotFound();
    await tx.appointment.delete({ where: { id } });
    await recordAudit(tx, user, {
      action: 'delete',
      model: 'Appointment',
      recordId: id,
      companyId: before.companyId,
      changes: removedFields({ ...before, attendeeIds }, AUDITED_FIELDS),
    });
    await emitWebhookEvent(tx, before.companyId, 'appointment.cancelled', () =>
      presentWebhookAppointment(before, attendeeIds),
    );
    await outbox?.(tx);
  });
}

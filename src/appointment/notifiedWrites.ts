// The appointment writes as the pages and the API make them: the write of writes.ts (its change and audit entry)
// with the attendees' mail enqueued in the same transaction (notify.ts: invitations, moves, removals and
// cancellations, each with its calendar file), and the overlap check that comes first unless the user confirmed.
// Both the form (form.ts) and the API (src/api/appointmentWrites.ts) call these, so both send the same mail.
import type { Request } from 'express';
import type { ScopedClient, ScopedTx } from '../access/scope.ts';
import type { AppDeps } from '../deps.ts';
import { activeCompanyUsers } from '../user/options.ts';
import { notifyAttendees, type Recipient } from './notify.ts';
import { findOverlaps, type Overlap } from './overlap.ts';
import type { LoadedAppointment } from './queries.ts';
import type { AppointmentFormData } from './schema.ts';
import { createAppointment, deleteAppointment, updateAppointment } from './writes.ts';

/** What a create or an update stores: the checked form data (lead and customer from checkAppointmentReferences). */
export type CheckedAppointment = AppointmentFormData & { leadId: number | null; customerId: number | null };

const recipients = (s: ScopedClient | ScopedTx, ids: number[]): Promise<Recipient[]> =>
  ids.length
    ? s.user.findMany({
        where: { id: { in: ids } },
        select: { id: true, email: true, name: true, timeZone: true, role: true },
      })
    : Promise.resolve([]);

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

export function appointmentNotifiedWrites(deps: AppDeps) {
  /**
   * The attendees' other appointments during the slot: none checked on an update that neither moves the
   * appointment nor changes its attendees (as the form: a warning to confirm, never a refusal).
   */
  const overlapsToConfirm = async (
    req: Request,
    companyId: number,
    d: CheckedAppointment,
    attendeeIds: number[],
    saved?: LoadedAppointment,
  ): Promise<Overlap[]> => {
    if (saved) {
      const moved =
        d.startsAt!.getTime() !== saved.startsAt.getTime() || d.endsAt!.getTime() !== saved.endsAt.getTime();
      if (
        !moved &&
        sameSet(
          attendeeIds,
          saved.attendees.map((x) => x.user.id),
        )
      )
        return [];
    }
    const names = new Map((await activeCompanyUsers(req.db, companyId)).map((p) => [p.id, p.name]));
    for (const { user } of saved?.attendees ?? []) if (!names.has(user.id)) names.set(user.id, user.name);
    const slot = { companyId, startsAt: d.startsAt!, endsAt: d.endsAt!, attendeeIds, excludeId: saved?.id };
    return findOverlaps(deps, req.db, req.user!, slot, names);
  };

  /** Creates the appointment organised by the user and invites its attendees. */
  const create = (req: Request, companyId: number, d: CheckedAppointment, attendeeIds: number[]) => {
    const user = req.user!;
    return createAppointment(req.db, user, companyId, d, attendeeIds, async (tx, a) => {
      const invited = await recipients(tx, attendeeIds);
      await notifyAttendees(deps, req, tx, { ...a, organiser: user, attendees: invited }, { invited });
    });
  };

  /**
   * Saves if `d.version` is still the saved one (else null: 409); mails the invited, the moved and the removed.
   */
  const update = (
    req: Request,
    appt: LoadedAppointment,
    d: CheckedAppointment & { version: number },
    attendeeIds: number[],
  ) => {
    const user = req.user!;
    const id = appt.id;
    return updateAppointment(req.db, user, id, d, attendeeIds, async (tx, saved) => {
      const people = await recipients(tx, [...new Set([...attendeeIds, ...saved.removed])]);
      const pick = (ids: number[]) => people.filter((p) => ids.includes(p.id));
      await notifyAttendees(
        deps,
        req,
        tx,
        {
          id,
          title: d.title,
          startsAt: d.startsAt!,
          endsAt: d.endsAt!,
          location: d.location,
          notes: d.notes,
          // The saved version: the calendar files' SEQUENCE grows with it.
          version: d.version + 1,
          // An invitation needs an organiser (RFC 5546): when the organiser's account is gone, whoever changes it.
          organiser: appt.organiser ?? user,
          attendees: pick(attendeeIds),
        },
        {
          invited: pick(saved.added),
          moved: saved.moved ? pick(attendeeIds.filter((u) => saved.oldIds.includes(u))) : [],
          // Removed attendees are told the time they no longer need to keep free.
          removed: pick(saved.removed),
          previous: saved.previous,
        },
      );
    });
  };

  /** Deletes (cancels) the appointment and mails its attendees the cancellation. */
  const cancel = (req: Request, appt: LoadedAppointment) => {
    const user = req.user!;
    const attendees = appt.attendees.map((x) => x.user);
    const cancelled = { ...appt, version: appt.version + 1, organiser: appt.organiser ?? user, attendees };
    return deleteAppointment(
      req.db,
      user,
      appt.id,
      attendees.map((a) => a.id),
      // The cancellation is one more change: its SEQUENCE is above the last invitation's.
      (tx) => notifyAttendees(deps, req, tx, cancelled, { cancelled: attendees }),
    );
  };

  return { overlapsToConfirm, create, update, cancel };
}

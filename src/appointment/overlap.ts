// Overlap warnings for the appointment form (SPEC section 5: "overlapping appointments of an
// attendee are shown as a warning"). A warning, never a refusal: the user may save anyway.
import { seesOthersRows } from '../access/policy.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { unscoped } from '../db/client.ts';
import type { AppDeps } from '../deps.ts';

export type Overlap = {
  userId: number;
  name: string;
  /** The other appointments, when the user may see them; null: "busy", without details. */
  appointments: { id: number; title: string; startsAt: Date; endsAt: Date }[] | null;
};

export async function findOverlaps(
  deps: AppDeps,
  scoped: ScopedClient,
  user: CurrentUser,
  slot: { companyId: number; startsAt: Date; endsAt: Date; attendeeIds: number[]; excludeId?: number },
  names: Map<number, string>,
): Promise<Overlap[]> {
  if (slot.attendeeIds.length === 0) return [];
  const during = {
    companyId: slot.companyId,
    startsAt: { lt: slot.endsAt },
    endsAt: { gt: slot.startsAt },
    ...(slot.excludeId ? { id: { not: slot.excludeId } } : {}),
  };
  // What the user may see, with titles: all of the company for account managers, their own for staff.
  const visible = await scoped.appointment.findMany({
    where: { ...during, attendees: { some: { userId: { in: slot.attendeeIds } } } },
    select: {
      id: true,
      title: true,
      startsAt: true,
      endsAt: true,
      attendees: { where: { userId: { in: slot.attendeeIds } }, select: { userId: true } },
    },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: 50,
  });
  const byUser = new Map<number, Overlap>();
  for (const a of visible) {
    for (const { userId } of a.attendees) {
      const o = byUser.get(userId) ?? { userId, name: names.get(userId) ?? 'An attendee', appointments: [] };
      o.appointments!.push({ id: a.id, title: a.title, startsAt: a.startsAt, endsAt: a.endsAt });
      byUser.set(userId, o);
    }
  }
  if (!seesOthersRows(user)) {
    // Staff cannot see appointments they do not attend, yet a colleague's other appointment is
    // exactly what they must be warned about. This one query goes through the unscoped client:
    // it is limited to the user's own company and the attendees they chose, and it returns only
    // user ids — never a title, time or any other detail of an appointment outside their scope.
    const busy = await unscoped(deps.db, 'appointment overlap').appointmentAttendee.findMany({
      where: { userId: { in: slot.attendeeIds }, appointment: { ...during, companyId: user.companyId! } },
      select: { userId: true },
      distinct: ['userId'],
    });
    for (const { userId } of busy) {
      if (!byUser.has(userId))
        byUser.set(userId, { userId, name: names.get(userId) ?? 'An attendee', appointments: null });
    }
  }
  return [...byUser.values()].sort((x, y) => x.name.localeCompare(y.name));
}

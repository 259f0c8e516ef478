// The appointment domain's data access, always through the scoped client (src/access/scope.ts).
import { attendsOwnAppointments, seesOthersRows, spansCompanies } from '../access/policy.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { pickerState, type PickerState } from '../picker/queries.ts';
import { activeCompanyUsers, type UserOption } from '../user/options.ts';
import type { FieldErrors } from '../web/forms.ts';
import type { ListQuery } from '../web/list.ts';
import type { appointmentListSpec, AppointmentFormData } from './schema.ts';

type AppointmentListQuery = ListQuery<
  (typeof appointmentListSpec.sorts)[number],
  keyof typeof appointmentListSpec.filters
>;

/** "upcoming" unless the query says otherwise: an appointment is upcoming until it has ended. */
export const whenOf = (query: AppointmentListQuery) => query.filters.when ?? 'upcoming';

export function appointmentListWhere(user: CurrentUser, query: AppointmentListQuery, now: Date) {
  const f = query.filters;
  const and: Record<string, unknown>[] = [];
  if (spansCompanies(user) && f.companyId) and.push({ companyId: Number(f.companyId) });
  const when = whenOf(query);
  if (when === 'upcoming') and.push({ endsAt: { gte: now } });
  if (when === 'past') and.push({ endsAt: { lt: now } });
  if (f.attendeeId && seesOthersRows(user)) and.push({ attendees: { some: { userId: Number(f.attendeeId) } } });
  if (query.q) {
    const contains = { contains: query.q, mode: 'insensitive' };
    and.push({
      OR: [{ title: contains }, { location: contains }, { notes: contains }, { customer: { is: { name: contains } } }],
    });
  }
  return { AND: and };
}

export function appointmentOrderBy(query: AppointmentListQuery) {
  const dir = query.dir;
  switch (query.sort) {
    case 'title':
      return [{ title: dir }, { id: dir }];
    case 'created':
      return [{ createdAt: dir }, { id: dir }];
    default:
      return [{ startsAt: dir }, { id: dir }];
  }
}

/** What a list row, a week cell and a CSV line show; relations by select (a fixed number of queries). */
export const appointmentListSelect = {
  id: true,
  title: true,
  startsAt: true,
  endsAt: true,
  location: true,
  createdAt: true,
  companyId: true,
  customer: { select: { id: true, name: true } },
  company: { select: { name: true } },
  organiser: { select: { name: true } },
  attendees: { select: { user: { select: { id: true, name: true } } }, orderBy: { user: { name: 'asc' as const } } },
} as const;

export function findAppointment(scoped: ScopedClient, id: number) {
  return scoped.appointment.findUnique({
    where: { id },
    include: {
      customer: { select: { id: true, name: true } },
      company: { select: { id: true, name: true } },
      organiser: { select: { id: true, name: true } },
      attendees: {
        select: { user: { select: { id: true, name: true, email: true, active: true, timeZone: true } } },
        orderBy: { user: { name: 'asc' } },
      },
    },
  });
}
export type LoadedAppointment = NonNullable<Awaited<ReturnType<typeof findAppointment>>>;

export type AppointmentFormOptions = { people: (UserOption & { active?: boolean })[]; customers: PickerState };

/**
 * Attendee checkboxes (the company's active users, plus current attendees since deactivated) and the
 * customer picker (the chosen customer and at most 20 matches of the posted search).
 */
export async function appointmentFormOptions(
  scoped: ScopedClient,
  companyId: number,
  keep: { attendees?: LoadedAppointment['attendees']; customerId?: unknown; body?: unknown } = {},
): Promise<AppointmentFormOptions> {
  const [people, customers] = await Promise.all([
    activeCompanyUsers(scoped, companyId),
    pickerState(scoped, 'customers', companyId, { field: 'customerId', body: keep.body, chosen: keep.customerId }),
  ]);
  const result: AppointmentFormOptions = { people, customers };
  for (const { user } of keep.attendees ?? []) {
    if (!people.some((p) => p.id === user.id)) result.people.push({ id: user.id, name: user.name, active: false });
  }
  return result;
}

/**
 * Checks the attendees and customer a form names against the rows in scope; returns field errors
 * and the attendee ids to store. Staff always attend what they create or edit (their scope is
 * "the appointments they attend"). Current attendees since deactivated may stay.
 */
export async function checkAppointmentReferences(
  scoped: ScopedClient,
  user: CurrentUser,
  companyId: number,
  data: AppointmentFormData,
  existing?: { attendeeIds: number[]; customerId: number | null },
): Promise<{ errors: FieldErrors; attendeeIds: number[] }> {
  const errors: FieldErrors = {};
  const ids = new Set(data.attendeeIds);
  if (attendsOwnAppointments(user)) ids.add(user.id);
  const attendeeIds = [...ids];
  if (attendeeIds.length === 0) errors.attendeeIds = 'Choose at least one attendee.';
  const toCheck = attendeeIds.filter((id) => !existing?.attendeeIds.includes(id));
  if (toCheck.length) {
    const n = await scoped.user.count({
      where: { id: { in: toCheck }, companyId, active: true, role: { not: 'SUPERUSER' } },
    });
    if (n !== toCheck.length) errors.attendeeIds = 'Choose attendees among the active users of this company.';
  }
  if (data.customerId !== null && data.customerId !== existing?.customerId) {
    const n = await scoped.customer.count({ where: { id: data.customerId, companyId } });
    if (n !== 1) errors.customerId = 'Choose a customer of this company.';
  }
  return { errors, attendeeIds };
}

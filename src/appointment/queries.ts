// The appointment domain's data access, always through the scoped client (src/access/scope.ts).
import { attendsOwnAppointments, can, seesOthersRows, spansCompanies } from '../access/policy.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { pickerState, type PickerState } from '../picker/queries.ts';
import { checkLead, keepHiddenLead } from '../web/followUp.ts';
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
  // Joined, so not scoped: shown only when seesLead() says the user may see it.
  lead: { select: { id: true, title: true, assigneeId: true } },
  company: { select: { name: true } },
  organiser: { select: { name: true } },
  attendees: { select: { user: { select: { id: true, name: true } } }, orderBy: { user: { name: 'asc' as const } } },
} as const;

export function findAppointment(scoped: ScopedClient, id: number) {
  return scoped.appointment.findUnique({
    where: { id },
    include: {
      customer: { select: { id: true, name: true } },
      // Joined, so not scoped: shown only when seesLead() says the user may see it.
      lead: { select: { id: true, title: true, assigneeId: true } },
      company: { select: { id: true, name: true } },
      // The email is for the organiser of the calendar files (src/calendar/ics.ts); pages show the name only.
      organiser: { select: { id: true, name: true, email: true, companyId: true } },
      attendees: {
        select: { user: { select: { id: true, name: true, email: true, active: true, timeZone: true, role: true } } },
        orderBy: { user: { name: 'asc' } },
      },
    },
  });
}
export type LoadedAppointment = NonNullable<Awaited<ReturnType<typeof findAppointment>>>;

/** `leads`: null when the user may not see leads (no lead.view): the form has no lead field then. */
export type AppointmentFormOptions = {
  people: (UserOption & { active?: boolean })[];
  customers: PickerState;
  leads: PickerState | null;
};

/**
 * Attendee checkboxes (the company's active users, plus current attendees since deactivated) and the
 * customer and lead pickers (the chosen row and at most 20 matches of the posted search). `savedLeadId`: the
 * appointment's saved lead, kept as a choice (without its title) when the user may not see it.
 */
export async function appointmentFormOptions(
  scoped: ScopedClient,
  user: CurrentUser,
  companyId: number,
  keep: {
    attendees?: LoadedAppointment['attendees'];
    customerId?: unknown;
    leadId?: unknown;
    savedLeadId?: number | null;
    body?: unknown;
  } = {},
): Promise<AppointmentFormOptions> {
  const leadField = { field: 'leadId', body: keep.body, chosen: keep.leadId };
  const [people, customers, leads] = await Promise.all([
    activeCompanyUsers(scoped, companyId),
    pickerState(scoped, 'customers', companyId, { field: 'customerId', body: keep.body, chosen: keep.customerId }),
    can(user, 'lead.view') ? pickerState(scoped, 'leads', companyId, leadField) : Promise.resolve(null),
  ]);
  keepHiddenLead(leads, keep.savedLeadId, keep.leadId);
  const result: AppointmentFormOptions = { people, customers, leads };
  for (const { user } of keep.attendees ?? []) {
    if (!people.some((p) => p.id === user.id)) result.people.push({ id: user.id, name: user.name, active: false });
  }
  return result;
}

/** An attendee who is not an active user of the company: the same words for another company's and for none. */
export const ATTENDEES_NOT_IN_COMPANY = 'Choose attendees among the active users of this company.';

/**
 * Checks the attendees, customer and lead a form names against the rows in scope; returns field errors
 * and the attendee ids, lead and customer to store. Staff always attend what they create or edit (their scope is
 * "the appointments they attend"). Current attendees since deactivated may stay.
 */
export async function checkAppointmentReferences(
  scoped: ScopedClient,
  user: CurrentUser,
  companyId: number,
  data: AppointmentFormData,
  existing?: { attendeeIds: number[]; customerId: number | null; leadId: number | null },
): Promise<{ errors: FieldErrors; attendeeIds: number[]; leadId: number | null; customerId: number | null }> {
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
    if (n !== toCheck.length) errors.attendeeIds = ATTENDEES_NOT_IN_COMPANY;
  }
  if (data.customerId !== null && data.customerId !== existing?.customerId) {
    const n = await scoped.customer.count({ where: { id: data.customerId, companyId } });
    if (n !== 1) errors.customerId = 'Choose a customer of this company.';
  }
  const link = await checkLead(scoped, user, companyId, data, existing);
  if (link.error) errors.leadId = link.error;
  return { errors, attendeeIds, leadId: link.leadId, customerId: link.customerId };
}

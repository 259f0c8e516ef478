// The API's appointments: the list (the page's "upcoming / past / all", attendee filter, search and sorts,
// src/appointment/queries.ts) and one appointment with its attendees, through the request's scoped client: staff
// get the appointments they attend, as on the pages. Times answer in UTC. Its writes: src/api/appointmentWrites.ts.
import type { RequestHandler } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import { appointmentListWhere, appointmentOrderBy } from '../appointment/queries.ts';
import { appointmentListSpecFor } from '../appointment/schema.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { load } from '../loaders.ts';
import { shownLead } from '../web/followUp.ts';
import { z } from 'zod';
import { refSchema, timeSchema } from './doc.ts';
import { apiPage, apiWindow, parseApiListQuery } from './list.ts';

export const APPOINTMENT_API_SELECT = {
  id: true,
  companyId: true,
  title: true,
  startsAt: true,
  endsAt: true,
  location: true,
  notes: true,
  customer: { select: { id: true, name: true } },
  // Joined, so not scoped: named only when the user may see it (shownLead).
  lead: { select: { id: true, title: true, assigneeId: true } },
  organiser: { select: { id: true, name: true } },
  attendees: {
    select: { user: { select: { id: true, name: true, active: true } } },
    orderBy: { user: { name: 'asc' as const } },
  },
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** An appointment as the API reads it (the loader's fuller row has every field of it too). */
type ApiAppointment = Prisma.AppointmentGetPayload<{ select: typeof APPOINTMENT_API_SELECT }>;

/** An appointment as the API answers it (the OpenAPI document's schema; the tests validate every answer with it). */
export const appointmentApiSchema = z.object({
  id: z.int(),
  companyId: z.int(),
  title: z.string(),
  startsAt: timeSchema,
  endsAt: timeSchema,
  location: z.string(),
  notes: z.string(),
  customer: refSchema.nullable(),
  lead: z
    .object({ id: z.int(), title: z.string().nullable() })
    .nullable()
    .describe("The lead; its title is null when you may not see it (a colleague's lead, for staff)."),
  organiser: refSchema.nullable().describe('Who created it; null once their account is gone.'),
  attendees: z
    .array(z.object({ id: z.int(), name: z.string(), active: z.boolean() }))
    .describe('By name. The appointment has no per-attendee answer (accepted or declined): none is stored.'),
  version: z.int(),
  createdAt: timeSchema,
  updatedAt: timeSchema,
});

export function presentAppointment(user: CurrentUser, a: ApiAppointment): z.infer<typeof appointmentApiSchema> {
  return {
    id: a.id,
    companyId: a.companyId,
    title: a.title,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    location: a.location,
    notes: a.notes,
    customer: a.customer ? { id: a.customer.id, name: a.customer.name } : null,
    lead: a.lead ? { id: a.lead.id, title: shownLead(user, a.lead)?.title ?? null } : null,
    organiser: a.organiser ? { id: a.organiser.id, name: a.organiser.name } : null,
    attendees: a.attendees.map(({ user: u }) => ({ id: u.id, name: u.name, active: u.active })),
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/**
 * GET /api/v1/appointments — `when` (upcoming (default: not yet ended), past (newest first unless `dir`), all),
 * `attendeeId` (not staff; superusers: `companyId`), `q`, `sort` (start, title, created), `dir`, paging.
 */
export const listAppointments: RequestHandler = async (req, res) => {
  const user = req.user!;
  const query = parseApiListQuery(req, appointmentListSpecFor(req.query.when));
  const rows = await req.db.appointment.findMany({
    where: appointmentListWhere(user, query, new Date()),
    select: APPOINTMENT_API_SELECT,
    orderBy: appointmentOrderBy(query),
    ...apiWindow(query),
  });
  res.json(
    apiPage(
      query,
      rows.map((r) => presentAppointment(user, r)),
    ),
  );
};

/** GET /api/v1/appointments/:id — its version is the ETag. */
export const showAppointment: RequestHandler = (req, res) => {
  const a = load.appointment.of(req);
  res.set('ETag', `"${a.version}"`).json(presentAppointment(req.user!, a));
};

// Appointment forms and the list's query string (SPEC section 5: title, customer, lead, start and end
// (end after start), location, notes, attendees, organiser). Times are typed in the user's zone.
import { z } from 'zod';
import { field, localDateTime } from '../fields/kinds.ts';
import type { ListSpec } from '../web/list.ts';
import { APPOINTMENT_FIELDS } from './fields.ts';

export const WHEN_CHOICES = ['upcoming', 'past', 'all'] as const;
export const WHEN_LABELS: Record<(typeof WHEN_CHOICES)[number], string> = {
  upcoming: 'Upcoming',
  past: 'Past',
  all: 'All',
};

export const appointmentListSpec: ListSpec<'start' | 'title' | 'created', 'when' | 'attendeeId' | 'companyId'> = {
  sorts: ['start', 'title', 'created'],
  defaultSort: 'start',
  defaultDir: 'asc',
  filters: { when: WHEN_CHOICES, attendeeId: 'id', companyId: 'id' },
};

/** The list's spec for a request: past appointments read newest first unless the user chose a direction. */
export const appointmentListSpecFor = (when: unknown): typeof appointmentListSpec =>
  when === 'past' ? { ...appointmentListSpec, defaultDir: 'desc' } : appointmentListSpec;

/** Checkbox lists arrive as one string or an array of strings. */
const idList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(
      z.string({ error: 'Choose attendees from the list.' }).regex(/^\d{1,9}$/, 'Choose attendees from the list.'),
      { error: 'Choose attendees from the list.' },
    )
    .max(100, 'Choose at most 100 attendees.')
    .transform((ids) => [...new Set(ids.map(Number))]),
);

/** The descriptor's schema of a field (src/appointment/fields.ts: each field declared once). */
const declared = <N extends (typeof APPOINTMENT_FIELDS)[number]['name']>(name: N) =>
  APPOINTMENT_FIELDS.find((f) => f.name === name)!.schema as Extract<
    (typeof APPOINTMENT_FIELDS)[number],
    { name: N }
  >['schema'];

/** The form's schema: the declared fields, with the times read in the user's zone (the API's: UTC). */
export function appointmentForm(timeZone: string) {
  return z
    .object({
      title: declared('title'),
      customerId: declared('customerId'),
      leadId: declared('leadId'),
      companyId: field.optionalId('company'),
      startsAt: localDateTime(timeZone, true, 'start'),
      endsAt: localDateTime(timeZone, true, 'end'),
      location: declared('location'),
      notes: declared('notes'),
      attendeeIds: idList,
    })
    .superRefine((d, ctx) => {
      if (d.startsAt && d.endsAt && d.endsAt <= d.startsAt)
        ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'The end must be after the start.' });
      if (d.startsAt && d.endsAt && d.endsAt.getTime() - d.startsAt.getTime() > 31 * 24 * 3600_000) {
        ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'An appointment can last at most 31 days.' });
      }
    });
}

export function appointmentUpdateForm(timeZone: string) {
  return appointmentForm(timeZone).and(z.object({ version: field.version() }));
}

export type AppointmentFormData = z.output<ReturnType<typeof appointmentForm>>;

export type AppointmentValues = {
  title: string;
  customerId: string;
  leadId: string;
  companyId: string;
  startsAt: string;
  endsAt: string;
  location: string;
  notes: string;
  attendeeIds: string[];
  version: string;
  /** The lead's or customer's page the form was opened from, to go back to after saving ('' for none). */
  returnTo: string;
};

/** What the user typed, to put back into a re-rendered form. */
export function typedAppointmentValues(body: unknown): AppointmentValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const ids = Array.isArray(b.attendeeIds) ? b.attendeeIds : [b.attendeeIds];
  return {
    title: s('title'),
    customerId: s('customerId'),
    leadId: s('leadId'),
    companyId: s('companyId'),
    startsAt: s('startsAt'),
    endsAt: s('endsAt'),
    location: s('location'),
    notes: s('notes'),
    attendeeIds: ids.filter((v): v is string => typeof v === 'string'),
    version: s('version'),
    returnTo: s('returnTo'),
  };
}

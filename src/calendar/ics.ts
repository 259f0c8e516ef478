// iCalendar (RFC 5545) files of appointments and tasks, and the scheduling methods of RFC 5546: REQUEST for an
// invitation or a move, CANCEL for a cancellation or a removed attendee, PUBLISH for a download or the feed.
// Times are UTC instants (DTSTART:…Z): exact in every calendar and needing no VTIMEZONE block; each calendar app
// shows them in its user's own zone. The UID is stable per record and the SEQUENCE is the record's version − 1
// (the version grows with every change), so a calendar replaces what it holds instead of adding a copy.
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  type ICalCalendar,
  type ICalEventData,
  ICalEventStatus,
  ICalEventTransparency,
} from 'ical-generator';

export type Person = { name: string; email: string };

/** What an appointment's calendar entry says. */
export type IcsAppointment = {
  id: number;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  notes: string;
  version: number;
  updatedAt?: Date;
  /** null: no one to name (the organiser's account is gone, or the reader may not see a colleague's address). */
  organiser: (Person & { companyId?: number | null }) | null;
  attendees: Person[];
};

export type IcsTask = { id: number; title: string; description: string; dueAt: Date; version: number; done: boolean };

export type IcsMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

/** `appointment-12@crm.example.com`: the same in every file about the record, so calendars update it in place. */
export const uidOf = (kind: 'appointment' | 'task', id: number, appUrl: string) =>
  `${kind}-${id}@${new URL(appUrl).hostname}`;

/** A task is shown as a short event at its due time: calendar apps show events, few show to-dos (VTODO). */
const TASK_MINUTES = 30;

const prodId = { company: 'CRM', product: 'CRM', language: 'EN' };

function calendar(method: IcsMethod, name?: string): ICalCalendar {
  return ical({ prodId, method: ICalCalendarMethod[method], ...(name ? { name } : {}) });
}

/**
 * A name as a CN parameter: RFC 5545 parameter values cannot hold a double quote or a control character (ical-generator
 * would write `\"`, which strict parsers refuse), so those become an apostrophe and a space.
 */
const cn = (name: string) => name.replace(/"/g, "'").replace(/[\u0000-\u001f\u007f]+/g, ' ');

/** The notes, then the link to the appointment's page (built from APP_URL). */
const descriptionOf = (notes: string, url: string) => (notes.trim() ? `${notes.trim()}\n\n${url}` : url);

function appointmentEvent(
  a: IcsAppointment,
  appUrl: string,
  opts: { method: IcsMethod; attendees: Person[] },
): ICalEventData {
  const url = `${appUrl}/appointments/${a.id}`;
  const cancelled = opts.method === 'CANCEL';
  return {
    id: uidOf('appointment', a.id, appUrl),
    sequence: Math.max(0, a.version - 1),
    start: a.startsAt,
    end: a.endsAt,
    summary: a.title,
    location: a.location || null,
    description: descriptionOf(a.notes, url),
    url,
    lastModified: a.updatedAt ?? null,
    organizer: a.organiser ? { name: cn(a.organiser.name), email: a.organiser.email } : null,
    attendees: opts.attendees.map((p) => ({
      name: cn(p.name),
      email: p.email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: !cancelled,
    })),
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
}

/**
 * The invitation file of an appointment for a mail: REQUEST (invited, moved) with every attendee, or CANCEL with
 * every attendee (cancelled: STATUS:CANCELLED) or with only the removed one (`removed`).
 */
export function appointmentInvite(
  a: IcsAppointment,
  appUrl: string,
  method: 'REQUEST' | 'CANCEL',
  removed?: Person,
  /**
   * For a recipient who may not see colleagues' emails (staff, SPEC section 3): the file names them alone as
   * attendee, and the organiser by name with the app's own sender address instead of theirs.
   */
  privateTo?: { recipient: Person; senderAddress: string },
): string {
  const cal = calendar(method);
  const attendees = removed ? [removed] : privateTo ? [privateTo.recipient] : a.attendees;
  const organiser =
    privateTo && a.organiser && a.organiser.email !== privateTo.recipient.email
      ? { name: a.organiser.name, email: privateTo.senderAddress }
      : a.organiser;
  const event = appointmentEvent({ ...a, organiser }, appUrl, { method, attendees });
  // A CANCEL naming some attendees only removes them; STATUS:CANCELLED would cancel the whole event (RFC 5546 3.2.5).
  if (removed) event.status = null;
  cal.createEvent(event);
  return cal.toString();
}

/** The "Add to calendar" file: PUBLISH, which names no attendees (RFC 5546 3.2.1). */
export function appointmentDownload(a: IcsAppointment, appUrl: string): string {
  const cal = calendar('PUBLISH');
  cal.createEvent(appointmentEvent(a, appUrl, { method: 'PUBLISH', attendees: [] }));
  return cal.toString();
}

function taskEvent(t: IcsTask, appUrl: string): ICalEventData {
  const url = `${appUrl}/tasks/${t.id}`;
  return {
    id: uidOf('task', t.id, appUrl),
    sequence: Math.max(0, t.version - 1),
    start: t.dueAt,
    end: new Date(t.dueAt.getTime() + TASK_MINUTES * 60_000),
    summary: `${t.done ? 'Done' : 'Task'}: ${t.title}`,
    description: descriptionOf(t.description, url),
    url,
    // A due time is not a meeting: it does not make the user busy.
    transparency: ICalEventTransparency.TRANSPARENT,
    status: ICalEventStatus.CONFIRMED,
  };
}

/** A user's subscription feed: their appointments and their tasks' due times. */
export function feedCalendar(owner: string, appointments: IcsAppointment[], tasks: IcsTask[], appUrl: string): string {
  const cal = calendar('PUBLISH', `CRM — ${owner}`);
  // Apps that honour it (Outlook, Apple) refresh hourly; Google decides for itself.
  cal.ttl(3600);
  for (const a of appointments) cal.createEvent(appointmentEvent(a, appUrl, { method: 'PUBLISH', attendees: [] }));
  for (const t of tasks) cal.createEvent(taskEvent(t, appUrl));
  return cal.toString();
}

// Reading the calendar files the app produced with a real iCalendar parser (ical.js, Mozilla's): what a calendar
// app would take from them.
import ICAL from 'ical.js';

export type ParsedAttendee = { email: string; name: string; partstat: string; rsvp: string };
export type ParsedEvent = {
  uid: string;
  sequence: number;
  start: string;
  end: string;
  summary: string;
  location: string | null;
  description: string | null;
  status: string | null;
  organizer: string | null;
  organizerName: string | null;
  attendees: ParsedAttendee[];
};

const mail = (v: unknown) => String(v).replace(/^mailto:/i, '');

export function parseIcs(content: string): { method: string | null; name: string | null; events: ParsedEvent[] } {
  const cal = new ICAL.Component(ICAL.parse(content));
  const events = cal.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    const organizer = c.getFirstProperty('organizer');
    return {
      uid: e.uid,
      sequence: e.sequence,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      summary: e.summary,
      location: (c.getFirstPropertyValue('location') as string | null) ?? null,
      description: (c.getFirstPropertyValue('description') as string | null) ?? null,
      status: (c.getFirstPropertyValue('status') as string | null) ?? null,
      organizer: organizer ? mail(organizer.getFirstValue()) : null,
      organizerName: (organizer?.getParameter('cn') as string | undefined) ?? null,
      attendees: e.attendees.map((a) => ({
        email: mail(a.getFirstValue()),
        name: String(a.getParameter('cn')),
        partstat: String(a.getParameter('partstat')),
        rsvp: String(a.getParameter('rsvp')),
      })),
    };
  });
  return {
    method: (cal.getFirstPropertyValue('method') as string | null) ?? null,
    name: (cal.getFirstPropertyValue('x-wr-calname') as string | null) ?? null,
    events,
  };
}

// Helpers of the appointment tests: the same people as the task tests, and an appointment form.
export { taskWorld as appointmentWorld, fieldValue } from '../task/world.ts';

/** A complete appointment form; override what the test is about. */
export function apptForm(o: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return { title: 'Kick-off', customerId: '', startsAt: '2030-01-14T09:00', endsAt: '2030-01-14T10:00', location: 'Room 1', notes: '', attendeeIds: [], ...o };
}

/** The checked attendee checkboxes of a rendered form. */
export function checkedAttendees(html: string): string[] {
  return [...html.matchAll(/<input[^>]*name="attendeeIds" value="(\d+)"([^>]*)>/g)].filter((m) => m[2].includes('checked')).map((m) => m[1]);
}

/** Appointment titles in the order the list shows them. */
export function listTitles(html: string): string[] {
  return [...html.matchAll(/<td><a href="\/appointments\/\d+">([^<]*)<\/a><\/td>/g)].map((m) => m[1]);
}

/** The titles shown in one day of the week view. */
export function dayTitles(html: string, date: string): string[] {
  const cell = new RegExp(`<td[^>]*data-date="${date}">([\\s\\S]*?)</td>`).exec(html);
  if (!cell) throw new Error(`no cell for ${date}`);
  return [...cell[1].matchAll(/<a href="\/appointments\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]);
}

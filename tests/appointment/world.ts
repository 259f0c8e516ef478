// Helpers of the appointment tests: the task tests' cast, an appointment form, and what the list,
// the week view and the form show (read with tests/helpers/html.ts).
import { checkedValues, first, recordTitles } from '../helpers/html.ts';

export { taskWorld as appointmentWorld } from '../task/world.ts';

/** A complete appointment form; override what the test is about. */
export function apptForm(o: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    title: 'Kick-off',
    customerId: '',
    startsAt: '2030-01-14T09:00',
    endsAt: '2030-01-14T10:00',
    location: 'Room 1',
    notes: '',
    attendeeIds: [],
    ...o,
  };
}

/** The checked attendee checkboxes of a rendered form. */
export const checkedAttendees = (html: string): string[] => checkedValues(html, 'attendeeIds');

/** Appointment titles in the order the list shows them. */
export const listTitles = (html: string): string[] => recordTitles(html, '/appointments');

/** The titles shown in one day of the week view. */
export function dayTitles(html: string, date: string): string[] {
  const cell = first(html, `td[data-date="${date}"]`);
  if (!cell) throw new Error(`no cell for ${date}`);
  return recordTitles(cell, '/appointments', '*');
}

// The appointment domain's routes (SPEC section 6). Fixed paths (new, week, month, export.csv) come before
// /appointments/:id. "Add to calendar" (/appointments/:id/calendar.ics) is built by the calendar domain
// (src/calendar/handlers.ts).
import { history } from '../audit/history.ts';
import { calendarHandlers } from '../calendar/handlers.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { appointmentFormHandlers } from './form.ts';
import { appointmentHandlers } from './handlers.ts';
import { appointmentMonthHandler } from './month.ts';
import { appointmentWeekHandler } from './week.ts';

export function appointmentRoutes(deps: AppDeps): RouteDef[] {
  const h = appointmentHandlers(deps);
  const f = appointmentFormHandlers(deps);
  const calendar = calendarHandlers(deps);
  return [
    route('get', '/appointments', 'appointment.view', h.list),
    route('get', '/appointments/week', 'appointment.view', appointmentWeekHandler(deps)),
    route('get', '/appointments/month', 'appointment.view', appointmentMonthHandler(deps)),
    route('get', '/appointments/export.csv', 'appointment.view', h.exportCsv),
    route('get', '/appointments/new', 'appointment.add', f.newForm),
    route('post', '/appointments', 'appointment.add', f.create),
    route('get', '/appointments/:id', 'appointment.view', load.appointment, history('Appointment'), h.show),
    route('get', '/appointments/:id/calendar.ics', 'appointment.view', load.appointment, calendar.download),
    route('get', '/appointments/:id/edit', 'appointment.change', load.appointment, f.edit),
    route('post', '/appointments/:id', 'appointment.change', load.appointment, f.update),
    route('get', '/appointments/:id/delete', 'appointment.delete', load.appointment, f.confirmDelete),
    route('post', '/appointments/:id/delete', 'appointment.delete', load.appointment, f.remove),
  ];
}

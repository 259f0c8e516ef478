// The calendar's routes: the public feed (the token in its path is the key; no session), and the profile's
// feed buttons. An appointment's download is on the appointment's own route list (src/appointment/router.ts).
import type { AppDeps } from '../deps.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { calendarFeedHandler } from './feed.ts';
import { calendarHandlers } from './handlers.ts';

export function calendarRoutes(deps: AppDeps): RouteDef[] {
  const h = calendarHandlers(deps);
  return [
    route('get', '/calendar/:token.ics', 'public', calendarFeedHandler(deps)),
    route('post', '/profile/calendar', 'signedIn', h.issue),
    route('post', '/profile/calendar/revoke', 'signedIn', h.revoke),
  ];
}

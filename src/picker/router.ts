// The record picker's search endpoints, one per kind, each behind the permission to see that kind.
// JSON, not pages (the .json suffix keeps them out of the page walks); the forms work without them.
import type { AppDeps } from '../deps.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { pickHandler } from './handlers.ts';

export function pickerRoutes(_deps: AppDeps): RouteDef[] {
  return [
    route('get', '/pick/customers.json', 'customer.view', pickHandler('customers')),
    route('get', '/pick/leads.json', 'lead.view', pickHandler('leads')),
    // People: any signed-in user already sees the company's active colleagues by name (assignees, attendees).
    route('get', '/pick/users.json', 'signedIn', pickHandler('users')),
  ];
}

// The API tokens page's routes: any signed-in user makes and revokes their own tokens; account managers also
// revoke their company's (the scope decides which tokens exist for the user: src/access/scope.ts).
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { tokenHandlers } from './handlers.ts';

export function tokenRoutes(deps: AppDeps): RouteDef[] {
  const h = tokenHandlers(deps);
  return [
    route('get', '/tokens', 'signedIn', h.list),
    route('post', '/tokens', 'signedIn', h.create),
    route('get', '/tokens/:id/revoke', 'signedIn', load.apiToken, h.confirmRevoke),
    route('post', '/tokens/:id/revoke', 'signedIn', load.apiToken, h.revoke),
  ];
}

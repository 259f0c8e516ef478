// The import routes (issue 16): the upload page of each kind, then one import's pages by id. Who may import
// what is asked of importRefusal (src/import/targets.ts) in the handlers, beside the lines' permissions.
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { importHandlers } from './handlers.ts';

export function importRoutes(deps: AppDeps): RouteDef[] {
  const h = importHandlers(deps);
  return [
    route('get', '/customers/import', 'customer.add', h.form('CUSTOMER')),
    route('post', '/customers/import', 'customer.add', h.upload('CUSTOMER')),
    route('get', '/leads/import', 'lead.add', h.form('LEAD')),
    route('post', '/leads/import', 'lead.add', h.upload('LEAD')),
    route('get', '/imports/:id', 'signedIn', load.import, h.show),
    route('post', '/imports/:id', 'signedIn', load.import, h.choose),
    route('get', '/imports/:id/failed.csv', 'signedIn', load.import, h.failedCsv),
    route('post', '/imports/:id/undo', 'signedIn', load.import, h.undo),
  ];
}

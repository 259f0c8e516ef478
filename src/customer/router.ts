// The customer domain's routes (SPEC section 6), plus GET /customers/:id/delete, the confirmation page.
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { customerDeleteHandlers } from './delete.ts';
import { customerFormHandlers } from './form.ts';
import { customerHandlers } from './handlers.ts';

export function customerRoutes(deps: AppDeps): RouteDef[] {
  const h = customerHandlers(deps);
  const f = customerFormHandlers(deps);
  const d = customerDeleteHandlers(deps);
  return [
    route('get', '/customers', 'customer.view', h.list),
    route('get', '/customers/export.csv', 'customer.view', h.exportCsv),
    route('get', '/customers/new', 'customer.add', f.newForm),
    route('post', '/customers', 'customer.add', f.create),
    route('get', '/customers/:id', 'customer.view', load.customer, h.show),
    route('get', '/customers/:id/edit', 'customer.change', load.customer, f.edit),
    route('post', '/customers/:id', 'customer.change', load.customer, f.update),
    route('get', '/customers/:id/delete', 'customer.delete', load.customerRelations, d.confirm),
    route('post', '/customers/:id/delete', 'customer.delete', load.customerRelations, d.destroy),
  ];
}

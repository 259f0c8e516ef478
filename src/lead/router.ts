// The lead domain's routes (SPEC section 6), plus the detail page's quick actions:
// GET /leads/:id/convert (the choice), POST /leads/:id/status (pipeline move; GET /leads/:id/lost asks why
// a deal was lost first), POST /leads/:id/assign,
// and GET /leads/:id/delete, the confirmation page before the delete.
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { leadActionHandlers } from './actions.ts';
import { leadConvertHandlers } from './convert.ts';
import { leadFormHandlers } from './form.ts';
import { leadHandlers } from './handlers.ts';
import { lostForm } from './lost.ts';

export function leadRoutes(deps: AppDeps): RouteDef[] {
  const h = leadHandlers(deps);
  const f = leadFormHandlers(deps);
  const a = leadActionHandlers(deps);
  const c = leadConvertHandlers(deps);
  return [
    route('get', '/leads', 'lead.view', h.list),
    route('get', '/leads/export.csv', 'lead.view', h.exportCsv),
    route('get', '/leads/new', 'lead.add', f.newForm),
    route('post', '/leads', 'lead.add', f.create),
    route('get', '/leads/:id', 'lead.view', load.lead, h.show),
    route('get', '/leads/:id/edit', 'lead.change', load.lead, f.edit),
    route('post', '/leads/:id', 'lead.change', load.lead, f.update),
    route('get', '/leads/:id/delete', 'lead.delete', load.lead, a.confirmDelete),
    route('post', '/leads/:id/delete', 'lead.delete', load.lead, a.destroy),
    route('post', '/leads/:id/status', 'lead.change', load.lead, a.changeStatus),
    route('get', '/leads/:id/lost', 'lead.change', load.lead, lostForm),
    route('post', '/leads/:id/assign', 'lead.assign', load.lead, a.assign),
    route('get', '/leads/:id/convert', 'lead.change', load.lead, c.form),
    route('post', '/leads/:id/convert', 'lead.change', load.lead, c.convert),
  ];
}

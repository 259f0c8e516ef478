// Companies (SPEC sections 1, 2 and 6): superusers administer them; a company's own account
// managers and staff may read its page (the scope hides every other company: 404).
import { history } from '../audit/history.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { companyFormHandlers } from './form.ts';
import { companyHandlers } from './handlers.ts';
import { companySettingsHandlers } from './settings.ts';

export function companyRoutes(deps: AppDeps): RouteDef[] {
  const h = companyHandlers();
  const f = companyFormHandlers(deps);
  const su = { roles: ['SUPERUSER' as const] };
  const s = companySettingsHandlers();
  // The own company's pipeline settings: its account managers (a superuser is sent on to the companies).
  const settings = { roles: ['ACCOUNT_MANAGER' as const, 'SUPERUSER' as const] };
  return [
    route('get', '/company/settings', settings, s.form),
    route('post', '/company/settings', settings, s.save),
    route('get', '/companies', su, h.list),
    route('get', '/companies/export.csv', su, h.exportCsv),
    route('get', '/companies/new', su, f.newForm),
    route('post', '/companies', su, f.create),
    route('get', '/companies/:id', 'signedIn', load.companyPage, history('Company'), h.show),
    route('get', '/companies/:id/edit', su, load.company, f.edit),
    route('post', '/companies/:id', su, load.company, f.update),
    route('get', '/companies/:id/delete', su, load.company, f.confirmDeactivate),
    route('post', '/companies/:id/delete', su, load.company, f.deactivate),
    route('post', '/companies/:id/reactivate', su, load.company, f.reactivate),
  ];
}

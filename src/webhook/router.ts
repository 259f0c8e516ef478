// The webhook routes (issue 17): the company's account managers register endpoints, see their delivery logs and
// send test events. webhook.manage belongs to the role (src/access/policy.ts); superusers, in no company, are refused.
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { webhookForms } from './form.ts';
import { requireWebhookManager as only, webhookHandlers } from './handlers.ts';

export function webhookRoutes(deps: AppDeps): RouteDef[] {
  const h = webhookHandlers(deps);
  const f = webhookForms(deps);
  return [
    route('get', '/webhooks', 'webhook.manage', only, h.list),
    route('get', '/webhooks/new', 'webhook.manage', only, f.newForm),
    route('post', '/webhooks', 'webhook.manage', only, f.create),
    route('get', '/webhooks/:id', 'webhook.manage', load.webhook, only, h.show),
    route('get', '/webhooks/:id/edit', 'webhook.manage', load.webhook, only, f.edit),
    route('post', '/webhooks/:id', 'webhook.manage', load.webhook, only, f.update),
    route('get', '/webhooks/:id/delete', 'webhook.manage', load.webhook, only, h.confirmDelete),
    route('post', '/webhooks/:id/delete', 'webhook.manage', load.webhook, only, f.destroy),
    route('post', '/webhooks/:id/secret', 'webhook.manage', load.webhook, only, f.rotate),
    route('post', '/webhooks/:id/test', 'webhook.manage', load.webhook, only, f.test),
  ];
}

// Webhook pages (read side): the company's endpoints with their last try, and one endpoint with its delivery log (by
// pages) and its buttons. A secret just made or rotated waits in the session sealed and is shown here once.
import type { Request, RequestHandler } from 'express';
import { managesWebhooks } from '../access/policy.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { sessionSealer } from '../secret.ts';
import { Forbidden } from '../web/errors.ts';
import { DELIVERY_PAGE_SIZE, findDeliveries, findWebhooks, WEBHOOK_LIST_SIZE } from './queries.ts';
import { deliveryPage, WEBHOOK_EVENT_LABELS } from './schema.ts';

declare module 'express-session' {
  interface SessionData {
    /** A webhook secret just made or rotated, for the endpoint's page once: { id, sealed }. */
    newWebhookSecret?: { id: number; sealed: string };
  }
}

/** Webhooks are a company's: its account managers manage them (a superuser, in no company, is refused). */
export const requireWebhookManager: RequestHandler = (req, _res, next) => {
  if (!managesWebhooks(req.user)) throw new Forbidden("Webhooks are managed by the company's account managers.");
  next();
};

export const secretSealer = (deps: AppDeps) => sessionSealer(deps.sessionSecret, 'new webhook secret');

export function webhookHandlers(deps: AppDeps) {
  const sealer = secretSealer(deps);

  /** The secret to show once on this endpoint's page, forgotten as it is read. */
  const takeNewSecret = (req: Request, id: number) => {
    const waiting = req.session.newWebhookSecret;
    if (!waiting || waiting.id !== id) return null;
    delete req.session.newWebhookSecret;
    return sealer.open(waiting.sealed);
  };

  /** GET /webhooks — the company's endpoints. */
  const list: RequestHandler = async (req, res) => {
    const hooks = await findWebhooks(req.db);
    res.render('webhook/index', { title: 'Webhooks', hooks, listSize: WEBHOOK_LIST_SIZE });
  };

  /** GET /webhooks/:id — the endpoint, its buttons and its delivery log. */
  const show: RequestHandler = async (req, res) => {
    const hook = load.webhook.of(req);
    const total = hook._count.deliveries;
    const pages = Math.max(1, Math.ceil(total / DELIVERY_PAGE_SIZE));
    const page = Math.min(deliveryPage(req.query.page), pages);
    const rows = total ? await findDeliveries(req.db, hook.id, page) : [];
    const href = (p: number) => `/webhooks/${hook.id}?page=${p}#log`;
    res.render('webhook/show', {
      title: `Webhook ${hook.url}`,
      hook,
      newSecret: takeNewSecret(req, hook.id),
      deliveries: rows,
      eventLabels: WEBHOOK_EVENT_LABELS,
      pagination: {
        page,
        pages,
        total,
        exact: true,
        from: total === 0 ? 0 : (page - 1) * DELIVERY_PAGE_SIZE + 1,
        to: Math.min(total, page * DELIVERY_PAGE_SIZE),
        prevHref: page > 1 ? href(page - 1) : null,
        nextHref: page < pages ? href(page + 1) : null,
      },
    });
  };

  /** GET /webhooks/:id/delete — asks first. */
  const confirmDelete: RequestHandler = (req, res) => {
    const hook = load.webhook.of(req);
    res.render('webhook/confirm-delete', { title: `Delete the webhook ${hook.url}?`, hook });
  };

  return { list, show, confirmDelete };
}

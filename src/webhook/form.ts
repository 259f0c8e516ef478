// Webhook forms and buttons: new / edit (URL, description, events, on/off; the URL's host is resolved and refused
// when private, src/webhook/address.ts), delete, rotate the secret, send a test event. Each write is audited.
import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { flash } from '../web/flash.ts';
import { type FieldErrors, parseForm, renderInvalid } from '../web/forms.ts';
import { checkWebhookUrl } from './address.ts';
import { secretSealer } from './handlers.ts';
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, type WebhookInput, webhookForm } from './schema.ts';
import { createWebhook, deleteWebhook, rotateWebhookSecret, sendTestWebhook, updateWebhook } from './writes.ts';

const EVENT_ITEMS = WEBHOOK_EVENTS.map((e) => ({ value: e, label: e, hint: `— ${WEBHOOK_EVENT_LABELS[e]}` }));
const NEW_VALUES = { url: '', description: '', events: [] as string[], active: true };

/** What was typed, to put back into a re-rendered form. */
function typed(body: unknown) {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const events = Array.isArray(b.events) ? b.events.map(text) : b.events ? [text(b.events)] : [];
  return { url: text(b.url), description: text(b.description), events, active: b.active === 'on' };
}

export function webhookForms(deps: AppDeps) {
  const sealer = secretSealer(deps);
  const allowPrivate = deps.config.webhookAllowPrivate;

  const render = (
    res: Response,
    hook: { id: number } | null,
    values: object,
    status = 200,
    errors: FieldErrors = {},
  ) => {
    const locals = { title: hook ? 'Edit webhook' : 'New webhook', hook, values, eventItems: EVENT_ITEMS };
    if (status === 422) return renderInvalid(res, 'webhook/form', locals, errors);
    res.render('webhook/form', { ...locals, fieldErrors: errors });
  };

  /** The form's data, its URL checked; null when render() answered 422. */
  const parse = async (req: Request, res: Response, hook: { id: number } | null): Promise<WebhookInput | null> => {
    const parsed = parseForm(webhookForm, req.body);
    const errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    if (parsed.ok || !errors.url) {
      const url = typeof req.body?.url === 'string' ? req.body.url.trim() : '';
      const checked = url ? await checkWebhookUrl(url, allowPrivate) : null;
      if (checked && !checked.ok) errors.url = checked.problem;
    }
    if (parsed.ok && Object.keys(errors).length === 0) return parsed.data;
    render(res, hook, typed(req.body), 422, errors);
    return null;
  };

  const keepSecret = (req: Request, id: number, secret: string) => {
    req.session.newWebhookSecret = { id, sealed: sealer.seal(secret) };
  };

  /** GET /webhooks/new */
  const newForm: RequestHandler = (_req, res) => render(res, null, NEW_VALUES);

  /** POST /webhooks — registers the endpoint; its secret is shown once on its page. */
  const create: RequestHandler = async (req, res) => {
    const form = await parse(req, res, null);
    if (!form) return;
    const { id, secret } = await createWebhook(req.db, req.user!, deps.sessionSecret, form);
    keepSecret(req, id, secret);
    flash(req, 'success', 'Webhook created. Copy its signing secret now: it is shown only once.');
    res.redirect(303, `/webhooks/${id}#secret`);
  };

  /** GET /webhooks/:id/edit */
  const edit: RequestHandler = (req, res) => {
    const hook = load.webhook.of(req);
    render(res, hook, hook);
  };

  /** POST /webhooks/:id — saves the form. */
  const update: RequestHandler = async (req, res) => {
    const hook = load.webhook.of(req);
    const form = await parse(req, res, hook);
    if (!form) return;
    await updateWebhook(req.db, req.user!, hook, form);
    flash(req, 'success', 'Webhook saved.');
    res.redirect(303, `/webhooks/${hook.id}`);
  };

  /** POST /webhooks/:id/delete */
  const destroy: RequestHandler = async (req, res) => {
    const hook = load.webhook.of(req);
    await deleteWebhook(req.db, req.user!, hook);
    flash(req, 'success', `Webhook ${hook.url} deleted.`);
    res.redirect(303, '/webhooks');
  };

  /** POST /webhooks/:id/secret — a new signing secret, shown once. */
  const rotate: RequestHandler = async (req, res) => {
    const hook = load.webhook.of(req);
    const secret = await rotateWebhookSecret(req.db, req.user!, deps.sessionSecret, hook);
    keepSecret(req, hook.id, secret);
    flash(req, 'success', 'New signing secret made: the old one no longer signs. Copy it now: it is shown only once.');
    res.redirect(303, `/webhooks/${hook.id}#secret`);
  };

  /** POST /webhooks/:id/test — enqueues a ping; its try appears in the log. */
  const test: RequestHandler = async (req, res) => {
    const hook = load.webhook.of(req);
    await sendTestWebhook(req.db, req.user!, deps.jobs, hook);
    flash(req, 'success', 'Test event queued: its delivery appears in the log below in a few seconds.');
    res.redirect(303, `/webhooks/${hook.id}#log`);
  };

  return { newForm, create, edit, update, destroy, rotate, test };
}

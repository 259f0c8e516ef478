// The 'webhook' job (src/jobs/kinds.ts): one event to one endpoint. Runs outside any request, so it reads the
// endpoint and writes the delivery log through the raw client named 'webhook delivery', by the ids the job carries.
// Each try is a WebhookDelivery row. A 2xx ends the job; a network error, a timeout, a 5xx or a 429 throws, so the
// queue retries it with its backoff (6 tries in all: src/jobs/kinds.ts KIND_RETRY); any other answer (4xx, 3xx: no
// redirect is followed) and a refused address end it without retry. A try after a success never sends again.
import { type Database, unscoped } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { checkWebhookUrl } from './address.ts';
import type { WebhookJob } from './events.ts';
import { webhookSealer, webhookSignature } from './secret.ts';
import { type SendResult, sendWebhook } from './send.ts';

export type WebhookDeliveryDeps = { db: Database; appSecret: string; allowPrivate: boolean; logger?: Logger };

/** Answers worth another try later. */
export const isRetryable = (r: Pick<SendResult, 'statusCode'>) =>
  r.statusCode === null || r.statusCode >= 500 || r.statusCode === 429;

export class WebhookRetry extends Error {
  override name = 'WebhookRetry';
}

export async function deliverWebhook(deps: WebhookDeliveryDeps, job: WebhookJob): Promise<void> {
  const raw = unscoped(deps.db, 'webhook delivery');
  const { endpointId, event } = job;
  const endpoint = await raw.webhookEndpoint.findUnique({
    where: { id: endpointId },
    select: { id: true, companyId: true, url: true, active: true, secretSealed: true },
  });
  // Deleted meanwhile, or switched off (a test ping is sent all the same: it is asked for on the endpoint's page).
  if (!endpoint || endpoint.companyId !== event.companyId || (!endpoint.active && event.type !== 'ping')) return;
  const tries = await raw.webhookDelivery.findMany({
    where: { endpointId, eventId: event.id },
    select: { succeeded: true },
  });
  if (tries.some((t) => t.succeeded)) return;
  const attempt = tries.length + 1;
  const secret = webhookSealer(deps.appSecret).open(endpoint.secretSealed);
  const checked = await checkWebhookUrl(endpoint.url, deps.allowPrivate);
  let result: SendResult;
  if (!secret)
    result = { statusCode: null, error: 'The signing secret cannot be read: rotate it.', excerpt: '', durationMs: 0 };
  else if (!checked.ok) result = { statusCode: null, error: `Refused: ${checked.problem}`, excerpt: '', durationMs: 0 };
  else {
    const body = JSON.stringify(event);
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'CRM-Webhooks/1',
      'X-CRM-Event': event.type,
      'X-CRM-Delivery': event.id,
      'X-CRM-Signature': webhookSignature(secret, Math.floor(Date.now() / 1000), body),
    };
    result = await sendWebhook(checked, headers, body);
  }
  const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  await raw.webhookDelivery.create({
    data: {
      endpointId,
      companyId: endpoint.companyId,
      eventId: event.id,
      eventType: event.type,
      attempt,
      statusCode: result.statusCode,
      error: result.error,
      excerpt: result.excerpt.replace(/\0/g, ''),
      durationMs: result.durationMs,
      succeeded,
    },
  });
  // A refused address or an unreadable secret will not mend by waiting: no retry.
  if (!succeeded && secret && checked.ok && isRetryable(result))
    throw new WebhookRetry(`webhook ${event.type} to endpoint #${endpointId}: ${result.error ?? result.statusCode}`);
}

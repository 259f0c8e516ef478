// Webhook events, emitted by the domains' writes inside their own transaction: for each active endpoint of the
// company subscribed to the event, a 'webhook' job is enqueued in that transaction (the outbox: a rolled-back change
// sends nothing). One statement asks whether any endpoint is subscribed; the record is read and presented only if so.
// The job queue reaches the writes through the request (webhookEvents, mounted in src/app.ts and the API's router),
// as the audit's "via" does: a write run outside a request (the CLI, an import job) emits nothing.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ScopedTx } from '../access/scope.ts';
import { CUSTOMER_API_SELECT, presentCustomer } from '../api/customers.ts';
import { LEAD_API_SELECT, presentLead } from '../api/leads.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { WebhookDeliveryType, WebhookEventType } from './schema.ts';

/** What a receiver gets (the JSON body). */
export type WebhookEvent = {
  id: string;
  type: WebhookDeliveryType;
  createdAt: string;
  companyId: number;
  data: unknown;
};

/** The 'webhook' job's payload: one event for one endpoint. */
export type WebhookJob = { endpointId: number; event: WebhookEvent };

const queueOfRequest = new AsyncLocalStorage<Pick<JobQueue, 'enqueue'>>();

/** Runs the rest of the request with its writes able to enqueue webhook deliveries. */
export const webhookEvents =
  (jobs: Pick<JobQueue, 'enqueue'>): RequestHandler =>
  (_req, _res, next) =>
    queueOfRequest.run(jobs, next);

export const newWebhookEvent = (type: WebhookDeliveryType, companyId: number, data: unknown): WebhookEvent => ({
  id: `evt_${randomUUID()}`,
  type,
  createdAt: new Date().toISOString(),
  companyId,
  data,
});

/**
 * Enqueues `type` for each subscribed endpoint of `companyId`, in the write's transaction; `data` is called (and the
 * record read) only when one is subscribed.
 */
export async function emitWebhookEvent(
  tx: ScopedTx,
  companyId: number,
  type: WebhookEventType,
  data: () => unknown | Promise<unknown>,
): Promise<void> {
  const jobs = queueOfRequest.getStore();
  if (!jobs) return;
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { companyId, active: true, events: { has: type } },
    select: { id: true },
  });
  if (endpoints.length === 0) return;
  const event = newWebhookEvent(type, companyId, await data());
  for (const { id } of endpoints) await jobs.enqueue('webhook', { endpointId: id, event }, { tx });
}

/** A lead's event, the lead as the API presents it (read in the transaction, after the change). */
export const emitLeadEvent = (tx: ScopedTx, lead: { id: number; companyId: number }, type: WebhookEventType) =>
  emitWebhookEvent(tx, lead.companyId, type, async () =>
    presentLead(await tx.lead.findUniqueOrThrow({ where: { id: lead.id }, select: LEAD_API_SELECT })),
  );

/** A customer's event, the customer as the API presents it. */
export const emitCustomerEvent = (tx: ScopedTx, c: { id: number; companyId: number }, type: WebhookEventType) =>
  emitWebhookEvent(tx, c.companyId, type, async () =>
    presentCustomer(await tx.customer.findUniqueOrThrow({ where: { id: c.id }, select: CUSTOMER_API_SELECT })),
  );

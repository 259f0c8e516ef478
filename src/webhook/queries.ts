// Webhook endpoints' reads, through the request's scoped client (the scope keeps them to the company; the routes to
// its account managers): the list with each endpoint's last try, one endpoint, and its delivery log by pages.
import type { ScopedClient } from '../access/scope.ts';

export const WEBHOOK_SELECT = {
  id: true,
  companyId: true,
  url: true,
  description: true,
  events: true,
  active: true,
  secretPrefix: true,
  createdAt: true,
  updatedAt: true,
} as const;

const LAST_TRY = {
  take: 1,
  orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
  select: { statusCode: true, error: true, succeeded: true, createdAt: true, eventType: true },
};

/** The list caps at this many endpoints (a company keeps a handful). */
export const WEBHOOK_LIST_SIZE = 100;
/** Tries per page of the delivery log. */
export const DELIVERY_PAGE_SIZE = 25;

/** The company's endpoints with their last try, in one statement. */
export function findWebhooks(db: ScopedClient) {
  return db.webhookEndpoint.findMany({
    select: { ...WEBHOOK_SELECT, deliveries: LAST_TRY },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: WEBHOOK_LIST_SIZE,
  });
}

/** The loader's fetch: an endpoint of the user's company with the length of its log (same statement), or null. */
export function findWebhook(db: ScopedClient, id: number) {
  return db.webhookEndpoint.findUnique({
    where: { id },
    select: { ...WEBHOOK_SELECT, _count: { select: { deliveries: true } } },
  });
}
export type WebhookRow = NonNullable<Awaited<ReturnType<typeof findWebhook>>>;

/** One page of the endpoint's tries, newest first (their count comes with the endpoint: findWebhook). */
export function findDeliveries(db: ScopedClient, endpointId: number, page: number) {
  return db.webhookDelivery.findMany({
    where: { endpointId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * DELIVERY_PAGE_SIZE,
    take: DELIVERY_PAGE_SIZE,
  });
}

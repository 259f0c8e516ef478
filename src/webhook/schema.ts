// Webhooks (issue 17): the events an endpoint may receive, and the endpoint form's schema. The events are declared
// once here; the form, the emitting writes (src/webhook/events.ts) and the README's list read them.
import { z } from 'zod';

export const WEBHOOK_EVENTS = [
  'lead.created',
  'lead.assigned',
  'lead.won',
  'lead.lost',
  'customer.created',
  'task.done',
  'appointment.created',
  'appointment.moved',
  'appointment.cancelled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
/** "Send a test event" sends a ping, which no endpoint subscribes to. */
export type WebhookDeliveryType = WebhookEventType | 'ping';

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  'lead.created': 'A lead is created',
  'lead.assigned': 'A lead is assigned to someone else',
  'lead.won': 'A lead is won',
  'lead.lost': 'A lead is lost',
  'customer.created': 'A customer is created',
  'task.done': 'A task is marked done',
  'appointment.created': 'An appointment is created',
  'appointment.moved': 'An appointment is moved to another time',
  'appointment.cancelled': 'An appointment is cancelled',
};

const eventList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(
      z
        .string({ error: 'Choose events from the list.' })
        .refine((e) => (WEBHOOK_EVENTS as readonly string[]).includes(e), 'Choose events from the list.'),
    )
    .min(1, 'Choose at least one event.')
    .transform((es) => WEBHOOK_EVENTS.filter((e) => es.includes(e))),
);

/** POST /webhooks and POST /webhooks/:id. The URL's address is checked after this (src/webhook/address.ts). */
export const webhookForm = z.object({
  url: z
    .string({ error: 'Enter the URL.' })
    .trim()
    .min(1, 'Enter the URL the events are sent to.')
    .max(500, 'Keep the URL within 500 characters.')
    .refine((u) => URL.canParse(u), 'Enter a full URL, e.g. https://example.com/hooks/crm.'),
  description: z.string().trim().max(200, 'Keep the description within 200 characters.').default(''),
  events: eventList,
  active: z.preprocess((v) => v === 'on' || v === 'true' || v === '1', z.boolean()),
});
export type WebhookInput = z.output<typeof webhookForm>;

export const WEBHOOK_FIELDS = ['url', 'description'] as const;

/** The delivery log's page number (?page=). */
export const deliveryPage = (raw: unknown): number =>
  typeof raw === 'string' && /^\d{1,5}$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1;

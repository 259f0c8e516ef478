// The kinds of job and their handlers. A new kind (a reminder, a digest) adds its payload type to
// JobPayloads, its name to KIND_NAMES and its handler to jobKinds: the queue creates its queue, works it,
// retries it and lists it on /jobs without more code.
import type { Database } from '../db/client.ts';
import { runImport } from '../import/run.ts';
import type { Mailer, MailMessage } from '../mail/mailer.ts';
import { deliverWebhook } from '../webhook/deliver.ts';
import type { WebhookJob } from '../webhook/events.ts';

export type JobPayloads = {
  /** One message, sent through the mailer as it is. */
  mail: MailMessage;
  /** A CSV import's rows, written in batches (src/import/run.ts). */
  import: { importId: number };
  /** One webhook event to one endpoint (src/webhook/deliver.ts). */
  webhook: WebhookJob;
};
export type JobName = keyof JobPayloads;
export const KIND_NAMES: JobName[] = ['mail', 'import', 'webhook'];

/**
 * A kind's own retries, where the queue's default (8 tries, 10 s doubling) does not fit. Webhooks: 6 tries in all,
 * the waits doubling from 2 minutes with pg-boss's jitter (2–4 min, 4–8, 8–16, 16–32, 32–64 min).
 */
export const KIND_RETRY: Partial<Record<JobName, { retryLimit: number; retryDelay: number }>> = {
  webhook: { retryLimit: 5, retryDelay: 120 },
};

export type JobKind<P> = {
  /** Runs the job; throwing fails this attempt (retried with backoff, then left failed). */
  handle: (payload: P) => Promise<void>;
  /** Deleted once done, not kept as completed: a sent mail's body (codes, set-password links) leaves the database. */
  deleteWhenDone?: boolean;
};
export type JobKinds = { [K in JobName]: JobKind<JobPayloads[K]> };

export type JobKindDeps = {
  mailer: Mailer;
  db: Database;
  /** Webhooks: the app's secret (their signing secrets are sealed with it) and WEBHOOK_ALLOW_PRIVATE. */
  webhook: { appSecret: string; allowPrivate: boolean };
};

export function jobKinds(deps: JobKindDeps): JobKinds {
  return {
    mail: {
      handle: (m) => deps.mailer.send(m),
      deleteWhenDone: true,
    },
    import: {
      handle: (p) => runImport(deps.db, p.importId),
    },
    webhook: {
      handle: (p) => deliverWebhook({ db: deps.db, ...deps.webhook }, p),
      // The event's record leaves the queue once delivered; the delivery log keeps what was tried.
      deleteWhenDone: true,
    },
  };
}

/** What /jobs shows of a stored job: never its body (sign-in codes, invitation links). */
export function describeJob(name: string, data: unknown): string {
  if (name === 'mail' && data && typeof (data as MailMessage).to === 'string') return `to ${(data as MailMessage).to}`;
  if (name === 'import' && data && typeof (data as { importId?: unknown }).importId === 'number')
    return `import #${(data as { importId: number }).importId}`;
  if (name === 'webhook' && data && typeof (data as WebhookJob).endpointId === 'number') {
    const j = data as WebhookJob;
    return `${String(j.event?.type)} to endpoint #${j.endpointId}`;
  }
  return '';
}

// Webhook endpoints' writes, each with its audit entry (on the company's trail: endpoints are its settings) in the
// same transaction, through the account manager's scoped client. Creating and rotating return the new secret, shown
// once; the row keeps it sealed (src/webhook/secret.ts). The test event is enqueued in its own small transaction.
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient, ScopedTx as Tx } from '../access/scope.ts';
import { recordAudit } from '../audit/record.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { newWebhookEvent } from './events.ts';
import type { WebhookRow } from './queries.ts';
import type { WebhookInput } from './schema.ts';
import { newWebhookSecret } from './secret.ts';

const audit = (tx: Tx, user: CurrentUser, companyId: number, change: string) =>
  recordAudit(tx, user, {
    action: 'update',
    model: 'Company',
    recordId: companyId,
    companyId,
    changes: { webhook: change },
  });

const describe = (d: { url: string; events: readonly string[]; active: boolean }) =>
  `${d.url} (${d.events.join(', ')}${d.active ? '' : '; off'})`;

/** Registers an endpoint in the user's company; returns its id and secret (shown once). */
export function createWebhook(db: ScopedClient, user: CurrentUser, appSecret: string, form: WebhookInput) {
  const companyId = user.companyId!;
  const { secret, secretSealed, secretPrefix } = newWebhookSecret(appSecret);
  return db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.create({
      data: { companyId, ...form, secretSealed, secretPrefix },
      select: { id: true },
    });
    await audit(tx, user, companyId, `endpoint #${row.id} created: ${describe(form)}`);
    return { id: row.id, secret };
  });
}

/** Saves the form over the endpoint. */
export function updateWebhook(db: ScopedClient, user: CurrentUser, hook: WebhookRow, form: WebhookInput) {
  return db.$transaction(async (tx) => {
    await tx.webhookEndpoint.update({ where: { id: hook.id }, data: form, select: { id: true } });
    await audit(tx, user, hook.companyId, `endpoint #${hook.id} changed: ${describe(hook)} → ${describe(form)}`);
  });
}

/** A new secret for the endpoint (the old one stops signing at once); returned to be shown once. */
export function rotateWebhookSecret(db: ScopedClient, user: CurrentUser, appSecret: string, hook: WebhookRow) {
  const { secret, secretSealed, secretPrefix } = newWebhookSecret(appSecret);
  return db.$transaction(async (tx) => {
    await tx.webhookEndpoint.update({
      where: { id: hook.id },
      data: { secretSealed, secretPrefix },
      select: { id: true },
    });
    await audit(tx, user, hook.companyId, `endpoint #${hook.id} secret rotated (${secretPrefix}…)`);
    return secret;
  });
}

/** Deletes the endpoint and its delivery log; waiting deliveries find no endpoint and end. */
export function deleteWebhook(db: ScopedClient, user: CurrentUser, hook: WebhookRow) {
  return db.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: hook.id }, select: { id: true } });
    await audit(tx, user, hook.companyId, `endpoint #${hook.id} deleted: ${describe(hook)}`);
  });
}

/** Enqueues a `ping` to the endpoint (the "Send a test event" button). */
export function sendTestWebhook(
  db: ScopedClient,
  user: CurrentUser,
  jobs: Pick<JobQueue, 'enqueue'>,
  hook: WebhookRow,
) {
  const event = newWebhookEvent('ping', hook.companyId, { endpointId: hook.id, message: 'A test event from the CRM.' });
  return db.$transaction(async (tx) => {
    await jobs.enqueue('webhook', { endpointId: hook.id, event }, { tx });
    await audit(tx, user, hook.companyId, `endpoint #${hook.id} sent a test event`);
    return event.id;
  });
}

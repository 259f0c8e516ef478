// A webhook endpoint's signing secret (`whsec_…`): made by the app, shown once, kept sealed under a key derived from
// the app's secret (src/secret.ts sessionSealer, purpose "webhook secret") so the server can sign with it while a copy
// of the database alone cannot. The signature header a receiver checks: t=<unix seconds>,v1=<hex HMAC-SHA256>.
import { createHmac, randomBytes } from 'node:crypto';
import { sessionSealer } from '../secret.ts';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new secret and what the row keeps of it: sealed, and its first characters to tell it apart. */
export function newWebhookSecret(appSecret: string) {
  const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, secretSealed: webhookSealer(appSecret).seal(secret), secretPrefix: secret.slice(0, 10) };
}

export const webhookSealer = (appSecret: string) => sessionSealer(appSecret, 'webhook secret');

/** The X-CRM-Signature header of a body sent at `unixSeconds`. */
export function webhookSignature(secret: string, unixSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

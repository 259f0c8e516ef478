// Webhook endpoints for tests: registered through the page as an account manager does, the secret read off the
// endpoint's page (shown once).
import { expect } from 'vitest';
import type { Session } from '../helpers/session.ts';

export const secretOn = (html: string) => /id="new-secret-value"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? null;

export async function registerWebhook(
  s: Session,
  form: { url: string; events: string[]; description?: string; active?: boolean },
): Promise<{ id: number; secret: string }> {
  const res = await s
    .post('/webhooks', {
      url: form.url,
      description: form.description ?? 'Test receiver',
      events: form.events,
      ...(form.active === false ? {} : { active: 'on' }),
    })
    .expect(303);
  const id = Number(/^\/webhooks\/(\d+)#secret$/.exec(res.headers.location)?.[1]);
  expect(id).toBeGreaterThan(0);
  const page = await s.get(`/webhooks/${id}`).expect(200);
  const secret = secretOn(page.text);
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  return { id, secret: secret! };
}

// API tokens for tests: made through the page (POST /tokens), the secret read off the next page as a user reads it.
import { expect } from 'vitest';
import type { Session } from '../helpers/session.ts';

export async function makeToken(
  s: Session,
  form: { name: string; access?: string; lifetimeDays?: string } = { name: 'Script' },
): Promise<string> {
  const res = await s.post('/tokens', { access: 'READ_WRITE', lifetimeDays: '90', ...form }).expect(303);
  expect(res.headers.location).toBe('/tokens#new-token');
  const page = await s.get('/tokens').expect(200);
  const token = tokenOn(page.text);
  expect(token).toMatch(/^crm_pat_[A-Za-z0-9_-]{43}$/);
  return token!;
}

/** The secret shown on a tokens page, or null. */
export const tokenOn = (html: string) => /id="new-token-value"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? null;

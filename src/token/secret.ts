// A token's secret: `crm_pat_` and 43 URL-safe characters (32 random bytes), so a leaked one is recognisable
// (secret scanners match the prefix). Only its SHA-256 is stored; the list shows the first characters.
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'crm_pat_';
export const TOKEN_PATTERN = /^crm_pat_[A-Za-z0-9_-]{43}$/;
/** What lists show of a token: the prefix and four characters more. */
export const SHOWN_CHARACTERS = TOKEN_PREFIX.length + 4;

export const hashApiToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function newApiTokenSecret(): { token: string; tokenHash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: hashApiToken(token), prefix: token.slice(0, SHOWN_CHARACTERS) };
}

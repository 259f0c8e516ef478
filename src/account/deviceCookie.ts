// Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
// completed sign-in for an account gets a signed cookie naming that account (by a keyed hash) and a random nonce.
// Wrong passwords sent with it count against that browser alone (see guesses.ts), so an attack on
// the account from elsewhere, which locks out unknown browsers, never locks out the user's own.
// cookie-parser checks the signature (HMAC-SHA256, as express-session's cookie); the key is derived
// from SESSION_SECRET for this use only.
import { createHmac, randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import type { Request, RequestHandler, Response } from 'express';

export const DEVICE_COOKIE_MAX_AGE_MS = 180 * 24 * 60 * 60 * 1000;
/** Accounts remembered per browser (a shared office computer): the newest first. */
const MAX_ACCOUNTS = 5;

/** `a`: the account (a keyed hash of its email, so the cookie does not show who signed in); `n`: the nonce. */
type Entry = { a: string; n: string };

function isEntry(v: unknown): v is Entry {
  const x = v as Entry;
  return (
    !!x &&
    typeof x.a === 'string' &&
    /^[A-Za-z0-9_-]{22}$/.test(x.a) &&
    typeof x.n === 'string' &&
    /^[A-Za-z0-9_-]{22}$/.test(x.n)
  );
}

export type DeviceCookies = ReturnType<typeof deviceCookies>;

export function deviceCookies(sessionSecret: string, secure: boolean) {
  const name = secure ? '__Host-crm.device' : 'crm.device';
  const key = createHmac('sha256', sessionSecret).update('crm device cookie v1').digest('base64url');
  const account = (email: string) => createHmac('sha256', key).update(email).digest('base64url').slice(0, 22);

  /** Reads the signed cookies of the request (route-level: only the sign-in steps need them). */
  const parse: RequestHandler = cookieParser(key);

  function entries(req: Request): Entry[] {
    // A missing, unsigned or tampered cookie reads as false: an unknown browser.
    const value: unknown = (req.signedCookies as Record<string, unknown> | undefined)?.[name];
    return Array.isArray(value) ? value.filter(isEntry).slice(0, MAX_ACCOUNTS) : [];
  }

  /** This browser's nonce for `email`, or null when it has not completed sign-in for that account. */
  function nonceFor(req: Request, email: string): string | null {
    const a = account(email);
    return entries(req).find((x) => x.a === a)?.n ?? null;
  }

  /** After a completed sign-in: a fresh nonce for the account (the other accounts' entries kept). */
  function issue(req: Request, res: Response, email: string): void {
    const fresh: Entry = { a: account(email), n: randomBytes(16).toString('base64url') };
    const list = [fresh, ...entries(req).filter((x) => x.a !== fresh.a)].slice(0, MAX_ACCOUNTS);
    res.cookie(name, list, {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: DEVICE_COOKIE_MAX_AGE_MS,
    });
  }

  return { name, parse, nonceFor, issue };
}

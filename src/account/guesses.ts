// Counting password guesses (SPEC section 4.7; issue 10 items 8 and 9). Each guess is counted
// before the password is checked (atomically in PostgreSQL, so guesses sent at once cannot slip
// under a limit): per IP, per account+IP, and per account across every IP — against this
// browser's own allowance when it carries the account's device cookie, else against the account's
// allowance for unknown browsers (OWASP device cookies). Only failures stay counted: the right
// password gives back its own try, and a verified code gives back what this browser's wrong
// passwords for that account filled before.
import type { Request } from 'express';
import { TooManyRequests } from '../web/errors.ts';
import type { Throttles } from '../web/rateLimit.ts';
import type { DeviceCookies } from './deviceCookie.ts';

declare module 'express-session' {
  interface SessionData {
    /** wrong passwords typed in this browser for one account (`unknown`: those counted on the account) */
    wrongPasswords?: { email: string; all: number; unknown: number };
  }
}

/** The account's allowance for unknown browsers is used up; browsers it signed in from before still may try. */
export class UnknownDevicesLocked extends TooManyRequests {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds);
    this.detail =
      `Too many attempts with wrong passwords for this account. In a ` +
      `browser you have signed in with before you can try again now; ` +
      `elsewhere please wait ${Math.ceil(retryAfterSeconds / 60)} minute(s).`;
  }
}

export function passwordGuesses(throttles: Throttles, devices: DeviceCookies) {
  const ipOf = (req: Request) => req.ip ?? 'unknown';

  /** Counts one guess at `email`'s password; throws TooManyRequests when a limit is reached. */
  async function count(req: Request, email: string) {
    const ip = ipOf(req);
    const accountIpKey = `${email}|${ip}`;
    await throttles.loginIp.hit(ip);
    await throttles.loginAccountIp.hit(accountIpKey);
    const nonce = devices.nonceFor(req, email);
    let known = false;
    if (nonce) {
      try {
        await throttles.loginDevice.hit(nonce);
        known = true;
      } catch (err) {
        // Past its own allowance, the browser counts as unknown (OWASP: a locked-out device cookie).
        if (!(err instanceof TooManyRequests)) throw err;
      }
    }
    if (!known) {
      try {
        await throttles.loginAccount.hit(email);
      } catch (err) {
        if (err instanceof TooManyRequests) throw new UnknownDevicesLocked(err.retryAfterSeconds);
        throw err;
      }
    }
    return {
      /** The password was right: this try is given back, the account+IP count cleared. */
      async right() {
        await throttles.loginAccountIp.reset(accountIpKey);
        await throttles.loginIp.refund(ip);
        if (known) await throttles.loginDevice.refund(nonce!);
        else await throttles.loginAccount.refund(email);
      },
      /** The password was wrong: remembered in the session, to give back if this browser then signs in. */
      wrong() {
        const before =
          req.session.wrongPasswords?.email === email ? req.session.wrongPasswords : { email, all: 0, unknown: 0 };
        req.session.wrongPasswords = { email, all: before.all + 1, unknown: before.unknown + (known ? 0 : 1) };
      },
    };
  }

  /**
   * After a verified code, before the session is regenerated: the wrong passwords this browser typed
   * for the account were the right user's own, so their counts are given back, and this browser's
   * old device allowance is cleared (it gets a new cookie).
   */
  async function signedIn(req: Request, email: string): Promise<void> {
    const mine = req.session.wrongPasswords;
    if (mine?.email === email) {
      await throttles.loginIp.refund(ipOf(req), mine.all);
      await throttles.loginAccount.refund(email, mine.unknown);
    }
    const nonce = devices.nonceFor(req, email);
    if (nonce) await throttles.loginDevice.reset(nonce);
  }

  return { count, signedIn };
}

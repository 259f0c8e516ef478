// Throttles for sign-in and reset (SPEC section 4.7), counted in PostgreSQL by
// rate-limiter-flexible so every app process sees the same counters. No permanent lockout:
// each window is one the real user can wait out.
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequests } from './errors.ts';

export class Throttle {
  private limiter: RateLimiterPostgres;
  constructor(
    pool: pg.Pool,
    public name: string,
    public points: number,
    durationSeconds: number,
  ) {
    this.limiter = new RateLimiterPostgres({
      storeClient: pool,
      tableName: 'rate_limits',
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: name,
      points,
      duration: durationSeconds,
    });
  }

  /** Throws 429 when the key has no attempts left in the current window. */
  async check(key: string): Promise<void> {
    const res = await this.limiter.get(key);
    if (res && res.consumedPoints >= this.points) throw new TooManyRequests(Math.max(1, res.msBeforeNext / 1000));
  }

  /**
   * Counts one attempt; throws 429 when that was one too many. Call it before checking the guess:
   * the count is atomic in PostgreSQL, so guesses sent at once cannot all slip under the limit.
   */
  async hit(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw new TooManyRequests(Math.max(1, err.msBeforeNext / 1000));
      throw err;
    }
  }

  /**
   * Gives back attempts counted by hit() (a try that turned out to be right, or what the right
   * user's own use filled), never more than the key holds.
   */
  async refund(key: string, points = 1): Promise<void> {
    const res = await this.limiter.get(key);
    const give = Math.min(points, res?.consumedPoints ?? 0);
    if (give > 0) await this.limiter.reward(key, give);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

export type Throttles = ReturnType<typeof createThrottles>;

export function createThrottles(pool: pg.Pool) {
  return {
    /** wrong passwords for one account from one IP */
    loginAccountIp: new Throttle(pool, 'login_acct_ip', 5, 15 * 60),
    /** wrong passwords for one account from browsers without its device cookie, across every IP */
    loginAccount: new Throttle(pool, 'login_acct', 10, 60 * 60),
    /** wrong passwords for one account from one browser that signed in to it before (its device cookie) */
    loginDevice: new Throttle(pool, 'login_device', 5, 15 * 60),
    /** wrong passwords from one IP, whatever the account */
    loginIp: new Throttle(pool, 'login_ip', 30, 60 * 60),
    /** wrong codes from one IP, across attempts */
    codeIp: new Throttle(pool, 'code_ip', 20, 60 * 60),
    /** codes sent to one account (first sends and resends) */
    codeSendAccount: new Throttle(pool, 'code_send', 6, 60 * 60),
    /** reset requests for one email, and from one IP */
    resetEmail: new Throttle(pool, 'reset_email', 3, 60 * 60),
    resetIp: new Throttle(pool, 'reset_ip', 20, 60 * 60),
  };
}

// Sessions in PostgreSQL (connect-pg-simple), so several app processes share them.
// Idle timeout: a rolling 30-minute cookie and store expiry; the stored expiry is moved at most
// once a minute (ThrottledPgStore), so a signed-in request costs one read, not a read and a write.
// Absolute timeout: 12 hours from sign-in, checked here because express-session has none.
import type { RequestHandler } from 'express';
import session, { type SessionData } from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** The stored expiry of an unchanged session is rewritten at most this often. */
export const TOUCH_INTERVAL_MS = 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    signedInAt?: number;
    loginAttemptId?: string;
    flash?: { type: 'success' | 'info' | 'warning' | 'danger'; text: string }[];
    /** The row's expiry when it was read (epoch ms): set by ThrottledPgStore.get, never stored. */
    storedExpiresAt?: number;
  }
}

const PgStore = connectPgSimple(session);

/**
 * connect-pg-simple whose touch — called by express-session at the end of each request that changed
 * nothing — moves the stored expiry only when that moves it by a minute or more. The read returns the
 * stored expiry with the data (`storedExpiresAt`, never written back), so no extra query decides it.
 * The row then expires 29 to 30 minutes after the last request (never later), the cookie says 30.
 */
export class ThrottledPgStore extends PgStore {
  // connect-pg-simple's own helpers, missing from its type declarations.
  declare query: (sql: string, params: unknown[], fn: (err: unknown, row?: any) => void) => void;
  declare quotedTable: () => string;

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    // expire is a timestamp without time zone written with to_timestamp(): ::timestamptz reads it back
    // in the same session time zone, whatever that is.
    const sql = `SELECT sess, extract(epoch FROM expire::timestamptz) * 1000 AS expires_at FROM ${this.quotedTable()}
      WHERE sid = $1 AND expire >= to_timestamp($2)`;
    this.query(sql, [sid, Math.ceil(Date.now() / 1000)], (err: unknown, row?: { sess: SessionData | string; expires_at: string }) => {
      if (err) return callback(err);
      if (!row) return callback(null, null);
      let sess: SessionData;
      try {
        sess = typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess;
      } catch {
        return this.destroy(sid, callback);
      }
      callback(null, { ...sess, storedExpiresAt: Number(row.expires_at) });
    });
  }

  override set(sid: string, sess: SessionData, callback?: (err?: unknown) => void): void {
    const { storedExpiresAt: _, ...data } = sess;
    super.set(sid, data as SessionData, callback);
  }

  override touch(sid: string, sess: SessionData, callback?: (err?: unknown) => void): void {
    const next = sess.cookie?.expires?.getTime();
    const stored = sess.storedExpiresAt;
    if (next !== undefined && typeof stored === 'number' && next - stored < TOUCH_INTERVAL_MS) {
      callback?.();
      return;
    }
    super.touch(sid, sess, callback);
  }
}

export function createSessionMiddleware(opts: { pool: pg.Pool; secret: string; secure: boolean }) {
  const store = new ThrottledPgStore({
    pool: opts.pool,
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
    ttl: IDLE_TIMEOUT_MS / 1000,
  });
  const middleware = session({
    store,
    secret: opts.secret,
    name: opts.secure ? '__Host-crm.sid' : 'crm.sid',
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/', maxAge: IDLE_TIMEOUT_MS },
  });
  return { middleware, close: () => store.close() };
}

/**
 * Ends sessions that passed the absolute lifetime since sign-in: the stored row is deleted and the
 * request goes on with a fresh, empty session (passport and CSRF need one; destroy would leave none).
 */
export const absoluteTimeout: RequestHandler = (req, _res, next) => {
  const signedInAt = req.session?.signedInAt;
  if (typeof signedInAt === 'number' && Date.now() - signedInAt > ABSOLUTE_TIMEOUT_MS) {
    req.session.regenerate((err) => next(err));
    return;
  }
  next();
};

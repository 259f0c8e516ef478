// Sessions in PostgreSQL (connect-pg-simple), so several app processes share them.
// Idle timeout: a rolling 30-minute cookie and store expiry. Absolute timeout: 12 hours from
// sign-in, checked here because express-session has none.
import type { RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    signedInAt?: number;
    loginAttemptId?: string;
    flash?: { type: 'success' | 'info' | 'warning' | 'danger'; text: string }[];
  }
}

export function createSessionMiddleware(opts: { pool: pg.Pool; secret: string; secure: boolean }) {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
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

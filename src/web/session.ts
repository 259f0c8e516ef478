// Sessions in PostgreSQL (connect-pg-simple), so several app processes share them.
// Idle timeout: a rolling 30-minute cookie and store expiry; the stored expiry is moved at most
// once a minute (ThrottledPgStore), so a signed-in request costs one read, not a read and a write.
// Absolute timeout: 12 hours from sign-in, checked here because express-session has none.
// The session read also reads the signed-in user (one statement, see ThrottledPgStore.get).
import type { RequestHandler } from 'express';
import session, { type SessionData } from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import { currentUserJsonSql, type CurrentUserRow } from '../access/currentUser.ts';

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
    /**
     * The signed-in user's row as the same read found it (null: no such user): set by ThrottledPgStore.get,
     * never stored; passport's deserializer (src/web/auth.ts) uses it instead of reading the user again.
     */
    userRow?: CurrentUserRow | null;
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
  declare query: (
    sql: string | { name: string; text: string },
    params: unknown[],
    fn: (err: unknown, row?: any) => void,
  ) => void;
  declare quotedTable: () => string;

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    // expire is a timestamp without time zone written with to_timestamp(): ::timestamptz reads it back
    // in the same session time zone, whatever that is. The user is the one passport keeps in the session
    // (a number; anything else reads no user, and the deserializer falls back to its own read).
    const userId = `CASE WHEN json_typeof(s.sess->'passport'->'user') = 'number'
      AND (s.sess->'passport'->>'user') ~ '^[0-9]{1,9}$' THEN (s.sess->'passport'->>'user')::int END`;
    const sql = `SELECT s.sess, extract(epoch FROM s.expire::timestamptz) * 1000 AS expires_at,
      ${currentUserJsonSql(userId)} AS user_row
      FROM ${this.quotedTable()} s WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`;
    type Row = { sess: SessionData | string; expires_at: string; user_row: CurrentUserRow | null };
    // A prepared statement (the text never changes): each connection parses and plans it once, not on every
    // request (about 1.4 ms of PostgreSQL's CPU per request in its statement log, on the same cores as the app).
    const statement = { name: 'crm_session_and_user', text: sql };
    this.query(statement, [sid, Math.ceil(Date.now() / 1000)], (err: unknown, row?: Row) => {
      // The user's half failing (a table or column the join reads) must not lose the session: with no
      // session, express-session's unset: 'destroy' would delete the row. Read the session alone; the
      // deserializer then reads the user itself and its error answers this request.
      if (err) return super.get(sid, callback);
      if (!row) return callback(null, null);
      let sess: SessionData;
      try {
        sess = typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess;
      } catch {
        return this.destroy(sid, callback);
      }
      callback(null, { ...sess, storedExpiresAt: Number(row.expires_at), userRow: row.user_row });
    });
  }

  override set(sid: string, sess: SessionData, callback?: (err?: unknown) => void): void {
    const { storedExpiresAt: _, userRow: __, ...data } = sess;
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

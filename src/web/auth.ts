// Who is signed in. passport keeps the user id in the session; on every request the user is
// loaded afresh (joined into the session read, src/web/session.ts), so deactivation (of the user or their company),
// role and group changes apply
// on the next request in every session. requireUser is global and denies by default: only the
// routes declared `public` answer visitors (and visitors who passed only the password step).
import type { Request, RequestHandler } from 'express';
import passport from 'passport';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { currentUserFrom, loadCurrentUser } from '../access/currentUser.ts';
import { Unauthorized } from './errors.ts';

/** The largest id a PostgreSQL integer column holds. */
const MAX_ID = 2_147_483_647;

export function configurePassport(prisma: PrismaClient): passport.PassportStatic {
  const instance = new passport.Passport() as unknown as passport.PassportStatic;
  instance.serializeUser((user, done) => done(null, user.id));
  // The session read brought the user's row along (src/web/session.ts): deciding from it costs no statement.
  // Without it (a session saved in this request, an id the read did not take), the user is read here.
  // With three parameters passport passes the request first.
  instance.deserializeUser((req: Request, id: unknown, done: (err: unknown, user?: Express.User | false) => void) => {
    // passport stores the user's id: anything else in a stored session (a row written by hand) signs it out.
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > MAX_ID) return done(null, false);
    const row = req.session?.userRow;
    if (row && row.id === id) {
      if (row.figureVersion !== undefined) req.figureVersionAtStart = row.figureVersion;
      return done(null, currentUserFrom(row) ?? false);
    }
    loadCurrentUser(prisma, id).then((u) => done(null, u ?? false), done);
  });
  return instance;
}

/** Express paths (of the route table) open to visitors. */
export function requireUser(isPublic: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    // No page of the route table may be kept by the browser or a proxy: signed-in pages show
    // private data, the public ones (sign-in, code, reset link) a CSRF token and a secret link.
    res.set('Cache-Control', 'no-store');
    if (req.user || isPublic(req)) return next();
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    next(new Unauthorized());
  };
}

const FALLBACK = '/dashboard';
const BASE = 'http://local.invalid';

/**
 * A path a browser resolves on this site: `/x`, never `//host` or `/\host` (another host), no
 * backslash or control character, and no encoded slash or backslash in the path (`/%2f%2fhost`),
 * which a later decoding step could turn into one.
 */
function isLocalPath(p: string): boolean {
  if (!p.startsWith('/') || p.startsWith('//') || p.startsWith('/\\')) return false;
  if (/[\\\u0000-\u001f\u007f]/.test(p)) return false;
  const path = p.split(/[?#]/, 1)[0];
  return !/%(2f|5c)/i.test(path);
}

/**
 * The `next` to send a signed-in user to, or /dashboard. Both what came in and what is returned
 * are checked: normalising `/.//evil.test` or `/%2e%2e//evil.test` yields `//evil.test`, which a
 * browser reads as another host. (Hand-written: no maintained package checks a redirect target
 * this way; WHATWG URL does the normalising.)
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000 || !isLocalPath(next)) return FALLBACK;
  try {
    const url = new URL(next, BASE);
    const out = url.pathname + url.search + url.hash;
    if (url.origin !== BASE || !isLocalPath(out)) return FALLBACK;
    // Resolving the result again must land on the same place (nothing left to normalise).
    if (new URL(out, BASE).href !== url.href) return FALLBACK;
    return out;
  } catch {
    return FALLBACK;
  }
}

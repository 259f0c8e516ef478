// Who is signed in. passport keeps the user id in the session; on every request the user is
// loaded afresh, so deactivation (of the user or their company), role and group changes apply
// on the next request in every session. requireUser is global and denies by default: only the
// routes declared `public` answer visitors (and visitors who passed only the password step).
import type { Request, RequestHandler } from 'express';
import passport from 'passport';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { loadCurrentUser } from '../access/currentUser.ts';
import { Unauthorized } from './errors.ts';

export function configurePassport(prisma: PrismaClient): passport.PassportStatic {
  const instance = new passport.Passport() as unknown as passport.PassportStatic;
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser((id: unknown, done) => {
    if (typeof id !== 'number') return done(null, false);
    loadCurrentUser(prisma, id).then((u) => done(null, u ?? false), done);
  });
  return instance;
}

/** Express paths (of the route table) open to visitors. */
export function requireUser(isPublic: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    if (req.user) {
      // Authenticated pages must not be kept by the browser or a proxy.
      res.set('Cache-Control', 'no-store');
      return next();
    }
    if (isPublic(req)) return next();
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    next(new Unauthorized());
  };
}

/** Accepts only a local path: `/x`, never `//host`, `/\host`, a scheme or control characters. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/dashboard';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/dashboard';
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return '/dashboard';
  try {
    const url = new URL(next, 'http://local.invalid');
    if (url.origin !== 'http://local.invalid') return '/dashboard';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/dashboard';
  }
}

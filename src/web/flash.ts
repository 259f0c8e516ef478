// Flash messages after a redirect. Ten lines in the session; connect-flash adds nothing here.
import type { Request, RequestHandler, Response } from 'express';

export function flash(req: Request, type: 'success' | 'info' | 'warning' | 'danger', text: string): void {
  req.session.flash = [...(req.session.flash ?? []), { type, text }];
}

export const flashLocals: RequestHandler = (req, res, next) => {
  res.locals.flash = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  next();
};

/** Responses whose session redirectAfterSave just stored: saveFlashBeforeRedirect needs not store it again. */
const savedForRedirect = new WeakSet<Response>();

/**
 * Redirects (303) once the session, with its flash, is stored. express-session sends a redirect's
 * headers before its own end-of-request save completes, and a browser follows the Location at
 * once: the next page could load the session before the flash is in it (and then overwrite it).
 */
export function redirectAfterSave(req: Request, res: Response, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!req.session) {
      res.redirect(303, url);
      resolve();
      return;
    }
    req.session.save((err) => {
      if (err) return reject(err);
      savedForRedirect.add(res);
      res.redirect(303, url);
      resolve();
    });
  });
}

/**
 * The same guarantee for every handler that sets a flash and calls res.redirect: the redirect
 * waits for the session (and its flash) to be stored.
 */
export const saveFlashBeforeRedirect: RequestHandler = (req, res, next) => {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    if (!req.session?.flash?.length || savedForRedirect.has(res)) return redirect(...args);
    req.session.save((err) => (err ? next(err) : redirect(...args)));
  }) as typeof res.redirect;
  next();
};

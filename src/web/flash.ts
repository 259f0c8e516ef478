// Flash messages after a redirect. Ten lines in the session; connect-flash adds nothing here.
import type { Request, RequestHandler } from 'express';

export function flash(req: Request, type: 'success' | 'info' | 'warning' | 'danger', text: string): void {
  req.session.flash = [...(req.session.flash ?? []), { type, text }];
}

export const flashLocals: RequestHandler = (req, res, next) => {
  res.locals.flash = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  next();
};

/**
 * Every handler that sets a flash and calls res.redirect: the redirect waits for the session (and
 * its flash) to be stored. express-session sends a redirect's headers before its own end-of-request
 * save completes, and a browser follows the Location at once: the next page could load the session
 * before the flash is in it (and then overwrite it). A redirect that stores other session state
 * without a flash saves the session itself first (sign-in's first step does).
 */
export const saveFlashBeforeRedirect: RequestHandler = (req, res, next) => {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    if (!req.session?.flash?.length) return redirect(...args);
    req.session.save((err) => (err ? next(err) : redirect(...args)));
  }) as typeof res.redirect;
  next();
};

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

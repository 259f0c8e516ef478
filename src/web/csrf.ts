// CSRF on every state-changing request: csrf-sync (synchroniser token kept in the session),
// the token posted in the hidden field `_csrf`. Templates ask for a token lazily, so pages
// without a form do not create a session.
import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { Forbidden } from './errors.ts';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) =>
    typeof req.body?._csrf === 'string' ? req.body._csrf : (req.headers['x-csrf-token'] as string | undefined),
});

export const csrfProtection: RequestHandler = (req, res, next) => {
  csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (err)
      return next(
        new Forbidden('The form was out of date or not sent from this site. Go back, reload the page and try again.'),
      );
    next();
  });
};

export const csrfLocals: RequestHandler = (req, res, next) => {
  let token: string | undefined;
  res.locals.csrfToken = () => (token ??= generateToken(req));
  next();
};

// Sign-in in two steps (SPEC section 4): password, then a 6-digit code sent by email.
import type { Request, RequestHandler, Response } from 'express';
import { unscoped } from '../db/client.ts';
import type { AppDeps } from '../deps.ts';
import { loadCurrentUser } from '../access/currentUser.ts';
import { mailTemplates } from '../mail/templates.ts';
import { safeNext } from '../web/auth.ts';
import { TooManyRequests } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, renderInvalid } from '../web/forms.ts';
import { deviceCookies } from './deviceCookie.ts';
import { passwordGuesses } from './guesses.ts';
import { MAX_WRONG_CODES, newSignInCode, RESEND_INTERVAL_MS, hashSecret, secretMatches } from './codes.ts';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import {
  claimCodeTry,
  claimResend,
  consumeLoginAttempt,
  endLoginAttempt,
  findOpenLoginAttempt,
  findUserForLogin,
  releaseResend,
  replaceCode,
  startLoginAttempt,
  userMaySignIn,
} from './queries.ts';
import { loginForm, verifyForm } from './schema.ts';

declare module 'express-session' {
  interface SessionData {
    loginNext?: string;
    /** codes mailed for the pending sign-in (given back to the hourly cap once it is verified) */
    loginCodesSent?: number;
  }
}

const WRONG_CREDENTIALS = 'The email or password is not right.';

function ip(req: Request): string {
  return req.ip ?? 'unknown';
}

function tooManyCodes(req: Request, res: Response) {
  delete req.session.loginAttemptId;
  flash(req, 'danger', 'Too many wrong codes. Please sign in again.');
  return res.redirect(303, '/login');
}

/**
 * A resend refused for now (429 with Retry-After) answers with the code form itself, saying when a
 * new code can be sent: the code already mailed still works, so this is no dead end.
 */
function renderResendLater(res: Response, waitSeconds: number, why: string) {
  const seconds = Math.max(1, Math.ceil(waitSeconds));
  const when = seconds < 120 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  res
    .set('Retry-After', String(seconds))
    .status(429)
    .render('account/verify', {
      title: 'Enter your code',
      values: { code: '' },
      fieldErrors: {},
      formError: `${why} You can send a new code in ${when}. The code we already sent still works.`,
    });
}

function renderMailFailed(res: Response) {
  res.status(503).render('account/mail-failed', { title: 'Code not sent' });
}

export function signInHandlers(deps: AppDeps) {
  const { db, throttles, mailer, logger } = deps;
  const prisma = unscoped(db, 'sign-in');
  const devices = deviceCookies(deps.sessionSecret, deps.config.env === 'production');
  const guesses = passwordGuesses(throttles, devices);

  /**
   * The sign-in code goes out at once (the user is waiting for it); only when the mail server fails is it
   * queued, and the worker retries until the server is back. 'failed' when even the queue could not take it.
   */
  async function sendCode(to: string, code: string): Promise<'sent' | 'queued' | 'failed'> {
    const message = mailTemplates.signInCode(to, code);
    try {
      await mailer.send(message);
      return 'sent';
    } catch {
      try {
        await deps.jobs.enqueue('mail', message);
        return 'queued';
      } catch (err) {
        logger.error({ err: { message: (err as Error).message } }, 'sign-in code neither sent nor queued');
        return 'failed';
      }
    }
  }
  const QUEUED = 'Your code is on its way: the mail server is slow right now, so it may take a few minutes to arrive.';

  /** A throttled password step answers 429 with the sign-in form and when to try again. */
  function renderLoginRefused(res: Response, values: { email: string; next: string }, err: TooManyRequests) {
    res
      .set('Retry-After', String(Math.ceil(err.retryAfterSeconds)))
      .status(429)
      .render('account/login', { title: 'Sign in', values, fieldErrors: {}, formError: err.detail });
  }

  /** GET /login — the password step. */
  const showLogin: RequestHandler = (req, res) => {
    if (req.user) return res.redirect(safeNext(req.query.next));
    const next = typeof req.query.next === 'string' ? safeNext(req.query.next) : '';
    res.render('account/login', { title: 'Sign in', values: { email: '', next } });
  };

  /** POST /login — checks the password; on success emails a code and moves to /login/verify. */
  const login: RequestHandler = async (req, res) => {
    const parsed = parseForm(loginForm, req.body);
    const next = typeof req.body?.next === 'string' ? safeNext(req.body.next) : '';
    const values = { email: typeof req.body?.email === 'string' ? req.body.email : '', next };
    if (!parsed.ok) return renderInvalid(res, 'account/login', { title: 'Sign in', values }, parsed.errors);
    const { email, password } = parsed.data;
    let guess: Awaited<ReturnType<typeof guesses.count>>;
    try {
      guess = await guesses.count(req, email);
    } catch (err) {
      if (err instanceof TooManyRequests) return renderLoginRefused(res, values, err);
      throw err;
    }

    const user = await findUserForLogin(prisma, email);
    // The hash is verified in every case (a dummy one for unknown emails) so timing does not tell.
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !passwordOk || !userMaySignIn(user)) {
      guess.wrong();
      logger.info({ event: 'signin.password_failed', email, userId: user?.id, ip: ip(req) }, 'sign-in failed');
      return renderInvalid(res, 'account/login', { title: 'Sign in', values, formError: WRONG_CREDENTIALS }, {});
    }
    // Only failures count: the right password gives its try back.
    await guess.right();
    if (needsRehash(user.passwordHash!)) {
      await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
    }
    try {
      await throttles.codeSendAccount.hit(String(user.id));
    } catch (err) {
      if (err instanceof TooManyRequests) return renderLoginRefused(res, values, err);
      throw err;
    }
    const code = await newSignInCode();
    const sent = await sendCode(user.email, code);
    if (sent === 'failed') return renderMailFailed(res);
    if (sent === 'queued') flash(req, 'info', QUEUED);
    const attempt = await startLoginAttempt(prisma, user.id, code);
    req.session.loginAttemptId = attempt.id;
    req.session.loginNext = next || undefined;
    req.session.loginCodesSent = 1;
    logger.info({ event: 'signin.code_sent', userId: user.id, ip: ip(req) }, 'sign-in code sent');
    // Stored before the browser follows the redirect, or /login/verify could miss the attempt.
    // (The global redirect patch saves only a session that carries a flash; this one carries none.)
    await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
    res.redirect(303, '/login/verify');
  };

  /** GET /login/verify — the code step. */
  const showVerify: RequestHandler = async (req, res) => {
    const attempt = await findOpenLoginAttempt(prisma, req.session.loginAttemptId);
    if (!attempt) {
      flash(req, 'warning', 'Your sign-in has expired or was not started. Please sign in again.');
      return res.redirect(303, '/login');
    }
    res.render('account/verify', { title: 'Enter your code', values: { code: '' } });
  };

  /** POST /login/verify — checks the code; the right one signs the user in with a new session id. */
  const verify: RequestHandler = async (req, res, next) => {
    const attempt = await findOpenLoginAttempt(prisma, req.session.loginAttemptId);
    if (!attempt) {
      flash(req, 'warning', 'Your sign-in has expired or was not started. Please sign in again.');
      return res.redirect(303, '/login');
    }
    const parsed = parseForm(verifyForm, req.body);
    if (!parsed.ok)
      return renderInvalid(res, 'account/verify', { title: 'Enter your code', values: { code: '' } }, parsed.errors);
    const { code } = parsed.data;
    if (attempt.expiresAt < new Date()) {
      return renderInvalid(
        res,
        'account/verify',
        { title: 'Enter your code', values: { code: '' } },
        { code: 'This code has expired. Send a new code.' },
      );
    }
    // Both counts are taken before the code is compared, atomically: codes sent at once cannot
    // get more than MAX_WRONG_CODES comparisons.
    await throttles.codeIp.hit(ip(req));
    const tries = await claimCodeTry(prisma, attempt.id, MAX_WRONG_CODES);
    if (tries === null) return tooManyCodes(req, res);
    if (!secretMatches(attempt.codeHash, code)) {
      logger.info(
        { event: 'signin.code_failed', userId: attempt.userId, ip: ip(req), wrong: tries },
        'wrong sign-in code',
      );
      if (tries >= MAX_WRONG_CODES) {
        await endLoginAttempt(prisma, attempt.id);
        return tooManyCodes(req, res);
      }
      const left = MAX_WRONG_CODES - tries;
      return renderInvalid(
        res,
        'account/verify',
        { title: 'Enter your code', values: { code: '' } },
        {
          code: `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`,
        },
      );
    }
    await throttles.codeIp.refund(ip(req));
    if (!(await consumeLoginAttempt(prisma, attempt.id, hashSecret(code)))) {
      flash(req, 'warning', 'Your sign-in has expired. Please sign in again.');
      return res.redirect(303, '/login');
    }
    const user = await loadCurrentUser(prisma, attempt.userId);
    if (!user) {
      flash(req, 'warning', 'This account cannot sign in. Contact your account manager.');
      return res.redirect(303, '/login');
    }
    // Throttle failures, not success: the right user's own use gives back what it filled, the
    // codes mailed for this sign-in and the wrong codes typed in it before the right one.
    await throttles.codeSendAccount.refund(String(user.id), req.session.loginCodesSent ?? 1);
    if (tries > 1) await throttles.codeIp.refund(ip(req), tries - 1);
    // This browser completed sign-in for the account: its new device cookie, its wrong passwords given back.
    await guesses.signedIn(req, user.email);
    devices.issue(req, res, user.email);
    const target = safeNext(req.session.loginNext);
    // passport ≥ 0.6 regenerates the session id here: the pre-login session stops working.
    req.login(user, (err) => {
      if (err) return next(err);
      req.session.signedInAt = Date.now();
      prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } }).then(() => {
        logger.info({ event: 'signin.success', userId: user.id, ip: ip(req) }, 'signed in');
        req.session.save((e) => (e ? next(e) : res.redirect(303, target)));
      }, next);
    });
  };

  /** POST /login/resend — a new code, at most once a minute. */
  const resend: RequestHandler = async (req, res) => {
    const attempt = await findOpenLoginAttempt(prisma, req.session.loginAttemptId);
    if (!attempt) {
      flash(req, 'warning', 'Your sign-in has expired. Please sign in again.');
      return res.redirect(303, '/login');
    }
    // The once-a-minute slot is taken atomically before sending: resends sent at once mail one code.
    if (!(await claimResend(prisma, attempt.id, RESEND_INTERVAL_MS))) {
      const now = await findOpenLoginAttempt(prisma, attempt.id);
      if (!now) return res.redirect(303, '/login');
      const wait = now.lastSentAt.getTime() + RESEND_INTERVAL_MS - Date.now();
      return renderResendLater(res, Math.min(RESEND_INTERVAL_MS, wait) / 1000, 'A new code can be sent once a minute.');
    }
    const user = await prisma.user.findUnique({ where: { id: attempt.userId }, select: { email: true } });
    if (!user) return res.redirect(303, '/login');
    try {
      await throttles.codeSendAccount.hit(String(attempt.userId));
    } catch (err) {
      await releaseResend(prisma, attempt.id, attempt.lastSentAt);
      if (err instanceof TooManyRequests)
        return renderResendLater(res, err.retryAfterSeconds, 'We have sent this account many codes in the last hour.');
      throw err;
    }
    const code = await newSignInCode();
    const sent = await sendCode(user.email, code);
    if (sent === 'failed') {
      // Not sent: the current code still works and the user may try again at once.
      await releaseResend(prisma, attempt.id, attempt.lastSentAt);
      return renderMailFailed(res);
    }
    await replaceCode(prisma, attempt.id, code);
    req.session.loginCodesSent = (req.session.loginCodesSent ?? 1) + 1;
    flash(
      req,
      'info',
      sent === 'queued'
        ? `${QUEUED} The previous code no longer works.`
        : 'We sent you a new code. The previous one no longer works.',
    );
    res.redirect(303, '/login/verify');
  };

  /** POST /logout — ends the session on the server. */
  const logout: RequestHandler = (req, res, next) => {
    const userId = req.user?.id;
    req.session.destroy((err) => {
      if (err) return next(err);
      logger.info({ event: 'signout', userId }, 'signed out');
      res.clearCookie(deps.config.env === 'production' ? '__Host-crm.sid' : 'crm.sid', { path: '/' });
      res.redirect(303, '/login');
    });
  };

  return { readDeviceCookie: devices.parse, showLogin, login, showVerify, verify, resend, logout };
}

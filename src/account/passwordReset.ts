// Password reset (SPEC section 4.6) and the invitation link, which sets a first password the
// same way. Tokens are random, stored as sha256, single use; reset links live 1 hour.
import { companyAdmits } from '../access/policy.ts';
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { unscoped } from '../db/client.ts';
import type { AppDeps } from '../deps.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { mailTemplates } from '../mail/templates.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, renderInvalid } from '../web/forms.ts';
import { hashSecret } from './codes.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { endSessionsOf, setPassword } from './queries.ts';
import { forgotForm, newPasswordForm } from './schema.ts';

export const RESET_TTL_MS = 60 * 60 * 1000;
export const INVITE_TTL_MS = 72 * 60 * 60 * 1000;

/** Creates a single-use token for the user and returns the link to put in the mail. */
export async function createPasswordToken(
  prisma: Pick<PrismaClient, 'passwordResetToken'>,
  appUrl: string,
  userId: number,
  purpose: 'reset' | 'invite',
) {
  const token = randomBytes(32).toString('base64url');
  await prisma.passwordResetToken.create({
    data: {
      userId,
      tokenHash: hashSecret(token),
      purpose,
      expiresAt: new Date(Date.now() + (purpose === 'reset' ? RESET_TTL_MS : INVITE_TTL_MS)),
    },
  });
  return `${appUrl}/password/reset/${token}`;
}

function findValidToken(prisma: PrismaClient, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return Promise.resolve(null);
  return prisma.passwordResetToken.findFirst({
    where: {
      tokenHash: hashSecret(token),
      usedAt: null,
      expiresAt: { gt: new Date() },
      user: { active: true },
      // An invitation sets a first password: once the user has one, the invitation is spent.
      OR: [{ purpose: { not: 'invite' } }, { user: { passwordHash: null } }],
    },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
}

export function passwordResetHandlers(deps: AppDeps) {
  const { db, throttles, logger, config } = deps;
  const prisma = unscoped(db, 'password reset');
  const sent =
    'If an account uses this address, we have sent it a link to choose a new password. It is valid for one hour.';

  /** GET /password/forgot — ask for a reset link. */
  const showForgot: RequestHandler = (_req, res) => {
    res.render('account/forgot', { title: 'Forgot your password?', values: { email: '' } });
  };

  /** POST /password/forgot — same answer and timing whether or not the email exists. */
  const forgot: RequestHandler = async (req: Request, res) => {
    const parsed = parseForm(forgotForm, req.body);
    const values = { email: typeof req.body?.email === 'string' ? req.body.email : '' };
    if (!parsed.ok)
      return renderInvalid(res, 'account/forgot', { title: 'Forgot your password?', values }, parsed.errors);
    await throttles.resetIp.hit(req.ip ?? 'unknown');
    await throttles.resetEmail.hit(parsed.data.email);
    const user = await prisma.user.findUnique({
      where: { email: parsed.data.email },
      select: { id: true, email: true, active: true, role: true, company: { select: { active: true } } },
    });
    // Only someone who could sign in afterwards gets a link; everyone gets the same page.
    if (user?.active && companyAdmits(user)) {
      const url = await createPasswordToken(prisma, config.appUrl, user.id, 'reset');
      // Queued, not sent here: the worker retries while the mail server is away, and a known address answers
      // as fast as an unknown one. Not awaited for the same reason.
      deps.jobs
        .enqueue('mail', mailTemplates.passwordReset(user.email, url))
        .catch((err: Error) => logger.error({ userId: user.id, err: err.message }, 'password reset mail not queued'));
    }
    logger.info({ event: 'password.reset_requested', known: !!user, ip: req.ip }, 'password reset requested');
    res.render('account/forgot-sent', { title: 'Check your email', message: sent });
  };

  /** GET /password/reset/:token — choose a new password. */
  const showReset: RequestHandler = async (req, res) => {
    const token = await findValidToken(prisma, String(req.params.token));
    if (!token)
      throw new NotFound(
        'This link is not valid: it has expired or was already ' +
          'used. Ask for a new one on the "Forgot your password?" page.',
      );
    res.render('account/reset', {
      title: token.purpose === 'invite' ? 'Set your password' : 'Choose a new password',
      email: token.user.email,
      token: req.params.token,
    });
  };

  /** POST /password/reset/:token — sets the password, voids the user's links, ends their sessions. */
  const reset: RequestHandler = async (req, res) => {
    const tokenText = String(req.params.token);
    const token = await findValidToken(prisma, tokenText);
    if (!token)
      throw new NotFound(
        'This link is not valid: it has expired or was already ' +
          'used. Ask for a new one on the "Forgot your password?" page.',
      );
    const locals = { title: 'Choose a new password', email: token.user.email, token: tokenText };
    const parsed = parseForm(newPasswordForm, req.body);
    if (!parsed.ok) return renderInvalid(res, 'account/reset', locals, parsed.errors);
    const problem = passwordProblem(parsed.data.password, { email: token.user.email });
    if (problem) return renderInvalid(res, 'account/reset', locals, { password: problem });
    const passwordHash = await hashPassword(parsed.data.password);
    const done = await prisma.$transaction(async (tx) => {
      const used = await tx.passwordResetToken.updateMany({
        where: { id: token.id, usedAt: null },
        data: { usedAt: new Date() },
      });
      if (used.count !== 1) return false;
      // Voids the user's other links (invitation and reset) and ends pending sign-ins; an
      // invitation answers false if a password was set meanwhile (the token stays used).
      if (!(await setPassword(tx, token.userId, passwordHash, { firstOnly: token.purpose === 'invite' }))) return false;
      await tx.auditEntry.create({
        data: {
          actorId: token.userId,
          action: 'password.reset',
          model: 'User',
          recordId: String(token.userId),
          changes: {},
        },
      });
      return true;
    });
    if (!done) throw new NotFound('This link was already used.');
    await endSessionsOf(db.pool, token.userId);
    logger.info({ event: 'password.reset', userId: token.userId }, 'password set through link');
    flash(req, 'success', 'Your password is set. Sign in with it now.');
    res.redirect(303, '/login');
  };

  return { showForgot, forgot, showReset, reset };
}

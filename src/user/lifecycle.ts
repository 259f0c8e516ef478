// Deactivating and reactivating users (never deleted: their records keep their names), and
// sending the invitation again. Nobody deactivates themself.
import type { RequestHandler } from 'express';
import { canChangeRoleOrActive } from '../access/policy.ts';
import { endSessionsOf } from '../account/queries.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { mailTemplates } from '../mail/templates.ts';
import { Forbidden } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { reinviteUser, setUserActive } from './writes.ts';

export function userLifecycleHandlers(deps: AppDeps) {
  /** GET /users/:id/delete — asks before deactivating. */
  const confirmDeactivate: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    if (!canChangeRoleOrActive(req.user, target)) throw new Forbidden('You cannot deactivate yourself.');
    res.render('user/confirm-delete', { title: `Deactivate ${target.name}`, target });
  };

  /** POST /users/:id/delete — deactivates the user; their sessions stop working at once. */
  const deactivate: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    if (!canChangeRoleOrActive(req.user, target)) throw new Forbidden('You cannot deactivate yourself.');
    const changed = await setUserActive(req.db, req.user!, target, false);
    if (changed) await endSessionsOf(deps.db.pool, target.id);
    flash(req, 'success', changed ? `${target.name} is deactivated and signed out.` : `${target.name} was already inactive.`);
    res.redirect(303, `/users/${target.id}`);
  };

  /** POST /users/:id/reactivate — lets the user sign in again. */
  const reactivate: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    if (!canChangeRoleOrActive(req.user, target)) throw new Forbidden('You cannot change your own active flag.');
    const changed = await setUserActive(req.db, req.user!, target, true);
    flash(req, 'success', changed ? `${target.name} is active again.` : `${target.name} was already active.`);
    res.redirect(303, `/users/${target.id}`);
  };

  /** POST /users/:id/invite — a new set-password link for a user who has none yet (older links stop working). */
  const reinvite: RequestHandler = async (req, res) => {
    const target = load.user.of(req);
    if (target.hasPassword) throw new Forbidden('This user has already set a password; they can use "Forgot your password?".');
    if (!target.active) throw new Forbidden('Reactivate the user before inviting them again.');
    const url = await reinviteUser(req.db, req.user!, deps.config.appUrl, target);
    try {
      await deps.mailer.send(mailTemplates.invitation(target.email, req.user!.name, target.company?.name ?? '', url));
      flash(req, 'success', `We emailed ${target.email} a new link to set a password.`);
    } catch (err) {
      deps.logger.error({ userId: target.id, err: (err as Error).message }, 'invitation mail not sent');
      flash(req, 'warning', 'The invitation email could not be sent. Try again later.');
    }
    res.redirect(303, `/users/${target.id}`);
  };

  return { confirmDeactivate, deactivate, reactivate, reinvite };
}

// GET/POST /profile — the user's own name, time zone and password; the page also shows the calendar feed's buttons
// (src/calendar/handlers.ts) and the reminder settings (POST /profile/reminders, src/reminder).
import type { Request, RequestHandler } from 'express';
import { findOwnFeed } from '../calendar/queries.ts';
import { unscoped } from '../db/client.ts';
import type { AppDeps } from '../deps.ts';
import { flash } from '../web/flash.ts';
import { parseForm, renderInvalid } from '../web/forms.ts';
import { TIME_ZONES } from '../web/time.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { endSessionsOf, setPassword } from './queries.ts';
import { profileForm } from './schema.ts';
import { feedUrlSealer } from '../calendar/handlers.ts';
import { findReminderSettings } from '../reminder/queries.ts';
import { reminderChoices, reminderSettingsForm } from '../reminder/schema.ts';
import { saveReminderSettings } from '../reminder/writes.ts';

/**
 * A new session id for the signed-in user, the session's contents kept (passport regenerates the
 * session on login; keepSessionInfo carries over sign-in time, CSRF secret and flash). The old id's
 * row is deleted, so a copy of the old cookie signs nobody in.
 */
function rotateSessionId(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.login(req.user!, { session: true, keepSessionInfo: true }, (err) => (err ? reject(err) : resolve())),
  );
}

export function profileHandlers(deps: AppDeps) {
  const prisma = unscoped(deps.db, 'current user');
  const sealer = feedUrlSealer(deps);

  /** The calendar section: whether a feed exists, and its address if it was just made (shown this once). */
  const calendarLocals = async (req: Request) => {
    const sealed = req.session.calendarFeedUrl;
    if (sealed) delete req.session.calendarFeedUrl;
    const calendarFeedUrl = sealed ? sealer.open(sealed) : null;
    return { calendarFeed: await findOwnFeed(req.db, req.user!.id), calendarFeedUrl };
  };

  /** The reminders section: the saved settings as the form shows them, or what was just typed. */
  const reminderLocals = async (req: Request, typed?: Record<string, unknown>) => {
    const saved = await findReminderSettings(prisma, req.user!.id);
    const shown = (v: unknown) => (v === null || v === undefined ? 'none' : String(v));
    const pick = (name: keyof typeof saved) =>
      typeof typed?.[name] === 'string' ? String(typed[name]) : shown(saved[name]);
    return {
      reminders: {
        taskReminder: pick('taskReminder'),
        appointmentReminderMinutes: pick('appointmentReminderMinutes'),
        digestHour: pick('digestHour'),
      },
      reminderChoices,
    };
  };

  const pageLocals = async (req: Request, values: { name: string; timeZone: string }, typed?: object) => ({
    title: 'Your profile',
    values,
    timeZones: TIME_ZONES,
    ...(await calendarLocals(req)),
    ...(await reminderLocals(req, typed as Record<string, unknown> | undefined)),
  });

  /** GET /profile — own details, and the calendar feed. */
  const show: RequestHandler = async (req, res) => {
    const u = req.user!;
    res.render('account/profile', await pageLocals(req, { name: u.name, timeZone: u.timeZone }));
  };

  /**
   * POST /profile — saves name and time zone; a new password needs the current one, rotates this session's id and ends
   * other sessions and pending sign-ins.
   */
  const update: RequestHandler = async (req, res) => {
    const u = req.user!;
    const values = {
      name: typeof req.body?.name === 'string' ? req.body.name : u.name,
      timeZone: typeof req.body?.timeZone === 'string' ? req.body.timeZone : u.timeZone,
    };
    const locals = await pageLocals(req, values);
    const parsed = parseForm(profileForm, req.body);
    if (!parsed.ok) return renderInvalid(res, 'account/profile', locals, parsed.errors);
    const { name, timeZone, currentPassword, newPassword, newPasswordConfirm } = parsed.data;
    let passwordHash: string | undefined;
    if (newPassword || currentPassword) {
      const row = await prisma.user.findUniqueOrThrow({ where: { id: u.id }, select: { passwordHash: true } });
      if (!row.passwordHash || !(await verifyPassword(row.passwordHash, currentPassword))) {
        return renderInvalid(res, 'account/profile', locals, {
          currentPassword: 'Your current password is not right.',
        });
      }
      const problem = !newPassword ? 'Enter a new password.' : passwordProblem(newPassword, { email: u.email, name });
      if (problem) return renderInvalid(res, 'account/profile', locals, { newPassword: problem });
      if (newPassword !== newPasswordConfirm)
        return renderInvalid(res, 'account/profile', locals, { newPasswordConfirm: 'The two passwords differ.' });
      passwordHash = await hashPassword(newPassword);
    }
    await prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: u.id }, data: { name, timeZone, version: { increment: 1 } } });
      // Voids the user's unused reset and invitation links and ends pending sign-ins started with the old password.
      if (passwordHash) await setPassword(tx, u.id, passwordHash);
      await tx.auditEntry.create({
        data: {
          companyId: u.companyId,
          actorId: u.id,
          action: 'update',
          model: 'User',
          recordId: String(u.id),
          changes: {
            ...(name !== u.name ? { name: [u.name, name] } : {}),
            ...(timeZone !== u.timeZone ? { timeZone: [u.timeZone, timeZone] } : {}),
            ...(passwordHash ? { password: 'changed' } : {}),
          },
        },
      });
    });
    if (passwordHash) {
      await rotateSessionId(req);
      await endSessionsOf(deps.db.pool, u.id, req.sessionID);
      deps.logger.info(
        { event: 'password.changed', userId: u.id },
        'password changed; session id rotated, other sessions ended',
      );
    }
    flash(
      req,
      'success',
      passwordHash
        ? 'Profile saved. Your password is changed and your other sessions are signed out.'
        : 'Profile saved.',
    );
    res.redirect(303, '/profile');
  };

  /** POST /profile/reminders — the task and appointment reminder defaults and the morning digest's hour. */
  const reminders: RequestHandler = async (req, res) => {
    const u = req.user!;
    const parsed = parseForm(reminderSettingsForm, req.body);
    if (!parsed.ok) {
      const locals = await pageLocals(req, { name: u.name, timeZone: u.timeZone }, req.body);
      return renderInvalid(res, 'account/profile', locals, parsed.errors);
    }
    await saveReminderSettings(prisma, u, parsed.data);
    flash(req, 'success', 'Reminder settings saved.');
    res.redirect(303, '/profile#reminders');
  };

  return { show, update, reminders };
}

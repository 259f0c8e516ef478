// The calendar's signed-in handlers: an appointment's "Add to calendar" file, and the profile's buttons that
// create, replace and revoke the user's feed address (POST, CSRF-checked, then back to the profile with a flash).
import type { RequestHandler } from 'express';
import { can, seesColleagueEmails, spansCompanies } from '../access/policy.ts';
import { Forbidden } from '../web/errors.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { flash } from '../web/flash.ts';
import { appointmentDownload } from './ics.ts';
import { issueFeedToken, revokeFeed } from './writes.ts';
import { sessionSealer } from '../secret.ts';

declare module 'express-session' {
  interface SessionData {
    /** A feed address just made: shown once on the next profile page, then forgotten. */
    calendarFeedUrl?: string;
  }
}

/** `Kick-off: Q3` → `kick-off-q3.ics`: a file name any system accepts. */
const fileNameOf = (title: string) =>
  `${
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'appointment'
  }.ics`;

/** A feed lists appointments and tasks: someone who may see neither has nothing to subscribe to. */
/** The new address waits in the session sealed (src/secret.ts): the session row never holds a working address. */
export const feedUrlSealer = (deps: Pick<AppDeps, 'sessionSecret'>) =>
  sessionSealer(deps.sessionSecret, 'calendar feed');

export const hasFeedItems = (user: Parameters<typeof can>[0]) =>
  can(user, 'appointment.view') || can(user, 'task.view');

export function calendarHandlers(deps: AppDeps) {
  const sealer = feedUrlSealer(deps);
  /** GET /appointments/:id/calendar.ics — the appointment as a file to add to one's calendar (PUBLISH). */
  const download: RequestHandler = (req, res) => {
    const user = req.user!;
    const a = load.appointment.of(req);
    // Staff see colleagues' names only: the organiser is named in the file when the reader may see the address.
    // A superuser organiser (no company) is named only to superusers: no one else may see their address.
    const colleague = a.organiser?.companyId !== null || spansCompanies(user);
    const organiser =
      a.organiser && (a.organiser.id === user.id || (seesColleagueEmails(user) && colleague)) ? a.organiser : null;
    res
      .set({
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': `attachment; filename="${fileNameOf(a.title)}"`,
      })
      .send(appointmentDownload({ ...a, organiser, attendees: [] }, deps.config.appUrl));
  };

  /** POST /profile/calendar — a new feed address (replacing the old one, which stops working). */
  const issue: RequestHandler = async (req, res) => {
    if (!hasFeedItems(req.user!)) throw new Forbidden('Your groups give you no appointments or tasks to subscribe to.');
    const { token, replaced } = await issueFeedToken(req.db, req.user!);
    req.session.calendarFeedUrl = sealer.seal(`${deps.config.appUrl}/calendar/${token}.ics`);
    flash(
      req,
      'success',
      replaced
        ? 'Your calendar address is replaced: the old one no longer works. Subscribe with the new one below.'
        : 'Your calendar address is ready. Copy it now: it is shown only once.',
    );
    res.redirect(303, '/profile#calendar');
  };

  /** POST /profile/calendar/revoke — ends the feed: calendar apps get nothing more from its address. */
  const revoke: RequestHandler = async (req, res) => {
    const had = await revokeFeed(req.db, req.user!);
    delete req.session.calendarFeedUrl;
    flash(req, had ? 'success' : 'info', had ? 'Your calendar address is revoked.' : 'You had no calendar address.');
    res.redirect(303, '/profile#calendar');
  };

  return { download, issue, revoke };
}

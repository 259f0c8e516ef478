// What every template may use: the user, the permission check, the current path, formatters.
import type { RequestHandler } from 'express';
import { can, policyFor, seesColleagueEmails } from '../access/policy.ts';
import type { Permission } from '../access/permissions.ts';
import { dateTimeFormatter, timeRange } from './time.ts';

export const templateLocals: RequestHandler = (req, res, next) => {
  const user = req.user ?? null;
  res.locals.currentUser = user;
  res.locals.can = (permission: Permission) => can(user, permission);
  res.locals.seesColleagueEmails = seesColleagueEmails(user);
  // The named policy questions (src/access/policy.ts) for templates: views ask these, never compare roles.
  res.locals.policy = policyFor(user);
  res.locals.currentPath = req.path;
  res.locals.title = 'CRM';
  res.locals.fieldErrors = {};
  // One formatter for the user's zone (cached per zone), not a time-zone object per cell.
  const inZone = dateTimeFormatter(user?.timeZone ?? 'UTC');
  res.locals.formatDateTime = (d: Date | null | undefined) => (d ? inZone(d) : '');
  res.locals.formatDate = (d: Date | null | undefined) => (d ? inZone(d).slice(0, 10) : '');
  res.locals.formatRange = (start: Date, end: Date) => timeRange(start, end, inZone);
  next();
};

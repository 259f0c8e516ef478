// What every template may use: the user, the permission check, the current path, formatters.
import type { RequestHandler } from 'express';
import { can, seesColleagueEmails } from '../access/policy.ts';
import type { Permission } from '../access/permissions.ts';
import { formatDateTime, formatDate } from './time.ts';

export const templateLocals: RequestHandler = (req, res, next) => {
  const user = req.user ?? null;
  res.locals.currentUser = user;
  res.locals.can = (permission: Permission) => can(user, permission);
  res.locals.seesColleagueEmails = seesColleagueEmails(user);
  res.locals.currentPath = req.path;
  res.locals.title = 'CRM';
  res.locals.fieldErrors = {};
  res.locals.formatDateTime = (d: Date | null | undefined) => formatDateTime(d, user?.timeZone ?? 'UTC');
  res.locals.formatDate = (d: Date | null | undefined) => formatDate(d, user?.timeZone ?? 'UTC');
  next();
};

// What a user may do inside their scope (SPEC section 3). The same named checks serve route
// guards, handlers and templates, so a hidden button and a refused POST come from one rule.
import type { RequestHandler } from 'express';
import { Forbidden, Unauthorized } from '../web/errors.ts';
import type { CurrentUser, Role } from './currentUser.ts';
import type { Permission } from './permissions.ts';

const DESCRIPTIONS: Record<string, string> = {
  view: 'view', add: 'add', change: 'change', delete: 'delete', assign: 'assign', manage: 'manage',
};

export function can(user: CurrentUser | undefined | null, permission: Permission): boolean {
  return !!user && user.permissions.has(permission);
}

export function describePermission(permission: Permission): string {
  const [record, action] = permission.split('.');
  return `You need the "${permission}" permission to ${DESCRIPTIONS[action] ?? action} ${record}s. Ask your account manager.`;
}

export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new Unauthorized());
    if (!can(req.user, permission)) return next(new Forbidden(describePermission(permission)));
    next();
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new Unauthorized());
    if (!roles.includes(req.user.role)) return next(new Forbidden('This page is for other roles than yours.'));
    next();
  };
}

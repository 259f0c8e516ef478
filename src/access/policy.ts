// What a user may do inside their scope (SPEC section 3). The same named checks serve route
// guards, handlers and templates, so a hidden button and a refused POST come from one rule.
import type { RequestHandler } from 'express';
import { Forbidden, Unauthorized } from '../web/errors.ts';
import type { CurrentUser, Role } from './currentUser.ts';
import type { Permission } from './permissions.ts';

const DESCRIPTIONS: Record<string, string> = {
  view: 'view', add: 'add', change: 'change', delete: 'delete', assign: 'assign', manage: 'manage',
};

/** User and group administration belongs to the account-manager role (SPEC section 2: staff have no
 *  scope over users and groups), whatever a staff user's groups hold. */
const ROLE_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['user.manage', 'group.manage']);

/** A row's owner company, when the check is about one record. */
export type RecordRef = { companyId: number | null };

/**
 * May the user do `permission` (on `record`, when given)? Deny by default: no user, a missing
 * permission, or a record of another company (for anyone but a superuser) all answer false.
 */
export function can(user: CurrentUser | undefined | null, permission: Permission, record?: RecordRef | null): boolean {
  if (!user || !user.permissions.has(permission)) return false;
  if (user.role === 'STAFF' && ROLE_PERMISSIONS.has(permission)) return false;
  if (record !== undefined) {
    if (!record) return false;
    if (user.role !== 'SUPERUSER' && record.companyId !== user.companyId) return false;
  }
  return true;
}

/**
 * May the user see colleagues' email addresses (SPEC section 2)? Staff see colleagues' names only;
 * account managers and superusers administer users and see their emails. Every page and export that
 * shows a user other than the viewer asks this before showing an email.
 */
export function seesColleagueEmails(user: CurrentUser | undefined | null): boolean {
  return !!user && (user.role === 'SUPERUSER' || user.role === 'ACCOUNT_MANAGER');
}

/** May `actor` edit or deactivate the user `target`? Account managers: users of their company, never a superuser. */
export function canManageUser(actor: CurrentUser | undefined | null, target: RecordRef & { role: Role }): boolean {
  if (!can(actor, 'user.manage', target)) return false;
  return actor!.role === 'SUPERUSER' || target.role !== 'SUPERUSER';
}

/** Roles the actor may give to a user (never SUPERUSER through the web forms). */
export function assignableRoles(actor: CurrentUser | undefined | null): Role[] {
  return can(actor, 'user.manage') ? ['STAFF', 'ACCOUNT_MANAGER'] : [];
}

/** Nobody changes their own role or deactivates themself (no self-promotion, no locking oneself out). */
export function canChangeRoleOrActive(actor: CurrentUser | undefined | null, target: { id: number }): boolean {
  return !!actor && actor.id !== target.id;
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

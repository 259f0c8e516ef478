// What a user may do inside their scope (SPEC section 3). The same named checks serve route
// guards, handlers and templates, so a hidden button and a refused POST come from one rule.
import type { RequestHandler } from 'express';
import { Forbidden, Unauthorized } from '../web/errors.ts';
import type { CurrentUser, Role } from './currentUser.ts';
import type { Permission } from './permissions.ts';

const DESCRIPTIONS: Record<string, string> = {
  view: 'view',
  add: 'add',
  change: 'change',
  delete: 'delete',
  assign: 'assign',
  manage: 'manage',
};

/** User and group administration belongs to the account-manager role (SPEC section 2: staff have no
 *  scope over users and groups), whatever a staff user's groups hold; so do the company's webhooks. */
const ROLE_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'user.manage',
  'group.manage',
  'webhook.manage',
]);

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
  return !!user && roleSeesColleagueEmails(user.role);
}

/** The same rule for someone who is not signed in here: a mail's recipient (their calendar invitation). */
export function roleSeesColleagueEmails(role: Role): boolean {
  return role === 'SUPERUSER' || role === 'ACCOUNT_MANAGER';
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

/** Superusers work across companies: they see every company's rows, a company column and a company filter. */
export function spansCompanies(user: CurrentUser | undefined | null): boolean {
  return !!user && user.role === 'SUPERUSER';
}

/** Superusers pick the company a new record goes into (the choose-the-company step); others create in their own. */
export function choosesCompany(user: CurrentUser | undefined | null): boolean {
  return !!user && user.role === 'SUPERUSER';
}

/** Only superusers administer companies (the companies list, their managers, activation). */
export function administersCompanies(user: CurrentUser | undefined | null): boolean {
  return !!user && user.role === 'SUPERUSER';
}

/**
 * May the user change their own company's pipeline settings (currency, win probabilities) on /company/settings?
 * Its account managers; superusers change any company's on its edit form.
 */
export function editsCompanySettings(user: CurrentUser | undefined | null): boolean {
  return !!user && user.role === 'ACCOUNT_MANAGER';
}

/** Everyone but superusers works inside one company: new records default to them (owner, assignee, attendee). */
export function belongsToCompany(user: CurrentUser | undefined | null): boolean {
  return !!user && user.role !== 'SUPERUSER';
}

/**
 * Does the user see other people's leads, tasks and appointments (and so get the assignee or attendee
 * filter and column)? Account managers and superusers do; staff see only their own rows (SPEC section 3).
 */
export function seesOthersRows(user: CurrentUser | undefined | null): boolean {
  return !!user && user.role !== 'STAFF';
}

/**
 * May the user switch "My day" (/today) to a colleague's day? Account managers, whose scope is their
 * company's rows; staff see only their own day, and superusers, who belong to no company, have none.
 */
export function seesColleaguesDay(user: CurrentUser | undefined | null): boolean {
  return seesOthersRows(user) && belongsToCompany(user);
}

/** Staff always attend the appointments they create or edit (their scope is the appointments they attend). */
export function attendsOwnAppointments(user: CurrentUser | undefined | null): boolean {
  return !!user && user.role === 'STAFF';
}

/** Who may pick a lead's assignee: account managers and superusers with lead.assign (SPEC section 5: never staff). */
export function canAssignLeads(user: CurrentUser | undefined | null): boolean {
  return seesOthersRows(user) && can(user, 'lead.assign');
}

/** May the user convert this lead? Once only, and they must be able to create a customer or pick one. */
export function canConvertLead(user: CurrentUser | undefined | null, lead: { convertedAt: Date | null }): boolean {
  return can(user, 'lead.change') && !lead.convertedAt && (can(user, 'customer.add') || can(user, 'customer.view'));
}

/** Does the user see this lead (its title, its lead-only activities)? Staff: their own leads (SPEC section 3). */
export function seesLeadOf(user: CurrentUser | undefined | null, lead: { assigneeId: number }): boolean {
  return can(user, 'lead.view') && (seesOthersRows(user) || lead.assigneeId === user!.id);
}

/** May the user edit this activity? Its author, and account managers (the scope's Activity write rule). */
export function canEditActivity(
  user: CurrentUser | undefined | null,
  activity: RecordRef & { authorId: number | null },
): boolean {
  return can(user, 'activity.change', activity) && (seesOthersRows(user) || activity.authorId === user!.id);
}

/** May the user delete this activity? As for editing, with activity.delete. */
export function canDeleteActivity(
  user: CurrentUser | undefined | null,
  activity: RecordRef & { authorId: number | null },
): boolean {
  return can(user, 'activity.delete', activity) && (seesOthersRows(user) || activity.authorId === user!.id);
}

/**
 * May the user administer webhooks (src/webhook)? The company's account managers. A superuser belongs to no company:
 * webhooks are a company's, so they are managed from inside it (as imports are made), not across companies.
 */
export function managesWebhooks(user: CurrentUser | undefined | null): boolean {
  return can(user, 'webhook.manage') && belongsToCompany(user);
}

/** The roles that read the audit trail (the route's rule, and the links to it). */
export const AUDIT_READERS: Role[] = ['SUPERUSER', 'ACCOUNT_MANAGER'];

export function readsAuditTrail(user: CurrentUser | undefined | null): boolean {
  return !!user && AUDIT_READERS.includes(user.role);
}

/** The roles that merge two customers or two leads (issue 16: account managers and superusers only). */
export const MERGERS: Role[] = ['SUPERUSER', 'ACCOUNT_MANAGER'];

export function canMergeRecords(user: CurrentUser | undefined | null): boolean {
  return !!user && MERGERS.includes(user.role);
}

/** The roles that see the job queue (/jobs: failed and waiting jobs, and their Retry button). */
export const JOB_QUEUE_READERS: Role[] = ['SUPERUSER'];

export function readsJobQueue(user: CurrentUser | undefined | null): boolean {
  return !!user && JOB_QUEUE_READERS.includes(user.role);
}

/** Which dashboard the user gets: every company's, their company's, or their own work. */
export function dashboardFor(user: CurrentUser): 'companies' | 'company' | 'own' {
  if (user.role === 'SUPERUSER') return 'companies';
  return user.role === 'ACCOUNT_MANAGER' ? 'company' : 'own';
}

/** Does the user's company let them in? Superusers belong to none; everyone else needs an active company. */
export function companyAdmits(user: { role: Role; company: { active: boolean } | null }): boolean {
  return user.role === 'SUPERUSER' || !!user.company?.active;
}

/** The role a new-user form starts with (`?role=` on the link): account manager when asked, else staff. */
export function newUserRole(raw: unknown): Role {
  return raw === 'ACCOUNT_MANAGER' ? 'ACCOUNT_MANAGER' : 'STAFF';
}

/** A new staff user with no group chosen joins the default staff group. */
export function joinsDefaultStaffGroup(role: Role): boolean {
  return role === 'STAFF';
}

/** Everything templates ask, answered once per request for the current user (set in src/web/locals.ts). */
export function policyFor(user: CurrentUser | undefined | null) {
  return {
    spansCompanies: spansCompanies(user),
    choosesCompany: choosesCompany(user),
    administersCompanies: administersCompanies(user),
    editsCompanySettings: editsCompanySettings(user),
    belongsToCompany: belongsToCompany(user),
    seesOthersRows: seesOthersRows(user),
    seesColleagueEmails: seesColleagueEmails(user),
    readsAuditTrail: readsAuditTrail(user),
    readsJobQueue: readsJobQueue(user),
    managesWebhooks: managesWebhooks(user),
    canMergeRecords: canMergeRecords(user),
    canAssignLeads: canAssignLeads(user),
    canConvertLead: (lead: { convertedAt: Date | null }) => canConvertLead(user, lead),
    canManageUser: (target: RecordRef & { role: Role }) => canManageUser(user, target),
    canEditActivity: (a: RecordRef & { authorId: number | null }) => canEditActivity(user, a),
    canDeleteActivity: (a: RecordRef & { authorId: number | null }) => canDeleteActivity(user, a),
  };
}

export type TemplatePolicy = ReturnType<typeof policyFor>;

export function describePermission(permission: Permission): string {
  const [record, action] = permission.split('.');
  return (
    `You need the "${permission}" permission to ${DESCRIPTIONS[action] ?? action} ${record}s. ` +
    'Ask your account manager.'
  );
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

/** May the user undo an import (src/import/undo.ts)? The person who ran it, and their company's account managers. */
export function canUndoImportOf(user: CurrentUser | undefined | null, imp: { userId: number | null }): boolean {
  if (!user || !belongsToCompany(user)) return false;
  return imp.userId === user.id || user.role === 'ACCOUNT_MANAGER';
}

/** A managed user's role (superusers are never among the users a company's pages and API manage). */
export function managedRole(role: Role): 'ACCOUNT_MANAGER' | 'STAFF' {
  return role === 'ACCOUNT_MANAGER' ? 'ACCOUNT_MANAGER' : 'STAFF';
}

// The signed-in user as every request sees it: loaded fresh from the database on each request,
import type {} from 'passport';
// so deactivation, role and group changes apply on the next request in every session.
import type { PrismaClient } from '../generated/prisma/client.ts';
import { DEFAULT_CURRENCY } from '../pipeline/money.ts';
import { type CompanyProbabilities, DEFAULT_PROBABILITIES, probabilitiesOf } from '../pipeline/stages.ts';
import { ALL_PERMISSIONS, isPermission, type Permission } from './permissions.ts';

export type Role = 'SUPERUSER' | 'ACCOUNT_MANAGER' | 'STAFF';

export type CurrentUser = {
  id: number;
  email: string;
  name: string;
  role: Role;
  companyId: number | null;
  companyName: string | null;
  /** The company's currency (ISO 4217); a superuser, who has no company, gets the default. */
  currency: string;
  /** The company's win probability per status (per cent); the defaults for a superuser. */
  probabilities: Readonly<Record<'NEW' | 'CONTACTED' | 'QUALIFIED' | 'WON' | 'LOST', number>>;
  timeZone: string;
  permissions: ReadonlySet<Permission>;
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport types req.user as Express.User
    interface User extends CurrentUser {}
  }
}

/** What decides who the user is now: the user row, their company's name and state, their groups' permissions. */
export type CurrentUserRow = {
  id: number;
  email: string;
  name: string;
  role: Role;
  companyId: number | null;
  active: boolean;
  timeZone: string;
  company: ({ name: string; active: boolean; currency: string } & CompanyProbabilities) | null;
  /** Every permission of every group the user belongs to (used for staff only). */
  groupPermissions: string[];
  /**
   * The company's figure version (src/pipeline/figureCache.ts) as the same read found it: only in the session read's
   * row (currentUserJsonSql), null when the company has none.
   */
  figureVersion?: string | null;
};

/** The user if they may use the app now (active, and their company active), else null. */
export function currentUserFrom(user: CurrentUserRow): CurrentUser | null {
  if (!user.active) return null;
  if (user.role !== 'SUPERUSER' && (!user.company || !user.company.active)) return null;
  const permissions =
    user.role === 'STAFF' ? new Set(user.groupPermissions.filter(isPermission)) : new Set(ALL_PERMISSIONS);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    companyId: user.companyId,
    companyName: user.company?.name ?? null,
    currency: user.company?.currency ?? DEFAULT_CURRENCY,
    probabilities: user.company ? probabilitiesOf(user.company) : DEFAULT_PROBABILITIES,
    timeZone: user.timeZone,
    permissions,
  };
}

/** Returns the user if they may use the app now (active, and their company active), else null. */
export async function loadCurrentUser(prisma: PrismaClient, id: number): Promise<CurrentUser | null> {
  const user = await prisma.user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      companyId: true,
      active: true,
      timeZone: true,
      company: {
        select: {
          name: true,
          active: true,
          currency: true,
          probabilityNew: true,
          probabilityContacted: true,
          probabilityQualified: true,
        },
      },
      memberships: { select: { group: { select: { permissions: true } } } },
    },
  });
  if (!user) return null;
  return currentUserFrom({ ...user, groupPermissions: user.memberships.flatMap((m) => m.group.permissions) });
}

/**
 * The same row as loadCurrentUser reads, as one JSON value (a CurrentUserRow) for a SQL expression giving
 * the user's id; NULL when no user has that id. For joining the user into another statement (the session
 * read, src/web/session.ts), so a signed-in request reads its session and its user in one round trip. It also
 * reads the company's figure version: a GET's cached figures then cost no statement of their own.
 */
export function currentUserJsonSql(userId: string): string {
  return `(SELECT json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'role', u.role,
      'companyId', u."companyId", 'active', u.active, 'timeZone', u."timeZone",
      'company', CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('name', c.name, 'active', c.active,
        'currency', c.currency, 'probabilityNew', c."probabilityNew", 'probabilityContacted', c."probabilityContacted",
        'probabilityQualified', c."probabilityQualified") END,
      'groupPermissions', (SELECT coalesce(json_agg(p), '[]'::json) FROM "GroupMember" m
        JOIN "Group" g ON g.id = m."groupId" CROSS JOIN LATERAL unnest(g.permissions) AS p WHERE m."userId" = u.id),
      'figureVersion', (SELECT v.version::text FROM "FigureVersion" v WHERE v."companyId" = u."companyId"))
    FROM "User" u LEFT JOIN "Company" c ON c.id = u."companyId" WHERE u.id = ${userId})`;
}

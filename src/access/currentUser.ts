// The signed-in user as every request sees it: loaded fresh from the database on each request,
import type {} from 'passport';
// so deactivation, role and group changes apply on the next request in every session.
import type { PrismaClient } from '../generated/prisma/client.ts';
import { ALL_PERMISSIONS, isPermission, type Permission } from './permissions.ts';

export type Role = 'SUPERUSER' | 'ACCOUNT_MANAGER' | 'STAFF';

export type CurrentUser = {
  id: number;
  email: string;
  name: string;
  role: Role;
  companyId: number | null;
  companyName: string | null;
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

/** Returns the user if they may use the app now (active, and their company active), else null. */
export async function loadCurrentUser(prisma: PrismaClient, id: number): Promise<CurrentUser | null> {
  const user = await prisma.user.findUnique({
    where: { id },
    select: {
      id: true, email: true, name: true, role: true, companyId: true, active: true, timeZone: true,
      company: { select: { name: true, active: true } },
      memberships: { select: { group: { select: { permissions: true } } } },
    },
  });
  if (!user || !user.active) return null;
  if (user.role !== 'SUPERUSER' && (!user.company || !user.company.active)) return null;
  let permissions: Set<Permission>;
  if (user.role === 'STAFF') {
    permissions = new Set(user.memberships.flatMap((m) => m.group.permissions).filter(isPermission));
  } else {
    permissions = new Set(ALL_PERMISSIONS);
  }
  return {
    id: user.id, email: user.email, name: user.name, role: user.role, companyId: user.companyId,
    companyName: user.company?.name ?? null, timeZone: user.timeZone, permissions,
  };
}

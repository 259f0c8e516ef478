// Select options of company users, shared by every form that picks a person (assignee,
// attendees, owner). Always through the scoped client, so only rows in scope are offered.
import type { ScopedClient } from '../access/scope.ts';

/** Names only: staff fill these forms too, and see colleagues' names, never their emails (SPEC section 2). */
export type UserOption = { id: number; name: string };

/** Active users of the company, by name (SPEC section 5: the set a lead may be assigned to). */
export function activeCompanyUsers(scoped: ScopedClient, companyId: number): Promise<UserOption[]> {
  return scoped.user.findMany({
    where: { companyId, active: true, role: { not: 'SUPERUSER' } },
    select: { id: true, name: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

/** Is `userId` an active user of the company (a valid assignee/attendee)? */
export async function isActiveCompanyUser(scoped: ScopedClient, companyId: number, userId: number): Promise<boolean> {
  const n = await scoped.user.count({ where: { id: userId, companyId, active: true, role: { not: 'SUPERUSER' } } });
  return n === 1;
}

/** A person field's choices: the company's active users, plus the saved person if deactivated since. */
export async function companyUsersKeeping(
  scoped: ScopedClient,
  companyId: number,
  saved?: { id: number; name: string } | null,
): Promise<UserOption[]> {
  const users = await activeCompanyUsers(scoped, companyId);
  if (saved && !users.some((u) => u.id === saved.id)) users.push({ id: saved.id, name: `${saved.name} (inactive)` });
  return users;
}

/** A posted person must be an active company user; keeping the saved one is always allowed. */
export async function companyUserProblem(
  scoped: ScopedClient,
  companyId: number,
  userId: number,
  savedId?: number | null,
): Promise<string | null> {
  if (userId === savedId) return null;
  return (await isActiveCompanyUser(scoped, companyId, userId)) ? null : 'Choose an active user of the company.';
}

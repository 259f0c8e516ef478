// The company a new record goes into. Account managers and staff: their own. Superusers pick one
// first (GET /x/new?companyId=N after a "choose company" step), so the form's select options can
// come from that company without JavaScript. Shared by the customer, lead, task and appointment forms.
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';

export type FormCompany = { id: number; name: string };

/** The company for the form, or null when a superuser named none or one that is unknown or inactive. */
export async function formCompany(scoped: ScopedClient, user: CurrentUser, raw: unknown): Promise<FormCompany | null> {
  if (user.role !== 'SUPERUSER') return { id: user.companyId!, name: user.companyName ?? '' };
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d{1,9}$/.test(text)) return null;
  return scoped.company.findFirst({ where: { id: Number(text), active: true }, select: { id: true, name: true } });
}

/** Active companies for a superuser's first step. */
export function companyChoices(scoped: ScopedClient): Promise<FormCompany[]> {
  return scoped.company.findMany({ where: { active: true }, select: { id: true, name: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
}

/** All companies by name, for a superuser's list filter. */
export function companyFilterOptions(scoped: ScopedClient): Promise<FormCompany[]> {
  return scoped.company.findMany({ select: { id: true, name: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
}

/** Users of a company (active or not) for a list filter: the rows may still point at a deactivated user. */
export function companyUserFilterOptions(scoped: ScopedClient, companyId: number) {
  return scoped.user.findMany({
    where: { companyId, role: { not: 'SUPERUSER' } },
    select: { id: true, name: true, active: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

// The company a new record goes into. Account managers and staff: their own. Superusers pick one
// first (GET /x/new?companyId=N after a "choose company" step), so the form's select options can
// come from that company without JavaScript. Shared by the customer, lead, task and appointment forms.
import { choosesCompany } from '../access/policy.ts';
import type { Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import type { ScopedSql } from '../access/scopedSql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { optionalQueryId } from '../web/forms.ts';

/** The company of a new record; its currency names the amounts of the form (a lead's estimated value). */
export type FormCompany = { id: number; name: string; currency?: string };

/** The company for the form, or null when a superuser named none or one that is unknown or inactive. */
export async function formCompany(scoped: ScopedClient, user: CurrentUser, raw: unknown): Promise<FormCompany | null> {
  if (!choosesCompany(user)) return { id: user.companyId!, name: user.companyName ?? '', currency: user.currency };
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d{1,9}$/.test(text)) return null;
  return scoped.company.findFirst({
    where: { id: Number(text), active: true },
    select: { id: true, name: true, currency: true },
  });
}

/** Active companies for a superuser's first step. */
export function companyChoices(scoped: ScopedClient): Promise<FormCompany[]> {
  return scoped.company.findMany({
    where: { active: true },
    select: { id: true, name: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

/** `action`: the form's GET path ('/tasks/new'); the breadcrumb goes back to its list ('/tasks', "Tasks"). */
type CompanyChoice = { action: string; noun: string; listHref?: string; listLabel?: string };

/** The first step's page (views/partials/chooseCompany.ejs): one way for every domain. */
export async function renderCompanyChoice(
  res: Response,
  scoped: ScopedClient,
  step: CompanyChoice & { error?: string | null; keep?: Record<string, string> },
) {
  const { error, keep, action, noun } = step;
  const listHref = step.listHref ?? action.replace(/\/new$/, '');
  const listLabel = step.listLabel ?? `${noun[0].toUpperCase()}${noun.slice(1)}s`;
  const companies = await companyChoices(scoped);
  res.status(error ? 422 : 200).render('partials/chooseCompany', {
    title: `New ${noun}`,
    companies,
    action,
    noun,
    listHref,
    listLabel,
    keep: keep ?? {},
    fieldErrors: error ? { companyId: error } : {},
  });
}

/** All companies by name, for a superuser's list filter. */
export function companyFilterOptions(scoped: ScopedClient): Promise<FormCompany[]> {
  return scoped.company.findMany({ select: { id: true, name: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
}

/**
 * Users of a company (active or not, unless `activeOnly`) for a list filter: the rows may still point at a
 * deactivated user. Read on every visit of most lists, so in SQL (src/access/scopedSql.ts), under the User read rule.
 */
export function companyUserFilterOptions(sql: ScopedSql, companyId: number, opts: { activeOnly?: boolean } = {}) {
  const active = opts.activeOnly ? Prisma.sql`AND u."active"` : Prisma.empty;
  return sql.select<{ id: number; name: string; active: boolean }>(
    'User',
    'u',
    (scope) => Prisma.sql`SELECT u."id", u."name", u."active" FROM "User" u
      WHERE ${scope} AND u."companyId" = ${companyId} AND u."role" <> 'SUPERUSER' ${active} ORDER BY u."name", u."id"`,
  );
}

export type PreselectedCustomer = { id: number; name: string; companyId: number };

/**
 * A new task's or appointment's form opened from a customer (`?customerId=N`): the company comes
 * from that customer when a superuser named none, and the customer is kept only if it belongs to
 * the form's company. `company` is null while a superuser has not chosen one.
 */
export async function newFormCompanyAndCustomer(
  scoped: ScopedClient,
  user: CurrentUser,
  query: { companyId?: unknown; customerId?: unknown },
) {
  const customerId = optionalQueryId(query.customerId);
  const customer: PreselectedCustomer | null = customerId
    ? await scoped.customer.findUnique({ where: { id: customerId }, select: { id: true, name: true, companyId: true } })
    : null;
  const company = await formCompany(scoped, user, optionalQueryId(query.companyId) ?? customer?.companyId ?? null);
  return { company, customer: company && customer?.companyId === company.id ? customer : null };
}

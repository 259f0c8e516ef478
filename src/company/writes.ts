// Every write of the company domain, each with its audit entry in the same transaction, through the
// request's scoped client (req.db). Companies are never hard-deleted: they are deactivated.
import type pg from 'pg';
import type { CurrentUser } from '../access/currentUser.ts';
import { DEFAULT_STAFF_GROUP } from '../access/permissions.ts';
import type { ScopedClient } from '../access/scope.ts';
import { changedFields, recordAudit } from '../audit/record.ts';
import { findCompany } from './queries.ts';
import type { CompanyInput, CompanySettings } from './schema.ts';

/** A new company and its default "Staff" group, in one transaction. */
export function createCompany(scoped: ScopedClient, actor: CurrentUser, data: CompanyInput) {
  return scoped.$transaction(async (tx) => {
    const company = await tx.company.create({ data: { name: data.name, slug: data.slug, currency: data.currency } });
    const group = await tx.group.create({
      data: { companyId: company.id, name: DEFAULT_STAFF_GROUP.name, permissions: DEFAULT_STAFF_GROUP.permissions },
    });
    await recordAudit(tx, actor, {
      action: 'create',
      model: 'Company',
      recordId: company.id,
      companyId: company.id,
      changes: { name: data.name, slug: data.slug, currency: data.currency },
    });
    await recordAudit(tx, actor, {
      action: 'create',
      model: 'Group',
      recordId: group.id,
      companyId: company.id,
      changes: { name: group.name, permissions: group.permissions },
    });
    return company;
  });
}

export type UpdateResult =
  | { ok: true }
  | { ok: false; current: NonNullable<Awaited<ReturnType<typeof findCompany>>> | null };

/** What an edit may change: a superuser's name and slug, and the pipeline settings (account managers too). */
const EDITABLE = ['name', 'slug', 'currency', 'probabilityNew', 'probabilityContacted', 'probabilityQualified'];
export type CompanyEdit = Partial<CompanySettings & { name: string; slug: string }>;

/**
 * Optimistic update: zero rows means someone saved first (or the row is gone). The scoped client lets account
 * managers write their own company only; the handlers pass them only the pipeline settings.
 */
export function updateCompany(
  scoped: ScopedClient,
  actor: CurrentUser,
  id: number,
  version: number,
  data: CompanyEdit,
): Promise<UpdateResult> {
  return scoped.$transaction(async (tx) => {
    const before = await tx.company.findUnique({ where: { id } });
    const { count } = await tx.company.updateMany({
      where: { id, version },
      data: { ...data, version: { increment: 1 } },
    });
    if (count === 0) return { ok: false as const, current: await findCompany(tx, id) };
    const changes = changedFields(before, data, EDITABLE);
    await recordAudit(tx, actor, { action: 'update', model: 'Company', recordId: id, companyId: id, changes });
    return { ok: true as const };
  });
}

/** Deactivates or reactivates; returns false when nothing changed (already in that state). */
export function setCompanyActive(scoped: ScopedClient, actor: CurrentUser, id: number, active: boolean) {
  return scoped.$transaction(async (tx) => {
    const { count } = await tx.company.updateMany({
      where: { id, active: !active },
      data: { active, version: { increment: 1 } },
    });
    if (count === 0) return false;
    await recordAudit(tx, actor, {
      action: active ? 'activate' : 'deactivate',
      model: 'Company',
      recordId: id,
      companyId: id,
      changes: { active: [!active, active] },
    });
    return true;
  });
}

/** Ends the open sessions of every user of the company (they could not use them anyway: the company is inactive). */
export async function endCompanySessions(pool: pg.Pool, companyId: number): Promise<void> {
  await pool.query(
    `DELETE FROM "session" WHERE sess->'passport'->>'user' IN (SELECT id::text FROM "User" WHERE "companyId" = $1)`,
    [companyId],
  );
}

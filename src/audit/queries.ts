// The audit trail's list, through the scoped client: account managers read their company's
// entries, superusers all of them, staff none (the scope refuses the model for them).
import { spansCompanies } from '../access/policy.ts';
import { companyFilterOptions } from '../company/choices.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import type { ListQuery, ListSpec } from '../web/list.ts';
import { pageWindow } from '../web/list.ts';

export type AuditSort = 'time';
export type AuditFilter = 'model' | 'action' | 'companyId' | 'recordId' | 'actorId';

export const auditListSpec = (superuser: boolean): ListSpec<AuditSort, AuditFilter> => ({
  sorts: ['time'],
  defaultSort: 'time',
  defaultDir: 'desc',
  // companyId narrows a superuser's list; for everyone else the scope decides and it is not read at all.
  filters: (superuser
    ? { model: 'text', action: 'text', recordId: 'id', actorId: 'id', companyId: 'id' }
    : { model: 'text', action: 'text', recordId: 'id', actorId: 'id' }) as ListSpec<AuditSort, AuditFilter>['filters'],
});

type AuditListQuery = ListQuery<AuditSort, AuditFilter>;

function listWhere(user: CurrentUser, query: AuditListQuery) {
  const f = query.filters;
  const and: object[] = [];
  if (f.model) and.push({ model: f.model });
  if (f.action) and.push({ action: f.action });
  if (f.recordId) and.push({ recordId: f.recordId });
  if (f.actorId) and.push({ actorId: Number(f.actorId) });
  if (f.companyId && spansCompanies(user)) and.push({ companyId: Number(f.companyId) });
  return { AND: and };
}

/** One page of entries, the total, and the filter choices: a fixed number of queries. */
export async function listAudit(scoped: ScopedClient, user: CurrentUser, query: AuditListQuery) {
  const where = listWhere(user, query);
  // The (model, action) pairs in scope give the filter choices and, when nothing but model and
  // action filters the list, its total: one statement instead of three.
  const f = query.filters;
  const onlyKindFilters = !f.recordId && !f.actorId && !(f.companyId && spansCompanies(user));
  const [rows, kinds, counted, companies] = await Promise.all([
    scoped.auditEntry.findMany({
      where, orderBy: [{ createdAt: query.dir }, { id: query.dir }], ...pageWindow(query),
      select: {
        id: true, action: true, model: true, recordId: true, changes: true, createdAt: true, companyId: true,
        actor: { select: { id: true, name: true } }, company: { select: { name: true } },
      },
    }),
    scoped.auditEntry.groupBy({ by: ['model', 'action'], _count: { _all: true }, orderBy: [{ model: 'asc' }, { action: 'asc' }] }),
    onlyKindFilters ? Promise.resolve(null) : scoped.auditEntry.count({ where }),
    spansCompanies(user)
      ? companyFilterOptions(scoped)
      : Promise.resolve([]),
  ]);
  const total = counted ?? kinds.filter((k) => (!f.model || k.model === f.model) && (!f.action || k.action === f.action)).reduce((n, k) => n + k._count._all, 0);
  const distinct = (values: string[]) => [...new Set(values)].sort();
  return { rows, total, models: distinct(kinds.map((k) => k.model)), actions: distinct(kinds.map((k) => k.action)), companies };
}

/** "field: old → new" lines for an entry's changes (values shortened). */
export function describeChanges(changes: unknown): string[] {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return [];
  const show = (v: unknown) => {
    const s = v === null || v === undefined || v === '' ? '—' : Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : String(v);
    return s.length > 120 ? `${s.slice(0, 117)}…` : s;
  };
  return Object.entries(changes as Record<string, unknown>).map(([k, v]) =>
    Array.isArray(v) && v.length === 2 && !['added', 'removed', 'members', 'groups', 'permissions'].includes(k)
      ? `${k}: ${show(v[0])} → ${show(v[1])}`
      : `${k}: ${show(v)}`);
}

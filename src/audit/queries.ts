// The audit trail's list, through the scoped client: account managers read their company's
// entries, superusers all of them, staff none (the scope refuses the model for them). What an
// entry says is worded by present.ts, from the registry in fields.ts.
import { spansCompanies } from '../access/policy.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import type { ListQuery, ListSpec } from '../web/list.ts';
import { pageWindow } from '../web/list.ts';
import { AUDIT_ACTIONS } from './actions.ts';
import { AUDIT_RECORD_TYPES } from './fields.ts';
import { lookUpNames } from './names.ts';
import { AUDIT_ENTRY_SELECT, makePresenter, wantedBy } from './present.ts';

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

/**
 * One page of entries in the viewer's words, the total, and the filter choices, in three
 * statements: the page and its count side by side, then the names the page refers to (for a
 * superuser the same statement lists every company for the company filter).
 */
export async function listAudit(scoped: ScopedClient, user: CurrentUser, query: AuditListQuery) {
  const where = listWhere(user, query);
  const superuser = spansCompanies(user);
  const [rows, total] = await Promise.all([
    scoped.auditEntry.findMany({
      where,
      orderBy: [{ createdAt: query.dir }, { id: query.dir }],
      ...pageWindow(query),
      select: { ...AUDIT_ENTRY_SELECT, company: { select: { name: true } } },
    }),
    scoped.auditEntry.count({ where }),
  ]);
  const { names, companies } = await lookUpNames(scoped, user, wantedBy(rows, true), superuser);
  const present = makePresenter(user, names);
  return { entries: rows.map(present), total, models: AUDIT_MODEL_CHOICES, actions: AUDIT_ACTION_CHOICES, companies };
}

/** The filter choices: every record type and action the trail records, in words. */
const AUDIT_MODEL_CHOICES = Object.entries(AUDIT_RECORD_TYPES).map(([value, t]) => ({ value, label: t.label }));
const AUDIT_ACTION_CHOICES = Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }));

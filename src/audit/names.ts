// The names behind the ids an audit page shows (the entries' records and the references in their
// changes), in one statement: the companies in view with, joined in, the referenced rows of each
// record type. Nested relations are not scoped by the client, so each carries its model's read
// scope (readScope): a name the viewer may not see is not read, and shows as a plain "#id".
import type { CurrentUser } from '../access/currentUser.ts';
import { readScope, type ScopedClient } from '../access/scope.ts';
import type { ReferenceModel } from './fields.ts';

/** Ids to look up, per record type. */
export type Wanted = Map<ReferenceModel, Set<number>>;
/** The names found, by "Model:id". */
export type Names = Map<string, string>;

export const nameKey = (model: ReferenceModel, id: number) => `${model}:${id}`;

export function want(wanted: Wanted, model: ReferenceModel, value: unknown): void {
  const digits = typeof value === 'string' && /^\d{1,9}$/.test(value);
  const id = typeof value === 'number' ? value : digits ? Number(value) : null;
  if (id === null || !Number.isSafeInteger(id) || id > 2_147_483_647) return;
  let ids = wanted.get(model);
  if (!ids) wanted.set(model, (ids = new Set()));
  ids.add(id);
}

/** The relation of Company that holds each record type, and the column that names a row. */
const RELATIONS = {
  User: { relation: 'users', title: 'name' },
  Customer: { relation: 'customers', title: 'name' },
  Lead: { relation: 'leads', title: 'title' },
  Task: { relation: 'tasks', title: 'title' },
  Appointment: { relation: 'appointments', title: 'title' },
  Group: { relation: 'groups', title: 'name' },
  Activity: { relation: 'activities', title: 'summary' },
  Import: { relation: 'imports', title: 'fileName' },
} as const satisfies Partial<Record<ReferenceModel, { relation: string; title: string }>>;

type Relation = (typeof RELATIONS)[keyof typeof RELATIONS];
const RELATION_LIST = Object.entries(RELATIONS) as [keyof typeof RELATIONS, Relation][];

type Named = { id: number; name?: string; title?: string; summary?: string; fileName?: string };
type CompanyRow = { id: number; name: string } & { [R in Relation['relation']]?: Named[] };

/**
 * Looks up every wanted id in one statement. `allCompanies`: a superuser's list also needs every
 * company for its filter, which this same statement then returns (ordered by name).
 */
export async function lookUpNames(db: ScopedClient, user: CurrentUser, wanted: Wanted, allCompanies = false) {
  const names: Names = new Map();
  const companyIds = [...(wanted.get('Company') ?? [])];
  const select: Record<string, unknown> = { id: true, name: true };
  let nested = 0;
  for (const [model, { relation, title }] of RELATION_LIST) {
    const ids = [...(wanted.get(model) ?? [])];
    const scopeWhere = readScope(model, user);
    if (!ids.length || !scopeWhere) continue;
    select[relation] = { where: { AND: [{ id: { in: ids } }, scopeWhere] }, select: { id: true, [title]: true } };
    nested++;
  }
  if (!nested && !companyIds.length && !allCompanies) return { names, companies: [] };
  // Superusers see every company; others the scope narrows to their own. Without a company id to
  // name, the rows of every company in view are searched (for a superuser: only when the ids ask it).
  const rows = (await db.company.findMany({
    where: allCompanies || nested ? {} : { id: { in: companyIds } },
    select,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  })) as unknown as CompanyRow[];
  const companyWanted = new Set(companyIds);
  for (const c of rows) {
    if (companyWanted.has(c.id)) names.set(nameKey('Company', c.id), c.name);
    for (const [model, { relation, title }] of RELATION_LIST) {
      for (const row of c[relation] ?? []) names.set(nameKey(model, row.id), String(row[title] ?? ''));
    }
  }
  return { names, companies: allCompanies ? rows.map((c) => ({ id: c.id, name: c.name })) : [] };
}

// The record picker (issue 12 item 4): one search over a company's customers, leads or people, always
// through the scoped client (req.db), so only rows in the user's scope come back, at most PICK_LIMIT.
// The forms' search step (without JavaScript) and GET /pick/<kind>.json (with it) share these reads.
import type { ScopedClient } from '../access/scope.ts';

export const PICK_LIMIT = 20;
const QUERY_MAX = 100;

export type PickKind = 'customers' | 'leads' | 'users';
export type PickOption = { id: number; name: string; detail: string };
/** What a form's picker shows: the typed search, the chosen row (if in scope) then the matches. */
export type PickerState = { companyId: number; q: string; searched: boolean; options: PickOption[]; full: boolean };

const byName = [{ name: 'asc' as const }, { id: 'asc' as const }];
const has = (q: string) => ({ contains: q, mode: 'insensitive' as const });

type Finder = {
  search: (db: ScopedClient, companyId: number, q: string) => Promise<PickOption[]>;
  one: (db: ScopedClient, companyId: number, id: number) => Promise<PickOption | null>;
};

const customer = (c: { id: number; name: string; organisation: string }): PickOption => ({
  id: c.id,
  name: c.name,
  detail: c.organisation,
});
const customerSelect = { id: true, name: true, organisation: true } as const;

const lead = (l: { id: number; title: string; organisation: string }): PickOption => ({
  id: l.id,
  name: l.title,
  detail: l.organisation,
});
const leadSelect = { id: true, title: true, organisation: true } as const;

/** People a record may point at: the company's active users. Names only (staff never see colleagues' emails). */
const activeUsers = (companyId: number) => ({ companyId, active: true, role: { not: 'SUPERUSER' as const } });

const FINDERS: Record<PickKind, Finder> = {
  customers: {
    // The name contains the text: the trigram index on the name answers it at 100,000 rows (an OR over
    // two columns made PostgreSQL scan the table instead). Without text: the first by name, from (companyId, name, id).
    search: async (db, companyId, q) =>
      (
        await db.customer.findMany({
          where: q ? { companyId, name: has(q) } : { companyId },
          select: customerSelect,
          orderBy: byName,
          take: PICK_LIMIT,
        })
      ).map(customer),
    one: async (db, companyId, id) => {
      const c = await db.customer.findFirst({ where: { id, companyId }, select: customerSelect });
      return c && customer(c);
    },
  },
  leads: {
    search: async (db, companyId, q) =>
      (
        await db.lead.findMany({
          where: q ? { companyId, title: has(q) } : { companyId },
          select: leadSelect,
          orderBy: [{ title: 'asc' }, { id: 'asc' }],
          take: PICK_LIMIT,
        })
      ).map(lead),
    one: async (db, companyId, id) => {
      const l = await db.lead.findFirst({ where: { id, companyId }, select: leadSelect });
      return l && lead(l);
    },
  },
  users: {
    search: async (db, companyId, q) =>
      (
        await db.user.findMany({
          where: q ? { ...activeUsers(companyId), name: has(q) } : activeUsers(companyId),
          select: { id: true, name: true },
          orderBy: byName,
          take: PICK_LIMIT,
        })
      ).map((u) => ({ ...u, detail: '' })),
    one: async (db, companyId, id) => {
      const u = await db.user.findFirst({ where: { id, ...activeUsers(companyId) }, select: { id: true, name: true } });
      return u && { ...u, detail: '' };
    },
  },
};

/**
 * The search text of a query string or form body: control characters (PostgreSQL refuses a NUL) made spaces,
 * trimmed, at most 100 characters; '' when absent or not text.
 */
export function pickQuery(raw: unknown): string {
  return typeof raw === 'string'
    ? raw
        .replace(/[\u0000-\u001F\u007F]/g, ' ')
        .trim()
        .slice(0, QUERY_MAX)
    : '';
}

/** At most PICK_LIMIT rows of the company in the user's scope whose name (a lead's title) contains q, by name. */
export function pickRecords(db: ScopedClient, kind: PickKind, companyId: number, q: string): Promise<PickOption[]> {
  return FINDERS[kind].search(db, companyId, q);
}

/** The search field posted by a form's picker, e.g. customerIdSearch for the field customerId. */
export const searchFieldOf = (field: string) => `${field}Search`;

/** True when the form was posted by a picker's "Search" button: show the matches, save nothing. */
export function isPickerSearch(body: unknown): boolean {
  return Boolean(body && typeof body === 'object' && typeof (body as Record<string, unknown>).pick === 'string');
}

/**
 * The state of a form's picker for `field`: the posted search (if any) and the options, the chosen
 * row first (kept when the search does not find it, so a re-rendered form never loses the choice).
 */
export async function pickerState(
  db: ScopedClient,
  kind: PickKind,
  companyId: number,
  form: { field: string; body?: unknown; chosen: unknown },
): Promise<PickerState> {
  const b = (form.body && typeof form.body === 'object' ? form.body : {}) as Record<string, unknown>;
  const q = pickQuery(b[searchFieldOf(form.field)]);
  const chosen = form.chosen;
  const text = typeof chosen === 'number' ? String(chosen) : chosen;
  const id = typeof text === 'string' && /^\d{1,9}$/.test(text) ? Number(text) : 0;
  const [matches, current] = await Promise.all([
    pickRecords(db, kind, companyId, q),
    id > 0 ? FINDERS[kind].one(db, companyId, id) : Promise.resolve(null),
  ]);
  const options = current ? [current, ...matches.filter((m) => m.id !== current.id)] : matches;
  return { companyId, q, searched: q !== '', options, full: matches.length === PICK_LIMIT };
}

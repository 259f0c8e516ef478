// Which existing record an imported row is the same as: the same email (case-insensitive), else the same phone
// (its key, as duplicate detection compares it: src/duplicate/keys.ts), in the importer's company (a staff user's
// leads: their own). The one place an import decides "duplicate". Close names are not matched here: an import
// would otherwise merge different people silently; the forms show those as "possibly the same" instead.
import type { Prisma } from '../generated/prisma/client.ts';
import { type ImportKind, KINDS } from './targets.ts';

/** What a row is matched by. */
type Keyed = { email: string; phoneKey: string };
export type Matches = { byEmail: Map<string, number>; byPhone: Map<string, number> };
export const NO_MATCHES: Matches = { byEmail: new Map(), byPhone: new Map() };

const emailKey = (email: string) => email.trim().toLowerCase();

/** The row's keys in the file ("e:…", "p:…"): a second row with either is a repeat of the first. */
export const matchKeys = (row: Keyed): string[] => [
  ...(emailKey(row.email) ? [`e:${emailKey(row.email)}`] : []),
  ...(row.phoneKey ? [`p:${row.phoneKey}`] : []),
];

/** The existing record the row is the same as, and by what: email first, then phone. */
export function matchOf(m: Matches, row: Keyed): { id: number; by: 'email' | 'phone' } | null {
  const byEmail = emailKey(row.email) ? m.byEmail.get(emailKey(row.email)) : undefined;
  if (byEmail !== undefined) return { id: byEmail, by: 'email' };
  const byPhone = row.phoneKey ? m.byPhone.get(row.phoneKey) : undefined;
  return byPhone !== undefined ? { id: byPhone, by: 'phone' } : null;
}

const wanted = (rows: Keyed[]) => ({
  emails: [...new Set(rows.map((r) => emailKey(r.email)).filter(Boolean))],
  phones: [...new Set(rows.map((r) => r.phoneKey).filter(Boolean))],
});

type KeyReader = {
  findMany: (args: {
    where: Record<string, unknown>;
    select: { id: true; email: true; phoneKey: true };
    orderBy: { id: 'asc' };
  }) => Promise<{ id: number; email: string; phoneKey: string }[]>;
};
export type MatchClient = { customer: KeyReader; lead: KeyReader };

/** The matches of a few rows (the preview's), through the request's scoped client; the oldest record wins. */
export async function findSame(
  db: MatchClient,
  kind: ImportKind,
  scope: { companyId: number; assigneeId?: number },
  rows: Keyed[],
): Promise<Matches> {
  const { emails, phones } = wanted(rows);
  const found: Matches = { byEmail: new Map(), byPhone: new Map() };
  if (!emails.length && !phones.length) return found;
  const where = {
    companyId: scope.companyId,
    ...(scope.assigneeId !== undefined ? { assigneeId: scope.assigneeId } : {}),
    OR: [{ email: { in: emails, mode: 'insensitive' } }, { phoneKey: { in: phones } }],
  };
  const args = { where, select: { id: true, email: true, phoneKey: true }, orderBy: { id: 'asc' } } as const;
  for (const r of await (kind === 'CUSTOMER' ? db.customer : db.lead).findMany(args)) {
    const e = emailKey(r.email);
    if (e && emails.includes(e) && !found.byEmail.has(e)) found.byEmail.set(e, r.id);
    if (r.phoneKey && phones.includes(r.phoneKey) && !found.byPhone.has(r.phoneKey))
      found.byPhone.set(r.phoneKey, r.id);
  }
  return found;
}

/**
 * The same rule in one statement, for the job's batches of thousands of rows: Prisma's case-insensitive `in`
 * compares each row with each value (measured: past the 15 s statement timeout at 50,000 leads), where this is
 * one pass over the company's rows per key.
 */
export async function findSameSql(
  tx: Prisma.TransactionClient,
  kind: ImportKind,
  scope: { companyId: number; assigneeId?: number },
  rows: Keyed[],
): Promise<Matches> {
  const { emails, phones } = wanted(rows);
  if (!emails.length && !phones.length) return { byEmail: new Map(), byPhone: new Map() };
  const table = `"${KINDS[kind].table}"`;
  const own = scope.assigneeId !== undefined ? 'AND t."assigneeId" = $4' : '';
  // Joins with the unnested keys (hash joins), not `= ANY($2)`: a prepared statement's generic plan compares
  // each row with every element of the array (measured: a second per batch at 30,000 leads).
  const found = await tx.$queryRawUnsafe<{ by: 'e' | 'p'; key: string; id: number }[]>(
    `SELECT 'e' AS by, w.key, min(t.id) AS id FROM ${table} t JOIN unnest($2::text[]) AS w(key) ` +
      `ON lower(t.email) = w.key WHERE t."companyId" = $1 ${own} GROUP BY w.key ` +
      `UNION ALL SELECT 'p' AS by, w.key, min(t.id) AS id FROM ${table} t JOIN unnest($3::text[]) AS w(key) ` +
      `ON t."phoneKey" = w.key WHERE t."companyId" = $1 ${own} GROUP BY w.key`,
    scope.companyId,
    emails,
    phones,
    ...(scope.assigneeId !== undefined ? [scope.assigneeId] : []),
  );
  const m: Matches = { byEmail: new Map(), byPhone: new Map() };
  for (const r of found) (r.by === 'e' ? m.byEmail : m.byPhone).set(r.key, Number(r.id));
  return m;
}

// Which existing record an imported row is the same as: the same email, case-insensitive, in the importer's
// company (a staff user's leads: their own). The one place an import decides "duplicate"; a fuller duplicate
// detection (phone, close names) can replace this function without touching the importer.
import type { ImportKind } from './targets.ts';

type EmailReader = {
  findMany: (args: {
    where: Record<string, unknown>;
    select: { id: true; email: true };
    orderBy: { id: 'asc' };
  }) => Promise<{ id: number; email: string }[]>;
};
export type MatchClient = { customer: EmailReader; lead: EmailReader };

/** Lower-cased email → the id of the oldest record with it, for the given emails. */
export async function findSameEmail(
  db: MatchClient,
  kind: ImportKind,
  scope: { companyId: number; assigneeId?: number },
  emails: string[],
): Promise<Map<string, number>> {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  const found = new Map<string, number>();
  if (!wanted.length) return found;
  const where = {
    companyId: scope.companyId,
    ...(scope.assigneeId !== undefined ? { assigneeId: scope.assigneeId } : {}),
    email: { in: wanted, mode: 'insensitive' },
  };
  const args = { where, select: { id: true, email: true }, orderBy: { id: 'asc' } } as const;
  const rows = await (kind === 'CUSTOMER' ? db.customer : db.lead).findMany(args);
  for (const r of rows) {
    const key = r.email.toLowerCase();
    if (!found.has(key)) found.set(key, r.id);
  }
  return found;
}

// A record's own history on its page: the last entries of that record, under the audit trail's
// rules (account managers: their company's; superusers: all; staff: none, and nothing is read),
// and a link to the full list filtered to the record. On the route line after the record's loader:
// route('get', '/leads/:id', 'lead.view', load.lead, history('Lead'), h.show); the view includes
// views/partials/history.ejs with `history: locals.history`.
import type { RequestHandler } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import { readScope, type ScopedClient } from '../access/scope.ts';
import { recordId } from '../web/forms.ts';
import type { AuditModel } from './fields.ts';
import { lookUpNames } from './names.ts';
import { AUDIT_ENTRY_SELECT, type AuditEntryRow, makePresenter, type PresentedEntry, wantedBy } from './present.ts';

export const HISTORY_SIZE = 10;
/** Statements the history adds to a record's page for those who see it: its entries, and the names they refer to. */
export const HISTORY_STATEMENTS = 2;

export type RecordHistory = { entries: PresentedEntry[]; more: boolean; href: string };

/** Does the user see the audit trail at all? The scope says so (it refuses AuditEntry to staff). */
export const seesAuditTrail = (user: CurrentUser) => readScope('AuditEntry', user) !== null;

/** The last entries of one record, presented; null when the user does not see the audit trail. */
export async function recordHistory(
  db: ScopedClient,
  user: CurrentUser,
  model: AuditModel,
  id: number,
): Promise<RecordHistory | null> {
  if (!seesAuditTrail(user)) return null;
  const rows: AuditEntryRow[] = await db.auditEntry.findMany({
    where: { model, recordId: String(id) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: HISTORY_SIZE + 1,
    select: AUDIT_ENTRY_SELECT,
  });
  const shown = rows.slice(0, HISTORY_SIZE);
  const { names } = await lookUpNames(db, user, wantedBy(shown, false));
  const present = makePresenter(user, names);
  const href = `/audit?model=${model}&recordId=${id}`;
  return { entries: shown.map(present), more: rows.length > HISTORY_SIZE, href };
}

/** Route middleware: res.locals.history for the record of `:id` (its loader ran before and checked it). */
export function history(model: AuditModel): RequestHandler {
  return async (req, res, next) => {
    res.locals.history = await recordHistory(req.db, req.user!, model, recordId(req.params.id));
    next();
  };
}

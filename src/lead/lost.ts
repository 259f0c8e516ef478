// The lost page (GET /leads/:id/lost: why the deal was lost, posted to /leads/:id/status) and the pages a
// status move answers with when refused: the lost form again (422, what was typed kept) and the 409 page
// showing the lead as saved now.
import type { Request, RequestHandler, Response } from 'express';
import { conflictRows } from '../fields/form.ts';
import { load } from '../loaders.ts';
import { formatAmount } from '../pipeline/money.ts';
import { LOST_REASON_LABELS, LOST_REASONS } from '../pipeline/stages.ts';
import { NotFound } from '../web/errors.ts';
import { leadReturnPath } from '../web/followUp.ts';
import { typedValues, type FieldErrors } from '../web/forms.ts';
import { LEAD_FIELDS, LOST_NOTE_MAX, STATUS_LABELS, type LeadStatus } from './fields.ts';
import { findLead, type LoadedLead } from './queries.ts';
import { PIPELINE_NEXT } from './schema.ts';

type LostPage = { status: number; errors?: FieldErrors; conflict?: [string, string][] };

/** Can the lead be marked lost now (an open, unconverted lead)? */
const canLose = (lead: LoadedLead) => !lead.convertedAt && PIPELINE_NEXT[lead.status].includes('LOST');

/**
 * The lost page. On a refused POST it keeps what was typed (and the version sent, so a stale form stays stale);
 * after a conflict it carries the newer version, so pressing the button again saves over the newer state.
 */
export function renderLostForm(req: Request, res: Response, lead: LoadedLead, page: LostPage) {
  const posted = req.method === 'POST' && !page.conflict;
  const values = posted
    ? typedValues(req.body, ['lostReason', 'lostNote', 'version'])
    : { lostReason: '', lostNote: '', version: String(lead.version) };
  const returnTo = leadReturnPath(posted ? req.body?.returnTo : (req.query.returnTo ?? req.body?.returnTo));
  res.status(page.status).render('lead/lost', {
    title: `Mark ${lead.title} as lost`,
    lead,
    open: canLose(lead),
    values,
    returnTo,
    reasons: LOST_REASONS.map((value) => ({ value, label: LOST_REASON_LABELS[value] })),
    noteMax: LOST_NOTE_MAX,
    estimated: formatAmount(lead.estimatedValue, lead.company.currency),
    conflict: page.conflict ?? null,
    fieldErrors: page.errors ?? {},
    STATUS_LABELS,
  });
}

/**
 * 409: the lead changed since the page that sent the move was drawn. Shows the lead as saved now; the lost
 * form comes back filled in, another move offers to be made again from the newer state.
 */
export async function renderStatusConflict(req: Request, res: Response, lead: LoadedLead, status: LeadStatus) {
  const current = await findLead(req.db, lead.id);
  if (!current) throw new NotFound();
  const conflict = conflictRows(LEAD_FIELDS, current).filter(([, v]) => v !== '');
  if (status === 'LOST') return renderLostForm(req, res, current, { status: 409, conflict });
  res.status(409).render('lead/status-conflict', {
    title: `${lead.title} changed`,
    lead: current,
    wanted: status,
    possible: !current.convertedAt && PIPELINE_NEXT[current.status as LeadStatus].includes(status),
    returnTo: leadReturnPath(req.body?.returnTo),
    conflict,
    STATUS_LABELS,
  });
}

/** GET /leads/:id/lost — asks why the deal was lost; `?returnTo=` (checked) is where the move goes back to. */
export const lostForm: RequestHandler = (req, res) => {
  renderLostForm(req, res, load.lead.of(req), { status: 200 });
};

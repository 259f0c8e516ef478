// Quick actions on the lead's detail page (and the board's moves): a pipeline step, a reassignment,
// a delete (after its confirmation page).
import { countLeadOnlyActivities } from '../activity/queries.ts';
import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { Forbidden } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, type FieldErrors } from '../web/forms.ts';
import { leadViewHelpers } from './handlers.ts';
import { leadTimeline } from '../timeline/timeline.ts';
import { mailLeadAssignee } from './notify.ts';
import { assigneeOptions, assigneeProblem, type LoadedLead } from './queries.ts';
import { canAssignLeads } from '../access/policy.ts';
import { STATUS_LABELS } from './fields.ts';
import { leadAssignForm, leadStatusForm, lostProblems, PIPELINE_NEXT } from './schema.ts';
import { renderLostForm, renderStatusConflict } from './lost.ts';
import { leadReturnPath } from '../web/followUp.ts';
import { assignLead, changeLeadStatus, deleteLead } from './writes.ts';

/** The lead page again, with the refused button's error beside it (and the page's timeline). */
async function renderShowInvalid(deps: AppDeps, req: Request, res: Response, lead: LoadedLead, errors: FieldErrors) {
  const user = req.user!;
  const [assignable, timeline] = await Promise.all([
    canAssignLeads(user) ? assigneeOptions(req.db, lead.companyId, lead.assignee) : null,
    leadTimeline(deps, req, lead),
  ]);
  res.status(422).render('lead/show', {
    title: lead.title,
    lead,
    assignable,
    timeline,
    nextStatuses: lead.convertedAt ? [] : PIPELINE_NEXT[lead.status],
    fieldErrors: errors,
    ...leadViewHelpers,
  });
}

export function leadActionHandlers(deps: AppDeps) {
  /**
   * POST /leads/:id/status — moves the lead (the lead page's buttons, the board, the lost page). With Lost, a
   * reason (and a note for Other) or 422 on the lost page; with a version, a stale one answers 409 showing the
   * newer state; afterwards back to `returnTo` when it is a path of ours, else the lead's page.
   */
  const changeStatus: RequestHandler = async (req, res) => {
    const user = req.user!;
    const lead = load.lead.of(req);
    const returnTo = leadReturnPath(req.body?.returnTo);
    const parsed = parseForm(leadStatusForm, req.body);
    const wantsLost = req.body?.status === 'LOST';
    if (!parsed.ok) {
      if (wantsLost) return renderLostForm(req, res, lead, { status: 422, errors: parsed.errors });
      return renderShowInvalid(deps, req, res, lead, parsed.errors);
    }
    const { status, version } = parsed.data;
    if (lead.convertedAt) return renderShowInvalid(deps, req, res, lead, { status: 'A converted lead stays won.' });
    if (version !== undefined && version !== lead.version) return renderStatusConflict(req, res, lead, status);
    if (!PIPELINE_NEXT[lead.status].includes(status)) {
      return renderShowInvalid(deps, req, res, lead, {
        status:
          `A ${STATUS_LABELS[lead.status].toLowerCase()} lead ` +
          `cannot become ${STATUS_LABELS[status].toLowerCase()}.`,
      });
    }
    const lost = lostProblems(parsed.data);
    if (Object.keys(lost.errors).length) return renderLostForm(req, res, lead, { status: 422, errors: lost.errors });
    const changed = await changeLeadStatus(req.db, user, lead, { status, ...lost.saved }, version);
    if (!changed) return renderStatusConflict(req, res, lead, status);
    flash(req, 'success', `Lead "${lead.title}" is now ${STATUS_LABELS[status].toLowerCase()}.`);
    res.redirect(303, returnTo ?? `/leads/${lead.id}`);
  };

  /** POST /leads/:id/assign — an account manager hands the lead to another active user; they get an email. */
  const assign: RequestHandler = async (req, res) => {
    const user = req.user!;
    if (!canAssignLeads(user)) throw new Forbidden('Only account managers assign leads to other people.');
    const scoped = req.db;
    const lead = load.lead.of(req);
    const parsed = parseForm(leadAssignForm, req.body);
    if (!parsed.ok) return renderShowInvalid(deps, req, res, lead, parsed.errors);
    const assigneeId = parsed.data.assigneeId;
    if (assigneeId === lead.assigneeId) {
      flash(req, 'info', `The lead is already assigned to ${lead.assignee.name}.`);
      return res.redirect(303, `/leads/${lead.id}`);
    }
    const problem = await assigneeProblem(scoped, lead.companyId, assigneeId);
    if (problem) return renderShowInvalid(deps, req, res, lead, { assigneeId: problem });
    const assignee = await scoped.user.findUniqueOrThrow({
      where: { id: assigneeId },
      select: { id: true, name: true, email: true },
    });
    await assignLead(scoped, user, lead, assigneeId, (tx) => mailLeadAssignee(deps, req, tx, lead, assignee));
    flash(req, 'success', `Lead "${lead.title}" assigned to ${assignee.name}.`);
    res.redirect(303, `/leads/${lead.id}`);
  };

  /** GET /leads/:id/delete — asks before deleting; the page's form POSTs the delete. */
  const confirmDelete: RequestHandler = async (req, res) => {
    const lead = load.lead.of(req);
    const loneActivities = await countLeadOnlyActivities(req.db, lead.id);
    res.render('lead/confirm-delete', { title: `Delete ${lead.title}`, lead, loneActivities });
  };

  /** POST /leads/:id/delete — deletes the lead. */
  const destroy: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const lead = load.lead.of(req);
    await deleteLead(scoped, user, lead);
    flash(req, 'success', `Lead "${lead.title}" deleted.`);
    res.redirect(303, '/leads');
  };

  return { changeStatus, assign, confirmDelete, destroy };
}

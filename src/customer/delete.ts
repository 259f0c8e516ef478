// Deleting a customer: a confirmation page that says what else is affected; refused while leads,
// tasks or appointments point at it, unless the user chooses to detach them (one transaction).
// Everything is read and changed through the user's scope: a staff user counts and detaches only
// their own rows, and while rows they cannot see point at the customer the delete is refused.
import type { RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { flash } from '../web/flash.ts';
import { parseForm } from '../web/forms.ts';
import type { CustomerRelations } from './queries.ts';
import { customerDeleteForm } from './schema.ts';
import { type DeleteOutcome, deleteCustomer } from './writes.ts';

/** Names no count and no kind: the user must not learn what of their colleagues' work hangs off the customer. */
export const HIDDEN_RELATIONS_REFUSAL =
  'Records you cannot see point at this customer, so you cannot delete it. An account manager can.';

function renderConfirm(res: Response, customer: CustomerRelations, status = 200, refusal: string | null = null) {
  const message = refusal ?? (customer.hidden ? HIDDEN_RELATIONS_REFUSAL : null);
  res
    .status(status)
    .render('customer/confirm-delete', { title: `Delete ${customer.name}`, customer, refusal: message });
}

function describe(c: CustomerRelations['counts']): string {
  const parts = [
    [c.leads, 'lead'],
    [c.tasks, 'task'],
    [c.appointments, 'appointment'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, noun]) => `${n} ${noun}${n === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** What the confirmation page says when the delete was refused. */
function refusalOf(outcome: Extract<DeleteOutcome, { deleted: false }>): string {
  const { customer, refused } = outcome;
  if (refused === 'hidden') return HIDDEN_RELATIONS_REFUSAL;
  if (refused === 'related')
    return (
      `"${customer.name}" still has ${describe(customer.counts)}. Tick "Detach them" to keep ` +
      `those records without a customer, or move them to another customer first.`
    );
  return `"${customer.name}" was changed meanwhile: records were attached to it. Check them and try again.`;
}

export function customerDeleteHandlers(deps: AppDeps) {
  /**
   * GET /customers/:id/delete — the confirmation page with the counts of the user's rows that point at the customer.
   */
  const confirm: RequestHandler = async (req, res) => {
    const customer = load.customerRelations.of(req);
    renderConfirm(res, customer);
  };

  /** POST /customers/:id/delete — deletes, detaching the user's related rows only when asked to. */
  const destroy: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = req.db;
    const shown = load.customerRelations.of(req);
    const parsed = parseForm(customerDeleteForm, req.body);
    const detach = parsed.ok && parsed.data.detach;
    const outcome = await deleteCustomer(scoped, user, shown.id, detach);
    if (!outcome.deleted) return renderConfirm(res, outcome.customer, 409, refusalOf(outcome));
    const { detached } = outcome;
    flash(
      req,
      'success',
      detached
        ? `Customer "${shown.name}" deleted; ${describe(detached)} detached.`
        : `Customer "${shown.name}" deleted.`,
    );
    res.redirect(303, '/customers');
  };

  return { confirm, destroy };
}

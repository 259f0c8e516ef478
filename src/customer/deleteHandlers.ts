// Deleting a customer: a confirmation page that says what else is affected; refused while leads,
// tasks or appointments point at it, unless the user chooses to detach them (one transaction).
// Everything is read and changed through the user's scope: a staff user counts and detaches only
// their own rows, and while rows they cannot see point at the customer the delete is refused.
import type { RequestHandler, Response } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedTx } from '../access/scope.ts';
import { deleteCustomerOnlyActivities } from '../activity/writes.ts';
import { recordAudit } from '../audit/record.ts';
import type { AppDeps } from '../deps.ts';
import { load } from '../loaders.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm } from '../web/forms.ts';
import { customerRelations, type CustomerRelations } from './queries.ts';
import { customerDeleteForm } from './schema.ts';

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

/** Sets customerId to null on the user's own rows pointing at the customer, each with its audit entry. */
async function detachVisible(tx: ScopedTx, user: CurrentUser, customerId: number): Promise<Detached> {
  const detach = { customerId: null, version: { increment: 1 } };
  const where = (ids: number[]) => ({ id: { in: ids }, customerId });
  const pick = { where: { customerId }, select: { id: true, companyId: true }, orderBy: { id: 'asc' as const } };
  const [leads, tasks, appointments] = [
    await tx.lead.findMany(pick),
    await tx.task.findMany(pick),
    await tx.appointment.findMany(pick),
  ];
  // The ids are fixed first, so a row attached meanwhile is neither changed unaudited nor lost:
  // it stays attached and the foreign key then refuses the delete (the transaction rolls back).
  if (leads.length) await tx.lead.updateMany({ where: where(leads.map((r) => r.id)), data: detach });
  if (tasks.length) await tx.task.updateMany({ where: where(tasks.map((r) => r.id)), data: detach });
  if (appointments.length)
    await tx.appointment.updateMany({ where: where(appointments.map((r) => r.id)), data: detach });
  const rows = [
    ...leads.map((r) => ['Lead', r] as const),
    ...tasks.map((r) => ['Task', r] as const),
    ...appointments.map((r) => ['Appointment', r] as const),
  ];
  for (const [model, row] of rows) {
    await recordAudit(tx, user, {
      action: 'detach',
      model,
      recordId: row.id,
      companyId: row.companyId,
      changes: { customerId: [customerId, null] },
    });
  }
  return { leads: leads.length, tasks: tasks.length, appointments: appointments.length };
}

type Detached = CustomerRelations['counts'];
type Outcome =
  | { deleted: true; detached: Detached | null }
  | { deleted: false; customer: CustomerRelations; refusal: string };

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
    const id = shown.id;
    const parsed = parseForm(customerDeleteForm, req.body);
    const detach = parsed.ok && parsed.data.detach;
    const outcome: Outcome = await scoped
      .$transaction(async (tx): Promise<Outcome> => {
        // Re-read inside the transaction: rows attached since the page was shown must not be lost.
        const now = await customerRelations(tx, id);
        if (!now) throw new NotFound();
        if (now.hidden) return { deleted: false, customer: now, refusal: HIDDEN_RELATIONS_REFUSAL };
        if (now.total > 0 && !detach) {
          return {
            deleted: false,
            customer: now,
            refusal:
              `"${now.name}" still has ${describe(now.counts)}. Tick "Detach them" to keep ` +
              `those records without a customer, or move them to another customer first.`,
          };
        }
        const detached = now.total > 0 ? await detachVisible(tx, user, id) : null;
        const activitiesDeleted = await deleteCustomerOnlyActivities(tx, id);
        await tx.customer.delete({ where: { id } });
        await recordAudit(tx, user, {
          action: 'delete',
          model: 'Customer',
          recordId: id,
          companyId: now.companyId,
          changes: {
            name: now.name,
            email: now.email,
            organisation: now.organisation,
            ...(detached ? { detached } : {}),
            ...(activitiesDeleted ? { activitiesDeleted } : {}),
          },
        });
        return { deleted: true, detached };
      })
      .catch(async (err: unknown): Promise<Outcome> => {
        // A row attached between the re-read and the delete: the foreign key refuses and nothing is
        // written. Say only what the user may know, from a fresh read.
        if ((err as { code?: string }).code !== 'P2003') throw err;
        const again = await customerRelations(scoped, id);
        if (!again) throw new NotFound();
        return {
          deleted: false,
          customer: again,
          refusal: again.hidden
            ? HIDDEN_RELATIONS_REFUSAL
            : `"${again.name}" was changed meanwhile: records were attached to it. Check them and try again.`,
        };
      });
    if (!outcome.deleted) return renderConfirm(res, outcome.customer, 409, outcome.refusal);
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

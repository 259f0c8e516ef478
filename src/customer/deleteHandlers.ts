// Deleting a customer: a confirmation page that says what else is affected; refused while leads,
// tasks or appointments point at it, unless the user chooses to detach them (one transaction).
import type { RequestHandler, Response } from 'express';
import { scope } from '../access/scope.ts';
import { recordAudit } from '../audit/record.ts';
import type { AppDeps } from '../deps.ts';
import { NotFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm } from '../web/forms.ts';
import { customerRelationCounts } from './queries.ts';
import { customerDeleteForm, recordId } from './schema.ts';

type Counted = NonNullable<Awaited<ReturnType<typeof customerRelationCounts>>>;

function renderConfirm(res: Response, customer: Counted, status = 200, refusal: string | null = null) {
  res.status(status).render('customer/confirm-delete', { title: `Delete ${customer.name}`, customer, refusal });
}

function describe(c: Counted['counts']): string {
  const parts = [[c.leads, 'lead'], [c.tasks, 'task'], [c.appointments, 'appointment']]
    .filter(([n]) => (n as number) > 0).map(([n, noun]) => `${n} ${noun}${n === 1 ? '' : 's'}`);
  return parts.join(', ');
}

export function customerDeleteHandlers(deps: AppDeps) {
  const db = deps.db.prisma;

  /** GET /customers/:id/delete — the confirmation page with the counts of what points at the customer. */
  const confirm: RequestHandler = async (req, res) => {
    const customer = await customerRelationCounts(scope(db, req.user!), recordId(req.params.id));
    if (!customer) throw new NotFound();
    renderConfirm(res, customer);
  };

  /** POST /customers/:id/delete — deletes, detaching related rows only when asked to. */
  const destroy: RequestHandler = async (req, res) => {
    const user = req.user!;
    const scoped = scope(db, user);
    const id = recordId(req.params.id);
    const customer = await customerRelationCounts(scoped, id);
    if (!customer) throw new NotFound();
    const parsed = parseForm(customerDeleteForm, req.body);
    const detach = parsed.ok && parsed.data.detach;
    if (customer.total > 0 && !detach) {
      return renderConfirm(res, customer, 409,
        `"${customer.name}" still has ${describe(customer.counts)}. Tick "Detach them" to keep those records without a customer, or move them to another customer first.`);
    }
    const outcome = await scoped.$transaction(async (tx) => {
      // Re-counted inside the transaction: rows attached since the page was shown must not be lost.
      const now = await tx.customer.findUnique({ where: { id }, select: { name: true, email: true, organisation: true, _count: { select: { leads: true, tasks: true, appointments: true } } } });
      if (!now) throw new NotFound();
      const total = now._count.leads + now._count.tasks + now._count.appointments;
      if (total > 0 && !detach) return { refused: now._count };
      if (total > 0) {
        // Nested disconnects detach every row pointing at the customer, also rows the caller cannot see.
        await tx.customer.update({ where: { id }, data: { leads: { set: [] }, tasks: { set: [] }, appointments: { set: [] } } });
      }
      await tx.customer.delete({ where: { id } });
      await recordAudit(tx, user, {
        action: 'delete', model: 'Customer', recordId: id, companyId: customer.companyId,
        changes: { name: now.name, email: now.email, organisation: now.organisation, detached: now._count },
      });
      return { refused: null };
    }).catch((err: unknown) => {
      // A row attached between the re-count and the delete: the foreign key refuses, nothing is written.
      if ((err as { code?: string }).code === 'P2003') return { refused: customer.counts };
      throw err;
    });
    if (outcome.refused) {
      const counts = outcome.refused;
      return renderConfirm(res, { ...customer, counts, total: counts.leads + counts.tasks + counts.appointments }, 409,
        `"${customer.name}" still has ${describe(counts)}. Tick "Detach them" to delete it anyway.`);
    }
    flash(req, 'success', customer.total > 0 ? `Customer "${customer.name}" deleted; ${describe(customer.counts)} detached.` : `Customer "${customer.name}" deleted.`);
    res.redirect(303, '/customers');
  };

  return { confirm, destroy };
}

// Every write of the customer domain, each with its audit entry in the same transaction, through the
// request's scoped client (req.db). The handlers (form.ts, delete.ts) parse and check the form, then call
// these. (A conversion's new customer is written with the lead, in src/lead/writes.ts.)
import type { z } from 'zod';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient, ScopedTx } from '../access/scope.ts';
import { deleteCustomerOnlyActivities } from '../activity/writes.ts';
import { changedFields, recordAudit } from '../audit/record.ts';
import { emitCustomerEvent } from '../webhook/events.ts';
import { NotFound } from '../web/errors.ts';
import { companyPhoneCountry, phoneCountryOf, phoneKeyOf } from '../duplicate/keys.ts';
import { CUSTOMER_AUDIT } from './fields.ts';
import { type CustomerRelations, customerRelations, type LoadedCustomer } from './queries.ts';
import type { customerForms } from './schema.ts';

type CustomerCreateData = z.output<ReturnType<typeof customerForms.create>>;
type CustomerUpdateData = Omit<z.output<ReturnType<typeof customerForms.update>>, 'version'>;

/** Creates the customer in `companyId` (the handler checked the owner). */
export function createCustomer(db: ScopedClient, user: CurrentUser, companyId: number, data: CustomerCreateData) {
  return db.$transaction(async (tx) => {
    const phoneKey = phoneKeyOf(data.phone, await companyPhoneCountry(tx, user, companyId));
    const c = await tx.customer.create({ data: { ...data, phoneKey, companyId } });
    await recordAudit(tx, user, {
      action: 'create',
      model: 'Customer',
      recordId: c.id,
      companyId: c.companyId,
      changes: changedFields(null, c, CUSTOMER_AUDIT.names),
    });
    await emitCustomerEvent(tx, c, 'customer.created');
    return c;
  });
}

/** Saves the edit if `version` is still the saved one; false when someone else saved first (409). */
export function updateCustomer(
  db: ScopedClient,
  user: CurrentUser,
  customer: LoadedCustomer,
  version: number,
  data: CustomerUpdateData,
) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.customer.updateMany({
      where: { id: customer.id, version },
      data: {
        ...data,
        phoneKey: phoneKeyOf(data.phone, phoneCountryOf(customer.company.currency)),
        version: { increment: 1 },
      },
    });
    if (count === 0) return false;
    await recordAudit(tx, user, {
      action: 'update',
      model: 'Customer',
      recordId: customer.id,
      companyId: customer.companyId,
      changes: changedFields(customer, data, CUSTOMER_AUDIT.names),
    });
    return true;
  });
}

type Detached = CustomerRelations['counts'];

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

/**
 * A delete's outcome. Refused (nothing written) because rows the user cannot see point at the customer
 * (`hidden`), because the user's rows do and detaching was not asked for (`related`), or because rows were
 * attached between the re-read and the delete (`attachedMeanwhile`); `customer` is the fresh read.
 */
export type DeleteOutcome =
  | { deleted: true; detached: Detached | null }
  | { deleted: false; customer: CustomerRelations; refused: 'hidden' | 'related' | 'attachedMeanwhile' };

/**
 * Deletes the customer, re-read inside the transaction (rows attached since the page was shown must not be
 * lost): the user's rows pointing at it are detached when `detach` is asked (each audited), its activities
 * about it alone go with it (src/activity/writes.ts), and the entry keeps what it was and what was detached.
 */
export function deleteCustomer(
  db: ScopedClient,
  user: CurrentUser,
  id: number,
  detach: boolean,
): Promise<DeleteOutcome> {
  return db
    .$transaction(async (tx): Promise<DeleteOutcome> => {
      // Re-read inside the transaction: rows attached since the page was shown must not be lost.
      const now = await customerRelations(tx, id);
      if (!now) throw new NotFound();
      if (now.hidden) return { deleted: false, customer: now, refused: 'hidden' };
      if (now.total > 0 && !detach) return { deleted: false, customer: now, refused: 'related' };
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
    .catch(async (err: unknown): Promise<DeleteOutcome> => {
      // A row attached between the re-read and the delete: the foreign key refuses and nothing is
      // written. The handler says only what the user may know, from a fresh read.
      if ((err as { code?: string }).code !== 'P2003') throw err;
      const again = await customerRelations(db, id);
      if (!again) throw new NotFound();
      return { deleted: false, customer: again, refused: again.hidden ? 'hidden' : 'attachedMeanwhile' };
    });
}

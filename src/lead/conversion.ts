// The conversion's rules, shared by its page (convert.ts) and the API (src/api/leadConvert.ts): a lead converts
// once; a new customer is prefilled from the lead's contact, checked by the customer form's schema, its owner
// check and the forms' duplicate check ("Save anyway"). The transaction itself is convertLead in writes.ts.
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { ownerProblem } from '../customer/queries.ts';
import { customerForms } from '../customer/schema.ts';
import { type DuplicateMatch, formDuplicates } from '../duplicate/detect.ts';
import { Conflict } from '../web/errors.ts';
import { type FieldErrors, parseForm } from '../web/forms.ts';
import type { LoadedLead } from './queries.ts';
import type { ConvertTarget } from './writes.ts';

/** The new customer's form values, from the lead's contact (its owner: the lead's assignee, if still active). */
export function convertPrefill(lead: LoadedLead): Record<string, string> {
  return {
    name: lead.contactName || lead.organisation || lead.title,
    email: lead.email,
    phone: lead.phone,
    organisation: lead.organisation,
    address: '',
    notes: lead.notes,
    ownerId: lead.assignee.active ? String(lead.assigneeId) : '',
  };
}

/** 409: a lead is converted only once. */
export function alreadyConverted(lead: LoadedLead): Conflict {
  const to = lead.customer ? ` to the customer "${lead.customer.name}"` : '';
  return new Conflict(
    `This lead was already converted${to} on ` +
      `${lead.convertedAt!.toISOString().slice(0, 10)}. A lead is converted only once.`,
  );
}

export type NewCustomerCheck =
  | { ok: true; target: ConvertTarget }
  | { ok: false; errors: FieldErrors; duplicates: DuplicateMatch[] };

/**
 * The new customer of a conversion, checked: the customer form's schema over `values`, its owner among the lead's
 * company's active users, then its possible duplicates (none when `body` says "Save anyway").
 */
export async function checkConvertNewCustomer(
  scoped: ScopedClient,
  user: CurrentUser,
  lead: LoadedLead,
  values: unknown,
  body: unknown,
): Promise<NewCustomerCheck> {
  const parsed = parseForm(customerForms.create(user), values);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (parsed.ok) {
    const problem = await ownerProblem(scoped, lead.companyId, parsed.data.ownerId);
    if (problem) errors.ownerId = problem;
  }
  if (!parsed.ok || Object.keys(errors).length) return { ok: false, errors, duplicates: [] };
  const candidate = { ...parsed.data, companyId: lead.companyId };
  const duplicates = await formDuplicates(scoped, user, 'customer', body, candidate, lead.company);
  if (duplicates.length) return { ok: false, errors: {}, duplicates };
  return { ok: true, target: { newCustomer: parsed.data } };
}

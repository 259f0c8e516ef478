// Follow-ups from a record (issue 13 item 4): the task and appointment forms opened from a lead's or a
// customer's page ("Add task", "Schedule meeting") with ?leadId=&customerId=&returnTo=. Shared by the task and
// appointment domains: which lead and customer to preset (read through the scoped client, anything out of
// scope or malformed ignored), where to go back after saving, and whether a lead joined into a row is one
// the user may see.
import type { CurrentUser } from '../access/currentUser.ts';
import { can, seesLeadOf } from '../access/policy.ts';
import type { ScopedClient } from '../access/scope.ts';
import { formCompany, type FormCompany } from '../company/choices.ts';
import type { PickerState } from '../picker/queries.ts';
import { optionalQueryId } from './forms.ts';

/** The record page a form goes back to after saving: only a lead's or a customer's page of this site. */
export function recordReturnPath(raw: unknown): string | null {
  return typeof raw === 'string' && /^\/(leads|customers)\/[1-9]\d{0,8}$/.test(raw) ? raw : null;
}

/**
 * Where a lead's status move goes back to: a record page (as above), or the lead list or board with its
 * filters. Only this site's paths, the query limited to plain characters: `//evil`, `/\\evil`, `https://…`,
 * `javascript:` and anything else are refused (null), so it never becomes an open redirect.
 */
export function leadReturnPath(raw: unknown): string | null {
  if (recordReturnPath(raw)) return raw as string;
  return typeof raw === 'string' && raw.length <= 500 && /^\/leads(\/board)?(\?[\w\-.~%=&+]*)?$/.test(raw) ? raw : null;
}

export type PresetLead = {
  id: number;
  title: string;
  companyId: number;
  customerId: number | null;
  assigneeId: number;
};

/**
 * A new task's or appointment's form opened from a record (`?leadId=&customerId=&companyId=`): the lead and
 * the customer if the user may see them (a lead only with lead.view), the company they belong to when a
 * superuser named none, and the lead's customer when no customer was named. `company` is null while a
 * superuser has not chosen one; a lead or customer of another company than the form's is not carried over.
 */
export async function followUpPreset(
  scoped: ScopedClient,
  user: CurrentUser,
  query: { companyId?: unknown; customerId?: unknown; leadId?: unknown },
): Promise<{ company: FormCompany | null; lead: PresetLead | null; customerId: number | null }> {
  const leadId = can(user, 'lead.view') ? optionalQueryId(query.leadId) : null;
  const customerId = optionalQueryId(query.customerId);
  const [lead, customer] = await Promise.all([
    leadId
      ? scoped.lead.findUnique({
          where: { id: leadId },
          select: { id: true, title: true, companyId: true, customerId: true, assigneeId: true },
        })
      : null,
    customerId
      ? scoped.customer.findUnique({ where: { id: customerId }, select: { id: true, companyId: true } })
      : null,
  ]);
  const named = optionalQueryId(query.companyId) ?? lead?.companyId ?? customer?.companyId ?? null;
  const company = await formCompany(scoped, user, named);
  if (!company) return { company, lead: null, customerId: null };
  const keptLead = lead?.companyId === company.id ? lead : null;
  const keptCustomer = customer?.companyId === company.id ? customer.id : null;
  return { company, lead: keptLead, customerId: keptCustomer ?? keptLead?.customerId ?? null };
}

/** Would the user's scope show this (joined, so unscoped) lead? The one rule is seesLeadOf in src/access/policy.ts. */
export const seesLead = (user: CurrentUser, lead: { assigneeId: number } | null | undefined): boolean =>
  !!lead && seesLeadOf(user, lead);

/** What a saved lead the user may not see (a colleague's, for staff) is called; its title is never shown. */
export const HIDDEN_LEAD = 'A lead you cannot see';

type JoinedLead = { id: number; title: string; assigneeId: number };

/** A row's joined lead if the user may see it, else null. */
export const shownLead = <L extends JoinedLead>(user: CurrentUser, lead: L | null): L | null =>
  seesLead(user, lead) ? lead : null;

/** A row's lead as a 409 row or a CSV cell: its title, HIDDEN_LEAD for one out of sight, '' for none. */
export const leadLabel = (user: CurrentUser, lead: JoinedLead | null): string =>
  !lead ? '' : seesLead(user, lead) ? lead.title : HIDDEN_LEAD;

/**
 * A saved lead the picker could not find in the user's scope (a colleague's lead on a staff user's task) stays
 * chosen, named only as HIDDEN_LEAD, so saving the form keeps the link instead of dropping it.
 */
export function keepHiddenLead(leads: PickerState | null, savedLeadId: number | null | undefined, chosen: unknown) {
  if (!leads || !savedLeadId || String(chosen ?? '') !== String(savedLeadId)) return;
  if (!leads.options.some((o) => o.id === savedLeadId))
    leads.options.unshift({ id: savedLeadId, name: HIDDEN_LEAD, detail: '' });
}

/**
 * The lead a task or appointment form names: one of the company's leads in the user's scope (another company's,
 * or a colleague's for staff: "Choose a lead you can see."), or the saved one, kept even when out of sight. A
 * lead with a customer gives the record that customer when the form names none. Without lead.view the form
 * has no lead field: the saved lead stays.
 */
export async function checkLead(
  scoped: ScopedClient,
  user: CurrentUser,
  companyId: number,
  data: { leadId: number | null; customerId: number | null },
  existing?: { leadId: number | null },
): Promise<{ error: string | null; leadId: number | null; customerId: number | null }> {
  const saved = existing?.leadId ?? null;
  if (!can(user, 'lead.view')) return { error: null, leadId: saved, customerId: data.customerId };
  if (data.leadId === null) return { error: null, leadId: null, customerId: data.customerId };
  const lead = await scoped.lead.findFirst({ where: { id: data.leadId, companyId }, select: { customerId: true } });
  if (!lead && data.leadId !== saved) return { error: 'Choose a lead you can see.', leadId: null, customerId: null };
  return { error: null, leadId: data.leadId, customerId: data.customerId ?? lead?.customerId ?? null };
}

// Who may do what with leads, asked by the lead domain's fields, handlers and views.
// (Moved out of lead/schema.ts so the lead's field descriptors can use them; h-policy's
// src/access/policy.ts takes these over at merge.)
import type { CurrentUser } from './currentUser.ts';
import { can } from './policy.ts';

/** Who may pick a lead's assignee: account managers and superusers (SPEC section 5: never staff). */
export function canAssignLeads(user: CurrentUser): boolean {
  return user.role !== 'STAFF' && can(user, 'lead.assign');
}

/** Who sees other people's leads, and so gets the assignee filter and column. */
export const seesOthersLeads = (user: CurrentUser) => user.role !== 'STAFF';

// One data row of a file → the record it would save, checked by the same zod schemas as the forms
// (src/customer/schema.ts, src/lead/schema.ts through the descriptors) and, for a lead, the same lost-reason rule.
// The preview and the job both call checkRow, so the preview shows exactly what the import will do.
import type { CurrentUser } from '../access/currentUser.ts';
import { canAssignLeads } from '../access/policy.ts';
import { customerForms } from '../customer/schema.ts';
import { blankValues } from '../fields/form.ts';
import { leadForms, lostProblems } from '../lead/schema.ts';
import { parseForm, type FieldErrors } from '../web/forms.ts';
import { ASSIGNEE_EMAIL, type ImportKind, KINDS } from './targets.ts';
import { phoneCountryOf, phoneKeyOf } from '../duplicate/keys.ts';

export type CheckContext = {
  user: CurrentUser;
  kind: ImportKind;
  /** Field name per column ('' = not imported). */
  mapping: string[];
  /** The company's active users by lower-cased email (for an assignee email column). */
  assignees: Map<string, number>;
};

/** The values a checked row saves (column name → value, as Prisma or the bulk SQL takes them). */
export type RowData = Record<string, unknown>;
/** A valid row: what it saves (with its phone's key, as the forms' writes save it) and what it is matched by. */
export type Checked = { ok: true; data: RowData; email: string; phoneKey: string } | { ok: false; errors: FieldErrors };

/** The row's data with its phone key (src/duplicate/keys.ts): an import is into the importer's own company. */
function keyed(ctx: CheckContext, data: RowData, email: string): Checked {
  const phoneKey = phoneKeyOf(String(data.phone ?? ''), phoneCountryOf(ctx.user.currency));
  return { ok: true, data: { ...data, phoneKey }, email, phoneKey };
}

const BLANKS = { CUSTOMER: blankValues(KINDS.CUSTOMER.fields), LEAD: blankValues(KINDS.LEAD.fields) };

/** A choice cell may hold the label a person reads ("Cold call") or the stored value ("COLD_CALL"). */
function choiceValue(choices: Readonly<Record<string, string>>, cell: string): string {
  const c = cell.trim().toLowerCase();
  const hit = Object.entries(choices).find(
    ([value, label]) =>
      value.toLowerCase() === c || label.toLowerCase() === c || value.toLowerCase() === c.replace(/ /g, '_'),
  );
  return hit ? hit[0] : cell;
}

/** The posted-form shape of a row: the new form's defaults, then the mapped cells. */
export function rowValues(ctx: CheckContext, cells: string[]): Record<string, string> {
  const fields = KINDS[ctx.kind].fields;
  const values: Record<string, string> = { ...BLANKS[ctx.kind] };
  ctx.mapping.forEach((name, i) => {
    if (!name) return;
    const cell = cells[i] ?? '';
    // An empty cell keeps the new form's default (a lead's source Other, status New), as an untouched form would.
    if (cell.trim() === '') return;
    const f = fields.find((d) => d.name === name);
    values[name] = f?.choices ? choiceValue(f.choices, cell) : cell;
  });
  return values;
}

export function checkRow(ctx: CheckContext, cells: string[]): Checked {
  const values = rowValues(ctx, cells);
  if (ctx.kind === 'CUSTOMER') {
    const parsed = parseForm(customerForms.create(ctx.user), values);
    if (!parsed.ok) return { ok: false, errors: parsed.errors };
    // The owner is not imported (no column maps to it): left empty, as on the form.
    return keyed(ctx, { ...parsed.data, ownerId: null }, parsed.data.email);
  }
  const errors: FieldErrors = {};
  let assigneeId = ctx.user.id;
  if (canAssignLeads(ctx.user)) {
    const email = (values[ASSIGNEE_EMAIL] ?? '').trim().toLowerCase();
    if (email) {
      const id = ctx.assignees.get(email);
      if (id === undefined) errors[ASSIGNEE_EMAIL] = 'No active user of your company has this email.';
      else assigneeId = id;
    }
    values.assigneeId = String(assigneeId);
  }
  const parsed = parseForm(leadForms.create(ctx.user), values);
  if (!parsed.ok) return { ok: false, errors: { ...parsed.errors, ...errors } };
  const lost = lostProblems(parsed.data);
  Object.assign(errors, lost.errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  const { customerId: _customer, assigneeId: _assignee, ...fields } = parsed.data;
  return keyed(ctx, { ...fields, ...lost.saved, assigneeId }, parsed.data.email);
}

/** "Email: Enter a valid email address." lines, with each field's label. */
export function errorText(kind: ImportKind, errors: FieldErrors): string {
  const label = (name: string) =>
    name === ASSIGNEE_EMAIL ? 'Assignee email' : (KINDS[kind].fields.find((f) => f.name === name)?.label ?? name);
  return Object.entries(errors)
    .map(([name, message]) => `${label(name)}: ${message}`)
    .join(' ');
}

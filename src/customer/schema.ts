// Customer forms and list query (SPEC section 5): strict allow-lists per form; the company is
// only a form field for superusers (everyone else's customers live in their own company).
import { z } from 'zod';
import { field } from '../web/forms.ts';
import type { ListSpec } from '../web/list.ts';

export { recordId, typedValues } from '../web/forms.ts';

export const phoneField = () =>
  z.preprocess((v) => v ?? '', z.string({ error: 'Enter a single value.' }).trim().max(50, 'Use at most 50 characters.')
    .regex(/^[0-9+()\-./ ]*$/, 'Use digits, spaces and + ( ) - . / only.'));

/** A required pick from a select: "Choose an owner." when nothing or something malformed was sent. */
export const pickId = (what: string) =>
  z.preprocess((v) => v ?? '', z.string({ error: 'Enter a single value.' }).regex(/^\d{1,9}$/, `Choose ${what}.`).transform(Number));

/** An optional pick: empty means none (null). */
export const optionalPickId = (label: string) =>
  z.preprocess((v) => v ?? '', z.string({ error: 'Enter a single value.' }).regex(/^(\d{1,9})?$/, `Choose a valid ${label}.`)
    .transform((s) => (s === '' ? null : Number(s))));

export const emailField = () => field.optionalEmail().pipe(z.string().max(254, 'Use at most 254 characters.'));

export const CUSTOMER_FIELDS = ['name', 'email', 'phone', 'organisation', 'address', 'notes', 'ownerId'] as const;

export const customerForm = z.object({
  name: field.text('name', 200),
  email: emailField(),
  phone: phoneField(),
  organisation: field.optionalLine(200),
  address: field.optionalText(500),
  notes: field.optionalText(5000),
  ownerId: optionalPickId('owner'),
});
export type CustomerInput = z.output<typeof customerForm>;

/** Superusers name the company (chosen on the first step of the new form). */
export const customerCreateForm = (superuser: boolean) =>
  superuser ? customerForm.extend({ companyId: pickId('a company') }) : customerForm;

export const customerUpdateForm = customerForm.extend({ version: field.version() });

export const customerDeleteForm = z.object({ detach: field.checkbox() });

export type CustomerSort = 'name' | 'created' | 'organisation';
export type CustomerFilter = 'ownerId' | 'companyId';

export const customerListSpec = (superuser: boolean): ListSpec<CustomerSort, CustomerFilter> => ({
  sorts: ['name', 'created', 'organisation'],
  defaultSort: 'name',
  defaultDir: 'asc',
  // companyId narrows a superuser's list; for everyone else the scope decides and it is not read at all.
  filters: (superuser ? { ownerId: 'id', companyId: 'id' } : { ownerId: 'id' }) as ListSpec<CustomerSort, CustomerFilter>['filters'],
});

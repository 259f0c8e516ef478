// Customer forms and list query (SPEC section 5): the forms are built from the descriptors in
// fields.ts (a strict allow-list); the company is chosen on the new form's first step.
import { z } from 'zod';
import { formSchemas } from '../fields/form.ts';
import { field } from '../fields/kinds.ts';
import type { ListSpec } from '../web/list.ts';
import { CUSTOMER_FIELDS, CUSTOMER_LIST } from './fields.ts';

/** The create and update forms (every role sets every customer field). */
export const customerForms = formSchemas(CUSTOMER_FIELDS);

export const customerDeleteForm = z.object({ detach: field.checkbox() });

export type CustomerSort = string;
export type CustomerFilter = 'ownerId' | 'companyId';

export const customerListSpec = (superuser: boolean): ListSpec<CustomerSort, CustomerFilter> => ({
  sorts: CUSTOMER_LIST.sorts,
  defaultSort: 'name',
  defaultDir: 'asc',
  // companyId narrows a superuser's list; for everyone else the scope decides and it is not read at all.
  filters: (superuser ? { ownerId: 'id', companyId: 'id' } : { ownerId: 'id' }) as ListSpec<
    CustomerSort,
    CustomerFilter
  >['filters'],
});

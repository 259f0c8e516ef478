import { CUSTOMER_FIELDS } from '../../customer/fields.ts';
import { createCustomerApi, deleteCustomerApi, updateCustomerApi } from '../customerWrites.ts';
import { customerApiSchema, listCustomers, showCustomer } from '../customers.ts';
import { jsonBodySchema } from '../doc.ts';
import { load } from '../../loaders.ts';
import { z } from 'zod';
import { listQueryOf } from '../listQuery.ts';
import { spansCompanies } from '../../access/policy.ts';
import { customerListSpec } from '../../customer/schema.ts';
import { apiRoute, type ApiRouteDef } from '../route.ts';

export const customersRoutes: ApiRouteDef[] = [
  apiRoute(
    'get',
    '/v1/customers',
    'customer.view',
    {
      summary: 'List customers',
      query: listQueryOf((user) => customerListSpec(spansCompanies(user))),
      ok: { status: 200, schema: customerApiSchema, list: true },
    },
    listCustomers,
  ),
  apiRoute(
    'post',
    '/v1/customers',
    'customer.add',
    {
      summary: 'Create a customer',
      body: jsonBodySchema(CUSTOMER_FIELDS, 'create', {
        companyId: z.int().optional().describe('Superusers only: the company.'),
      }),
      ok: { status: 201, schema: customerApiSchema },
    },
    createCustomerApi,
  ),
  apiRoute(
    'get',
    '/v1/customers/:id',
    'customer.view',
    { summary: 'Read a customer', ok: { status: 200, schema: customerApiSchema } },
    load.customer,
    showCustomer,
  ),
  apiRoute(
    'patch',
    '/v1/customers/:id',
    'customer.change',
    {
      summary: 'Change a customer',
      body: jsonBodySchema(CUSTOMER_FIELDS, 'update'),
      ok: { status: 200, schema: customerApiSchema },
    },
    load.customer,
    updateCustomerApi,
  ),
  apiRoute(
    'delete',
    '/v1/customers/:id',
    'customer.delete',
    {
      summary: 'Delete a customer (?detach=true keeps its records without it)',
      query: z.object({
        detach: z
          .enum(['true'])
          .optional()
          .describe('Delete it even while leads, tasks or appointments point at it: they keep no customer.'),
      }),
      ok: { status: 204, schema: null },
    },
    load.customer,
    deleteCustomerApi,
  ),
];

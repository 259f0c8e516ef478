// The API's route table, as data like the pages' (src/web/routes.ts): each line says its access rule (the same
// permissions) and, for an `:id`, the same loader the pages use (src/loaders.ts: out of scope → 404). The API
// access sweep (tests/api/sweep.test.ts) walks this table, so a new line is covered without editing the test.
import type { RequestHandler } from 'express';
import { load } from '../loaders.ts';
import type { Access } from '../web/routes.ts';
import type { ApiDoc } from './doc.ts';
import { createCustomerApi, deleteCustomerApi, updateCustomerApi } from './customerWrites.ts';
import { CUSTOMER_FIELDS } from '../customer/fields.ts';
import { customerApiSchema, listCustomers, showCustomer } from './customers.ts';
import { jsonBodySchema } from './doc.ts';
import { leadApiSchema, listLeads, showLead } from './leads.ts';
import { me, meApiSchema } from './me.ts';
import { listQueryOf } from './listQuery.ts';
import { spansCompanies } from '../access/policy.ts';
import { customerListSpec } from '../customer/schema.ts';
import { leadListSpec } from '../lead/schema.ts';
import { z } from 'zod';

export type ApiMethod = 'get' | 'post' | 'patch' | 'delete';
export type ApiRouteDef = {
  method: ApiMethod;
  path: string;
  access: Exclude<Access, 'public'>;
  /** What the OpenAPI document says about it (src/api/doc.ts). */
  doc: ApiDoc;
  handlers: RequestHandler[];
};

const apiRoute = (
  method: ApiMethod,
  path: string,
  access: ApiRouteDef['access'],
  doc: ApiDoc,
  ...handlers: RequestHandler[]
): ApiRouteDef => ({ method, path, access, doc, handlers });

/** Paths are under /api. */
export const API_ROUTES: ApiRouteDef[] = [
  apiRoute(
    'get',
    '/v1/me',
    'signedIn',
    { summary: 'Who the token acts as', ok: { status: 200, schema: meApiSchema } },
    me,
  ),
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
  apiRoute(
    'get',
    '/v1/leads',
    'lead.view',
    {
      summary: 'List leads',
      query: listQueryOf(leadListSpec),
      ok: { status: 200, schema: leadApiSchema, list: true },
    },
    listLeads,
  ),
  apiRoute(
    'get',
    '/v1/leads/:id',
    'lead.view',
    { summary: 'Read a lead', ok: { status: 200, schema: leadApiSchema } },
    load.lead,
    showLead,
  ),
];

// The API's route table, as data like the pages' (src/web/routes.ts): each line says its access rule (the same
// permissions) and, for an `:id`, the same loader the pages use (src/loaders.ts: out of scope → 404). The API
// access sweep (tests/api/sweep.test.ts) walks this table, so a new line is covered without editing the test.
import type { RequestHandler } from 'express';
import { load } from '../loaders.ts';
import type { Access } from '../web/routes.ts';
import { createCustomerApi, deleteCustomerApi, updateCustomerApi } from './customerWrites.ts';
import { listCustomers, showCustomer } from './customers.ts';
import { listLeads, showLead } from './leads.ts';
import { me } from './me.ts';

export type ApiMethod = 'get' | 'post' | 'patch' | 'delete';
export type ApiRouteDef = {
  method: ApiMethod;
  path: string;
  access: Exclude<Access, 'public'>;
  handlers: RequestHandler[];
};

const apiRoute = (
  method: ApiMethod,
  path: string,
  access: ApiRouteDef['access'],
  ...handlers: RequestHandler[]
): ApiRouteDef => ({ method, path, access, handlers });

/** Paths are under /api. */
export const API_ROUTES: ApiRouteDef[] = [
  apiRoute('get', '/v1/me', 'signedIn', me),
  apiRoute('get', '/v1/customers', 'customer.view', listCustomers),
  apiRoute('post', '/v1/customers', 'customer.add', createCustomerApi),
  apiRoute('get', '/v1/customers/:id', 'customer.view', load.customer, showCustomer),
  apiRoute('patch', '/v1/customers/:id', 'customer.change', load.customer, updateCustomerApi),
  apiRoute('delete', '/v1/customers/:id', 'customer.delete', load.customer, deleteCustomerApi),
  apiRoute('get', '/v1/leads', 'lead.view', listLeads),
  apiRoute('get', '/v1/leads/:id', 'lead.view', load.lead, showLead),
];

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
import { z } from 'zod';
import { LEAD_FIELDS } from '../lead/fields.ts';
import { TASK_FIELDS } from '../task/fields.ts';
import { convertLeadApi, leadConversionApiSchema, leadConvertBodyExtra } from './leadConvert.ts';
import { createLeadApi, deleteLeadApi, updateLeadApi } from './leadWrites.ts';
import { listTasks, showTask, taskApiSchema } from './tasks.ts';
import { createTaskApi, deleteTaskApi, updateTaskApi } from './taskWrites.ts';

const ALLOW_DUPLICATE = z
  .boolean()
  .optional()
  .describe('Save even if it may repeat a record (the forms\' "Save anyway").');

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
    { summary: 'List customers', ok: { status: 200, schema: customerApiSchema, list: true } },
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
    { summary: 'Delete a customer (?detach=true keeps its records without it)', ok: { status: 204, schema: null } },
    load.customer,
    deleteCustomerApi,
  ),
  apiRoute(
    'get',
    '/v1/leads',
    'lead.view',
    { summary: 'List leads', ok: { status: 200, schema: leadApiSchema, list: true } },
    listLeads,
  ),
  apiRoute(
    'post',
    '/v1/leads',
    'lead.add',
    {
      summary: 'Create a lead (staff: assigned to themselves); a possible duplicate is 422 unless allowDuplicate',
      body: jsonBodySchema(LEAD_FIELDS, 'create', {
        companyId: z.int().optional().describe('Superusers only: the company.'),
        allowDuplicate: ALLOW_DUPLICATE,
      }),
      ok: { status: 201, schema: leadApiSchema },
    },
    createLeadApi,
  ),
  apiRoute(
    'get',
    '/v1/leads/:id',
    'lead.view',
    { summary: 'Read a lead', ok: { status: 200, schema: leadApiSchema } },
    load.lead,
    showLead,
  ),
  apiRoute(
    'patch',
    '/v1/leads/:id',
    'lead.change',
    {
      summary: 'Change a lead (status moves too: Lost needs a lost reason); a new assignee is mailed',
      body: jsonBodySchema(LEAD_FIELDS, 'update', { allowDuplicate: ALLOW_DUPLICATE }),
      ok: { status: 200, schema: leadApiSchema },
    },
    load.lead,
    updateLeadApi,
  ),
  apiRoute(
    'post',
    '/v1/leads/:id/convert',
    'lead.change',
    {
      summary: 'Convert a lead (once) to a new customer from its contact, or to an existing one by customerId',
      body: jsonBodySchema(CUSTOMER_FIELDS, 'create', leadConvertBodyExtra).partial(),
      ok: { status: 200, schema: leadConversionApiSchema },
    },
    load.lead,
    convertLeadApi,
  ),
  apiRoute(
    'delete',
    '/v1/leads/:id',
    'lead.delete',
    { summary: 'Delete a lead (with its activities about it alone)', ok: { status: 204, schema: null } },
    load.lead,
    deleteLeadApi,
  ),
  apiRoute(
    'get',
    '/v1/tasks',
    'task.view',
    { summary: 'List tasks', ok: { status: 200, schema: taskApiSchema, list: true } },
    listTasks,
  ),
  apiRoute(
    'post',
    '/v1/tasks',
    'task.add',
    {
      summary: 'Create a task (staff: assigned to themselves)',
      body: jsonBodySchema(TASK_FIELDS, 'create', {
        companyId: z.int().optional().describe('Superusers only: the company.'),
      }),
      ok: { status: 201, schema: taskApiSchema },
    },
    createTaskApi,
  ),
  apiRoute(
    'get',
    '/v1/tasks/:id',
    'task.view',
    { summary: 'Read a task', ok: { status: 200, schema: taskApiSchema } },
    load.task,
    showTask,
  ),
  apiRoute(
    'patch',
    '/v1/tasks/:id',
    'task.change',
    {
      summary: 'Change a task (status DONE marks it done); a new assignee is mailed',
      body: jsonBodySchema(TASK_FIELDS, 'update'),
      ok: { status: 200, schema: taskApiSchema },
    },
    load.task,
    updateTaskApi,
  ),
  apiRoute(
    'delete',
    '/v1/tasks/:id',
    'task.delete',
    { summary: 'Delete a task', ok: { status: 204, schema: null } },
    load.task,
    deleteTaskApi,
  ),
];

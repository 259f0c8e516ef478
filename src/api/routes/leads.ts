import { CUSTOMER_FIELDS } from '../../customer/fields.ts';
import { LEAD_FIELDS } from '../../lead/fields.ts';
import { convertLeadApi, leadConversionApiSchema, leadConvertBodyExtra } from '../leadConvert.ts';
import { createLeadApi, deleteLeadApi, updateLeadApi } from '../leadWrites.ts';
import { jsonBodySchema } from '../doc.ts';
import { leadApiSchema, listLeads, showLead } from '../leads.ts';
import { load } from '../../loaders.ts';
import { z } from 'zod';
import { listQueryOf } from '../listQuery.ts';
import { leadListSpec } from '../../lead/schema.ts';
import { apiRoute, type ApiRouteDef } from '../route.ts';

const ALLOW_DUPLICATE = z
  .boolean()
  .optional()
  .describe('Save even if it may repeat a record (the forms\' "Save anyway").');

export const leadsRoutes: ApiRouteDef[] = [
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
];

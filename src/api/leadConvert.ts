// POST /api/v1/leads/:id/convert — the conversion page's rules (src/lead/conversion.ts): refused (409) once
// converted; `customerId` names an existing customer of the lead's company (customer.view), otherwise a new
// customer is made from the lead's contact, the body's customer fields replacing the prefilled ones
// (customer.add), checked by the customer form and the duplicate check unless `"allowDuplicate": true`. The
// customer, the won lead and the audit entries (naming the token) commit together (convertLead).
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { can, describePermission } from '../access/policy.ts';
import { CUSTOMER_FIELDS } from '../customer/fields.ts';
import { findCustomer } from '../customer/queries.ts';
import { jsonFormValues } from '../fields/json.ts';
import { alreadyConverted, checkConvertNewCustomer, convertPrefill } from '../lead/conversion.ts';
import { customerOfCompany, findLead } from '../lead/queries.ts';
import { convertLead, type ConvertTarget } from '../lead/writes.ts';
import { load } from '../loaders.ts';
import { Forbidden, NotFound } from '../web/errors.ts';
import { customerApiSchema, presentCustomer } from './customers.ts';
import { allowDuplicateProblem, refuseDuplicates, saveAnywayBody } from './duplicates.ts';
import { leadApiSchema, presentLead } from './leads.ts';
import { ApiInvalid } from './problem.ts';

const MAX_ID = 2_147_483_647;

/** The answer: the won lead, and its customer (null for a user who may not see customers). */
export const leadConversionApiSchema = z.object({ lead: leadApiSchema, customer: customerApiSchema.nullable() });

/** The body: `customerId` for an existing customer, else the new customer's fields (each optional). */
export const leadConvertBodyExtra = {
  customerId: z.int().positive().optional().describe("An existing customer of the lead's company."),
  allowDuplicate: z.boolean().optional().describe('Save the new customer even if it may repeat one.'),
};

async function convertTarget(req: Parameters<RequestHandler>[0]): Promise<ConvertTarget> {
  const user = req.user!;
  const lead = load.lead.of(req);
  const body = req.body as Record<string, unknown> | undefined;
  // A Map, made an object at the end: a key such as "__proto__" is then an own property like any other.
  const problems = new Map<string, string>();
  const allow = allowDuplicateProblem(body);
  if (allow) problems.set('allowDuplicate', allow);
  if (body?.customerId !== undefined) {
    if (!can(user, 'customer.view')) throw new Forbidden(describePermission('customer.view'));
    const id = body.customerId;
    for (const k of Object.keys(body)) if (k !== 'customerId') problems.set(k, 'Not with customerId.');
    // An id beyond PostgreSQL's integer names no customer (Prisma would throw on it: a 500, not a 422).
    const known = Number.isSafeInteger(id) && (id as number) > 0 && (id as number) <= MAX_ID;
    const picked = known ? await customerOfCompany(req.db, lead.companyId, id as number) : null;
    if (!picked) problems.set('customerId', "Name a customer of this lead's company by its id.");
    if (problems.size || !picked) throw new ApiInvalid(Object.fromEntries(problems));
    return { existingId: picked.id };
  }
  if (!can(user, 'customer.add')) throw new Forbidden(describePermission('customer.add'));
  const json = jsonFormValues(CUSTOMER_FIELDS, user, body ?? {}, convertPrefill(lead), ['allowDuplicate']);
  for (const [k, v] of Object.entries(json.errors)) problems.set(k, v);
  if (problems.size) throw new ApiInvalid(Object.fromEntries(problems));
  const check = await checkConvertNewCustomer(req.db, user, lead, json.values, saveAnywayBody(body));
  if (check.ok) return check.target;
  refuseDuplicates(check.duplicates);
  throw new ApiInvalid(check.errors);
}

export const convertLeadApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const lead = load.lead.of(req);
  if (lead.convertedAt) throw alreadyConverted(lead);
  const customer = await convertLead(req.db, user, lead, await convertTarget(req));
  const [won, shown] = await Promise.all([
    findLead(req.db, lead.id),
    can(user, 'customer.view') ? findCustomer(req.db, customer.id) : null,
  ]);
  if (!won) throw new NotFound();
  const answer: z.infer<typeof leadConversionApiSchema> = {
    lead: presentLead(won),
    customer: shown ? presentCustomer(shown) : null,
  };
  res.json(answer);
};

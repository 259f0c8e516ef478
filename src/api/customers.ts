// The API's customers: the list (the page's search, owner filter and sorts, src/customer/queries.ts) and one
// customer, through the request's scoped client, so the API sees exactly the customers the pages show the user.
// Its writes: src/api/customerWrites.ts.
import type { RequestHandler } from 'express';
import { spansCompanies } from '../access/policy.ts';
import { customerListOrder, customerListWhere } from '../customer/queries.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { customerListSpec } from '../customer/schema.ts';
import { load } from '../loaders.ts';
import { z } from 'zod';
import { refSchema, timeSchema } from './doc.ts';
import { apiPage, apiWindow, parseApiListQuery } from './list.ts';

/** A customer as the API shows it. */
export const CUSTOMER_API_SELECT = {
  id: true,
  companyId: true,
  name: true,
  email: true,
  phone: true,
  organisation: true,
  address: true,
  notes: true,
  owner: { select: { id: true, name: true } },
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** A customer as the API reads it: the row CUSTOMER_API_SELECT gives (the loader's row has every field of it too). */
type ApiCustomer = Prisma.CustomerGetPayload<{ select: typeof CUSTOMER_API_SELECT }>;

/** A customer as the API answers it (the OpenAPI document's schema; the tests validate every answer with it). */
export const customerApiSchema = z.object({
  id: z.int(),
  companyId: z.int(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  organisation: z.string().nullable(),
  address: z.string().nullable(),
  notes: z.string().nullable(),
  owner: refSchema.nullable(),
  version: z.int(),
  createdAt: timeSchema,
  updatedAt: timeSchema,
});

export const presentCustomer = (c: ApiCustomer): z.infer<typeof customerApiSchema> => ({
  id: c.id,
  companyId: c.companyId,
  name: c.name,
  email: c.email,
  phone: c.phone,
  organisation: c.organisation,
  address: c.address,
  notes: c.notes,
  owner: c.owner ? { id: c.owner.id, name: c.owner.name } : null,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

/** GET /api/v1/customers — `q`, `ownerId` (superusers: `companyId`), `sort`, `dir`, `limit`, `cursor`. */
export const listCustomers: RequestHandler = async (req, res) => {
  const query = parseApiListQuery(req, customerListSpec(spansCompanies(req.user)));
  const rows = await req.db.customer.findMany({
    where: customerListWhere(query),
    select: CUSTOMER_API_SELECT,
    orderBy: customerListOrder(query),
    ...apiWindow(query),
  });
  res.json(apiPage(query, rows.map(presentCustomer)));
};

/** GET /api/v1/customers/:id — its version is the ETag (a later PATCH answers 412 to a stale If-Match). */
export const showCustomer: RequestHandler = (req, res) => {
  const c = load.customer.of(req);
  res.set('ETag', `"${c.version}"`).json(presentCustomer(c));
};

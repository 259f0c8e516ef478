// The API's leads: the list (the page's search, status, source, assignee and "no activity" filters and sorts,
// src/lead/queries.ts) and one lead, through the request's scoped client: staff get their own leads only, as on
// the pages. Amounts are decimal strings in the company's currency; the expected close date is a calendar date.
import type { RequestHandler } from 'express';
import type { Prisma } from '../generated/prisma/client.ts';
import { leadListOrder, leadListWhere } from '../lead/queries.ts';
import { leadListSpec } from '../lead/schema.ts';
import { load } from '../loaders.ts';
import { z } from 'zod';
import { LEAD_SOURCES, LEAD_STATUSES } from '../lead/fields.ts';
import { refSchema, timeSchema } from './doc.ts';
import { apiPage, apiWindow, parseApiListQuery } from './list.ts';

export const LEAD_API_SELECT = {
  id: true,
  companyId: true,
  title: true,
  contactName: true,
  email: true,
  phone: true,
  organisation: true,
  source: true,
  status: true,
  estimatedValue: true,
  notes: true,
  nextStep: true,
  expectedCloseDate: true,
  lostReason: true,
  lostNote: true,
  assignee: { select: { id: true, name: true } },
  customer: { select: { id: true, name: true } },
  company: { select: { currency: true } },
  convertedAt: true,
  closedAt: true,
  lastActivityAt: true,
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** A lead as the API reads it: the row LEAD_API_SELECT gives (the loader's fuller row has every field of it too). */
type ApiLead = Prisma.LeadGetPayload<{ select: typeof LEAD_API_SELECT }>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A lead as the API answers it (the OpenAPI document's schema; the tests validate every answer with it). */
export const leadApiSchema = z.object({
  id: z.int(),
  companyId: z.int(),
  title: z.string(),
  contactName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  organisation: z.string().nullable(),
  source: z.enum(LEAD_SOURCES),
  status: z.enum(LEAD_STATUSES),
  estimatedValue: z.string().nullable().describe('A decimal string in the currency, e.g. "12500.50".'),
  currency: z.string().describe("ISO 4217, the company's."),
  notes: z.string().nullable(),
  nextStep: z.string().nullable(),
  expectedCloseDate: z.iso.date().nullable(),
  lostReason: z.string().nullable(),
  lostNote: z.string().nullable(),
  assignee: refSchema,
  customer: refSchema.nullable(),
  convertedAt: timeSchema.nullable(),
  closedAt: timeSchema.nullable(),
  lastActivityAt: timeSchema.nullable(),
  version: z.int(),
  createdAt: timeSchema,
  updatedAt: timeSchema,
});

export const presentLead = (l: ApiLead): z.infer<typeof leadApiSchema> => ({
  id: l.id,
  companyId: l.companyId,
  title: l.title,
  contactName: l.contactName,
  email: l.email,
  phone: l.phone,
  organisation: l.organisation,
  source: l.source,
  status: l.status,
  estimatedValue: l.estimatedValue ? l.estimatedValue.toFixed(2) : null,
  currency: l.company.currency,
  notes: l.notes,
  nextStep: l.nextStep,
  expectedCloseDate: l.expectedCloseDate ? l.expectedCloseDate.toISOString().slice(0, 10) : null,
  lostReason: l.lostReason,
  lostNote: l.lostNote,
  assignee: { id: l.assignee.id, name: l.assignee.name },
  customer: l.customer ? { id: l.customer.id, name: l.customer.name } : null,
  convertedAt: iso(l.convertedAt),
  closedAt: iso(l.closedAt),
  lastActivityAt: iso(l.lastActivityAt),
  version: l.version,
  createdAt: l.createdAt.toISOString(),
  updatedAt: l.updatedAt.toISOString(),
});

/** GET /api/v1/leads — `q`, `status`, `source`, `assigneeId` (not staff), `noActivity`, `sort`, `dir`, paging. */
export const listLeads: RequestHandler = async (req, res) => {
  const user = req.user!;
  const query = parseApiListQuery(req, leadListSpec(user));
  const rows = await req.db.lead.findMany({
    where: leadListWhere(query),
    select: LEAD_API_SELECT,
    orderBy: leadListOrder(query),
    ...apiWindow(query),
  });
  res.json(
    apiPage(
      query,
      rows.map((r) => presentLead(r as ApiLead)),
    ),
  );
};

/** GET /api/v1/leads/:id — its version is the ETag. */
export const showLead: RequestHandler = (req, res) => {
  const lead = load.lead.of(req);
  res.set('ETag', `"${lead.version}"`).json(presentLead(lead));
};

// The API's activities: the list (the page's search, kind, author, about, lead, customer and day filters and its
// sorts, src/activity/queries.ts) and one activity, through the request's scoped client: whoever sees its customer
// sees it, or, about a lead alone, whoever sees that lead (src/access/scope.ts), exactly as on the pages. A lead the
// caller cannot see (a staff user on a customer's activity about a colleague's lead) is not named: `lead` is null.
// Its writes: src/api/activityWrites.ts.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { CALL_OUTCOMES, KINDS } from '../activity/fields.ts';
import { activityListWhere, activityOrderBy, withVisibleLead } from '../activity/queries.ts';
import { activityListSpec } from '../activity/schema.ts';
import type { CurrentUser } from '../access/currentUser.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { load } from '../loaders.ts';
import { refSchema, timeSchema } from './doc.ts';
import { activitySummarySelect } from '../activity/queries.ts';
import { apiPage, apiWindow, parseApiListQuery } from './list.ts';

/** An activity as the API reads it (the loader's row, findActivity, has every field of it too). */
export const ACTIVITY_API_SELECT = {
  ...activitySummarySelect,
  companyId: true,
  authorId: true,
  author: { select: { id: true, name: true } },
  lead: { select: { id: true, title: true, assigneeId: true } },
  customer: { select: { id: true, name: true } },
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

type ApiActivity = Prisma.ActivityGetPayload<{ select: typeof ACTIVITY_API_SELECT }>;

/** An activity as the API answers it (the OpenAPI document's schema; the tests validate every answer with it). */
export const activityApiSchema = z.object({
  id: z.int(),
  companyId: z.int(),
  kind: z.enum(KINDS),
  summary: z.string(),
  details: z.string(),
  occurredAt: timeSchema,
  callOutcome: z.enum(CALL_OUTCOMES).nullable(),
  durationMinutes: z.int().nullable(),
  author: refSchema.nullable(),
  lead: refSchema.nullable().describe('The lead (named by its title), if the caller sees it.'),
  customer: refSchema.nullable(),
  version: z.int(),
  createdAt: timeSchema,
  updatedAt: timeSchema,
});

/** A created activity: with the follow-up task its create planned, if any. */
export const activityCreatedApiSchema = activityApiSchema.extend({
  followUpTask: z.object({ id: z.int(), title: z.string() }).nullable(),
});

export function presentActivity(user: CurrentUser, row: ApiActivity): z.infer<typeof activityApiSchema> {
  const a = withVisibleLead(user, row);
  return {
    id: a.id,
    companyId: a.companyId,
    kind: a.kind,
    summary: a.summary,
    details: a.details,
    occurredAt: a.occurredAt.toISOString(),
    callOutcome: a.callOutcome,
    durationMinutes: a.durationMinutes,
    author: a.author ? { id: a.author.id, name: a.author.name } : null,
    lead: a.lead ? { id: a.lead.id, name: a.lead.title } : null,
    customer: a.customer ? { id: a.customer.id, name: a.customer.name } : null,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/**
 * GET /api/v1/activities — `q`, `kind`, `authorId`, `about` (lead|customer), `leadId`, `customerId`, `from`, `to`
 * (days in the caller's zone), superusers `companyId`; `sort`, `dir`, `limit`, `cursor`.
 */
export const listActivities: RequestHandler = async (req, res) => {
  const user = req.user!;
  const query = parseApiListQuery(req, activityListSpec);
  const rows = await req.db.activity.findMany({
    where: activityListWhere(user, query),
    select: ACTIVITY_API_SELECT,
    orderBy: activityOrderBy(query),
    ...apiWindow(query),
  });
  res.json(
    apiPage(
      query,
      rows.map((r) => presentActivity(user, r)),
    ),
  );
};

/** GET /api/v1/activities/:id — its version is the ETag. */
export const showActivity: RequestHandler = (req, res) => {
  const a = load.activity.of(req);
  res.set('ETag', `"${a.version}"`).json(presentActivity(req.user!, a));
};

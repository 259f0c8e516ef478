// The API's groups, read-only, for whoever manages them on the pages (group.manage: account managers their
// company's, superusers every company's; staff 403): the list with the groups page's search and sorts
// (src/group/queries.ts), and one group with its members.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { spansCompanies } from '../access/policy.ts';
import type { GroupDetail } from '../group/queries.ts';
import { groupListOrder, groupListWhere } from '../group/queries.ts';
import { groupListSpec } from '../group/schema.ts';
import { load } from '../loaders.ts';
import { refSchema, timeSchema } from './doc.ts';
import { apiPage, apiWindow, parseApiListQuery } from './list.ts';

const GROUP_API_SELECT = {
  id: true,
  companyId: true,
  name: true,
  permissions: true,
  createdAt: true,
  _count: { select: { members: true } },
} as const;

/** A group as the API lists it (the OpenAPI document's schema; the tests validate every answer with it). */
export const groupApiSchema = z.object({
  id: z.int(),
  companyId: z.int(),
  name: z.string(),
  permissions: z.array(z.string()).describe('Permission codenames, e.g. "lead.view".'),
  memberCount: z.int(),
  createdAt: timeSchema,
});

/** One group: with its members. */
export const groupDetailApiSchema = groupApiSchema.extend({ members: z.array(refSchema) });

type GroupRow = { id: number; companyId: number; name: string; permissions: string[]; createdAt: Date };

export const presentGroup = (g: GroupRow, memberCount: number): z.infer<typeof groupApiSchema> => ({
  id: g.id,
  companyId: g.companyId,
  name: g.name,
  permissions: [...g.permissions].sort(),
  memberCount,
  createdAt: g.createdAt.toISOString(),
});

export const presentGroupDetail = (g: GroupDetail): z.infer<typeof groupDetailApiSchema> => ({
  ...presentGroup(g, g.members.length),
  members: g.members.map((m) => ({ id: m.id, name: m.name })),
});

/** GET /api/v1/groups — `q`, superusers `companyId`; `sort` (name, members, created; superusers company), paging. */
export const listGroupsApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const query = parseApiListQuery(req, groupListSpec(spansCompanies(user)));
  const rows = await req.db.group.findMany({
    where: groupListWhere(user, query),
    select: GROUP_API_SELECT,
    orderBy: groupListOrder(query),
    ...apiWindow(query),
  });
  res.json(
    apiPage(
      query,
      rows.map((g) => presentGroup(g, g._count.members)),
    ),
  );
};

/** GET /api/v1/groups/:id — a group the caller manages, with its members (others: 404). */
export const showGroupApi: RequestHandler = (req, res) => {
  res.json(presentGroupDetail(load.group.of(req)));
};

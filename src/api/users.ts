// The API's users, read-only, for whoever manages them on the pages (user.manage: account managers their company's,
// superusers every company's; staff 403): the list with the users page's search, role, status and group filters and
// sorts (src/user/queries.ts), and one user. Never anything secret: no password hash, codes, feed or reset tokens.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { managedRole } from '../access/policy.ts';
import { spansCompanies } from '../access/policy.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { load } from '../loaders.ts';
import { userListOrder, userListWhere } from '../user/queries.ts';
import { userListSpec } from '../user/schema.ts';
import { refSchema, timeSchema } from './doc.ts';
import { apiPage, apiWindow, parseApiListQuery } from './list.ts';

/** A user as the API reads it: named columns only (the loader's row, findUser, has every field of it too). */
const USER_API_SELECT = {
  id: true,
  companyId: true,
  name: true,
  email: true,
  role: true,
  active: true,
  timeZone: true,
  lastSignInAt: true,
  createdAt: true,
  memberships: {
    select: { group: { select: { id: true, name: true } } },
    orderBy: { group: { name: 'asc' as const } },
  },
} as const;

type ApiUserRow = Prisma.UserGetPayload<{ select: typeof USER_API_SELECT }>;
type ApiUser = Omit<ApiUserRow, 'memberships'> & { groups: { id: number; name: string }[] };

/** A user as the API answers it (the OpenAPI document's schema; the tests validate every answer with it). */
export const userApiSchema = z.object({
  id: z.int(),
  companyId: z.int().nullable(),
  name: z.string(),
  email: z.string(),
  role: z.enum(['ACCOUNT_MANAGER', 'STAFF']).describe('Superusers are never among the users listed.'),
  active: z.boolean(),
  timeZone: z.string(),
  groups: z.array(refSchema),
  lastSignInAt: timeSchema.nullable(),
  createdAt: timeSchema,
});

export const presentUser = (u: ApiUser): z.infer<typeof userApiSchema> => ({
  id: u.id,
  companyId: u.companyId,
  name: u.name,
  email: u.email,
  // Superusers are never among the users these pages and this API manage (src/user/queries.ts: NOT_SUPERUSER).
  role: managedRole(u.role),
  active: u.active,
  timeZone: u.timeZone,
  groups: u.groups.map((g) => ({ id: g.id, name: g.name })),
  lastSignInAt: u.lastSignInAt ? u.lastSignInAt.toISOString() : null,
  createdAt: u.createdAt.toISOString(),
});

/** GET /api/v1/users — `q`, `role`, `status` (active|inactive), `groupId`, superusers `companyId`; sorts; paging. */
export const listUsersApi: RequestHandler = async (req, res) => {
  const user = req.user!;
  const query = parseApiListQuery(req, userListSpec(spansCompanies(user)));
  const rows = await req.db.user.findMany({
    where: userListWhere(user, query),
    select: USER_API_SELECT,
    orderBy: userListOrder(query),
    ...apiWindow(query),
  });
  const users = rows.map(({ memberships, ...u }) => presentUser({ ...u, groups: memberships.map((m) => m.group) }));
  res.json(apiPage(query, users));
};

/** GET /api/v1/users/:id — a user the caller manages (others: 404, as on the pages). */
export const showUserApi: RequestHandler = (req, res) => {
  res.json(presentUser(load.user.of(req)));
};

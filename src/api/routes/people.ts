import { groupApiSchema, groupDetailApiSchema, listGroupsApi, showGroupApi } from '../groups.ts';
import { listUsersApi, showUserApi, userApiSchema } from '../users.ts';
import { load } from '../../loaders.ts';
import { listQueryOf } from '../listQuery.ts';
import { spansCompanies } from '../../access/policy.ts';
import { userListSpec } from '../../user/schema.ts';
import { groupListSpec } from '../../group/schema.ts';
import { apiRoute, type ApiRouteDef } from '../route.ts';

export const peopleRoutes: ApiRouteDef[] = [
  apiRoute(
    'get',
    '/v1/users',
    'user.manage',
    {
      summary: 'List users (account managers)',
      query: listQueryOf((u) => userListSpec(spansCompanies(u))),
      ok: { status: 200, schema: userApiSchema, list: true },
    },
    listUsersApi,
  ),
  apiRoute(
    'get',
    '/v1/users/:id',
    'user.manage',
    { summary: 'Read a user (account managers)', ok: { status: 200, schema: userApiSchema } },
    load.user,
    showUserApi,
  ),
  apiRoute(
    'get',
    '/v1/groups',
    'group.manage',
    {
      summary: 'List groups (account managers)',
      query: listQueryOf((u) => groupListSpec(spansCompanies(u))),
      ok: { status: 200, schema: groupApiSchema, list: true },
    },
    listGroupsApi,
  ),
  apiRoute(
    'get',
    '/v1/groups/:id',
    'group.manage',
    { summary: 'Read a group with its members (account managers)', ok: { status: 200, schema: groupDetailApiSchema } },
    load.group,
    showGroupApi,
  ),
];

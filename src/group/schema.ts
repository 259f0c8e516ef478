// Group forms and list query (SPEC section 3): a name, a set of permissions picked from a
// checklist grouped by record type, and members (users of the group's company).
import { z } from 'zod';
import { PERMISSION_GROUPS, type Permission } from '../access/permissions.ts';
import { field } from '../fields/kinds.ts';
import type { ListSpec } from '../web/list.ts';
import { idList } from '../user/schema.ts';

/** The checklist: record-type permissions only. User and group administration belongs to the
 *  account-manager role (policy.ts ignores it for staff), so a group cannot hand it out. */
export const PERMISSION_CHOICES = (Object.entries(PERMISSION_GROUPS) as [string, readonly Permission[]][])
  .filter(([record]) => record !== 'administration')
  .map(([record, permissions]) => ({ record, label: `${record[0].toUpperCase()}${record.slice(1)}s`, permissions }));
const CHOOSABLE = new Set<string>(PERMISSION_CHOICES.flatMap((c) => c.permissions));

const permissionList = () =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(
        z
          .string({ error: 'Choose permissions from the list.' })
          .refine((p) => CHOOSABLE.has(p), 'Choose permissions from the list.'),
      )
      .transform((ps) => [...new Set(ps)].sort() as Permission[]),
  );

export const GROUP_FIELDS = ['name', 'companyId'] as const;

const groupBase = z.object({
  name: field.text('name', 80),
  permissions: permissionList(),
  memberIds: idList('members'),
});
export const groupCreateForm = (superuser: boolean) =>
  superuser ? groupBase.extend({ companyId: field.id('company') }) : groupBase;
export const groupUpdateForm = groupBase.extend({ version: field.version() });
export type GroupInput = z.output<typeof groupBase>;

export type GroupSort = 'name' | 'members' | 'company' | 'created';
export type GroupFilter = 'companyId';

export const groupListSpec = (superuser: boolean): ListSpec<GroupSort, GroupFilter> => ({
  sorts: superuser ? ['name', 'members', 'company', 'created'] : ['name', 'members', 'created'],
  defaultSort: 'name',
  defaultDir: 'asc',
  // companyId narrows a superuser's list; for everyone else the scope decides and it is not read at all.
  filters: (superuser ? { companyId: 'id' } : {}) as ListSpec<GroupSort, GroupFilter>['filters'],
});

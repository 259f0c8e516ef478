// User forms and list query (SPEC section 5: email, name, role, company, active flag, groups).
// The role is STAFF or ACCOUNT_MANAGER: no web form ever makes a superuser. The company is a form
// field for superusers only; everyone else's users live in their own company.
import { z } from 'zod';
import { field } from '../fields/kinds.ts';
import type { ListSpec } from '../web/list.ts';
import { isTimeZone } from '../web/time.ts';

export const ROLE_LABELS = { SUPERUSER: 'Superuser', ACCOUNT_MANAGER: 'Account manager', STAFF: 'Staff' } as const;

/** A checkbox list of ids: absent → [], one → [id], several → [ids]. */
export const idList = (label: string) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(
        z
          .string({ error: `Choose valid ${label}.` })
          .regex(/^\d{1,9}$/, `Choose valid ${label}.`)
          .transform(Number),
      )
      .max(200, `Choose at most 200 ${label}.`)
      .transform((ids) => [...new Set(ids)]),
  );

const role = () => z.enum(['STAFF', 'ACCOUNT_MANAGER'], { error: 'Choose Staff or Account manager.' });
const timeZone = () =>
  z.string({ error: 'Choose a time zone.' }).refine(isTimeZone, 'Choose a time zone from the list.');
const email = () => field.email();

export const USER_FIELDS = ['name', 'email', 'role', 'timeZone', 'companyId'] as const;

const userBase = z.object({
  name: field.text('full name', 120),
  email: email(),
  role: role(),
  timeZone: timeZone(),
  groupIds: idList('groups'),
});

/** Superusers name the company (chosen on the first step of the new form). */
export const userCreateForm = (superuser: boolean) =>
  superuser ? userBase.extend({ companyId: field.id('company') }) : userBase;
export type UserCreateInput = z.output<typeof userBase> & { companyId?: number };

/** Editing someone else: role and active flag included. */
export const userUpdateForm = userBase.extend({ active: field.checkbox(), version: field.version() });
/** Editing oneself: no role, no active flag (nobody raises or deactivates themself). */
export const selfUpdateForm = userBase.omit({ role: true }).extend({ version: field.version() });

export type UserSort = 'name' | 'email' | 'role' | 'company' | 'lastSignIn' | 'created';
export type UserFilter = 'role' | 'status' | 'groupId' | 'companyId';

export const userListSpec = (superuser: boolean): ListSpec<UserSort, UserFilter> => ({
  sorts: superuser
    ? ['name', 'email', 'role', 'company', 'lastSignIn', 'created']
    : ['name', 'email', 'role', 'lastSignIn', 'created'],
  defaultSort: 'name',
  defaultDir: 'asc',
  // companyId narrows a superuser's list; for everyone else the scope decides and it is not read at all.
  filters: (superuser
    ? { role: ['ACCOUNT_MANAGER', 'STAFF'], status: ['active', 'inactive'], groupId: 'id', companyId: 'id' }
    : { role: ['ACCOUNT_MANAGER', 'STAFF'], status: ['active', 'inactive'], groupId: 'id' }) as ListSpec<
    UserSort,
    UserFilter
  >['filters'],
});

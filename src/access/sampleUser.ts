// A made-up user of a role, for what must ask the access rules without a real user: the OpenAPI document asks each
// list's spec as each role (src/api/listQuery.ts). Staff have the default Staff group's permissions, the others all.
import { type CurrentUser, currentUserFrom, type Role } from './currentUser.ts';
import { ALL_PERMISSIONS, DEFAULT_STAFF_GROUP } from './permissions.ts';

export function sampleUser(role: Role): CurrentUser {
  const company = {
    name: 'Sample',
    active: true,
    currency: 'EUR',
    probabilityNew: 10,
    probabilityContacted: 30,
    probabilityQualified: 60,
  };
  const superuser = role === 'SUPERUSER';
  const user = currentUserFrom({
    id: 0,
    email: 'sample@example.invalid',
    name: 'Sample',
    role,
    companyId: superuser ? null : 0,
    active: true,
    timeZone: 'UTC',
    company: superuser ? null : company,
    groupPermissions: role === 'STAFF' ? DEFAULT_STAFF_GROUP.permissions : [...ALL_PERMISSIONS],
  });
  if (!user) throw new Error(`No sample ${role}.`);
  return user;
}

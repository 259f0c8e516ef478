// A list route's query parameters for the OpenAPI document, derived from the list spec its handler reads
// (src/web/list.ts ListSpec: search, sorts, filters), so the document cannot drift from what the list accepts.
// Some specs depend on who asks (a superuser's `companyId`, a manager's `assigneeId`): the spec is asked for one
// user of each role, and a parameter only some roles have says which.
import { z } from 'zod';
import type { CurrentUser, Role } from '../access/currentUser.ts';
import { sampleUser } from '../access/sampleUser.ts';
import type { ListSpec } from '../web/list.ts';
import { API_LIMIT_DEFAULT, API_LIMIT_MAX } from './list.ts';

type AnySpec = ListSpec<string, string>;

const ROLE_NAMES: Record<Role, string> = {
  SUPERUSER: 'superusers',
  ACCOUNT_MANAGER: 'account managers',
  STAFF: 'staff',
};

const ROLE_SAMPLES: [Role, CurrentUser][] = (Object.keys(ROLE_NAMES) as Role[]).map((role) => [role, sampleUser(role)]);

/** A filter's value as the list accepts it (an unknown value is ignored, so the list is unfiltered). */
function filterSchema(allowed: AnySpec['filters'][string]): z.ZodType {
  if (allowed === 'id') return z.int().positive().max(999_999_999);
  if (allowed === 'date') return z.iso.date();
  if (allowed === 'text') return z.string().max(100);
  return z.enum(allowed as [string, ...string[]]);
}

/** Who may send a parameter that not every role has, e.g. " (superusers only)". */
function onlyFor(roles: Role[]): string {
  if (roles.length === ROLE_SAMPLES.length) return '';
  return ` (${roles.map((r) => ROLE_NAMES[r]).join(' and ')} only; ignored for others)`;
}

/**
 * The query parameters of a list: `q`, `sort`, `dir` and each filter of the spec the handler uses (a spec, or a
 * function of the user, called with a user of each role), then `limit` and `cursor`. For `ApiDoc.query`:
 * `query: listQueryOf(taskListSpec)`, `query: listQueryOf((user) => userListSpec(spansCompanies(user)))`.
 */
export function listQueryOf(specOf: AnySpec | ((user: CurrentUser) => AnySpec)): z.ZodObject {
  const specs = ROLE_SAMPLES.map(
    ([role, user]) => [role, typeof specOf === 'function' ? specOf(user) : specOf] as const,
  );
  const [, first] = specs[0];
  const sorts = [...new Set(specs.flatMap(([, s]) => s.sorts))];
  const shape: Record<string, z.ZodType> = {
    q: z.string().optional().describe("Search, as the list page's search box does (its first 100 characters)."),
    sort: z
      .enum(sorts as [string, ...string[]])
      .optional()
      .describe(`The order (default ${first.defaultSort}).`),
    dir: z.enum(['asc', 'desc']).optional().describe(`The direction (default ${first.defaultDir}).`),
  };
  for (const [, spec] of specs)
    for (const [name, allowed] of Object.entries(spec.filters)) {
      if (shape[name]) continue;
      const roles = specs.filter(([, s]) => name in s.filters).map(([role]) => role);
      shape[name] = filterSchema(allowed)
        .optional()
        .describe(`Filter on ${name}${onlyFor(roles)}. A value the list does not know is ignored.`);
    }
  return z.object({ ...shape, ...pagingShape() });
}

/** `limit` and `cursor`: every list reads them (src/api/list.ts). */
export function pagingShape(): Record<'limit' | 'cursor', z.ZodType> {
  return {
    limit: z
      .int()
      .min(1)
      .max(API_LIMIT_MAX)
      .optional()
      .describe(`Rows per answer, 1 to ${API_LIMIT_MAX} (default ${API_LIMIT_DEFAULT}).`),
    cursor: z
      .string()
      .max(100)
      .optional()
      .describe('The `next` of the previous answer; send it with the same other parameters.'),
  };
}

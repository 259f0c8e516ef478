// The error answers of the OpenAPI document: which problem statuses a route may answer, derived from what it is
// (every route: 400, 401, 403, 429, 503; an `:id`: 404; a body: 413, 415, 422; a change to a record: 409, 412), and
// each status as a shared response (`components.responses`) whose body is the `Problem` schema.
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { ApiRouteDef } from './routes.ts';
import { problemSchema } from './problem.ts';
import type { JsonSchema, SchemaSet } from './openapiSchemas.ts';

/** A 422's problem: `errors` always there. */
export const invalidProblemSchema = problemSchema
  .extend({ errors: z.record(z.string(), z.string()).describe("Each field's problem, by field name.") })
  .meta({ id: 'ValidationProblem', title: 'Problem details with the problem of each field' });

type ProblemAnswer = { name: string; description: string; headers?: Record<string, JsonSchema> };

const header = (description: string, required = false) => ({ description, required, schema: { type: 'string' } });

export const PROBLEM_ANSWERS: Record<number, ProblemAnswer> = {
  400: { name: 'BadRequest', description: 'Malformed JSON, or a query parameter given twice or out of range.' },
  401: {
    name: 'Unauthorized',
    description: 'No token, or one that is unknown, revoked or expired, or whose user or company is inactive.',
    headers: { 'WWW-Authenticate': header('`Bearer realm="crm"`.', true) },
  },
  403: { name: 'Forbidden', description: "The token's user lacks the permission, or a read-only token writes." },
  404: { name: 'NotFound', description: 'No such record, or not one the token may see.' },
  409: { name: 'Conflict', description: 'A stale `version`, or records still point at it.' },
  412: {
    name: 'PreconditionFailed',
    description: '`If-Match` names no strong ETag of the record as saved now (`*` matches any; a weak `W/` one never).',
  },
  413: { name: 'TooLarge', description: 'The body is over 100 kB.' },
  415: { name: 'UnsupportedBody', description: 'The body is in an encoding the API does not accept.' },
  422: { name: 'Invalid', description: 'Some fields are not valid: `errors` says which and why. Nothing was written.' },
  429: {
    name: 'TooManyRequests',
    description: 'Too many requests for this token: wait as `Retry-After` says.',
    headers: { 'Retry-After': header('Seconds to wait.', true) },
  },
  503: {
    name: 'ServiceUnavailable',
    description: 'The database is briefly unreachable (restarting): try again as `Retry-After` says.',
    headers: { 'Retry-After': header('Seconds to wait.', true) },
  },
};

/** A status's shared answer; a status a route adds that is not above gets a plain one. */
const answerOf = (status: number): ProblemAnswer =>
  PROBLEM_ANSWERS[status] ?? { name: `Status${status}`, description: STATUS_CODES[status] ?? 'A problem.' };

const hasParam = (path: string) => /:\w+/.test(path);

/** The problem statuses a route may answer, besides those its `doc.problems` adds. */
export function problemStatuses(r: ApiRouteDef): number[] {
  const statuses = new Set([400, 401, 403, 429, 503, ...(r.doc.problems ?? [])]);
  if (hasParam(r.path)) statuses.add(404);
  if (r.doc.body) for (const s of [413, 415, 422]) statuses.add(s);
  if (hasParam(r.path) && r.method !== 'get') statuses.add(409);
  if (hasParam(r.path) && (r.method === 'patch' || r.method === 'post')) statuses.add(412);
  return [...statuses].sort((a, b) => a - b);
}

/** `components.responses`: one per problem status. */
export function problemResponses(schemas: SchemaSet, routes: ApiRouteDef[]): Record<string, JsonSchema> {
  const problem = schemas.ref(problemSchema, ['Problem']);
  const invalid = schemas.ref(invalidProblemSchema, ['ValidationProblem']);
  const statuses = new Set([...Object.keys(PROBLEM_ANSWERS).map(Number), ...routes.flatMap(problemStatuses)]);
  return Object.fromEntries(
    [...statuses]
      .map((status) => [status, answerOf(status)] as const)
      .map(([status, a]) => [
        a.name,
        {
          description: a.description,
          ...(a.headers ? { headers: a.headers } : {}),
          content: { 'application/problem+json': { schema: status === 422 ? invalid : problem } },
        },
      ]),
  );
}

/** A route's problem answers, each a `$ref` to its shared response. */
export const problemRefs = (r: ApiRouteDef): Record<string, JsonSchema> =>
  Object.fromEntries(
    problemStatuses(r).map((s) => [String(s), { $ref: `#/components/responses/${answerOf(s).name}` }]),
  );

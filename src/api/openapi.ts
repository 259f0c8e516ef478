// The API's OpenAPI 3.1 document, generated from its route table (src/api/routes.ts: each line's method, path,
// access and `doc`) and the zod schemas there, never written by hand: GET /api/v1/openapi.json serves it and the
// reference page (/api/docs) renders it. Every route of the table is in it, whatever its resource.
import { z } from 'zod';
import { API_REQUESTS_PER_MINUTE } from './auth.ts';
import { type JsonSchema, namesFromPath, SchemaSet } from './openapiSchemas.ts';
import { problemRefs, problemResponses } from './openapiProblems.ts';
import { pagingShape } from './listQuery.ts';
import type { ApiRouteDef } from './routes.ts';

export type OpenApiDocument = JsonSchema & { paths: Record<string, Record<string, JsonSchema>> };

const pascal = (word: string) => word.replace(/(^|[-_.])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());
/** Express's `/v1/customers/:id` → OpenAPI's `/v1/customers/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
/** The tag of a route: its resource, `/v1/customers/:id` → `Customers`. */
export const tagOf = (path: string) => pascal(path.split('/')[2] ?? 'api');
const operationId = (r: ApiRouteDef) =>
  r.method +
  r.path
    .split('/')
    .filter((s) => s && s !== 'v1')
    .map((s) => (s.startsWith(':') ? `By${pascal(s.slice(1))}` : pascal(s)))
    .join('');

const DESCRIPTION = `The CRM's JSON API. Authenticate with a personal access token (made on the API tokens page,
\`/tokens\`) as \`Authorization: Bearer crm_pat_…\`. A token acts as its user: it sees and changes exactly what the
pages let that user see and change (\`x-permission\` names the permission each operation needs); a read-only token
may only read. Each token may make ${API_REQUESTS_PER_MINUTE} requests a minute. Errors are problem details (RFC
9457). Lists answer \`{ "data": [...], "next": cursor | null }\`: pass \`next\` back as \`cursor\`.`;

const PARAMETER_ID = { type: 'integer', minimum: 1 };

/** An answer's ETag and Location headers, for a record that carries a version. */
function okHeaders(r: ApiRouteDef): JsonSchema | undefined {
  const schema = r.doc.ok.schema;
  const versioned = !r.doc.ok.list && schema instanceof z.ZodObject && 'version' in schema.shape;
  const headers: JsonSchema = {};
  if (versioned) headers.ETag = { description: 'The version, for `If-Match`.', schema: { type: 'string' } };
  if (r.doc.ok.status === 201)
    headers.Location = { description: 'The new record’s address.', schema: { type: 'string' } };
  return Object.keys(headers).length ? headers : undefined;
}

/** A list's answer around its row schema, one per row schema (so it is one component). */
const pages = new WeakMap<z.ZodType, z.ZodObject>();
const pageOf = (row: z.ZodType) => {
  let page = pages.get(row);
  if (!page) {
    page = z.object({ data: z.array(row), next: z.string().nullable().describe('The next page’s cursor, or null.') });
    pages.set(row, page);
  }
  return page;
};

function okAnswer(r: ApiRouteDef, schemas: SchemaSet): JsonSchema {
  const { status, schema, list } = r.doc.ok;
  const description = status === 201 ? 'Created.' : status === 204 ? 'Done; no body.' : 'OK.';
  const headers = okHeaders(r);
  if (!schema) return { description, ...(headers ? { headers } : {}) };
  const names = namesFromPath(r.path, r.method);
  let ref = schemas.ref(schema, names);
  if (list) {
    const row = ref.$ref as string;
    ref = schemas.ref(pageOf(schema), [`${row.split('/').pop()}List`]);
  }
  return { description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: ref } } };
}

function parameters(r: ApiRouteDef, schemas: SchemaSet): JsonSchema[] {
  const inPath = [...r.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: /id$/i.test(name) ? PARAMETER_ID : { type: 'string' },
  }));
  // A list reads `limit` and `cursor` whatever else its query says.
  const shape: Record<string, z.ZodType> = { ...r.doc.query?.shape };
  if (r.doc.ok.list) for (const [name, s] of Object.entries(pagingShape())) shape[name] ??= s;
  const inQuery = Object.entries(shape).map(([name, s]) => ({
    name,
    in: 'query',
    required: !s.safeParse(undefined).success,
    ...(s.description ? { description: s.description } : {}),
    schema: schemas.input(s),
  }));
  return [...inPath, ...inQuery];
}

function operation(r: ApiRouteDef, schemas: SchemaSet): JsonSchema {
  const writes = r.method !== 'get';
  const needs = r.access === 'signedIn' ? 'any valid token' : `the permission \`${r.access}\``;
  const params = parameters(r, schemas);
  return {
    operationId: operationId(r),
    summary: r.doc.summary,
    description: `Needs ${needs}${writes ? ' and a read-and-write token' : ''}.`,
    tags: [tagOf(r.path)],
    'x-permission': r.access,
    ...(params.length ? { parameters: params } : {}),
    ...(r.doc.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: schemas.input(r.doc.body) } } } }
      : {}),
    responses: { [String(r.doc.ok.status)]: okAnswer(r, schemas), ...problemRefs(r) },
  };
}

/** Replaces each `{ $input: id }` placeholder with the input schema it stands for. */
function fillInputs(value: unknown, inputs: Record<string, JsonSchema>): unknown {
  if (Array.isArray(value)) return value.map((v) => fillInputs(v, inputs));
  if (!value || typeof value !== 'object') return value;
  const { $input } = value as { $input?: string };
  if ($input) return inputs[$input];
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillInputs(v, inputs)]));
}

export function buildOpenApiDocument(routes: ApiRouteDef[]): OpenApiDocument {
  const schemas = new SchemaSet();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes) (paths[openApiPath(r.path)] ??= {})[r.method] = operation(r, schemas);
  const responses = problemResponses(schemas, routes);
  const { components, inputs } = schemas.finish();
  return fillInputs(
    {
      openapi: '3.1.1',
      info: { title: 'CRM API', version: '1', description: DESCRIPTION },
      servers: [{ url: '/api', description: 'This server' }],
      security: [{ personalAccessToken: [] }],
      tags: [...new Set(routes.map((r) => tagOf(r.path)))].map((name) => ({ name })),
      paths,
      components: {
        schemas: components,
        responses,
        securitySchemes: {
          personalAccessToken: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'crm_pat_ followed by 43 characters',
            description: 'A personal access token, made on the API tokens page (/tokens).',
          },
        },
      },
    },
    inputs,
  ) as OpenApiDocument;
}

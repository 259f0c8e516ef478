// The OpenAPI document (issue 17): generated from the route table, served without a token at
// /api/v1/openapi.json, valid OpenAPI 3.1 (checked by @seriousme/openapi-schema-validator), and describing every
// route of the table. The check of every API test's answers against it: tests/api/answerCheck.test.ts.
import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { openApiPath } from '../../src/api/openapi.ts';
import { API_ROUTES } from '../../src/api/routes.ts';
import { servedDocument } from '../helpers/apiAnswers.ts';
import { useTestContext } from '../helpers/context.ts';

const ctx = useTestContext();
type Operation = Record<string, unknown> & { parameters?: { name: string; in: string; schema: object }[] };
const operationOf = (doc: Awaited<ReturnType<typeof servedDocument>>, r: (typeof API_ROUTES)[number]) =>
  doc.paths[openApiPath(r.path)]?.[r.method] as Operation | undefined;

describe('the OpenAPI document', () => {
  it('is served without a token, and is valid OpenAPI 3.1', async () => {
    const res = await request(ctx.app)
      .get('/api/v1/openapi.json')
      .set('Authorization', 'Bearer not-a-token')
      .expect(200)
      .expect('Content-Type', /^application\/json/);
    expect(res.body).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./), servers: [{ url: '/api' }] });
    const validator = new Validator();
    const result = await validator.validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // Built once: the same text again.
    expect((await request(ctx.app).get('/api/v1/openapi.json')).text).toBe(res.text);
  });

  it('can be revalidated: its ETag answers 304 with no body, another ETag the document', async () => {
    const res = await request(ctx.app).get('/api/v1/openapi.json').expect(200);
    expect(res.headers.etag).toMatch(/^"[\w-]{22}"$/);
    const again = await request(ctx.app).get('/api/v1/openapi.json').set('If-None-Match', res.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    const other = await request(ctx.app).get('/api/v1/openapi.json').set('If-None-Match', '"something-else"');
    expect(other.status).toBe(200);
    expect(other.text).toBe(res.text);
  });

  it('describes every route of the table, with its permission, parameters and answers', async () => {
    const doc = await servedDocument(ctx.app);
    const components = doc.components as { schemas: Record<string, object>; securitySchemes: object };
    expect(components.securitySchemes).toMatchObject({ personalAccessToken: { type: 'http', scheme: 'bearer' } });
    expect(doc.security).toEqual([{ personalAccessToken: [] }]);
    for (const r of API_ROUTES) {
      const op = operationOf(doc, r);
      expect(op, `${r.method} ${r.path}`).toMatchObject({ summary: r.doc.summary, 'x-permission': r.access });
      const responses = op!.responses as Record<string, unknown>;
      expect(Object.keys(responses)).toEqual(expect.arrayContaining([String(r.doc.ok.status), '401', '403', '429']));
      for (const [, name] of r.path.matchAll(/:(\w+)/g))
        expect(op!.parameters).toContainEqual(
          expect.objectContaining({ name, in: 'path', schema: { type: 'integer', minimum: 1 } }),
        );
      if (/:\w+/.test(r.path)) expect(responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
      if (r.method === 'patch') for (const s of ['409', '412', '422']) expect(Object.keys(responses)).toContain(s);
      if (r.doc.body)
        expect(op!.requestBody).toMatchObject({ content: { 'application/json': { schema: { type: 'object' } } } });
      if (!r.doc.ok.list) continue;
      // A list: its row in {data, next}, limit and cursor, and the filters of the list spec its handler reads.
      expect(r.doc.query, `${r.method} ${r.path} derives its query from its list spec (listQueryOf)`).toBeDefined();
      const names = op!.parameters!.filter((p) => p.in === 'query').map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['limit', 'cursor', 'q', 'sort', 'dir']));
      const page = (responses['200'] as { content: Record<string, { schema: { $ref: string } }> }).content;
      const list = components.schemas[page['application/json'].schema.$ref.split('/').pop()!];
      expect(list).toMatchObject({ required: ['data', 'next'], properties: { data: { type: 'array' } } });
    }
    const leads = operationOf(doc, API_ROUTES.find((r) => r.path === '/v1/leads')!);
    expect(leads!.parameters).toContainEqual(
      expect.objectContaining({
        name: 'status',
        schema: expect.objectContaining({ enum: expect.arrayContaining(['WON']) }),
      }),
    );
    const companyId = leads!.parameters!.find((p) => p.name === 'companyId') as unknown as { description: string };
    expect(companyId.description).toMatch(/superusers only/);
    expect(doc.components).toMatchObject({
      responses: {
        TooManyRequests: { headers: { 'Retry-After': { required: true } } },
        Invalid: {
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ValidationProblem' } } },
        },
      },
      schemas: { Problem: { required: ['type', 'title', 'status', 'detail'] } },
    });
  });
});

// The OpenAPI document (issue 17): generated from the route table, served without a token at
// /api/v1/openapi.json, valid OpenAPI 3.1 (checked by @seriousme/openapi-schema-validator), and describing every
// route of the table. The answer check every API test runs (tests/helpers/apiAnswers.ts, registered by
// useTestContext) is tested here from both sides: it refuses wrong answers, and it does check real ones.
import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ApiAnswer } from '../../src/api/observer.ts';
import { openApiPath } from '../../src/api/openapi.ts';
import { API_ROUTES } from '../../src/api/routes.ts';
import { AnswerValidator, servedDocument } from '../helpers/apiAnswers.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

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

describe('the answer check of the API tests', () => {
  const answer = (a: Omit<Partial<ApiAnswer>, 'body'> & { body: unknown }): ApiAnswer => ({
    method: 'GET',
    path: '/v1/me',
    status: 200,
    contentType: 'application/json; charset=utf-8',
    headers: {},
    ...a,
    body: typeof a.body === 'string' ? a.body : JSON.stringify(a.body),
  });
  const problem = { type: 'about:blank', title: 'Not found', status: 404, detail: 'Nothing here.' };

  it('refuses answers the document does not allow', async () => {
    const v = new AnswerValidator(await servedDocument(ctx.app));
    const customer = { id: 1, companyId: 1, name: 'Acme', email: null, phone: null, organisation: null, address: null };
    const fine = { ...customer, notes: null, owner: null, version: 1, createdAt: new Date().toISOString() };
    const good = { ...fine, updatedAt: fine.createdAt };
    const get = { path: '/v1/customers/7' };
    expect(v.problemsOf(answer({ ...get, body: good }))).toEqual([]);
    expect(
      v.problemsOf(answer({ ...get, status: 404, contentType: 'application/problem+json', body: problem })),
    ).toEqual([]);
    const wrong: [string, ApiAnswer][] = [
      ['a field missing', answer({ ...get, body: fine })],
      ['a field of the wrong type', answer({ ...get, body: { ...good, version: '1' } })],
      ['a field too many', answer({ ...get, body: { ...good, secret: 'x' } })],
      ['a time that is no time', answer({ ...get, body: { ...good, updatedAt: 'yesterday' } })],
      ['a status the operation does not declare', answer({ ...get, status: 201, body: good })],
      ['a 409 on a read', answer({ ...get, status: 409, contentType: 'application/problem+json', body: problem })],
      ['a problem as plain JSON', answer({ ...get, status: 404, body: problem })],
      [
        'a problem without its detail',
        answer({
          ...get,
          status: 404,
          contentType: 'application/problem+json',
          body: { ...problem, detail: undefined },
        }),
      ],
      [
        'a 422 without errors',
        answer({
          method: 'POST',
          path: '/v1/customers',
          status: 422,
          contentType: 'application/problem+json',
          body: problem,
        }),
      ],
      ['a 429 without Retry-After', answer({ status: 429, contentType: 'application/problem+json', body: problem })],
      ['a list without next', answer({ path: '/v1/customers', body: { data: [good] } })],
      ['a body that is not JSON', answer({ body: '<html>' })],
      [
        'a body on a 204',
        answer({ method: 'DELETE', path: '/v1/customers/7', status: 204, contentType: undefined, body: 'x' }),
      ],
      ['a success where there is no operation', answer({ method: 'PUT', path: '/v1/customers/7', body: good })],
    ];
    for (const [what, a] of wrong) expect(v.problemsOf(a), what).not.toEqual([]);
  });

  it('checks every answer a test gets, and passes the real ones', async () => {
    const w = await buildWorld(ctx);
    const token = await makeToken(await w.as(w.managerA), { name: 'Checked' });
    const readOnly = await makeToken(await w.as(w.staffA), { name: 'Read only', access: 'READ' });
    await ctx.apiAnswers.check(ctx.app);
    const before = ctx.apiAnswers.checked;
    const api = () => request(ctx.app);
    const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
    const created = await api().post('/api/v1/customers').set(bearer(token)).send({ name: 'Acme' }).expect(201);
    const id = created.body.id as number;
    await api().get('/api/v1/me').set(bearer(token)).expect(200);
    await api().get('/api/v1/customers?limit=1').set(bearer(token)).expect(200);
    await api().get(`/api/v1/customers/${id}`).set(bearer(token)).expect(200);
    await api().patch(`/api/v1/customers/${id}`).set(bearer(token)).send({ name: 'Acme Ltd', version: 1 }).expect(200);
    await api().patch(`/api/v1/customers/${id}`).set(bearer(token)).send({ name: 'Old', version: 1 }).expect(409);
    await api()
      .patch(`/api/v1/customers/${id}`)
      .set({ ...bearer(token), 'If-Match': '"1"' })
      .send({})
      .expect(412);
    await api().post('/api/v1/customers').set(bearer(token)).send({ name: 7 }).expect(422);
    await api().post('/api/v1/customers').set(bearer(readOnly)).send({ name: 'No' }).expect(403);
    await api().get('/api/v1/customers/999999').set(bearer(token)).expect(404);
    await api().get('/api/v1/customers?limit=500').set(bearer(token)).expect(400);
    await api().get('/api/v1/nothing').set(bearer(token)).expect(404);
    await api().get('/api/v1/me').expect(401);
    await api().delete(`/api/v1/customers/${id}`).set(bearer(token)).expect(204);
    expect(await ctx.apiAnswers.check(ctx.app)).toEqual([]);
    expect(ctx.apiAnswers.checked - before).toBe(14);
    // And a wrong one among them is reported.
    ctx.apiAnswers.observe(answer({ body: { id: 'me' } }));
    expect(await ctx.apiAnswers.check(ctx.app)).toEqual([expect.stringMatching(/^GET \/v1\/me → 200: body/)]);
  });
});

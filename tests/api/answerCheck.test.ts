// The check every API test runs on the answers it gets (tests/helpers/apiAnswers.ts, registered by useTestContext:
// each answer against the served OpenAPI document), tested from both sides: it refuses answers the document does not
// allow (a field missing or extra or of the wrong type, an undeclared status, the wrong content type, a missing
// required header, a body where none is declared, a success where there is no operation), and it does check every
// real answer a test gets (counted).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ApiAnswer } from '../../src/api/observer.ts';
import { AnswerValidator, servedDocument } from '../helpers/apiAnswers.ts';
import { useTestContext } from '../helpers/context.ts';
import { buildWorld } from '../helpers/world.ts';
import { makeToken } from '../token/world.ts';

const ctx = useTestContext();

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

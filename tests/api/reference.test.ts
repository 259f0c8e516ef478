// The API reference page (GET /api/docs): a page of the app for any signed-in user, rendered on the server from
// the served OpenAPI document, so every operation of the route table is on it with its permission, parameters,
// body fields and answers, and every schema with its fields. No script of its own and nothing from elsewhere: the
// app's CSP is the same as on any page. The tokens page links to it.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { openApiPath } from '../../src/api/openapi.ts';
import { API_ROUTES } from '../../src/api/routes.ts';
import { servedDocument } from '../helpers/apiAnswers.ts';
import { useTestContext } from '../helpers/context.ts';
import { all, first, text, textOf } from '../helpers/html.ts';
import { buildWorld } from '../helpers/world.ts';

const ctx = useTestContext();

describe('the API reference page', () => {
  it('shows every operation of the document with its permission, parameters, body and answers', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.staffA);
    const res = await s.get('/api/docs').expect(200);
    const doc = await servedDocument(ctx.app);
    expect(text(res, 'h1')).toBe('CRM API reference');
    for (const r of API_ROUTES) {
      const path = `/api${openApiPath(r.path)}`;
      const op = doc.paths[openApiPath(r.path)][r.method] as { operationId: string; responses: object };
      const section = first(res, `#op-${op.operationId}`);
      expect(section, path).toBeDefined();
      expect(text(section!, 'h3')).toBe(`${r.method.toUpperCase()} ${path}`);
      expect(first(section!, '[data-permission]')?.attribs['data-permission']).toBe(r.access);
      expect(textOf(section!)).toContain(r.doc.summary);
      const answers = all(section!, 'tr[data-answer]').map((tr) => tr.attribs['data-answer']);
      expect(answers).toEqual(Object.keys(op.responses));
      const fields = all(section!, 'tr[data-field]').map((tr) => tr.attribs['data-field']);
      const body = r.doc.body && 'shape' in r.doc.body ? Object.keys(r.doc.body.shape as object) : [];
      expect(fields, `${path}: body fields`).toEqual(expect.arrayContaining(body));
      if (r.doc.ok.list) expect(fields, `${path}: paging`).toEqual(expect.arrayContaining(['limit', 'cursor']));
    }
    for (const name of Object.keys((doc.components as { schemas: object }).schemas))
      expect(text(res, `#schema-${name} h3`)).toBe(name);
    // A named type links to its schema; the document itself is linked.
    expect(all(res, 'a[href="#schema-Customer"]').length).toBeGreaterThan(0);
    expect(all(res, 'a[href="/api/v1/openapi.json"]')).toHaveLength(1);
  });

  it('keeps the CSP of every page, runs no script of its own and loads nothing from elsewhere', async () => {
    const w = await buildWorld(ctx);
    const s = await w.as(w.managerA);
    const page = await s.get('/api/docs').expect(200);
    const other = await s.get('/tokens').expect(200);
    expect(page.headers['content-security-policy']).toBe(other.headers['content-security-policy']);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const sources = [...all(page, 'script'), ...all(page, 'link'), ...all(page, 'img'), ...all(page, 'a')].map(
      (el) => el.attribs.src ?? el.attribs.href ?? '',
    );
    expect(sources.filter((src) => !/^(\/|#|data:)/.test(src))).toEqual([]);
    // Only the layout's own script file; none inline, none in the page.
    expect(all(page, 'script').map((el) => el.attribs.src)).toEqual(['/static/js/recordPicker.js']);
    expect(all(page, 'main script')).toEqual([]);
    expect([...all(page, '[style]'), ...all(page, '[onclick]')]).toEqual([]);
  });

  it('asks a visitor to sign in; the tokens page links to it', async () => {
    const visitor = await request(ctx.app).get('/api/docs').expect(302);
    expect(visitor.headers.location).toBe('/login?next=%2Fapi%2Fdocs');
    const w = await buildWorld(ctx);
    const tokens = await (await w.as(w.staffA)).get('/tokens').expect(200);
    expect(all(tokens, 'a[href="/api/docs"]')).toHaveLength(1);
  });
});

// The OpenAPI generator on a route table of its own (no database): any route the table may hold tomorrow gets a
// valid document — answers named and shared as components (a nested `.meta({ id })` schema included), two answers
// that would take the same name kept apart, a body's nested schema referred to correctly, a list without a
// `query` given `limit` and `cursor`, a route's own extra problem status declared, and every `$ref` resolving.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listQueryOf } from '../../src/api/listQuery.ts';
import { buildOpenApiDocument } from '../../src/api/openapi.ts';
import type { ApiRouteDef } from '../../src/api/routes.ts';

const place = z.object({ id: z.int(), city: z.string() }).meta({ id: 'GeneratorPlace' });
const widget = z.object({ id: z.int(), at: place, also: place.nullable(), when: z.iso.datetime() });
const widgetDetail = widget.extend({ notes: z.string() });
const conversion = z.object({ widget, place });
const route = (method: ApiRouteDef['method'], path: string, doc: ApiRouteDef['doc']): ApiRouteDef => ({
  method,
  path,
  access: 'signedIn',
  doc,
  handlers: [],
});
const ROUTES: ApiRouteDef[] = [
  route('get', '/v1/widgets', { summary: 'List widgets', ok: { status: 200, schema: widget, list: true } }),
  route('get', '/v1/widgets/:id', { summary: 'Read a widget', ok: { status: 200, schema: widgetDetail } }),
  route('post', '/v1/widgets/:id/convert', {
    summary: 'Convert a widget',
    body: z.strictObject({ place: place.optional(), count: z.int().min(1).default(1) }),
    ok: { status: 200, schema: conversion },
    problems: [423],
  }),
  route('get', '/v1/categories', {
    summary: 'List categories',
    query: z.object({ colour: z.enum(['red', 'blue']).optional() }),
    ok: { status: 200, schema: place, list: true },
  }),
];

/** Every `$ref` in a value. */
const refsIn = (value: unknown): string[] =>
  JSON.stringify(value)
    .match(/"\$ref":"[^"]+"/g)!
    .map((m) => m.slice(8, -1));

describe('the OpenAPI generator', () => {
  it('makes a valid document of any route table, names each answer once and resolves every $ref', async () => {
    const doc = buildOpenApiDocument(ROUTES);
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    const components = doc.components as { schemas: Record<string, unknown>; responses: Record<string, unknown> };
    expect(Object.keys(components.schemas).sort()).toEqual(
      [
        'GeneratorPlace',
        // The body's place as a client sends it: unlike the answer's, it does not refuse other keys.
        'GeneratorPlaceInput',
        'GeneratorPlaceList',
        'Problem',
        'ValidationProblem',
        'Widget',
        'WidgetConvert',
        'WidgetDetail',
        'WidgetList',
      ].sort(),
    );
    for (const ref of refsIn(doc)) {
      const [, kind, name] = /^#\/components\/(schemas|responses)\/(\w+)$/.exec(ref) ?? [];
      expect(kind && components[kind as 'schemas'][name], ref).toBeTruthy();
    }
    expect(components.schemas.Widget).toMatchObject({
      properties: { at: { $ref: '#/components/schemas/GeneratorPlace' }, when: { format: 'date-time' } },
    });
    const convert = doc.paths['/v1/widgets/{id}/convert'].post as Record<string, Record<string, unknown>>;
    expect(Object.keys(convert.responses)).toEqual(expect.arrayContaining(['404', '409', '412', '422', '423']));
    // The body as a client sends it (io 'input': `count` may be left out), its nested schema referred to.
    const body = (convert.requestBody as { content: Record<string, { schema: Record<string, unknown> }> }).content;
    expect(body['application/json'].schema).toMatchObject({ additionalProperties: false });
    expect(body['application/json'].schema.required).toBeUndefined();
    expect(refsIn(body)).toEqual(['#/components/schemas/GeneratorPlaceInput']);
    const names = (path: string) =>
      (doc.paths[path].get as { parameters: { name: string }[] }).parameters.map((p) => p.name);
    expect(names('/v1/widgets')).toEqual(['limit', 'cursor']);
    expect(names('/v1/categories')).toEqual(['colour', 'limit', 'cursor']);
  });

  it("derives a list's parameters from its list spec, saying which roles a filter is for", () => {
    const spec = { sorts: ['name', 'created'], defaultSort: 'name', defaultDir: 'asc' as const };
    const plain = listQueryOf({ ...spec, filters: { state: ['open', 'done'], ownerId: 'id', from: 'date' } });
    expect(Object.keys(plain.shape)).toEqual(['q', 'sort', 'dir', 'state', 'ownerId', 'from', 'limit', 'cursor']);
    expect(plain.safeParse({ state: 'open', ownerId: 3, from: '2030-01-31', limit: 100 }).success).toBe(true);
    expect(plain.safeParse({ state: 'lost' }).success).toBe(false);
    expect(plain.safeParse({ limit: 101 }).success).toBe(false);
    const filtersOf: Record<string, Record<string, 'id'>> = {
      STAFF: {},
      SUPERUSER: { companyId: 'id' },
      ACCOUNT_MANAGER: { ownerId: 'id' },
    };
    const byRole = listQueryOf((user) => ({ ...spec, filters: filtersOf[user.role] }));
    expect(byRole.shape.companyId.description).toMatch(/\(superusers only; ignored for others\)/);
    expect(byRole.shape.ownerId.description).toMatch(/\(account managers only; ignored for others\)/);
  });
});

// The API's description, built once from the route table at its first request: GET /api/v1/openapi.json (public,
// no token: it holds no data) and GET /api/docs, the reference page, a page of the app that renders the same
// document (views/api/reference.ejs; no script, nothing from elsewhere, the app's CSP unchanged).
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps.ts';
import { route, type RouteDef } from '../web/routes.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.ts';
import { referenceOf } from './referenceView.ts';
import { API_ROUTES } from './routes.ts';

let built: { document: OpenApiDocument; json: string; etag: string } | undefined;

/** The document (built at the first call, then kept: the route table does not change while the app runs). */
export function openApiDocument(): OpenApiDocument {
  built ??= (() => {
    const document = buildOpenApiDocument(API_ROUTES);
    const json = JSON.stringify(document);
    return { document, json, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 22)}"` };
  })();
  return built.document;
}

/** GET /api/v1/openapi.json — the OpenAPI 3.1 document. */
export const openApiJson: RequestHandler = (_req, res) => {
  openApiDocument();
  // Its ETag lets a client revalidate after the 5 minutes (304 with no body when unchanged).
  res.set({ 'Cache-Control': 'public, max-age=300', ETag: built!.etag }).type('application/json').send(built!.json);
};

/** GET /api/docs — the reference page. */
const referencePage: RequestHandler = (_req, res) => {
  res.render('api/reference', { title: 'API reference', reference: referenceOf(openApiDocument()) });
};

/** The reference page's route (a page: the app's layout and navigation; any signed-in user may read it). */
export function apiReferenceRoutes(_deps: AppDeps): RouteDef[] {
  return [route('get', '/api/docs', 'signedIn', referencePage)];
}

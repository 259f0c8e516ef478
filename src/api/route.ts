// One line of the API's route table (src/api/routes.ts): its method, path, access rule (the pages' permissions),
// what the OpenAPI document says of it (src/api/doc.ts), then its loaders and handler.
import type { RequestHandler } from 'express';
import type { Access } from '../web/routes.ts';
import type { ApiDoc } from './doc.ts';

export type ApiMethod = 'get' | 'post' | 'patch' | 'delete';
export type ApiRouteDef = {
  method: ApiMethod;
  path: string;
  access: Exclude<Access, 'public'>;
  /** What the OpenAPI document says about it (src/api/doc.ts). */
  doc: ApiDoc;
  handlers: RequestHandler[];
};

export const apiRoute = (
  method: ApiMethod,
  path: string,
  access: ApiRouteDef['access'],
  doc: ApiDoc,
  ...handlers: RequestHandler[]
): ApiRouteDef => ({ method, path, access, doc, handlers });

// Route lists as data: each domain declares its routes with the access rule on the same line,
// and the app keeps the whole table so tests can walk it (the access sweep, the inventory test).
import { Router, type RequestHandler } from 'express';
import type { Permission } from '../access/permissions.ts';
import { requirePermission, requireRole } from '../access/policy.ts';
import type { Role } from '../access/currentUser.ts';

/**
 * `public`: no sign-in (sign-in and reset pages only). `signedIn`: any signed-in user.
 * A permission or a role list: checked before the handler runs (403 otherwise).
 */
export type Access = 'public' | 'signedIn' | Permission | { roles: Role[] };

export type RouteDef = {
  method: 'get' | 'post';
  path: string;
  access: Access;
  handlers: RequestHandler[];
};

export const route = (
  method: 'get' | 'post',
  path: string,
  access: Access,
  ...handlers: RequestHandler[]
): RouteDef => ({ method, path, access, handlers });

export function accessMiddleware(access: Access): RequestHandler[] {
  if (access === 'public' || access === 'signedIn') return [];
  if (typeof access === 'string') return [requirePermission(access)];
  return [requireRole(...access.roles)];
}

export function buildRouter(routes: RouteDef[]): Router {
  const router = Router();
  for (const r of routes) router[r.method](r.path, ...accessMiddleware(r.access), ...r.handlers);
  return router;
}

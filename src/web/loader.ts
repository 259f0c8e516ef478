// Route loaders: the middleware on a route line that turns `:id` into the record
// (`route('post', '/leads/:id', 'lead.change', load.lead, f.update)`). It validates the id
// (malformed → 404, like a missing row), fetches the row through the request's scoped client in
// one statement, answers 404 when it is missing or out of scope, and keeps it for the handler,
// which reads it with `load.lead.of(req)` (typed).
import type { Request, RequestHandler } from 'express';
import type { CurrentUser } from '../access/currentUser.ts';
import type { ScopedClient } from '../access/scope.ts';
import { NotFound } from './errors.ts';
import { recordId } from './forms.ts';

export type Loader<T> = RequestHandler & {
  /** The record the loader put on this request; throws when the route line has no such loader. */
  of: (req: Request) => T;
  readonly loaderName: string;
};

export function loader<T>(
  name: string,
  fetch: (db: ScopedClient, id: number, user: CurrentUser) => Promise<T | null | undefined>,
): Loader<T> {
  const loaded = new WeakMap<Request, T>();
  const middleware: RequestHandler = async (req, _res, next) => {
    const row = await fetch(req.db, recordId(req.params.id), req.user!);
    if (!row) throw new NotFound();
    loaded.set(req, row);
    next();
  };
  const of = (req: Request): T => {
    if (!loaded.has(req))
      throw new Error(`The route ${req.method} ${req.route?.path ?? req.path} has no load.${name} on its line.`);
    return loaded.get(req)!;
  };
  return Object.assign(middleware, { of, loaderName: name });
}

export const isLoader = (h: unknown): h is Loader<unknown> =>
  typeof h === 'function' && typeof (h as { loaderName?: unknown }).loaderName === 'string';

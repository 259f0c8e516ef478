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
  options: { merged?: 'Customer' | 'Lead' } = {},
): Loader<T> {
  const loaded = new WeakMap<Request, T>();
  const middleware: RequestHandler = async (req, res, next) => {
    const id = recordId(req.params.id);
    const row = await fetch(req.db, id, req.user!);
    if (!row) {
      const to = options.merged && req.method === 'GET' ? await mergedInto(req, options.merged, id, fetch) : null;
      if (to === null) throw new NotFound();
      return res.redirect(301, req.originalUrl.replace(/^(\/[^/]+\/)\d+/, `$1${to}`));
    }
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

/**
 * A record removed by a merge (src/duplicate/writes.ts): the kept record's id, if the user may see it (a merge is
 * looked up within the user's scope, and a kept record out of it stays a 404), else null. Only on the 404 path.
 */
async function mergedInto<T>(
  req: Request,
  kind: 'Customer' | 'Lead',
  fromId: number,
  fetch: (db: ScopedClient, id: number, user: CurrentUser) => Promise<T | null | undefined>,
): Promise<number | null> {
  const merged = await req.db.mergedRecord.findUnique({ where: { kind_fromId: { kind, fromId } } });
  if (!merged) return null;
  return (await fetch(req.db, merged.toId, req.user!)) ? merged.toId : null;
}

export const isLoader = (h: unknown): h is Loader<unknown> =>
  typeof h === 'function' && typeof (h as { loaderName?: unknown }).loaderName === 'string';

// The API's lists: the pages' own list query (search `q`, filters, `sort`, `dir`: src/web/list.ts), read `limit`
// rows at a time (1–100, default 25) with an opaque `next` cursor. The cursor holds the position and a digest of
// the query it was made for, so it cannot be replayed with other filters; a bad one is a 400 problem, never a 500.
// (It is an offset under the query's stable order, id last: simple, and each page one statement with no count.)
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { BadRequest } from '../web/errors.ts';
import { type ListQuery, type ListSpec, MAX_PAGE, parseListQuery } from '../web/list.ts';

export const API_LIMIT_DEFAULT = 25;
export const API_LIMIT_MAX = 100;
const MAX_OFFSET = MAX_PAGE * API_LIMIT_MAX;

export type ApiListQuery<S extends string, F extends string> = ListQuery<S, F> & { offset: number; limit: number };

const digestOf = (q: ListQuery<string, string>) =>
  createHash('sha256')
    .update(JSON.stringify([q.q, q.sort, q.dir, Object.entries(q.filters).sort()]))
    .digest('base64url')
    .slice(0, 12);

export function parseApiListQuery<S extends string, F extends string>(
  req: Request,
  spec: ListSpec<S, F>,
): ApiListQuery<S, F> {
  const base = parseListQuery(req.query, spec);
  const limitRaw = req.query.limit;
  if (limitRaw !== undefined && (typeof limitRaw !== 'string' || !/^\d{1,3}$/.test(limitRaw)))
    throw new BadRequest(`limit is a whole number from 1 to ${API_LIMIT_MAX}.`);
  const limit = limitRaw === undefined ? API_LIMIT_DEFAULT : Number(limitRaw);
  if (limit < 1 || limit > API_LIMIT_MAX) throw new BadRequest(`limit is a whole number from 1 to ${API_LIMIT_MAX}.`);
  const cursor = req.query.cursor;
  let offset = 0;
  if (cursor !== undefined) {
    const parsed = typeof cursor === 'string' && cursor.length <= 100 ? readCursor(cursor) : null;
    if (!parsed || parsed.d !== digestOf(base))
      throw new BadRequest('The cursor is not one this list gave for these parameters: start again without it.');
    offset = parsed.o;
  }
  return { ...base, offset, limit };
}

function readCursor(cursor: string): { o: number; d: string } | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; d?: unknown };
    return Number.isInteger(value.o) &&
      (value.o as number) > 0 &&
      (value.o as number) <= MAX_OFFSET &&
      typeof value.d === 'string'
      ? { o: value.o as number, d: value.d }
      : null;
  } catch {
    return null;
  }
}

/** The page's window: one row more than asked, to know whether there is a next page without counting. */
export const apiWindow = (q: ApiListQuery<string, string>) => ({ skip: q.offset, take: q.limit + 1 });

/** The answer of a list: `limit` rows and the cursor of the next page (null on the last). */
export function apiPage<T>(q: ApiListQuery<string, string>, rows: T[]): { data: T[]; next: string | null } {
  const more = rows.length > q.limit && q.offset + q.limit < MAX_OFFSET;
  const next = more
    ? Buffer.from(JSON.stringify({ o: q.offset + q.limit, d: digestOf(q) })).toString('base64url')
    : null;
  return { data: rows.slice(0, q.limit), next };
}

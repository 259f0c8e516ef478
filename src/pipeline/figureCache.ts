// The figure cache of the dashboards and the board: computed figures kept in this process, keyed by the company's
// figure version ("FigureVersion", bumped by the database's triggers on "Lead", "Activity" and "User" in the same
// transaction as each change, migration figure_version) and by everything else the figures depend on (the user's scope,
// the range, the time bucket, the people shown, the board's filters and page). A repeat visit costs one cheap statement
// (the version) instead of a scan of the year's deals, or none on a GET of the user's own company: the session read
// brings that version (src/access/currentUser.ts currentUserJsonSql). The lead list keeps its total and its person
// filter here too. Correct across processes: the version lives in PostgreSQL, so a change made through any process
// (or by raw SQL) gives the next request everywhere a new key. The version is read before the figures, so figures
// cached under a version are never older than it.
// A small least-recently-used map written by hand (a Map keeps insertion order; nothing installed does only
// this), one per database client, so two apps in one process (the tests) never share entries.
import type { Request } from 'express';
import type { Database } from '../db/client.ts';

/** How many computed figure sets each process keeps. */
export const FIGURE_CACHE_ENTRIES = 500;
/**
 * Statements a cached figure set costs: the version read, for another company than the user's (a superuser's
 * choice) or a request other than a GET; none for a GET of the user's own company (the session read has it).
 */
export const FIGURE_VERSION_STATEMENTS = 1;

const caches = new WeakMap<Database, Map<string, Promise<unknown>>>();

function cacheOf(db: Database): Map<string, Promise<unknown>> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The user's company's figure version as the session read found it, at the request's start (src/web/auth.ts);
       * undefined when the user was read otherwise.
       */
      figureVersionAtStart?: string | null;
    }
  }
}

/**
 * The company's figure version, or null while nothing was ever counted. Start it early (beside the page's other
 * reads) and hand the promise to cachedFigures: it must be read before the figures. A GET for the user's own
 * company takes the version the session read brought (no statement: it was read before anything this request
 * computes, and a GET changes nothing); anything else reads it through the scoped client.
 */
export async function figureVersion(req: Request, companyId: number): Promise<string | null> {
  const known = req.figureVersionAtStart;
  if (known !== undefined && req.user?.companyId === companyId && (req.method === 'GET' || req.method === 'HEAD')) {
    return known;
  }
  const row = await req.db.figureVersion.findFirst({ where: { companyId }, select: { version: true } });
  return row ? String(row.version) : null;
}

/**
 * The figures for `key` at the company's current version: from the cache, or computed and kept. `key` must
 * name everything the figures depend on besides the company's leads and activities (scope, range, time
 * bucket, …); it is compared as JSON. A company without a version row (none of its leads or activities
 * ever changed since the table was emptied) is computed each time, as its figures are empty and cheap.
 */
export async function cachedFigures<T>(
  db: Database,
  versionRead: Promise<string | null>,
  companyId: number,
  key: unknown,
  compute: () => Promise<T>,
): Promise<T> {
  const version = await versionRead;
  if (version === null) return compute();
  const cache = cacheOf(db);
  const id = JSON.stringify([companyId, version, key]);
  // The entry is the computation itself: requests arriving while it runs share it (32 connections opening the
  // same page after a change compute it once), and a failed one is forgotten.
  const hit = cache.get(id) as Promise<T> | undefined;
  if (hit !== undefined) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const figures = compute();
  cache.set(id, figures);
  if (cache.size > FIGURE_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  figures.catch(() => {
    if (cache.get(id) === figures) cache.delete(id);
  });
  return figures;
}

// The ACCESS SWEEP: walks the app's own route table (ctx.routes, from src/domains.ts), so a
// route added tomorrow is swept without editing this file. For every route with an id, every
// member of the cast who may not use it on a record of company A gets 404 or 403 — never a
// success, a redirect or a 500 — the answer does not leak the record, and nothing in the
// database changes. Plus the route inventory (deny by default) and the lists of company B.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { isPermission } from '../../src/access/permissions.ts';
import type { RouteDef } from '../../src/web/routes.ts';
import { useTestContext } from '../helpers/context.ts';
import type { Session } from '../helpers/session.ts';
import { CAST, craftedForm, makeSweepRecords, tableCounts, type CastMember } from './sweepRecords.ts';
import { makeWorld, snapshot } from './world.ts';

const ctx = useTestContext();
/** The sweeps make hundreds of requests; on a busy machine (the whole suite in parallel) they need time. */
const SWEEP_TIMEOUT = 300_000;
const hasParam = (r: RouteDef) => /:\w+/.test(r.path);
const segment = (path: string) => path.split('/')[1];
const fill = (path: string, id: string | number) => path.replace(/:\w+/g, String(id));
/** GET /x/:id is the record's page; every other route with the id acts on it. */
const isShow = (r: RouteDef) => r.method === 'get' && /^\/[^/]+\/:\w+$/.test(r.path);
const label = (r: RouteDef) => `${r.method.toUpperCase()} ${r.path}`;

async function cast(w: Awaited<ReturnType<typeof makeWorld>>) {
  const sessions = {} as Record<CastMember, Session>;
  for (const who of CAST) sessions[who] = await w.as(w[who]);
  return sessions;
}

function send(s: Session, r: RouteDef, path: string, form: Record<string, string>) {
  return r.method === 'get' ? s.get(path) : s.post(path, form);
}

describe('route inventory', () => {
  it('gives every route an access rule; only the sign-in, password and calendar feed pages are public', () => {
    const problems: string[] = [];
    for (const r of ctx.routes) {
      const a = r.access as unknown;
      const valid =
        a === 'public' ||
        a === 'signedIn' ||
        (typeof a === 'string' && isPermission(a)) ||
        (typeof a === 'object' &&
          a !== null &&
          Array.isArray((a as { roles?: unknown }).roles) &&
          (a as { roles: unknown[] }).roles.length > 0 &&
          (a as { roles: unknown[] }).roles.every((x) =>
            ['SUPERUSER', 'ACCOUNT_MANAGER', 'STAFF'].includes(String(x)),
          ));
      if (!valid) problems.push(`${label(r)} has no valid access rule`);
      // The calendar feed's token is its key (calendar apps have no session): tests/calendar/feed.test.ts.
      if (a === 'public' && !/^\/(login|password)(\/|$)|^\/calendar\/:token\.ics$/.test(r.path))
        problems.push(`${label(r)} is public`);
    }
    expect(problems).toEqual([]);
    expect(ctx.routes.length).toBeGreaterThan(40);
  });

  it('covers every route with an id in the sweep (a new record domain needs a record in sweepRecords.ts)', async () => {
    const w = await makeWorld(ctx);
    const records = await makeSweepRecords(ctx, w);
    const uncovered = ctx.routes
      .filter((r) => r.access !== 'public' && hasParam(r) && !records[segment(r.path)])
      .map(label);
    expect(uncovered).toEqual([]);
  });

  it('sends visitors to /login (GET) or 401 (POST) on every non-public route', async () => {
    const problems: string[] = [];
    for (const r of ctx.routes.filter((x) => x.access !== 'public')) {
      const path = fill(r.path, 1);
      const res =
        r.method === 'get' ? await request(ctx.app).get(path) : await request(ctx.app).post(path).type('form').send({});
      const ok =
        r.method === 'get' ? res.status === 302 && res.headers.location.startsWith('/login?next=') : res.status === 401;
      if (!ok) problems.push(`${label(r)} → ${res.status}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('access sweep', () => {
  it(
    'refuses every outsider on every route with an id, leaks nothing and changes nothing',
    async () => {
      const w = await makeWorld(ctx);
      const records = await makeSweepRecords(ctx, w);
      const sessions = await cast(w);
      const form = craftedForm(w);
      const failures: string[] = [];
      const swept = new Set<string>();
      const rows = new Map<string, string>();
      for (const [key, record] of Object.entries(records)) rows.set(key, await snapshot(record.read));
      let counts = await snapshot(() => tableCounts(ctx));
      for (const r of ctx.routes.filter((x) => x.access !== 'public' && hasParam(x))) {
        const key = segment(r.path);
        const record = records[key];
        if (!record) continue; // reported by the inventory test
        const allowed = isShow(r) ? record.readers : record.writers;
        const path = fill(r.path, record.id);
        for (const who of CAST) {
          if (allowed.includes(who)) continue;
          const res = await send(sessions[who], r, path, form);
          swept.add(label(r));
          const where = `${who}: ${r.method.toUpperCase()} ${path}`;
          if (res.status !== 403 && res.status !== 404) failures.push(`${where} → ${res.status}`);
          // A reader refused a change may see the record elsewhere; anyone else must not see it here.
          if (!record.readers.includes(who)) {
            for (const m of record.markers) if (res.text?.includes(m)) failures.push(`${where} leaks "${m}"`);
          }
          const row = await snapshot(record.read);
          if (row !== rows.get(key)) failures.push(`${where} changed the record`);
          rows.set(key, row);
          const now = await snapshot(() => tableCounts(ctx));
          if (now !== counts) failures.push(`${where} wrote rows`);
          counts = now;
        }
      }
      expect(failures).toEqual([]);
      expect(swept.size).toBeGreaterThan(10);
    },
    SWEEP_TIMEOUT,
  );

  it(
    'answers 404 for malformed and unknown ids on every route with an id, never 500',
    async () => {
      const w = await makeWorld(ctx);
      const su = await w.as(w.su);
      const form = craftedForm(w);
      const failures: string[] = [];
      // The superuser passes every route's access rule, so only the id decides.
      for (const r of ctx.routes.filter((x) => x.access !== 'public' && hasParam(x))) {
        const answers = await Promise.all(
          ['abc', '99999999999', '0', '1.5', '999999'].map(
            async (bad) => [bad, (await send(su, r, fill(r.path, bad), form)).status] as const,
          ),
        );
        for (const [bad, status] of answers)
          if (status !== 404) failures.push(`superuser: ${r.method.toUpperCase()} ${fill(r.path, bad)} → ${status}`);
      }
      expect(failures).toEqual([]);
    },
    SWEEP_TIMEOUT,
  );
});

describe("company B's own pages", () => {
  it(
    "never show company A's records, whether on a record's page or in a form's choices",
    async () => {
      const w = await makeWorld(ctx);
      const recordsA = await makeSweepRecords(ctx, w);
      const recordsB = await makeSweepRecords(ctx, w, 'B');
      const sessions = await cast(w);
      const companyA = Object.values(recordsA)
        .flatMap((r) => r.markers)
        .concat(['Maria Alpha', 'Steve Alpha', 'Carla Alpha']);
      const failures: string[] = [];
      let seen = 0;
      for (const r of ctx.routes.filter((x) => x.method === 'get' && x.access !== 'public' && hasParam(x))) {
        const record = recordsB[segment(r.path)];
        if (!record) continue;
        await Promise.all(
          (['managerB', 'staffB'] as const).map(async (who) => {
            const path = fill(r.path, record.id) + `?companyId=${w.a.id}`;
            const res = await sessions[who].get(path);
            if (res.status >= 500) failures.push(`${who}: GET ${path} → ${res.status}`);
            if (res.status === 200) seen++;
            for (const m of companyA) if (res.text?.includes(m)) failures.push(`${who}: GET ${path} leaks "${m}"`);
          }),
        );
      }
      expect(failures.sort()).toEqual([]);
      expect(seen).toBeGreaterThan(10);
    },
    SWEEP_TIMEOUT,
  );
});

describe('lists and pages without an id', () => {
  it(
    "never show company A's records to company B, nor the owner's records to a colleague; ?companyId is ignored",
    async () => {
      const w = await makeWorld(ctx);
      const records = await makeSweepRecords(ctx, w);
      const sessions = await cast(w);
      const companyA = Object.values(records)
        .flatMap((r) => r.markers)
        .concat(['Maria Alpha', 'Steve Alpha', 'Carla Alpha']);
      const ownerOnly = ['leads', 'tasks', 'appointments'].flatMap((k) => records[k].markers);
      const failures: string[] = [];
      const pages = ctx.routes.filter((r) => r.method === 'get' && r.access !== 'public' && !hasParam(r));
      const outsiders: [CastMember, string[]][] = [
        ['managerB', companyA],
        ['staffB', companyA],
        ['colleagueA', ownerOnly],
      ];
      const queries = [
        '',
        `?companyId=${w.a.id}`,
        `?companyId=${w.a.id}&assigneeId=${w.staffA.id}&ownerId=${w.staffA.id}&q=Sweep`,
      ];
      for (const r of pages) {
        await Promise.all(
          outsiders.flatMap(([who, markers]) =>
            queries.map(async (query) => {
              const res = await sessions[who].get(r.path + query);
              if (res.status >= 500) failures.push(`${who}: GET ${r.path}${query} → ${res.status}`);
              for (const m of markers)
                if (res.text?.includes(m)) failures.push(`${who}: GET ${r.path}${query} leaks "${m}"`);
            }),
          ),
        );
      }
      expect(failures.sort()).toEqual([]);
      expect(pages.map((r) => r.path)).toEqual(expect.arrayContaining(['/dashboard', '/users', '/groups', '/audit']));
    },
    SWEEP_TIMEOUT,
  );
});

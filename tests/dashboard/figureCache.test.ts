// The dashboards' figure cache (src/pipeline/figureCache.ts): a repeat visit reads the company's figure version
// instead of the figures (fewer statements), and every kind of change to leads and activities — made through
// either of two app instances on the same database, or straight in SQL — shows on the next request of both,
// with figures equal to a freshly started app's and to SQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RESULTS_STATEMENTS } from '../../src/dashboard/results.ts';
import { FIGURE_VERSION_STATEMENTS } from '../../src/pipeline/figureCache.ts';
import { formatTotal } from '../../src/pipeline/money.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { useTestContext } from '../helpers/context.ts';
import { text } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { recordStatements } from '../helpers/statements.ts';
import type { World } from '../helpers/world.ts';
import { resultsWorld } from './resultsWorld.ts';

const ctx = useTestContext({ JOBS: 'off' });
let w: World;
let other: TestApp;
let recorder: ReturnType<typeof recordStatements>;
beforeAll(async () => {
  recorder = recordStatements(ctx.db.pool);
  other = buildTestApp({ db: ctx.db.url, env: { JOBS: 'off' } });
  await other.ready;
});
afterAll(async () => {
  await other?.close();
});
beforeEach(async () => {
  w = await resultsWorld(ctx);
});

type App = Pick<typeof ctx, 'app' | 'db'>;
const first = (): App => ctx;
const second = (): App => ({ app: other.app, db: ctx.db });

/** Every figure the dashboard shows (each element with a data-metric), by name. */
function metrics(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/data-metric="([^"]+)"/g)) out[m[1]] = text(html, `[data-metric="${m[1]}"]`) ?? '';
  return out;
}

async function dashboard(app: App, user: { id: number }, query = '') {
  return (await (await signInAs(app, user)).get(`/dashboard${query}`).expect(200)).text;
}

/** The figures of a freshly started app (an empty cache): what the page must show. */
async function fresh(user: { id: number }, query = '') {
  const app = buildTestApp({ db: ctx.db.url, env: { JOBS: 'off' } });
  await app.ready;
  try {
    return metrics(await dashboard({ app: app.app, db: ctx.db }, user, query));
  } finally {
    await app.close();
  }
}

/** Both instances, warmed up, then after `change` each shows what a fresh app shows. */
async function expectSeenEverywhere(user: { id: number }, change: () => Promise<unknown>, query = '') {
  const before = metrics(await dashboard(first(), user, query));
  expect(metrics(await dashboard(second(), user, query))).toEqual(before);
  await change();
  const expected = await fresh(user, query);
  expect(expected).not.toEqual(before);
  expect(metrics(await dashboard(first(), user, query))).toEqual(expected);
  expect(metrics(await dashboard(second(), user, query))).toEqual(expected);
  return expected;
}

async function openCount(where: string, args: unknown[]) {
  const { rows } = await ctx.db.pool.query(
    `SELECT count(*)::int AS n FROM "Lead" WHERE ${where} AND status IN ('NEW', 'CONTACTED', 'QUALIFIED')`,
    args,
  );
  return String(rows[0].n);
}

describe('the figure cache', () => {
  it('a repeat visit costs at most the version read instead of the figures; a change costs them again', async () => {
    for (const [user, query] of [
      [w.managerA, ''],
      [w.managerA, `?assigneeId=${w.staffA.id}&range=last-12-months`],
      [w.staffA, ''],
      [w.su, `?companyId=${w.a.id}`],
    ] as const) {
      const about = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW' });
      const s = await signInAs(ctx, user);
      await s.get('/profile');
      // The figures are keyed by the minute: a pair of requests straddling one is measured again.
      const minute = () => Math.floor(Date.now() / 60_000);
      const measurePair = async () => {
        await ctx.db.pool.query(`UPDATE "FigureVersion" SET "version" = nextval('"FigureVersion_seq"')`);
        const at = minute();
        const pair = {
          cold: await recorder.during(() => s.get(`/dashboard${query}`)),
          warm: await recorder.during(() => s.get(`/dashboard${query}`)),
        };
        return minute() === at ? pair : null;
      };
      const { cold, warm } = (await measurePair()) ?? (await measurePair()) ?? expect.fail('two minute changes');
      expect([user.id, query, cold.statements.length - warm.statements.length]).toEqual([
        user.id,
        query,
        RESULTS_STATEMENTS,
      ]);
      // The version comes with the session read for the user's own company; a superuser's choice reads it.
      const versionReads = warm.statements.filter((q) => q.includes('"FigureVersion"') && !q.includes('s.sess'));
      expect(versionReads).toHaveLength(user === w.su ? FIGURE_VERSION_STATEMENTS : 0);
      expect(warm.statements.filter((q) => q.includes('s.sess') && q.includes('"FigureVersion"'))).toHaveLength(1);
      // Besides the figures, a manager's overview reads the team, its counts and groups as one statement (scopedSql's
      // `together`) and the week's appointments; a staff user's the counts, groups and My day's tasks as one
      // statement, and the appointments. Each with the session read.
      if (user !== w.su)
        expect([user.id, query, warm.statements.length]).toEqual([user.id, query, user === w.staffA ? 3 : 4]);
      await ctx.make.activity(w.a.id, w.staffA.id, { leadId: about.id });
      const changed = await recorder.during(() => s.get(`/dashboard${query}`));
      expect(changed.statements.length).toBe(cold.statements.length);
    }
  });

  it('a lead created elsewhere shows on both instances’ next request', async () => {
    const expected = await expectSeenEverywhere(w.managerA, () =>
      ctx.make.lead(w.a.id, w.staffA.id, { status: 'QUALIFIED', estimatedValue: '1234.56' }),
    );
    expect(expected['chart-stages-QUALIFIED-2']).toBe(
      await openCount(`"companyId" = $1 AND status = $2`, [w.a.id, 'QUALIFIED']),
    );
  });

  it('a status change made through the other instance shows on this one', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'QUALIFIED', estimatedValue: '500.00' });
    const expected = await expectSeenEverywhere(w.staffA, async () => {
      const s = await signInAs(second(), w.staffA);
      await s.post(`/leads/${lead.id}/status`, { status: 'WON', version: String(lead.version) }).expect(303);
    });
    const { rows } = await ctx.db.pool.query(
      `SELECT coalesce(sum("estimatedValue"), 0)::text AS v FROM "Lead" WHERE "assigneeId" = $1 AND status = 'WON'
       AND "closedAt" >= date_trunc('month', now() AT TIME ZONE 'UTC')
       AND "closedAt" < date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month'`,
      [w.staffA.id],
    );
    expect(expected['won-value']).toBe(formatTotal(rows[0].v, 'EUR'));
  });

  it('a deleted lead, a reassigned lead and a logged activity each show on the next request', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', estimatedValue: '77.00' });
    await expectSeenEverywhere(w.staffA, () =>
      ctx.prisma.lead.update({ where: { id: lead.id }, data: { assigneeId: w.colleagueA.id } }),
    );
    await expectSeenEverywhere(w.managerA, () => ctx.prisma.lead.delete({ where: { id: lead.id } }));
    const about = await ctx.make.lead(w.a.id, w.colleagueA.id, { status: 'NEW' });
    await expectSeenEverywhere(w.managerA, () =>
      ctx.make.activity(w.a.id, w.colleagueA.id, { kind: 'MEETING', leadId: about.id }),
    );
    // Another company's change leaves A's figures (and its cached entry) alone, and shows for B.
    const a = metrics(await dashboard(first(), w.managerA));
    await expectSeenEverywhere(w.managerB, () =>
      ctx.make.lead(w.b.id, w.staffB.id, { status: 'NEW', estimatedValue: '9.00' }),
    );
    expect(metrics(await dashboard(first(), w.managerA))).toEqual(a);
  });

  it('a rolled-back change leaves the figures and their version as they were', async () => {
    const before = metrics(await dashboard(first(), w.managerA));
    const version = async () =>
      (await ctx.db.pool.query(`SELECT version::text AS v FROM "FigureVersion" WHERE "companyId" = $1`, [w.a.id]))
        .rows[0]?.v;
    const was = await version();
    await expect(
      ctx.prisma.$transaction(async (tx) => {
        await tx.lead.updateMany({ where: { companyId: w.a.id }, data: { estimatedValue: '1.00' } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await version()).toBe(was);
    expect(metrics(await dashboard(first(), w.managerA))).toEqual(before);
  });
});

describe('the board from the figure cache', () => {
  /** The board's page without what differs per session and request (tokens, nonces). */
  async function board(app: App, user: { id: number }, path = '/leads/board') {
    const html = (await (await signInAs(app, user)).get(path).expect(200)).text;
    return html.replace(/nonce="[^"]*"/g, '').replace(/[0-9a-f]{64,}/g, '');
  }
  async function freshBoard(user: { id: number }, path?: string) {
    const app = buildTestApp({ db: ctx.db.url, env: { JOBS: 'off' } });
    await app.ready;
    try {
      return await board({ app: app.app, db: ctx.db }, user, path);
    } finally {
      await app.close();
    }
  }
  async function expectBoardSeenEverywhere(user: { id: number }, change: () => Promise<unknown>, path?: string) {
    const before = await board(first(), user, path);
    expect(await board(second(), user, path)).toBe(before);
    await change();
    const expected = await freshBoard(user, path);
    expect(expected).not.toBe(before);
    expect(await board(first(), user, path)).toBe(expected);
    expect(await board(second(), user, path)).toBe(expected);
  }

  it('a move, a new lead, a reassignment and a renamed or deactivated person show on both instances', async () => {
    const lead = await ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW', estimatedValue: '10.00', title: 'Mover' });
    await expectBoardSeenEverywhere(w.managerA, async () => {
      const s = await signInAs(second(), w.managerA);
      await s.post(`/leads/${lead.id}/status`, { status: 'QUALIFIED', version: String(lead.version) }).expect(303);
    });
    await expectBoardSeenEverywhere(w.staffA, () => ctx.make.lead(w.a.id, w.staffA.id, { status: 'CONTACTED' }));
    await expectBoardSeenEverywhere(w.staffA, () =>
      ctx.prisma.lead.update({ where: { id: lead.id }, data: { assigneeId: w.colleagueA.id } }),
    );
    await expectBoardSeenEverywhere(w.managerA, () =>
      ctx.prisma.user.update({ where: { id: w.colleagueA.id }, data: { name: 'Renamed Colleague' } }),
    );
    expect(await board(first(), w.managerA)).toContain('Renamed Colleague');
    await expectBoardSeenEverywhere(w.managerA, () =>
      ctx.prisma.user.update({ where: { id: w.colleagueA.id }, data: { active: false } }),
    );
    await expectBoardSeenEverywhere(
      w.su,
      () => ctx.make.lead(w.a.id, w.staffA.id, { status: 'NEW' }),
      `/leads/board?companyId=${w.a.id}`,
    );
  });
});

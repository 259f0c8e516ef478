// The dashboards' "Pipeline and results" section: every number shown equals the same sum computed here in SQL
// over the user's scope (staff: their own leads; a manager: the company, or one person; a superuser: one
// company, or a table per company in its own currency), with other companies' and colleagues' leads present
// and deals closed inside and outside the range; the range picker's presets, custom days and errors.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatTotal } from '../../src/pipeline/money.ts';
import { type DateRange, monthStarts, parseRange } from '../../src/pipeline/range.ts';
import { useTestContext } from '../helpers/context.ts';
import { fieldError, text } from '../helpers/html.ts';
import { signInAs } from '../helpers/session.ts';
import { recordStatements } from '../helpers/statements.ts';
import type { World } from '../helpers/world.ts';
import { resultsWorld } from './resultsWorld.ts';

const ctx = useTestContext();
let w: World;
let recorder: ReturnType<typeof recordStatements>;
beforeAll(() => {
  recorder = recordStatements(ctx.db.pool);
});
beforeEach(async () => {
  w = await resultsWorld(ctx);
});

type Scope = { where: string; args: unknown[]; currency: string; probabilities: Record<string, number> };
const OPEN = ['NEW', 'CONTACTED', 'QUALIFIED'];
const KINDS = ['CALL', 'MEETING', 'NOTE', 'EMAIL'];

async function rows(sql: string, args: unknown[]) {
  return (await ctx.db.pool.query(sql, args)).rows as Record<string, string>[];
}
/** count and exact sum of the leads matching the scope and `cond` (SQL written here, not the app's). */
async function sum(scope: Scope, cond: string, args: unknown[] = []) {
  const shift = scope.args.length;
  const c = cond.replace(/\$(\d+)/g, (_, i) => `$${Number(i) + shift}`);
  const [r] = await rows(
    `SELECT count(*)::int AS n, coalesce(sum("estimatedValue"), 0)::text AS v FROM "Lead"
     WHERE ${scope.where} AND ${c}`,
    [...scope.args, ...args],
  );
  return { count: Number(r.n), value: r.v };
}
const shown = (page: string, name: string) => text(page, `[data-metric="${name}"]`);

async function page(user: { id: number }, query = '') {
  return (await (await signInAs(ctx, user)).get(`/dashboard${query}`).expect(200)).text;
}

/** Every figure of the section for `scope` against SQL. */
async function expectResults(html: string, scope: Scope, range: DateRange, timeZone: string, authors: number[]) {
  const money = (v: string) => formatTotal(v, scope.currency);
  const closedIn = (status: string) =>
    sum(scope, `status = $1 AND "closedAt" >= $2 AND "closedAt" < $3`, [status, range.from, range.to]);
  let weightedCents = 0n;
  let open = { count: 0, cents: 0n };
  for (const status of OPEN) {
    const s = await sum(scope, 'status = $1', [status]);
    const [{ weighted }] = await rows('SELECT round($1::numeric * $2 / 100, 2)::text AS weighted', [
      s.value,
      scope.probabilities[status],
    ]);
    expect([status, shown(html, `chart-stages-${status}-0`)]).toEqual([status, money(s.value)]);
    expect([status, shown(html, `chart-stages-${status}-1`)]).toEqual([status, money(weighted)]);
    expect([status, shown(html, `chart-stages-${status}-2`)]).toEqual([status, String(s.count)]);
    weightedCents += BigInt(weighted.replace('.', ''));
    open = { count: open.count + s.count, cents: open.cents + BigInt(Number(s.value).toFixed(2).replace('.', '')) };
  }
  expect(shown(html, 'open-value')).toBe(money((Number(open.cents) / 100).toFixed(2)));
  expect(shown(html, 'open-weighted')).toBe(money((Number(weightedCents) / 100).toFixed(2)));
  const won = await closedIn('WON');
  const lost = await closedIn('LOST');
  expect(shown(html, 'won-value')).toBe(money(won.value));
  expect(shown(html, 'lost-value')).toBe(money(lost.value));
  expect(won.count + lost.count).toBeGreaterThan(0);
  const rate = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
  expect(shown(html, 'win-rate')).toBe(rate.format(won.count / (won.count + lost.count)));
  // Won per month in the user's zone, the last 12 months.
  const months = monthStarts(timeZone, new Date(), 12);
  const byMonth = await rows(
    // "closedAt" is a UTC timestamp without zone: to UTC first, then to the user's zone.
    `SELECT to_char(("closedAt" AT TIME ZONE 'UTC') AT TIME ZONE $${scope.args.length + 1}, 'YYYY-MM') AS m,
       count(*)::int AS n, coalesce(sum("estimatedValue"), 0)::text AS v FROM "Lead"
     WHERE ${scope.where} AND status = 'WON' AND "closedAt" >= $${scope.args.length + 2}
       AND "closedAt" < $${scope.args.length + 3} GROUP BY 1`,
    [...scope.args, timeZone, months[0], months[12]],
  );
  expect(byMonth.length).toBeGreaterThan(1);
  for (const m of byMonth) {
    expect([m.m, shown(html, `chart-months-${m.m}-0`)]).toEqual([m.m, money(m.v)]);
    expect([m.m, shown(html, `chart-months-${m.m}-1`)]).toEqual([m.m, String(m.n)]);
  }
  // The funnel over leads created in the range.
  for (const stage of [0, 1, 2, 3]) {
    const s = await sum(scope, `"furthestStage" >= $1 AND "createdAt" >= $2 AND "createdAt" < $3`, [
      stage,
      range.from,
      range.to,
    ]);
    expect([stage, shown(html, `chart-funnel-${stage}-0`)]).toEqual([stage, String(s.count)]);
  }
  for (const source of ['WEBSITE', 'REFERRAL', 'EVENT', 'COLD_CALL', 'OTHER']) {
    const created = await sum(scope, `source = $1 AND "createdAt" >= $2 AND "createdAt" < $3`, [
      source,
      range.from,
      range.to,
    ]);
    const wonBy = await sum(scope, `source = $1 AND status = 'WON' AND "closedAt" >= $2 AND "closedAt" < $3`, [
      source,
      range.from,
      range.to,
    ]);
    expect([source, shown(html, `chart-sources-created-${source}-0`)]).toEqual([source, String(created.count)]);
    expect([source, shown(html, `chart-sources-won-${source}-0`)]).toEqual([source, money(wonBy.value)]);
    expect([source, shown(html, `chart-sources-won-${source}-1`)]).toEqual([source, String(wonBy.count)]);
  }
  for (const reason of ['PRICE', 'COMPETITOR', 'NO_BUDGET', 'NO_RESPONSE', 'NOT_A_FIT', 'OTHER', null]) {
    const cond = reason ? `"lostReason" = '${reason}'` : `"lostReason" IS NULL`;
    const s = await sum(scope, `${cond} AND status = 'LOST' AND "closedAt" >= $1 AND "closedAt" < $2`, [
      range.from,
      range.to,
    ]);
    const key = reason ?? 'none';
    if (!reason && s.count === 0) expect(shown(html, 'chart-reasons-none-0')).toBeNull();
    else {
      expect([key, shown(html, `chart-reasons-${key}-0`)]).toEqual([key, String(s.count)]);
      expect([key, shown(html, `chart-reasons-${key}-1`)]).toEqual([key, money(s.value)]);
    }
  }
  for (const author of authors) {
    const counts = await rows(
      `SELECT kind::text AS k, count(*)::int AS n FROM "Activity" WHERE "authorId" = $1
       AND "occurredAt" >= now() - interval '30 days' GROUP BY 1`,
      [author],
    );
    const of = (k: string) => Number(counts.find((c) => c.k === k)?.n ?? 0);
    expect(shown(html, `chart-activity-${author}-0`)).toBe(String(KINDS.reduce((t, k) => t + of(k), 0)));
    for (const [i, k] of KINDS.entries()) expect(shown(html, `chart-activity-${author}-${i + 1}`)).toBe(String(of(k)));
  }
  return { won, lost };
}

const rangeOf = (query: Record<string, string>, timeZone: string) => parseRange(query, timeZone, new Date()).range;
const probabilitiesA = { NEW: 15, CONTACTED: 35, QUALIFIED: 65 };
const probabilitiesB = { NEW: 10, CONTACTED: 20, QUALIFIED: 50 };

describe('staff', () => {
  it('see their own leads only, for the default range and each preset', async () => {
    const scope = { where: '"assigneeId" = $1', args: [w.staffA.id], currency: 'EUR', probabilities: probabilitiesA };
    for (const key of ['this-month', 'last-month', 'this-quarter', 'last-12-months']) {
      const html = await page(w.staffA, key === 'this-month' ? '' : `?range=${key}`);
      await expectResults(html, scope, rangeOf({ range: key }, 'UTC'), 'UTC', [w.staffA.id]);
      // No colleague, no other company: no per-person table, no one else's activity.
      for (const other of [w.colleagueA.id, w.managerA.id, w.staffB.id])
        expect(shown(html, `chart-activity-${other}-0`)).toBeNull();
      expect(html).not.toContain('data-metric="person-');
      expect(html).not.toContain(w.colleagueA.name);
    }
  });

  it('a custom range: the figures of exactly those days', async () => {
    const scope = {
      where: '"assigneeId" = $1',
      args: [w.colleagueA.id],
      currency: 'EUR',
      probabilities: probabilitiesA,
    };
    const month = rangeOf({ range: 'last-12-months' }, 'UTC');
    const q = { range: 'custom', from: month.fromDay, to: rangeOf({}, 'UTC').fromDay };
    const html = await page(w.colleagueA, `?${new URLSearchParams(q)}`);
    await expectResults(html, scope, rangeOf(q, 'UTC'), 'UTC', [w.colleagueA.id]);
    expect(html).toContain(`value="${q.from}"`);
  });
});

describe('account managers', () => {
  const scopeA = { where: '"companyId" = $1', args: [] as unknown[], currency: 'EUR', probabilities: probabilitiesA };

  it('see the company (in their zone) and each person', async () => {
    scopeA.args = [w.a.id];
    const html = await page(w.managerA);
    const range = rangeOf({}, 'Asia/Tokyo');
    await expectResults(html, scopeA, range, 'Asia/Tokyo', [w.managerA.id, w.staffA.id, w.colleagueA.id]);
    for (const p of [w.managerA, w.staffA, w.colleagueA]) {
      const mine = { ...scopeA, where: '"companyId" = $1 AND "assigneeId" = $2', args: [w.a.id, p.id] };
      const open = await sum(mine, `status IN ('NEW', 'CONTACTED', 'QUALIFIED')`);
      const won = await sum(mine, `status = 'WON' AND "closedAt" >= $1 AND "closedAt" < $2`, [range.from, range.to]);
      const lost = await sum(mine, `status = 'LOST' AND "closedAt" >= $1 AND "closedAt" < $2`, [range.from, range.to]);
      expect(shown(html, `person-${p.id}-open-count`)).toBe(String(open.count));
      expect(shown(html, `person-${p.id}-open-value`)).toBe(formatTotal(open.value, 'EUR'));
      expect(shown(html, `person-${p.id}-won-count`)).toBe(String(won.count));
      expect(shown(html, `person-${p.id}-won-value`)).toBe(formatTotal(won.value, 'EUR'));
      expect(shown(html, `person-${p.id}-lost-count`)).toBe(String(lost.count));
    }
    for (const other of [w.managerB.id, w.staffB.id]) {
      expect(shown(html, `person-${other}-open-value`)).toBeNull();
      expect(shown(html, `chart-activity-${other}-0`)).toBeNull();
    }
    expect(html).not.toContain('$');
  });

  it('choose one person: that person’s charts; another company’s person refused beside the field', async () => {
    const html = await page(w.managerA, `?assigneeId=${w.staffA.id}&range=last-12-months`);
    const scope = { ...scopeA, where: '"companyId" = $1 AND "assigneeId" = $2', args: [w.a.id, w.staffA.id] };
    await expectResults(html, scope, rangeOf({ range: 'last-12-months' }, 'Asia/Tokyo'), 'Asia/Tokyo', [w.staffA.id]);
    expect(shown(html, `chart-activity-${w.colleagueA.id}-0`)).toBeNull();
    const res = await (await signInAs(ctx, w.managerA)).get(`/dashboard?assigneeId=${w.staffB.id}`).expect(422);
    expect(fieldError(res.text, 'assigneeId')).toBe('Choose a person from the list.');
    // The company's figures, not Bravo's person's.
    await expectResults(res.text, { ...scopeA, args: [w.a.id] }, rangeOf({}, 'Asia/Tokyo'), 'Asia/Tokyo', []);
    await (await signInAs(ctx, w.managerA)).get('/dashboard?assigneeId=abc').expect(422);
  });

  it('in another currency: company B in USD', async () => {
    const html = await page(w.managerB);
    const scope = { where: '"companyId" = $1', args: [w.b.id], currency: 'USD', probabilities: probabilitiesB };
    await expectResults(html, scope, rangeOf({}, 'UTC'), 'UTC', [w.managerB.id, w.staffB.id]);
    expect(html).not.toContain('€');
  });
});

describe('superusers', () => {
  it('without a company: a table per company in its own currency', async () => {
    const html = await page(w.su, '?range=last-12-months');
    const range = rangeOf({ range: 'last-12-months' }, 'UTC');
    for (const [c, currency, p] of [
      [w.a, 'EUR', probabilitiesA],
      [w.b, 'USD', probabilitiesB],
    ] as const) {
      const scope = { where: '"companyId" = $1', args: [c.id], currency, probabilities: p };
      const open = await sum(scope, `status IN ('NEW', 'CONTACTED', 'QUALIFIED')`);
      const won = await sum(scope, `status = 'WON' AND "closedAt" >= $1 AND "closedAt" < $2`, [range.from, range.to]);
      expect(shown(html, `company-${c.id}-open-count`)).toBe(String(open.count));
      expect(shown(html, `company-${c.id}-open-value`)).toBe(formatTotal(open.value, currency));
      expect(shown(html, `company-${c.id}-won-count`)).toBe(String(won.count));
      expect(shown(html, `company-${c.id}-won-value`)).toBe(formatTotal(won.value, currency));
    }
    expect(html).not.toContain('data-metric="open-value"');
  });

  it('with a company: its charts and people; an unknown company is refused beside the field', async () => {
    const html = await page(w.su, `?companyId=${w.b.id}`);
    const scope = { where: '"companyId" = $1', args: [w.b.id], currency: 'USD', probabilities: probabilitiesB };
    await expectResults(html, scope, rangeOf({}, 'UTC'), 'UTC', [w.managerB.id, w.staffB.id]);
    expect(shown(html, `person-${w.staffA.id}-open-value`)).toBeNull();
    const res = await (await signInAs(ctx, w.su)).get('/dashboard?companyId=999999').expect(422);
    expect(fieldError(res.text, 'companyId')).toBe('Choose a company from the list.');
    expect(res.text).toContain('data-metric="company-');
  });
});

describe('the range picker', () => {
  it('offers the presets and custom days as labelled fields, the choice kept in the form', async () => {
    const html = await page(w.staffA, '?range=last-month');
    expect(text(html, 'label[for="r-range"]')).toBe('Range');
    expect(text(html, 'label[for="r-from"]')).toBe('First day');
    expect(text(html, 'label[for="r-to"]')).toBe('Last day');
    expect(text(html, '#r-range option[selected]')).toBe('Last month');
    expect(html).toContain('data-range="range=last-month"');
  });

  it('a bad custom range: 422, the error beside its field, the default range’s figures', async () => {
    const s = await signInAs(ctx, w.staffA);
    for (const [q, field, message] of [
      ['range=custom&from=2026-02-30&to=2026-03-01', 'from', 'Enter the first day as a date (yyyy-mm-dd).'],
      ['range=custom&from=2026-03-01&to=2026-02-01', 'to', 'The last day must not be before the first day.'],
      ['range=custom&from=&to=', 'from', 'Enter the first day as a date (yyyy-mm-dd).'],
      ['range=custom&from=1990-01-01&to=2026-01-01', 'to', 'Choose at most ten years.'],
      ['range=custom&from=9999-12-01&to=9999-12-31', 'to', 'Choose a day from 1900 to 9998.'],
      ['range=custom&from=%3Cscript%3E&to=x', 'from', 'Enter the first day as a date (yyyy-mm-dd).'],
    ] as const) {
      const res = await s.get(`/dashboard?${q}`).expect(422);
      expect([q, fieldError(res.text, field)]).toEqual([q, message]);
      expect(res.text).toContain('data-range="range=this-month"');
      expect(res.text).toContain('The custom range above cannot be used; showing this month');
      expect(res.text).not.toContain('<script>');
    }
    const scope = { where: '"assigneeId" = $1', args: [w.staffA.id], currency: 'EUR', probabilities: probabilitiesA };
    const res = await s.get('/dashboard?range=custom&from=2026-03-01&to=2026-02-01').expect(422);
    await expectResults(res.text, scope, rangeOf({}, 'UTC'), 'UTC', [w.staffA.id]);
    // An unknown preset is the default, not an error.
    await s.get('/dashboard?range=yesterday').expect(200);
  });
});

describe('odd input', () => {
  it('never answers 5xx: odd days, ids and repeated parameters, for each role', async () => {
    const values = [
      '',
      'x'.repeat(3000),
      '2026-13-45',
      '0000-01-01',
      '9999-12-31',
      '275760-09-13',
      '-1',
      '1e9',
      '999999999999',
      '0',
      ' 1',
      '1.5',
    ];
    const queries = [
      ...values.flatMap((v) =>
        ['from', 'to', 'assigneeId', 'companyId'].map((k) => `range=custom&${k}=${encodeURIComponent(v)}`),
      ),
      'range=custom&from=2026-01-01&from=2026-02-01&to=2026-03-01',
      'range=custom&range=this-month',
      'assigneeId=1&assigneeId=2',
      'companyId=1&companyId=2',
      'range[]=custom',
      'range=custom&from=9999-12-01&to=9999-12-31',
      'range=custom&from=0001-01-01&to=0001-12-31',
    ];
    for (const user of [w.staffA, w.managerA, w.su]) {
      const s = await signInAs(ctx, user);
      for (const q of queries) {
        const res = await s.get(`/dashboard?${q}`);
        expect([q, res.status < 500]).toEqual([q, true]);
      }
    }
  });
});

describe('the statements of /dashboard', () => {
  it('stay the same whatever the data, for each role and choice', async () => {
    const pages: [{ id: number }, string][] = [
      [w.staffA, ''],
      [w.staffA, '?range=custom&from=2025-01-01&to=2026-12-31'],
      [w.managerA, ''],
      [w.managerA, `?assigneeId=${w.staffA.id}`],
      [w.su, ''],
      [w.su, `?companyId=${w.a.id}`],
    ];
    const count = async () => {
      const counts: number[] = [];
      for (const [user, query] of pages) {
        const s = await signInAs(ctx, user);
        // The second visit reads the figures from the cache, keyed by the minute: measured again across one.
        const minute = () => Math.floor(Date.now() / 60_000);
        let at: number;
        let statements: string[];
        do {
          at = minute();
          await s.get(`/dashboard${query}`).expect(200);
          ({ statements } = await recorder.during(() => s.get(`/dashboard${query}`)));
        } while (minute() !== at);
        counts.push(statements.length);
      }
      return counts;
    };
    const before = await count();
    // More of everything: another person with leads of every kind and their activity, another company.
    const extra = await ctx.make.staff(w.a.id, { name: 'New Person' });
    const c = await ctx.make.company({ currency: 'GBP' });
    for (const status of ['NEW', 'WON', 'LOST', 'QUALIFIED'] as const) {
      for (const [companyId, assigneeId] of [
        [w.a.id, extra.id],
        [w.a.id, w.staffA.id],
        [c.id, (await ctx.make.manager(c.id)).id],
      ]) {
        const l = await ctx.make.lead(companyId, assigneeId, { status, estimatedValue: '10.00', closedAt: new Date() });
        await ctx.make.activity(companyId, assigneeId, { leadId: l.id });
      }
    }
    expect(await count()).toEqual(before);
  });
});

// GET /reports and /reports/export.csv (issue 14 item 5): every number on the page and in the CSV equals the
// same aggregate computed in SQL over the viewer's scope (tests/report/expected.ts), for an account manager
// (with and without the person filter), staff and a superuser (per company, in its currency), with deals of
// colleagues, of another company and outside the range present; the CSV holds exactly the table's rows.
import { describe, expect, it } from 'vitest';
import { formatAmount, formatTotal } from '../../src/pipeline/money.ts';
import { useTestContext } from '../helpers/context.ts';
import { type CsvFile, downloadCsv } from '../helpers/csv.ts';
import { all, text, textOf } from '../helpers/html.ts';
import type { Session } from '../helpers/session.ts';
import { type Kind, sqlReport, type SqlRow, ZERO } from './expected.ts';
import { FROM, RANGE, type ReportWorld, reportWorld, TO } from './world.ts';

const ctx = useTestContext();
const KINDS: Kind[] = ['person', 'source', 'month', 'reason'];
const TIMEOUT = 120_000;

type Viewer = {
  name: string;
  session: Session;
  timeZone: string;
  currency: string;
  /** SQL over "Lead" ($2… are args): the rows this viewer may see, narrowed as `extra` asks. */
  scope: string;
  args: unknown[];
  extra: string;
};

/** What a row of the page must show for these SQL figures. */
function shown(kind: Kind, r: Omit<SqlRow, 'key'>, currency: string): string[] {
  const money = (v: string) => formatAmount(v, currency);
  if (kind === 'reason') return [String(r.lost), money(r.lostValue), r.lostShare === null ? '—' : `${r.lostShare} %`];
  return [
    String(r.won),
    money(r.wonValue),
    String(r.lost),
    money(r.lostValue),
    r.winRate === null ? '—' : `${r.winRate} %`,
    r.averageDeal === null ? '—' : money(r.averageDeal),
    r.averageDays ?? '—',
  ];
}

/** The CSV's cells for these SQL figures, as numbers (blank when there is no average). */
function plain(kind: Kind, r: Omit<SqlRow, 'key'>): (number | '')[] {
  const n = (v: string | null) => (v === null ? '' : Number(v));
  if (kind === 'reason') return [r.lost, Number(r.lostValue), n(r.lostShare)];
  return [r.won, Number(r.wonValue), r.lost, Number(r.lostValue), n(r.winRate), n(r.averageDeal), n(r.averageDays)];
}

const csvNumbers = (cells: string[]) => cells.map((c) => (c === '' ? '' : Number(c)));

type PageRow = { key: string; label: string; cells: string[] };

function pageRows(html: string): { rows: PageRow[]; total: string[] } {
  const rows = all(html, 'table.report-table tbody tr').map((tr) => {
    const cells = all(tr, '*').filter((c) => c.name === 'td' || c.name === 'th');
    return { key: tr.attribs['data-key'], label: textOf(cells[0]), cells: cells.slice(1).map(textOf) };
  });
  const foot = all(html, 'table.report-table tfoot tr')[0];
  const total = all(foot, '*')
    .filter((c) => c.name === 'td')
    .map(textOf);
  return { rows, total };
}

async function checkViewer(v: Viewer) {
  for (const kind of KINDS) {
    const path = `/reports?by=${kind}&${RANGE}${v.extra}`;
    const page = await v.session.get(path).expect(200);
    const expected = await sqlReport(ctx, kind, v.timeZone, { from: FROM, to: TO }, v.scope, v.args);
    const { rows, total } = pageRows(page.text);
    // A row SQL has no group for: nothing closed, so 0 % of the lost deals when some were lost.
    const none = { ...ZERO, lostShare: expected.get('Total')!.lost ? '0' : null };
    const label = `${v.name} ${kind}`;
    // Every group SQL finds is on the page, and every row of the page shows SQL's figures (zeros when none).
    // (The lost-reasons report counts lost deals only: won deals, which have no reason, are no row of it.)
    const groups = [...expected.entries()]
      .filter(([k, r]) => k !== 'Total' && (kind !== 'reason' || r.lost > 0))
      .map(([k]) => k);
    expect(
      rows.map((r) => r.key),
      label,
    ).toEqual(expect.arrayContaining(groups));
    for (const r of rows) {
      expect([label, r.key, r.cells]).toEqual([label, r.key, shown(kind, expected.get(r.key) ?? none, v.currency)]);
    }
    expect([label, total]).toEqual([label, shown(kind, expected.get('Total')!, v.currency)]);
    // The chart's numbers (its own table, rounded to whole units) are SQL's too.
    for (const r of rows) {
      const sql = expected.get(r.key) ?? none;
      const want =
        kind === 'reason'
          ? [String(sql.lost)]
          : kind === 'month'
            ? [formatTotal(sql.wonValue, v.currency)]
            : [formatTotal(sql.wonValue, v.currency), formatTotal(sql.lostValue, v.currency)];
      const got = want.map((_, i) => text(page.text, `[data-metric="report-chart-${r.key || 'none'}-${i}"]`));
      expect([label, r.key, got]).toEqual([label, r.key, want]);
    }
    // The CSV: the same rows in the same order, then the total; every number equal to SQL's.
    const csv: CsvFile = await downloadCsv(v.session.get(path.replace('/reports?', '/reports/export.csv?')));
    expect(csv.rows.length, label).toBe(rows.length + 1);
    csv.rows.forEach((cells, i) => {
      const r = rows[i];
      const sql = r ? (expected.get(r.key) ?? none) : expected.get('Total')!;
      expect(cells[0].replace(/^'(?=[=+\-@])/, ''), label).toBe(r ? r.label : 'Total');
      expect([label, cells[0], csvNumbers(cells.slice(1))]).toEqual([label, cells[0], plain(kind, sql)]);
    });
  }
}

function viewers(w: ReportWorld, sessions: Record<string, Session>): Viewer[] {
  const A = w.a.id;
  return [
    {
      name: 'manager',
      session: sessions.manager,
      timeZone: 'Asia/Tokyo',
      currency: 'EUR',
      scope: `"companyId" = $2`,
      args: [A],
      extra: '',
    },
    {
      name: 'manager, one person',
      session: sessions.manager,
      timeZone: 'Asia/Tokyo',
      currency: 'EUR',
      scope: `"companyId" = $2 AND "assigneeId" = $3`,
      args: [A, w.colleagueA.id],
      extra: `&assigneeId=${w.colleagueA.id}`,
    },
    {
      name: 'staff',
      session: sessions.staff,
      timeZone: 'UTC',
      currency: 'EUR',
      scope: `"companyId" = $2 AND "assigneeId" = $3`,
      args: [A, w.staffA.id],
      extra: '',
    },
    {
      name: 'superuser, company A',
      session: sessions.su,
      timeZone: 'America/New_York',
      currency: 'EUR',
      scope: `"companyId" = $2`,
      args: [A],
      extra: `&companyId=${A}`,
    },
    {
      name: 'superuser, company B',
      session: sessions.su,
      timeZone: 'America/New_York',
      currency: 'USD',
      scope: `"companyId" = $2`,
      args: [w.b.id],
      extra: `&companyId=${w.b.id}`,
    },
  ];
}

describe('reports', () => {
  it(
    'every number on the page and in the CSV equals SQL over the viewer’s scope, for each role',
    async () => {
      const w = await reportWorld(ctx);
      const sessions = { manager: await w.as(w.managerA), staff: await w.as(w.staffA), su: await w.as(w.su) };
      for (const v of viewers(w, sessions)) await checkViewer(v);
    },
    TIMEOUT,
  );

  it('shows people by name, only the company’s, and neutralises a formula-looking name in the CSV', async () => {
    const w = await reportWorld(ctx);
    const s = await w.as(w.managerA);
    const { rows } = pageRows((await s.get(`/reports?by=person&${RANGE}`).expect(200)).text);
    expect(rows.map((r) => r.key).sort()).toEqual(
      [w.managerA.id, w.staffA.id, w.colleagueA.id, w.risky.id].map(String).sort(),
    );
    expect(rows.map((r) => r.label)).toContain('Steve Alpha');
    const csv = await downloadCsv(s.get(`/reports/export.csv?by=person&${RANGE}`));
    expect(csv.rows.map((r) => r[0])).toContain("'@Risky =Name");
    expect(csv.header).toEqual([
      'Person',
      'Won deals',
      'Won value (EUR)',
      'Lost deals',
      'Lost value (EUR)',
      'Win rate (%)',
      'Average deal size (EUR)',
      'Average days to win',
    ]);
    // Staff see their own row only, with no person filter.
    const staffPage = (await (await w.as(w.staffA)).get(`/reports?by=person&${RANGE}`).expect(200)).text;
    expect(pageRows(staffPage).rows.map((r) => r.key)).toEqual([String(w.staffA.id)]);
    expect(staffPage).not.toContain('name="assigneeId"');
  });

  it('the presets: a deal closed now is in this month (the default), one closed 400 days ago in none', async () => {
    const w = await reportWorld(ctx);
    const fresh = await ctx.make.staff(w.a.id, { name: 'Fresh Staff' });
    const now = new Date();
    const old = new Date(now.getTime() - 400 * 86_400_000);
    for (const closedAt of [now, old])
      await ctx.make.lead(w.a.id, fresh.id, {
        status: 'WON',
        closedAt,
        createdAt: new Date(closedAt.getTime() - 86_400_000),
        estimatedValue: '123.45',
      });
    const s = await w.as(fresh);
    for (const [query, won] of [
      ['', '1'],
      ['&range=this-month', '1'],
      ['&range=last-12-months', '1'],
      ['&range=this-quarter', '1'],
    ] as const) {
      const { rows } = pageRows((await s.get(`/reports?by=person${query}`).expect(200)).text);
      expect([query, rows[0].cells.slice(0, 2)]).toEqual([query, [won, '€123.45']]);
    }
  });
});

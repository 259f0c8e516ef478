// The bench's tables and its verdict on the Done-when targets of issues 11 (every page against the bare page),
// 13 (the lead and customer pages with 1,000 activities against the plain lead page) and 14 (the board and the
// manager's dashboard against the plain lead list); printed and written to bench/results.md.
import { caseName, MONEY_P50, PRIMARY, type BenchCase } from './cases.ts';
import type { Measurement } from './measure.ts';

export const TARGETS = {
  /** The filtered lead list at 32 connections, against the bare page. */
  primaryRps: 0.7,
  primaryP99: 1.5,
  /** Every other case and connection count: p50 against the bare page's. */
  otherP50: 2,
  rssMb: 200,
  /** p50 at the largest size against the smallest. */
  growth: 1.3,
  /** A record page with a long history: p50 against the plain lead page's (issue 13). */
  recordP50: 2,
  /** Issue 14's board and dashboard: p50 against the plain lead list's (cases.ts: MONEY_P50). */
  moneyP50: MONEY_P50,
};

export type RatioRow = {
  case: BenchCase;
  connections: number;
  m: Measurement | null;
  outcome: string;
  statements: number | null;
};
export type ScalingRow = { case: BenchCase; p50: (number | null)[]; statements: (number | null)[] };
export type Verdict = { target: string; holds: boolean | null; detail: string };

const isPrimary = (r: RatioRow) => r.case.role === PRIMARY.role && r.case.path === PRIMARY.path;
const f = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
const x = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : `${v.toFixed(2)}×`;
const code = (s: string) => `\`${s.replace(/\|/g, '\\|')}\``;

function table(head: string[], rows: string[][], leftColumns: number): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i < leftColumns || i === head.length - 1 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The measured row a case with a baseline is held against: the baseline case at the same connections. */
function baselineOf(r: RatioRow, rows: RatioRow[]): RatioRow | undefined {
  return r.case.baseline
    ? rows.find((b) => caseName(b.case) === r.case.baseline && b.connections === r.connections)
    : undefined;
}

/** The measured row a case is also compared with (issue 14: the plain lead list) at the same connections. */
function againstOf(r: RatioRow, rows: RatioRow[]): RatioRow | undefined {
  return r.case.against
    ? rows.find((b) => caseName(b.case) === r.case.against!.name && b.connections === r.connections)
    : undefined;
}

/** A row's p50 as a ratio of the case it is compared with (null: either was not measured). */
function againstRatio(r: RatioRow, rows: RatioRow[]): number | null {
  const base = againstOf(r, rows);
  return r.m && base?.m ? r.m.p50 / base.m.p50 : null;
}

/** The target cell's addition for a compared row: "; p50 ≤ 2× `/leads`'s: holds". */
function againstText(r: RatioRow, rows: RatioRow[]): string {
  if (!r.case.against || !r.m) return '';
  const ratio = againstRatio(r, rows);
  const within = r.case.against.within;
  const name = againstOf(r, rows)?.case.path ?? r.case.against.name;
  if (within === null) return `; p50 ${x(ratio)} ${code(name)}'s`;
  return `; p50 ≤ ${within}× ${code(name)}'s: ${yes(ratio === null ? null : ratio <= within)}`;
}

/** Whether the row is one of issue 13's record pages: held against a baseline case, or a baseline itself. */
const isRecordPage = (r: RatioRow, rows: RatioRow[]) =>
  !!r.case.baseline || rows.some((o) => o.case.baseline === caseName(r.case));

/** A row's target and whether it holds (null: not measured). */
function rowTarget(
  r: RatioRow,
  bare: Measurement,
  rows: RatioRow[],
): { text: string; holds: boolean | null; reference?: true } {
  if (r.case.baseline) {
    const base = baselineOf(r, rows);
    const text = `p50 ≤ ${TARGETS.recordP50}× ${base ? code(base.case.path) : r.case.baseline}'s`;
    return { text, holds: r.m && base?.m ? r.m.p50 / base.m.p50 <= TARGETS.recordP50 : null };
  }
  if (isRecordPage(r, rows)) return { text: "the record pages' reference", holds: null, reference: true };
  if (isPrimary(r) && r.connections > 1) {
    const text = `req/s ≥ ${TARGETS.primaryRps}×, p99 ≤ ${TARGETS.primaryP99}×`;
    if (!r.m) return { text, holds: null };
    return { text, holds: r.m.rps / bare.rps >= TARGETS.primaryRps && r.m.p99 / bare.p99 <= TARGETS.primaryP99 };
  }
  const text = `p50 ≤ ${TARGETS.otherP50}×`;
  return { text, holds: r.m ? r.m.p50 / bare.p50 <= TARGETS.otherP50 : null };
}

const yes = (h: boolean | null) => (h === null ? 'not measured' : h ? 'holds' : '**misses**');

export function ratioTable(rows: RatioRow[], bare: Map<number, Measurement>, bareStatements: number | null): string {
  const head = [
    'case',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'req/s ÷ bare',
    'p50 ÷ bare',
    'p99 ÷ bare',
    'SQL/req',
    'target',
  ];
  const lines: string[][] = [];
  for (const [connections, b] of bare) {
    lines.push([
      `**bare page** ${code(PRIMARY.path)}`,
      String(connections),
      f(b.rps, 0),
      f(b.p50),
      f(b.p99),
      '1',
      '1',
      '1',
      f(bareStatements, 0),
      'the reference',
    ]);
    for (const r of rows.filter((row) => row.connections === connections)) {
      const t = rowTarget(r, b, rows);
      const m = r.m;
      lines.push([
        `${r.case.role} ${code(r.case.path)}${r.case.label ? ` (${r.case.label})` : ''}${isPrimary(r) ? ' ★' : ''}`,
        String(connections),
        f(m?.rps, 0),
        f(m?.p50),
        f(m?.p99),
        x(m && m.rps / b.rps),
        x(m && m.p50 / b.p50),
        x(m && m.p99 / b.p99),
        f(r.statements, 0),
        m
          ? `${t.text}${t.reference ? '' : `: ${yes(t.holds)}`}${againstText(r, rows)}` +
            (m.failed ? ` (${m.failed} failed)` : '')
          : r.outcome,
      ]);
    }
  }
  return table(head, lines, 1);
}

/** Issue 14: each compared case's p50 against the plain lead list's, measured in the same run. */
export function againstTable(rows: RatioRow[]): string {
  const compared = rows.filter((r) => r.case.against);
  if (!compared.length) return '';
  const head = ['case', 'conns', 'p50 ms', 'compared with', 'its p50 ms', 'ratio', 'target'];
  const lines = compared.map((r) => {
    const base = againstOf(r, rows);
    const ratio = againstRatio(r, rows);
    const within = r.case.against!.within;
    return [
      `${r.case.role} ${code(r.case.path)}`,
      String(r.connections),
      f(r.m?.p50),
      base ? `${base.case.role} ${code(base.case.path)}` : r.case.against!.name,
      f(base?.m?.p50),
      x(ratio),
      !r.m
        ? r.outcome
        : !base?.m
          ? `${r.case.against!.name} not measured`
          : within === null
            ? 'for comparison'
            : `≤ ${within}×: ${yes(ratio === null ? null : ratio <= within)}`,
    ];
  });
  return table(head, lines, 1);
}

export function scalingTable(rows: ScalingRow[], sizes: number[], bareP50: (number | null)[]): string {
  const sizeName = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  const head = [
    'case (1 connection)',
    ...sizes.map((s) => `p50 ms at ${sizeName(s)}`),
    `${sizeName(sizes.at(-1)!)} ÷ ${sizeName(sizes[0])}`,
    'SQL/req',
    'target',
  ];
  const growth = (p: (number | null)[]) => (p[0] && p.at(-1) ? p.at(-1)! / p[0] : null);
  const lines = rows.map((r) => {
    const g = growth(r.p50);
    return [
      `${r.case.role} ${code(r.case.path)}`,
      ...r.p50.map((p) => f(p)),
      x(g),
      r.statements.map((s) => f(s, 0)).join(' / '),
      `≤ ${TARGETS.growth}×: ${yes(g === null ? null : g <= TARGETS.growth)}`,
    ];
  });
  lines.push([
    `bare page ${code(PRIMARY.path)}`,
    ...bareP50.map((p) => f(p)),
    x(growth(bareP50)),
    '',
    'for comparison',
  ]);
  return table(head, lines, 1);
}

export function verdicts(
  rows: RatioRow[],
  bare: Map<number, Measurement>,
  rssMaxMb: number | null,
  scaling: ScalingRow[],
): Verdict[] {
  const out: Verdict[] = [];
  const top = Math.max(...bare.keys());
  const primary = rows.find((r) => isPrimary(r) && r.connections === top);
  const b = bare.get(top)!;
  if (primary) {
    const m = primary.m;
    out.push({
      target:
        `${caseName(PRIMARY)} at ${top} connections: req/s ≥ ` +
        `${TARGETS.primaryRps}× and p99 ≤ ${TARGETS.primaryP99}× the bare page's`,
      holds: m ? rowTarget(primary, b, rows).holds : null,
      detail: m ? `${(m.rps / b.rps).toFixed(2)}× req/s, ${(m.p99 / b.p99).toFixed(2)}× p99` : primary.outcome,
    });
  }
  // Issue 13's record pages are held against the plain lead page (below), not the bare page.
  const others = rows.filter((r) => r !== primary && !isRecordPage(r, rows));
  if (others.length) {
    const ratio = (r: RatioRow) => r.m!.p50 / bare.get(r.connections)!.p50;
    const misses = others.filter((r) => r.m && ratio(r) > TARGETS.otherP50);
    const unmeasured = others.filter((r) => !r.m);
    out.push({
      target: `every other case within ${TARGETS.otherP50}× the bare page's p50 (at 1 and ${top} connections)`,
      holds: misses.length === 0 && unmeasured.length === 0,
      detail:
        `${others.length - misses.length - unmeasured.length} of ${others.length} hold` +
        (misses.length
          ? `; furthest: ${[...misses]
              .sort((a, b2) => ratio(b2) - ratio(a))
              .slice(0, 3)
              .map((r) => `${caseName(r.case)} at ${r.connections} (${ratio(r).toFixed(1)}×)`)
              .join(', ')}`
          : '') +
        (unmeasured.length
          ? `; not measured: ${[...new Set(unmeasured.map((r) => caseName(r.case)))].join(', ')}`
          : ''),
    });
  }
  for (const r of rows.filter((row) => row.case.against && row.case.against.within !== null)) {
    const base = againstOf(r, rows);
    const ratio = againstRatio(r, rows);
    const within = r.case.against!.within!;
    out.push({
      target:
        `${caseName(r.case)} at ${r.connections} connection${r.connections > 1 ? 's' : ''}: ` +
        `p50 ≤ ${within}× the ${r.case.against!.name}'s (issue 14)`,
      holds: ratio === null ? null : ratio <= within,
      detail:
        ratio === null
          ? r.m
            ? `the ${r.case.against!.name} was not measured`
            : r.outcome
          : `${r.m!.p50.toFixed(1)} ms against ${base!.m!.p50.toFixed(1)} ms: ${ratio.toFixed(2)}×`,
    });
  }
  for (const r of rows.filter((row) => row.case.baseline)) {
    const base = baselineOf(r, rows);
    const ratio = r.m && base?.m ? r.m.p50 / base.m.p50 : null;
    out.push({
      target:
        `${caseName(r.case)} at ${r.connections} connection${r.connections > 1 ? 's' : ''}: ` +
        `p50 ≤ ${TARGETS.recordP50}× the ${base ? caseName(base.case) : r.case.baseline}'s`,
      holds: ratio === null ? null : ratio <= TARGETS.recordP50,
      detail:
        ratio === null
          ? r.m
            ? 'the plain lead page was not measured'
            : r.outcome
          : `${r.m!.p50.toFixed(1)} ms against ${base!.m!.p50.toFixed(1)} ms: ${ratio.toFixed(2)}×`,
    });
  }
  if (rssMaxMb !== null) {
    out.push({
      target: `the app's RSS under ${top} connections ≤ ${TARGETS.rssMb} MB`,
      holds: rssMaxMb <= TARGETS.rssMb,
      detail: `max ${rssMaxMb.toFixed(0)} MB`,
    });
  }
  for (const s of scaling) {
    const g = s.p50[0] && s.p50.at(-1) ? s.p50.at(-1)! / s.p50[0] : null;
    out.push({
      target: `${caseName(s.case)}: p50 at the largest size ≤ ${TARGETS.growth}× the smallest`,
      holds: g === null ? null : g <= TARGETS.growth,
      detail: x(g),
    });
  }
  return out;
}

export function verdictList(v: Verdict[]): string {
  return v
    .map((t) => `- ${t.holds === null ? 'not measured' : t.holds ? 'HOLDS' : '**MISSES**'}: ${t.target} (${t.detail})`)
    .join('\n');
}

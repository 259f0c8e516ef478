// The bench's table: printed to the terminal and written to bench/results.md.
import type { BenchCase } from './cases.ts';

export const SLOW_P50_MS = 100;

export type CaseResult = BenchCase & {
  /** 'ok', 'missing' (404), or what the page answered instead of 200. */
  outcome: string;
  rps?: number;
  p50?: number;
  p90?: number;
  p99?: number;
  non2xx?: number;
  /** Time from request to response end inside the server (no client or network part). */
  serverP50?: number;
  requests?: number;
};

const HEAD = ['case', 'as', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'non-2xx', 'server p50 ms', 'note'];

function cells(r: CaseResult): string[] {
  const n = (v: number | undefined, digits = 1) => (v === undefined ? '–' : v.toFixed(digits));
  const note = r.outcome !== 'ok' ? r.outcome : r.p50 !== undefined && r.p50 > SLOW_P50_MS ? `SLOW (p50 > ${SLOW_P50_MS} ms)` : '';
  return [r.path, r.role, n(r.rps, 0), n(r.p50), n(r.p90), n(r.p99), r.non2xx === undefined ? '–' : String(r.non2xx), n(r.serverP50), note];
}

export function isSlow(r: CaseResult): boolean {
  return r.outcome === 'ok' && (r.p50 ?? 0) > SLOW_P50_MS;
}

export function textTable(results: CaseResult[]): string {
  const rows = [HEAD, ...results.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === 1 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function markdownTable(results: CaseResult[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map((_, i) => (i === 0 || i === 1 || i === HEAD.length - 1 ? '---' : '---:')).join(' | ')} |`,
    ...results.map((r) => `| ${cells(r).map((c, i) => (i === 0 ? `\`${esc(c)}\`` : esc(c))).join(' | ')} |`),
  ].join('\n');
}

/** The median of a list of numbers (0 for none). */
export function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

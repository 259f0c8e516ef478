// A report's table from the grouped figures (src/pipeline/figures.ts): one row per person, source, month or
// lost reason, and a total row summed from the same groups (each closed deal is in exactly one group, so the
// total is the overall figure). Amounts stay exact (cents as BigInt); the page and the CSV read the same
// rows and columns, so the export is exactly what is shown.
import { TZDate } from '@date-fns/tz';
import { addMonths, format } from 'date-fns';
import type { LostReason } from '../generated/prisma/client.ts';
import { LEAD_SOURCES, SOURCE_LABELS } from '../lead/fields.ts';
import type { ClosedRow } from '../pipeline/figures.ts';
import { formatAmount } from '../pipeline/money.ts';
import { LOST_REASON_LABELS, LOST_REASONS } from '../pipeline/stages.ts';
import type { ReportKind } from './schema.ts';

/** The figures of one row: won and lost deals (count, exact value in cents) and the days from created to won. */
export type Tally = { won: number; wonCents: bigint; lost: number; lostCents: bigint; wonDays: number };
export type ReportRow = { key: string; label: string; tally: Tally };
export type Person = { id: number; name: string; active: boolean };

const empty = (): Tally => ({ won: 0, wonCents: 0n, lost: 0, lostCents: 0n, wonDays: 0 });

/** An exact decimal string ("12500.5", "-3", "0.10") in cents. */
export function toCents(value: string): bigint {
  const [units, fraction = ''] = value.trim().split('.');
  const negative = units.startsWith('-');
  const cents = BigInt((units.replace('-', '') || '0') + fraction.padEnd(2, '0').slice(0, 2));
  return negative ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** a ÷ b rounded half away from zero (as PostgreSQL's round does). */
function divRound(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  if (r * 2n >= b) return q + 1n;
  if (r * 2n <= -b) return q - 1n;
  return q;
}

/** Won ÷ (won + lost), in whole per cent; null when nothing closed. */
export const winRate = (t: Tally): number | null =>
  t.won + t.lost ? Number(divRound(BigInt(t.won) * 100n, BigInt(t.won + t.lost))) : null;
/** Won value ÷ won count, exact to the cent; null when nothing was won. */
export const averageDeal = (t: Tally): string | null => (t.won ? fromCents(divRound(t.wonCents, BigInt(t.won))) : null);
/** Days from created to won, averaged over the won deals, to one decimal; null when nothing was won. */
export const averageDays = (t: Tally): string | null => {
  if (!t.won) return null;
  const tenths = divRound(BigInt(t.wonDays) * 10n, BigInt(t.won));
  return fromCents(tenths * 10n).slice(0, -1);
};

function add(t: Tally, r: ClosedRow): void {
  if (r.status === 'WON') {
    t.won += r.count;
    t.wonCents += toCents(r.value);
    t.wonDays += r.days;
  } else {
    t.lost += r.count;
    t.lostCents += toCents(r.value);
  }
}

export function totalOf(rows: ReportRow[]): Tally {
  const t = empty();
  for (const { tally: r } of rows) {
    t.won += r.won;
    t.wonCents += r.wonCents;
    t.wonDays += r.wonDays;
    t.lost += r.lost;
    t.lostCents += r.lostCents;
  }
  return t;
}

/** The months of the range in the user's zone, "yyyy-MM" with their labels ("Nov 2026"), oldest first. */
export function monthsOf(range: { from: Date; to: Date }, timeZone: string): [string, string][] {
  const out: [string, string][] = [];
  let m = new TZDate(range.from.getTime(), timeZone);
  m = new TZDate(m.getFullYear(), m.getMonth(), 1, timeZone);
  while (m.getTime() < range.to.getTime()) {
    out.push([format(m, 'yyyy-MM'), format(m, 'MMM yyyy')]);
    m = addMonths(m, 1);
  }
  return out;
}

export const NO_REASON = 'No reason recorded';

/**
 * The rows of a report, in their order. Fixed lists (sources, months, reasons) show every entry, zeros
 * included, so a quiet month is seen; people: everyone of the list (`people`), and anyone else with figures.
 */
export function reportRows(
  kind: ReportKind,
  figures: ClosedRow[],
  ctx: { people: Person[]; range: { from: Date; to: Date }; timeZone: string },
): ReportRow[] {
  const byKey = new Map<string, Tally>();
  for (const r of figures) {
    let t = byKey.get(r.key);
    if (!t) byKey.set(r.key, (t = empty()));
    add(t, r);
  }
  const row = (key: string, label: string): ReportRow => ({ key, label, tally: byKey.get(key) ?? empty() });
  switch (kind) {
    case 'source':
      return LEAD_SOURCES.map((s) => row(s, SOURCE_LABELS[s]));
    case 'month':
      return monthsOf(ctx.range, ctx.timeZone).map(([key, label]) => row(key, label));
    case 'reason': {
      const rows = LOST_REASONS.map((r) => row(r, LOST_REASON_LABELS[r as LostReason]));
      return byKey.get('')?.lost ? [...rows, row('', NO_REASON)] : rows;
    }
    case 'person': {
      const names = new Map(ctx.people.map((p) => [String(p.id), p]));
      const keys = new Set([...ctx.people.filter((p) => p.active).map((p) => String(p.id)), ...byKey.keys()]);
      return [...keys]
        .map((key) => {
          const p = names.get(key);
          return row(key, p ? p.name + (p.active ? '' : ' (deactivated)') : `User #${key}`);
        })
        .sort((a, b) => a.label.localeCompare(b.label) || Number(a.key) - Number(b.key));
    }
  }
}

/** A column: its header, the cell as shown (formatted) and as exported (plain numbers). */
export type Column = { header: string; numeric: boolean; shown: (t: Tally) => string; plain: (t: Tally) => string };

const dash = (v: string | number | null, f: (v: string) => string = (s) => s) => (v === null ? '—' : f(String(v)));
const blank = (v: string | number | null) => (v === null ? '' : String(v));

/** A part of a whole in whole per cent; null when the whole is zero. */
const shareOf = (part: number, whole: number): number | null =>
  whole ? Number(divRound(BigInt(part) * 100n, BigInt(whole))) : null;

/** The columns of a report after its first (the person, source, month or reason); `total` is its total row. */
export function reportColumns(kind: ReportKind, currency: string, total: Tally): Column[] {
  const money = (v: string) => formatAmount(v, currency);
  if (kind === 'reason') {
    const share = (t: Tally) => shareOf(t.lost, total.lost);
    return [
      { header: 'Lost deals', numeric: true, shown: (t) => String(t.lost), plain: (t) => String(t.lost) },
      {
        header: 'Lost value',
        numeric: true,
        shown: (t) => money(fromCents(t.lostCents)),
        plain: (t) => fromCents(t.lostCents),
      },
      {
        header: 'Share of lost deals',
        numeric: true,
        shown: (t) => dash(share(t), (v) => `${v} %`),
        plain: (t) => blank(share(t)),
      },
    ];
  }
  return [
    { header: 'Won deals', numeric: true, shown: (t) => String(t.won), plain: (t) => String(t.won) },
    {
      header: 'Won value',
      numeric: true,
      shown: (t) => money(fromCents(t.wonCents)),
      plain: (t) => fromCents(t.wonCents),
    },
    { header: 'Lost deals', numeric: true, shown: (t) => String(t.lost), plain: (t) => String(t.lost) },
    {
      header: 'Lost value',
      numeric: true,
      shown: (t) => money(fromCents(t.lostCents)),
      plain: (t) => fromCents(t.lostCents),
    },
    {
      header: 'Win rate',
      numeric: true,
      shown: (t) => dash(winRate(t), (v) => `${v} %`),
      plain: (t) => blank(winRate(t)),
    },
    {
      header: 'Average deal size',
      numeric: true,
      shown: (t) => dash(averageDeal(t), money),
      plain: (t) => blank(averageDeal(t)),
    },
    {
      header: 'Average days to win',
      numeric: true,
      shown: (t) => dash(averageDays(t)),
      plain: (t) => blank(averageDays(t)),
    },
  ];
}

/** The CSV header of a column: amounts name their currency, per cents their unit. */
export function csvHeaderOf(column: Column, currency: string): string {
  if (column.header.endsWith('value') || column.header === 'Average deal size') return `${column.header} (${currency})`;
  if (column.header === 'Win rate' || column.header.startsWith('Share')) return `${column.header} (%)`;
  return column.header;
}

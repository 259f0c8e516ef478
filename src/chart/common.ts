// What every chart shares: its spec, the table that repeats its numbers, the palette and the text helpers.
// Charts are drawn on the server as SVG (views/chart/*.ejs); the TS modules here compute the geometry, so the
// numbers a chart draws and the numbers its table lists come from one place and can be unit-tested.
import { scaleLinear } from 'd3-scale';

/** A value as the queries give it: a count, or an exact decimal string (money). */
export type ChartValue = number | string;

export type ChartCategory = {
  /** A stable key (a status, a month "yyyy-MM", a source): the table cells' data-metric names, for tests. */
  key?: string;
  /** The full label (the table always shows it whole; the chart may shorten it). */
  label: string;
  /** One value per series. */
  values: ChartValue[];
  /** Further table cells (already formatted), one per `extraColumns`: e.g. a count beside a value. */
  extra?: string[];
};

export type ChartSpec = {
  /** Unique on the page: the prefix of the heading's, title's, description's and patterns' ids. */
  id: string;
  /** The visible heading, the SVG's <title> and the table's caption. */
  title: string;
  /** What the chart shows, in a sentence (the SVG's <desc>, before the numbers). */
  description: string;
  /** The series' names (1 or 2); the table's column headers. */
  series: string[];
  categories: ChartCategory[];
  /** Formats a value for labels and the table (e.g. formatTotal with the company's currency). */
  format: (v: ChartValue) => string;
  /** The table's first column header (e.g. "Stage", "Month", "Source"). */
  categoryHeader: string;
  extraColumns?: string[];
  /** Said instead of the chart when every value is zero or there is no category (the table still shows them). */
  empty?: string;
};

export type ChartTable = {
  caption: string;
  head: string[];
  rows: { key: string; label: string; cells: string[] }[];
};

/** A legend entry: its swatch is drawn with the same fill (colour and pattern) as the series' marks. */
export type LegendEntry = { label: string; fill: string; stroke: string; patternId: string | null };

export type ChartBase = {
  id: string;
  title: string;
  /** The <desc>: the description, then every category's numbers in words. */
  desc: string;
  table: ChartTable;
  legend: LegendEntry[];
  /** The pattern definitions the marks refer to (one per patterned series). */
  patterns: { id: string; color: string }[];
  /** True when there is nothing to draw (no category, or all values zero). */
  empty: boolean;
  emptyText: string;
  width: number;
  height: number;
  /** The text, axis and grid colours (the palette below), so the views hold no colour of their own. */
  colors: { ink: string; muted: string; grid: string };
};

// Colours against the page's white background. Marks (bars, columns) need 3:1 (WCAG 1.4.11, non-text
// contrast), text 4.5:1 (1.4.3); each is checked in tests/chart/geometry.test.ts. The second series is also
// hatched and outlined, so the two are told apart without colour; the legend shows the same marks.
export const BACKGROUND = '#ffffff';
export const INK = '#212529';
export const MUTED = '#495057';
export const GRID = '#ced4da';
export const SERIES_COLORS = ['#0a58ca', '#9a3f00'] as const;

/** The SVG's drawing width in user units: at 390 px wide the page shows it almost 1:1, so text stays readable. */
export const CHART_WIDTH = 400;
export const FONT_SIZE = 13;
/** Average glyph width of the UI sans-serif at FONT_SIZE, in user units (digits and lower case). */
const CHAR_WIDTH = 0.58;

export function toNumber(v: ChartValue): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** The estimated width of a text at a font size (SVG cannot measure on the server). */
export function textWidth(text: string, fontSize = FONT_SIZE): number {
  return text.length * fontSize * CHAR_WIDTH;
}

/** A label shortened to fit `width` with an ellipsis; the table keeps the whole text. */
export function truncate(text: string, width: number, fontSize = FONT_SIZE): string {
  const max = Math.max(1, Math.floor(width / (fontSize * CHAR_WIDTH)));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/**
 * A linear scale from 0 to the largest value, extended to a round number, with its round ticks (d3-scale's
 * nice()). All-zero data gets the domain [0, 1] so nothing divides by zero and every mark has length 0.
 */
export function valueScale(max: number, length: number, ticks = 4) {
  const scale = scaleLinear()
    .domain([0, max > 0 ? max : 1])
    .range([0, length])
    .nice(ticks);
  return { scale, ticks: scale.ticks(ticks), max: scale.domain()[1] };
}

export function fillOf(seriesIndex: number, id: string): { fill: string; stroke: string; patternId: string | null } {
  const color = SERIES_COLORS[seriesIndex % SERIES_COLORS.length];
  if (seriesIndex === 0) return { fill: color, stroke: color, patternId: null };
  const patternId = `${id}-hatch-${seriesIndex}`;
  return { fill: `url(#${patternId})`, stroke: color, patternId };
}

/** The legend and the patterns of a chart's series (no legend for a single series: the heading names it). */
export function seriesMarks(spec: ChartSpec) {
  const marks = spec.series.map((label, i) => ({ label, ...fillOf(i, spec.id) }));
  return {
    legend: marks.length > 1 ? marks : [],
    patterns: marks.flatMap((m, i) =>
      m.patternId ? [{ id: m.patternId, color: SERIES_COLORS[i % SERIES_COLORS.length] }] : [],
    ),
  };
}

/** The table that repeats the chart's numbers: every category with its full label and formatted values. */
export function chartTable(spec: ChartSpec): ChartTable {
  return {
    caption: spec.title,
    head: [spec.categoryHeader, ...spec.series, ...(spec.extraColumns ?? [])],
    rows: spec.categories.map((c, i) => ({
      key: c.key ?? String(i),
      label: c.label,
      cells: [...c.values.map((v) => spec.format(v)), ...(c.extra ?? [])],
    })),
  };
}

/** The <desc>: the sentence, then each category's numbers ("New: €1,200 value, €120 weighted"). */
export function chartDesc(spec: ChartSpec, table: ChartTable): string {
  const columns = table.head.slice(1);
  const parts = table.rows.map(
    (r) => `${r.label}: ${r.cells.map((cell, i) => (columns.length > 1 ? `${columns[i]} ${cell}` : cell)).join(', ')}`,
  );
  return parts.length ? `${spec.description} ${parts.join('; ')}.` : spec.description;
}

export function isEmpty(spec: ChartSpec): boolean {
  return spec.categories.every((c) => c.values.every((v) => toNumber(v) === 0));
}

/** What every chart's geometry starts with. */
export function chartBase(spec: ChartSpec, width: number, height: number): ChartBase {
  const table = chartTable(spec);
  return {
    id: spec.id,
    title: spec.title,
    desc: chartDesc(spec, table),
    table,
    ...seriesMarks(spec),
    empty: isEmpty(spec),
    emptyText: spec.empty ?? 'Nothing to show for this range.',
    width,
    height,
    colors: { ink: INK, muted: MUTED, grid: GRID },
  };
}

/** WCAG relative luminance contrast of two #rrggbb colours (used by the tests that hold the palette to AA). */
export function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, b2] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const compact = new Map<string, Intl.NumberFormat>();
/** A short form for axis ticks and crowded labels: 1234567 → "1.2M", in a currency → "€1.2M". */
export function compactFormat(currency?: string): (v: ChartValue) => string {
  const key = currency ?? '';
  let f = compact.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en', {
      notation: 'compact',
      maximumSignificantDigits: 2,
      ...(currency ? { style: 'currency', currency, currencyDisplay: 'narrowSymbol' } : {}),
    });
    compact.set(key, f);
  }
  const format = f;
  return (v) => format.format(toNumber(v));
}

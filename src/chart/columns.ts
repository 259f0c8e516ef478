// A vertical column chart over an ordered axis (months): a y axis with round ticks, one column per category,
// its value in short form above it; one series (a second series would not fit 12 months on a phone).
import { scaleBand } from 'd3-scale';
import {
  CHART_WIDTH,
  type ChartBase,
  type ChartSpec,
  type ChartValue,
  chartBase,
  SERIES_COLORS,
  textWidth,
  toNumber,
  truncate,
  valueScale,
} from './common.ts';

const HEIGHT = 220;
const TOP = 18;
const BOTTOM = 34;
const RIGHT = 4;
export const AXIS_FONT = 11;
export const VALUE_FONT = 10;

export type Column = {
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
  textX: number;
  textY: number;
};
export type Tick = { y: number; text: string };
export type XLabel = { x: number; lines: string[] };
export type ColumnChart = ChartBase & {
  kind: 'columns';
  fill: string;
  plot: { left: number; right: number; top: number; bottom: number };
  ticks: Tick[];
  columns: Column[];
  xLabels: XLabel[];
};

export type ColumnSpec = ChartSpec & {
  /** A short form of a value for ticks and column labels ("€1.2M"). */
  short: (v: ChartValue) => string;
  /** The axis labels per category (e.g. ["Jan", "2026"]); the table keeps the full label. */
  axisLabels: string[][];
};

export function columnChart(spec: ColumnSpec): ColumnChart {
  const values = spec.categories.map((c) => toNumber(c.values[0] ?? 0));
  const bottom = HEIGHT - BOTTOM;
  const { scale, ticks } = valueScale(Math.max(0, ...values), bottom - TOP, 4);
  const tickTexts = ticks.map((t) => spec.short(t));
  const left = Math.ceil(Math.max(...tickTexts.map((t) => textWidth(t, AXIS_FONT)))) + 6;
  const band = scaleBand<number>()
    .domain(values.map((_, i) => i))
    .range([left, CHART_WIDTH - RIGHT])
    .paddingInner(0.25)
    .paddingOuter(0.1);
  const columns = values.map((v, i) => {
    const height = scale(v);
    const x = band(i) ?? left;
    return {
      x,
      y: bottom - height,
      width: band.bandwidth(),
      height,
      text: spec.short(v),
      textX: x + band.bandwidth() / 2,
      textY: bottom - height - 4,
    };
  });
  const slot = band.step();
  return {
    ...chartBase(spec, CHART_WIDTH, HEIGHT),
    kind: 'columns',
    fill: SERIES_COLORS[0],
    plot: { left, right: CHART_WIDTH - RIGHT, top: TOP, bottom },
    ticks: ticks.map((t, i) => ({ y: bottom - scale(t), text: tickTexts[i] })),
    columns,
    xLabels: values.map((_, i) => ({
      x: (band(i) ?? left) + band.bandwidth() / 2,
      lines: (spec.axisLabels[i] ?? [spec.categories[i].label]).map((l) => truncate(l, slot, AXIS_FONT)),
    })),
  };
}

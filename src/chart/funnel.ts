// A funnel: one centred bar per step, its width proportional to the step's count, with the step's name, count
// and conversion rates on the line above (from the first step and from the previous one).
import {
  CHART_WIDTH,
  type ChartBase,
  type ChartSpec,
  chartBase,
  FONT_SIZE,
  SERIES_COLORS,
  toNumber,
  truncate,
} from './common.ts';

const BAR_HEIGHT = 22;
const LABEL_GAP = 5;
const STEP_GAP = 10;
/** A step with a count above zero still shows a sliver, so "1 of 10,000" is not drawn as nothing. */
const MIN_WIDTH = 2;

const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

/** n of d as a percentage; "–" when d is 0 (no rate from an empty step). */
export function rate(n: number, d: number): string {
  return d > 0 ? percent.format(n / d) : '–';
}

export type FunnelStep = {
  label: string;
  fullLabel: string;
  labelY: number;
  x: number;
  y: number;
  width: number;
  height: number;
};
export type FunnelChart = ChartBase & { kind: 'funnel'; fill: string; steps: FunnelStep[] };

/** The spec's categories are the steps, in order, with one value each (a count). */
export function funnelChart(spec: ChartSpec): FunnelChart {
  const counts = spec.categories.map((c) => toNumber(c.values[0] ?? 0));
  const first = counts[0] ?? 0;
  const max = Math.max(0, ...counts);
  const withRates: ChartSpec = {
    ...spec,
    extraColumns: ['% of first step', '% of previous step', ...(spec.extraColumns ?? [])],
    categories: spec.categories.map((c, i) => ({
      ...c,
      extra: [
        i === 0 ? '–' : rate(counts[i], first),
        i === 0 ? '–' : rate(counts[i], counts[i - 1]),
        ...(c.extra ?? []),
      ],
    })),
  };
  let y = 2;
  const steps = spec.categories.map((c, i) => {
    const n = counts[i];
    const text =
      i === 0
        ? `${c.label}: ${spec.format(n)}`
        : `${c.label}: ${spec.format(n)} (${rate(n, first)} of first, ${rate(n, counts[i - 1])} of previous)`;
    const labelY = y + FONT_SIZE;
    const width = max > 0 && n > 0 ? Math.max(MIN_WIDTH, (n / max) * CHART_WIDTH) : 0;
    const step = {
      label: truncate(text, CHART_WIDTH),
      fullLabel: text,
      labelY,
      x: (CHART_WIDTH - width) / 2,
      y: labelY + LABEL_GAP,
      width,
      height: BAR_HEIGHT,
    };
    y = step.y + BAR_HEIGHT + STEP_GAP;
    return step;
  });
  return {
    ...chartBase(withRates, CHART_WIDTH, Math.max(1, y - STEP_GAP + 2)),
    kind: 'funnel',
    fill: SERIES_COLORS[0],
    steps,
  };
}

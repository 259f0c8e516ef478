// A horizontal bar chart: one group per category (its label on a line above, so long labels keep the whole
// width on a phone), one bar per series, each bar labelled with its value at its end.
import {
  CHART_WIDTH,
  type ChartBase,
  type ChartSpec,
  chartBase,
  FONT_SIZE,
  fillOf,
  textWidth,
  toNumber,
  truncate,
  valueScale,
} from './common.ts';

const BAR_HEIGHT = 16;
const BAR_GAP = 3;
const GROUP_GAP = 12;
const LABEL_GAP = 5;
const VALUE_GAP = 4;
const TOP = 2;

export type Bar = {
  width: number;
  y: number;
  height: number;
  fill: string;
  stroke: string;
  text: string;
  textX: number;
  textY: number;
};
export type BarGroup = { label: string; fullLabel: string; labelY: number; bars: Bar[] };
export type BarChart = ChartBase & { kind: 'bars'; groups: BarGroup[] };

export function barChart(spec: ChartSpec): BarChart {
  const texts = spec.categories.map((c) => c.values.map((v) => spec.format(v)));
  // Room for the longest value label after the longest bar, never more than 45 % of the width.
  const reserve = Math.min(CHART_WIDTH * 0.45, Math.max(0, ...texts.flat().map((t) => textWidth(t))) + VALUE_GAP + 2);
  const max = Math.max(0, ...spec.categories.flatMap((c) => c.values.map(toNumber)));
  const { scale } = valueScale(max, CHART_WIDTH - reserve);
  // The bars use the exact maximum (not the nice one) so the longest bar fills the width it has.
  const length = (v: number) => (max > 0 ? Math.max(0, (v / max) * (CHART_WIDTH - reserve)) : scale(0));
  let y = TOP;
  const groups = spec.categories.map((c, ci) => {
    const labelY = y + FONT_SIZE;
    y = labelY + LABEL_GAP;
    const bars = c.values.map((v, si) => {
      const width = length(toNumber(v));
      const { fill, stroke } = fillOf(si, spec.id);
      const bar = {
        width,
        y,
        height: BAR_HEIGHT,
        fill,
        stroke,
        text: texts[ci][si],
        textX: width + VALUE_GAP,
        textY: y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35,
      };
      y += BAR_HEIGHT + BAR_GAP;
      return bar;
    });
    y += GROUP_GAP - BAR_GAP;
    return { label: truncate(c.label, CHART_WIDTH), fullLabel: c.label, labelY, bars };
  });
  return { ...chartBase(spec, CHART_WIDTH, Math.max(y - GROUP_GAP + TOP, 1)), kind: 'bars', groups };
}

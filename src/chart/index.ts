// The chart module: server-rendered SVG charts (geometry here, markup in views/chart/). A handler builds a
// chart with barChart / columnChart / funnelChart and the view draws it with include('../chart/_chart', { chart }).
export { type BarChart, barChart } from './bars.ts';
export { type ColumnChart, type ColumnSpec, columnChart } from './columns.ts';
export {
  type ChartCategory,
  type ChartSpec,
  type ChartTable,
  type ChartValue,
  compactFormat,
  contrast,
} from './common.ts';
export { type FunnelChart, funnelChart, rate } from './funnel.ts';

export type Chart =
  | import('./bars.ts').BarChart
  | import('./columns.ts').ColumnChart
  | import('./funnel.ts').FunnelChart;

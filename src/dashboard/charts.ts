// The dashboard's charts, built from its figures (src/dashboard/results.ts) with the chart module (src/chart/):
// each chart's table repeats its numbers, with data-metric names (`<chart id>-<row key>-<column>`) for tests.
import { barChart, columnChart, compactFormat, funnelChart } from '../chart/index.ts';
import { SOURCE_LABELS } from '../lead/fields.ts';
import { formatTotal } from '../pipeline/money.ts';
import { LOST_REASON_LABELS } from '../pipeline/stages.ts';
import { ACTIVITY_KINDS, KIND_LABELS, type PipelineResults } from './results.ts';

const STAGE_LABELS: Record<string, string> = { NEW: 'New', CONTACTED: 'Contacted', QUALIFIED: 'Qualified' };
const whole = new Intl.NumberFormat('en');
const count = (v: number | string) => whole.format(Number(v));

export function dashboardCharts(r: PipelineResults, whose: string) {
  const money = (v: number | string) => formatTotal(v, r.currency);
  const range = r.range.label.toLowerCase();
  return {
    stages: barChart({
      id: 'chart-stages',
      title: 'Open pipeline by stage',
      description: `Bar chart of ${whose} open pipeline now: each stage's value and weighted value.`,
      series: ['Value', 'Weighted value'],
      categoryHeader: 'Stage',
      extraColumns: ['Leads'],
      format: money,
      categories: r.stages.map((s) => ({
        key: s.status,
        label: STAGE_LABELS[s.status],
        values: [s.value, s.weighted],
        extra: [count(s.count)],
      })),
      empty: 'No open leads with a value.',
    }),
    months: columnChart({
      id: 'chart-months',
      title: 'Won value per month, last 12 months',
      description: `Column chart of the value of ${whose} deals won in each of the last 12 months.`,
      series: ['Won value'],
      categoryHeader: 'Month',
      extraColumns: ['Deals won'],
      format: money,
      short: compactFormat(r.currency),
      categories: r.months.map((m) => ({ key: m.key, label: m.label, values: [m.value], extra: [count(m.count)] })),
      axisLabels: r.months.map((m, i) => (i === 0 || m.short === 'Jan' ? [m.short, m.year] : [m.short])),
      empty: 'No deals won in the last 12 months.',
    }),
    funnel: funnelChart({
      id: 'chart-funnel',
      title: `Conversion funnel, leads created ${range}`,
      description: `Funnel of ${whose} leads created in the range: how many reached each stage.`,
      series: ['Leads'],
      categoryHeader: 'Step',
      format: count,
      categories: r.funnel.map((s) => ({ key: String(s.stage), label: s.label, values: [s.count] })),
      empty: 'No leads created in this range.',
    }),
    sourcesCreated: barChart({
      id: 'chart-sources-created',
      title: `Leads created by source, ${range}`,
      description: `Bar chart of how many of ${whose} leads were created in the range from each source.`,
      series: ['Leads created'],
      categoryHeader: 'Source',
      format: count,
      categories: r.sources.map((s) => ({ key: s.source, label: SOURCE_LABELS[s.source], values: [s.created] })),
      empty: 'No leads created in this range.',
    }),
    sourcesWon: barChart({
      id: 'chart-sources-won',
      title: `Won value by source, ${range}`,
      description: `Bar chart of the value of ${whose} deals won in the range, by the lead's source.`,
      series: ['Won value'],
      categoryHeader: 'Source',
      extraColumns: ['Deals won'],
      format: money,
      categories: r.sources.map((s) => ({
        key: s.source,
        label: SOURCE_LABELS[s.source],
        values: [s.won.value],
        extra: [count(s.won.count)],
      })),
      empty: 'No deals won in this range.',
    }),
    reasons: barChart({
      id: 'chart-reasons',
      title: `Lost reasons, ${range}`,
      description: `Bar chart of how many of ${whose} deals were lost in the range for each reason.`,
      series: ['Deals lost'],
      categoryHeader: 'Reason',
      extraColumns: ['Value lost'],
      format: count,
      categories: r.reasons
        // Deals lost without a reason appear only when there are some (data from before reasons were asked).
        .filter((x) => x.reason !== '' || x.count > 0)
        .map((x) => ({
          key: x.reason || 'none',
          label: x.reason ? LOST_REASON_LABELS[x.reason as keyof typeof LOST_REASON_LABELS] : 'No reason given',
          values: [x.count],
          extra: [money(x.value)],
        })),
      empty: 'No deals lost in this range.',
    }),
    activity: barChart({
      id: 'chart-activity',
      title: `Activity per person, last ${r.activityDays} days`,
      description: 'Bar chart of the calls, meetings, notes and emails each person logged in the last 30 days.',
      series: ['Activities'],
      categoryHeader: 'Person',
      extraColumns: ACTIVITY_KINDS.map((k) => `${KIND_LABELS[k]}s`),
      format: count,
      categories: r.activity.map((p) => ({
        key: String(p.id),
        label: p.name,
        values: [p.total],
        extra: ACTIVITY_KINDS.map((k) => count(p.kinds[k])),
      })),
      empty: `No activity logged in the last ${r.activityDays} days.`,
    }),
  };
}

// Each report's chart (src/chart/), drawn from the same rows as its table: won and lost value per person or
// source (bars, two series told apart by hatching), won value per month (columns), lost deals per reason.
import { barChart, type Chart, columnChart, compactFormat } from '../chart/index.ts';
import { formatTotal } from '../pipeline/money.ts';
import type { ReportKind } from './schema.ts';
import { fromCents, type ReportRow } from './tables.ts';

const NOUN: Record<ReportKind, string> = { person: 'person', source: 'source', month: 'month', reason: 'reason' };

export function reportChart(kind: ReportKind, rows: ReportRow[], currency: string, firstHeader: string): Chart {
  const money = (v: number | string) => formatTotal(v, currency);
  if (kind === 'reason') {
    return barChart({
      id: 'report-chart',
      title: 'Lost deals by reason',
      description: 'How many deals were lost for each reason in the period.',
      series: ['Lost deals'],
      categories: rows.map((r) => ({ key: r.key || 'none', label: r.label, values: [r.tally.lost] })),
      format: (v) => String(v),
      categoryHeader: firstHeader,
      empty: 'No deals were lost in this period.',
    });
  }
  if (kind === 'month') {
    return columnChart({
      id: 'report-chart',
      title: 'Won value by month',
      description: `The value of the deals won in each month of the period, in ${currency}.`,
      series: ['Won value'],
      categories: rows.map((r) => ({ key: r.key, label: r.label, values: [fromCents(r.tally.wonCents)] })),
      format: money,
      short: compactFormat(currency),
      axisLabels: rows.map((r) => r.label.split(' ')),
      categoryHeader: firstHeader,
      empty: 'No deals were won in this period.',
    });
  }
  return barChart({
    id: 'report-chart',
    title: `Won and lost value by ${NOUN[kind]}`,
    description: `The value of the deals won and lost by each ${NOUN[kind]} in the period, in ${currency}.`,
    series: ['Won value', 'Lost value'],
    categories: rows.map((r) => ({
      key: r.key,
      label: r.label,
      values: [fromCents(r.tally.wonCents), fromCents(r.tally.lostCents)],
    })),
    format: money,
    categoryHeader: firstHeader,
    empty: 'No deals were won or lost in this period.',
  });
}

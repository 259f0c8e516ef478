// The charts' geometry (src/chart/): bars proportional to their values, round ticks, zero and all-zero data,
// one category, long labels shortened in the chart and whole in the table, a palette that passes WCAG AA; and
// the markup (views/chart/_chart.ejs): an <svg role="img"> with its title and description, and the table.
import path from 'node:path';
import ejs from 'ejs';
import { describe, expect, it } from 'vitest';
import {
  barChart,
  type ChartSpec,
  columnChart,
  compactFormat,
  contrast,
  funnelChart,
  rate,
} from '../../src/chart/index.ts';
import { BACKGROUND, GRID, INK, MUTED, SERIES_COLORS } from '../../src/chart/common.ts';
import { formatTotal } from '../../src/pipeline/money.ts';
import { VIEWS_DIR } from '../../src/web/views.ts';

const eur = (v: number | string) => formatTotal(v, 'EUR');

function spec(categories: { label: string; values: (number | string)[] }[], series = ['Value']): ChartSpec {
  return {
    id: 't',
    title: 'Test',
    description: 'A test chart.',
    series,
    categories,
    format: eur,
    categoryHeader: 'Stage',
  };
}

function render(chart: unknown): Promise<string> {
  // As the app renders it: includes are named from views/ (src/web/views.ts).
  return ejs.renderFile(path.join(VIEWS_DIR, 'chart/_chart.ejs'), { chart }, { root: VIEWS_DIR });
}

describe('barChart', () => {
  it('draws bars proportional to their values, the longest filling the room left for its label', () => {
    const c = barChart(
      spec(
        [
          { label: 'A', values: ['1000.00', '250.50'] },
          { label: 'B', values: [500, 0] },
        ],
        ['V', 'W'],
      ),
    );
    const [a, aw] = c.groups[0].bars;
    const [b, bw] = c.groups[1].bars;
    expect(b.width / a.width).toBeCloseTo(0.5, 6);
    expect(aw.width / a.width).toBeCloseTo(0.2505, 6);
    expect(bw.width).toBe(0);
    // Every value label stays inside the drawing.
    for (const bar of c.groups.flatMap((g) => g.bars))
      expect(bar.textX + bar.text.length * 13 * 0.58).toBeLessThanOrEqual(400);
    expect(a.text).toBe('€1,000');
    expect(bw.text).toBe('€0');
    // Bars never overlap and the height holds them all.
    const ys = c.groups.flatMap((g) => g.bars.map((x) => [x.y, x.y + x.height]));
    for (let i = 1; i < ys.length; i++) expect(ys[i][0]).toBeGreaterThanOrEqual(ys[i - 1][1]);
    expect(c.height).toBeGreaterThanOrEqual(ys[ys.length - 1][1]);
    // The second series is hatched and outlined (told apart without colour), and has a legend entry.
    expect(c.legend.map((l) => l.label)).toEqual(['V', 'W']);
    expect(aw.fill).toBe('url(#t-hatch-1)');
    expect(c.patterns).toEqual([{ id: 't-hatch-1', color: SERIES_COLORS[1] }]);
  });

  it('all-zero data draws no bar, says so, and the table still lists every zero', () => {
    const c = barChart(
      spec([
        { label: 'A', values: [0] },
        { label: 'B', values: ['0.00'] },
      ]),
    );
    expect(c.groups.flatMap((g) => g.bars.map((b) => b.width))).toEqual([0, 0]);
    expect(c.empty).toBe(true);
    expect(c.table.rows).toEqual([
      { key: '0', label: 'A', cells: ['€0'] },
      { key: '1', label: 'B', cells: ['€0'] },
    ]);
    expect(barChart(spec([])).empty).toBe(true);
  });

  it('one category gets one full bar', () => {
    const c = barChart(spec([{ label: 'Only', values: [42] }]));
    expect(c.groups).toHaveLength(1);
    expect(c.groups[0].bars[0].width).toBeGreaterThan(200);
    expect(c.legend).toEqual([]);
  });

  it('shortens a long label in the chart and keeps it whole in the table and the description', () => {
    const long = 'A very long organisation name that would never fit on one line of a phone screen, not at all';
    const c = barChart(spec([{ label: long, values: [1] }]));
    expect(c.groups[0].label.length).toBeLessThan(long.length);
    expect(c.groups[0].label.endsWith('…')).toBe(true);
    expect(c.groups[0].label.length * 13 * 0.58).toBeLessThanOrEqual(400);
    expect(c.table.rows[0].label).toBe(long);
    expect(c.desc).toContain(long);
  });
});

describe('columnChart', () => {
  const months = ['Jan', 'Feb', 'Mar'];
  const cols = (values: number[]) =>
    columnChart({
      ...spec(values.map((v, i) => ({ label: `${months[i]} 2026`, values: [v] }))),
      short: compactFormat('EUR'),
      axisLabels: values.map((_, i) => [months[i]]),
    });

  it('has round ticks from 0 covering the largest value, columns proportional to their values', () => {
    const c = cols([1234, 617, 0]);
    const ticks = c.ticks.map((t) => t.text);
    expect(ticks).toEqual(['€0', '€500', '€1K', '€1.5K']);
    // The top tick is at or above the largest column.
    expect(c.ticks[c.ticks.length - 1].y).toBeLessThanOrEqual(c.columns[0].y);
    expect(c.columns[1].height / c.columns[0].height).toBeCloseTo(0.5, 6);
    expect(c.columns[2].height).toBe(0);
    for (const col of c.columns) expect(col.y + col.height).toBe(c.plot.bottom);
    const widths = new Set(c.columns.map((x) => x.width));
    expect(widths.size).toBe(1);
  });

  it('ticks are round numbers (1, 2 or 5 × a power of ten apart)', () => {
    for (const max of [7, 93, 1234, 987_654, 12_500_000.5]) {
      const c = columnChart({
        ...spec([{ label: 'x', values: [max] }]),
        short: (v) => String(v),
        axisLabels: [['x']],
      });
      const values = c.ticks.map((t) => Number(t.text));
      const step = values[1] - values[0];
      expect(step / 10 ** Math.floor(Math.log10(step))).toSatisfy((m: number) => [1, 2, 5].includes(Math.round(m)));
      expect(values[values.length - 1]).toBeGreaterThanOrEqual(max);
    }
  });

  it('all-zero months: a 0..1 axis, no column, nothing divided by zero', () => {
    const c = cols([0, 0, 0]);
    expect(c.columns.every((x) => x.height === 0 && Number.isFinite(x.y))).toBe(true);
    expect(c.empty).toBe(true);
  });
});

describe('funnelChart', () => {
  it('widths follow the counts, with rates from the first and the previous step', () => {
    const c = funnelChart({
      ...spec([
        { label: 'Created', values: [200] },
        { label: 'Contacted', values: [100] },
        { label: 'Qualified', values: [0] },
        { label: 'Won', values: [0] },
      ]),
      format: (v) => String(v),
    });
    expect(c.steps[0].width).toBe(400);
    expect(c.steps[1].width).toBe(200);
    expect(c.steps[1].x).toBe(100);
    expect(c.steps[2].width).toBe(0);
    expect(c.table.head).toEqual(['Stage', 'Value', '% of first step', '% of previous step']);
    expect(c.table.rows[1].cells).toEqual(['100', '50%', '50%']);
    expect(c.table.rows[3].cells).toEqual(['0', '0%', '–']);
    expect(c.steps[1].fullLabel).toBe('Contacted: 100 (50% of first, 50% of previous)');
    expect(rate(1, 3)).toBe('33.3%');
    expect(rate(0, 0)).toBe('–');
  });
});

describe('the palette', () => {
  it('passes WCAG AA against the background: text 4.5:1, marks 3:1', () => {
    for (const text of [INK, MUTED]) expect(contrast(text, BACKGROUND)).toBeGreaterThanOrEqual(4.5);
    for (const mark of SERIES_COLORS) expect(contrast(mark, BACKGROUND)).toBeGreaterThanOrEqual(4.5);
    // The two series differ in luminance too (and the second is hatched).
    expect(contrast(SERIES_COLORS[0], SERIES_COLORS[1])).toBeGreaterThan(1);
    expect(contrast(GRID, BACKGROUND)).toBeLessThan(3); // gridlines are decoration, not information
  });
});

describe('the markup', () => {
  it('is an svg role=img with a title and a description, a heading, and the numbers as a table', async () => {
    const html = await render(
      barChart(
        spec(
          [
            { label: 'New <b>', values: ['1500', '150'] },
            { label: 'Won', values: [0, 0] },
          ],
          ['V', 'W'],
        ),
      ),
    );
    expect(html).toMatch(/<svg class="chart-svg" role="img" aria-labelledby="t-title t-desc"/);
    expect(html).toContain('<title id="t-title">Test</title>');
    expect(html).toContain('<desc id="t-desc">A test chart. New &lt;b&gt;: V €1,500, W €150; Won: V €0, W €0.</desc>');
    expect(html).toContain('<h3 class="h6 mb-2" id="t-heading">Test</h3>');
    expect(html).toContain('<th scope="row" class="fw-normal">New &lt;b&gt;</th>');
    expect(html).toContain('data-metric="t-0-1">€150</td>');
    expect(html).toContain('viewBox="0 0 400 ');
    expect(html).toContain('width="100%"');
    expect(html).not.toContain('<b>');
    const empty = await render(barChart(spec([{ label: 'A', values: [0] }])));
    expect(empty).not.toContain('<svg class="chart-svg"');
    expect(empty).toContain('Nothing to show for this range.');
    expect(empty).toContain('data-metric="t-0-0">€0</td>');
  });
});

import { describe, expect, it } from 'vitest';
import type { MetricPanelView } from '../../../contract/prometheus.ts';
import { chartOption, formatMetric, hasPoints, rangeQuery } from './metric-charts.ts';

const panel = (
  lines: MetricPanelView['lines'],
  unit: MetricPanelView['unit'] = 'records/s',
): MetricPanelView => ({
  id: 'records-out',
  title: 'Records out per second, per operator',
  unit,
  legend: 'operator_name',
  scope: 'job',
  query: 'q',
  lines,
});

describe('metric charts', () => {
  it('turns a Prometheus matrix into ECharts lines on a time axis, gaps kept', () => {
    const o = chartOption(
      panel([
        {
          name: 'Source: in',
          labels: { operator_name: 'Source: in' },
          points: [
            [1_764_763_200, 2.5],
            [1_764_763_215, null],
          ],
        },
        { name: 'Sink: out', labels: { operator_name: 'Sink: out' }, points: [[1_764_763_200, 1]] },
      ]),
      { from: '2025-12-03T11:00:00.000Z', to: '2025-12-03T12:00:00.000Z' },
    );
    expect(o.series).toEqual([
      {
        name: 'Source: in',
        type: 'line',
        showSymbol: false,
        connectNulls: false,
        data: [
          [1_764_763_200_000, 2.5],
          [1_764_763_215_000, null],
        ],
      },
      {
        name: 'Sink: out',
        type: 'line',
        showSymbol: true,
        connectNulls: false,
        data: [[1_764_763_200_000, 1]],
      },
    ]);
    expect(o.xAxis).toEqual({
      type: 'time',
      min: Date.parse('2025-12-03T11:00:00Z'),
      max: Date.parse('2025-12-03T12:00:00Z'),
    });
    expect(o.legend.show).toBe(true);
    expect(o.yAxis.axisLabel.formatter(1500)).toBe('1.50k/s');
    expect(chartOption(panel([]), { from: 'x', to: 'y' }).legend.show).toBe(false);
  });

  it('writes values in their unit', () => {
    expect(formatMetric('bytes', 1536)).toBe('1.50 KiB');
    expect(formatMetric('bytes', 512 * 1024 * 1024)).toBe('512 MiB');
    expect(formatMetric('ratio', 0.125)).toBe('12.5%');
    expect(formatMetric('ms', 250)).toBe('250 ms');
    expect(formatMetric('ms', 2500)).toBe('2.50 s');
    expect(formatMetric('ms', 120_000)).toBe('2 min');
    expect(formatMetric('ms/s', 1000)).toBe('1000 ms/s');
    expect(formatMetric('count', 3)).toBe('3');
  });

  it('asks for a range ending now, and tells a panel with values from one of gaps only', () => {
    expect(rangeQuery('15m', new Date('2026-12-03T12:00:00Z'))).toEqual({
      from: '2026-12-03T11:45:00.000Z',
      to: '2026-12-03T12:00:00.000Z',
    });
    expect(hasPoints(panel([{ name: 'a', labels: {}, points: [[1, null]] }]))).toBe(false);
    expect(hasPoints(panel([{ name: 'a', labels: {}, points: [[1, 0]] }]))).toBe(true);
  });
});

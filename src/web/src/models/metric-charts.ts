import type { MetricPanelView } from '../../../contract/prometheus.ts';

/** The ranges the Metrics tab offers, in seconds back from now. */
export const METRIC_RANGES = { '15m': 900, '1h': 3600, '6h': 21_600, '24h': 86_400 } as const;
export type MetricRangeKey = keyof typeof METRIC_RANGES;
/** The charts are asked again this often (the embedded Prometheus scrapes every 15 s). */
export const METRIC_REFRESH_MS = 15_000;

/** The query of a range ending now: the server picks the step (about 300 points). */
export const rangeQuery = (key: MetricRangeKey, now: Date) => ({
  from: new Date(now.getTime() - METRIC_RANGES[key] * 1000).toISOString(),
  to: now.toISOString(),
});

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** A value as its unit reads: 1.5 MiB, 230 ms, 12.5%, 1.2k records/s. */
export function formatMetric(unit: MetricPanelView['unit'], v: number): string {
  const short = (n: number) => (Math.abs(n) >= 100 || Number.isInteger(n) ? n.toFixed(0) : n.toPrecision(3));
  switch (unit) {
    case 'bytes': {
      let i = 0;
      let n = v;
      while (Math.abs(n) >= 1024 && i < BYTE_UNITS.length - 1) {
        n /= 1024;
        i++;
      }
      return `${short(n)} ${BYTE_UNITS[i]}`;
    }
    case 'ratio':
      return `${short(v * 100)}%`;
    case 'ms':
      return Math.abs(v) >= 60_000
        ? `${short(v / 60_000)} min`
        : Math.abs(v) >= 1000
          ? `${short(v / 1000)} s`
          : `${short(v)} ms`;
    case 'ms/s':
      return `${short(v)} ms/s`;
    case 'records/s':
      return Math.abs(v) >= 1000 ? `${short(v / 1000)}k/s` : `${short(v)}/s`;
    case 'count':
      return short(v);
  }
}

/** One line as ECharts draws it on a time axis: [milliseconds, value or null for a gap]. */
export interface ChartLine {
  name: string;
  type: 'line';
  showSymbol: boolean;
  connectNulls: false;
  data: [number, number | null][];
}

/** The ECharts option of one panel: a time axis, one line per series, values in the panel's unit. */
export function chartOption(panel: MetricPanelView, range: { from: string; to: string }) {
  const series: ChartLine[] = panel.lines.map((l) => ({
    name: l.name,
    type: 'line',
    // A lone point (one scrape) is invisible without its symbol.
    showSymbol: l.points.length <= 1,
    connectNulls: false,
    data: l.points.map(([t, v]) => [(t ?? 0) * 1000, v ?? null]),
  }));
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 16, bottom: panel.lines.length > 1 ? 56 : 28 },
    tooltip: { trigger: 'axis' as const },
    legend: { show: panel.lines.length > 1, bottom: 0, type: 'scroll' as const },
    xAxis: { type: 'time' as const, min: Date.parse(range.from), max: Date.parse(range.to) },
    yAxis: {
      type: 'value' as const,
      min: 0,
      axisLabel: { formatter: (v: number) => formatMetric(panel.unit, v) },
    },
    series,
  };
}

/** Whether a panel has any value to draw (not only gaps). */
export const hasPoints = (panel: MetricPanelView) =>
  panel.lines.some((l) => l.points.some(([, v]) => v !== null));

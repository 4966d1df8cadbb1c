import type { JobPanel, PanelUnit } from './job-panels.ts';

/** Grafana's unit ids for the catalog's units. */
const GRAFANA_UNITS: Record<PanelUnit, string> = {
  'records/s': 'rps',
  'ms/s': 'ms',
  ms: 'ms',
  bytes: 'bytes',
  count: 'short',
  ratio: 'percentunit',
};

export interface GrafanaDashboard {
  uid: string;
  title: string;
  tags: string[];
  time: { from: string; to: string };
  refresh: string;
  schemaVersion: number;
  templating: { list: Record<string, unknown>[] };
  panels: Record<string, unknown>[];
  [key: string]: unknown;
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** A Grafana dashboard (import JSON) of one job's panels. */
export const grafanaDashboard = (job: string, panels: JobPanel[]) =>
  dashboardOf(`sluice-job-${job}`, `Sluice job ${job}`, panels);

/** The platform's dashboard: Sluice's own series and Flink's of every job. */
export const platformGrafanaDashboard = (panels: JobPanel[]) =>
  dashboardOf('sluice-platform', 'Sluice platform', panels);

/**
 * A Grafana dashboard (import JSON) of panels: each a time series panel whose one target is the
 * panel's query as the console's chart asks it, from a Prometheus chosen by the `datasource`
 * variable. Two panels a row.
 */
function dashboardOf(uid: string, title: string, panels: JobPanel[]): GrafanaDashboard {
  return {
    // Grafana's uids are at most 40 characters; a job's name may be longer.
    uid: uid.slice(0, 40),
    title,
    tags: ['sluice', 'flink'],
    time: { from: 'now-1h', to: 'now' },
    refresh: '15s',
    schemaVersion: 39,
    editable: true,
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
        },
      ],
    },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: DATASOURCE,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: GRAFANA_UNITS[p.unit] }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
      targets: [
        {
          refId: 'A',
          datasource: DATASOURCE,
          expr: p.query,
          legendFormat: p.legend === null ? p.title : `{{${p.legend}}}`,
          range: true,
        },
      ],
    })),
  };
}

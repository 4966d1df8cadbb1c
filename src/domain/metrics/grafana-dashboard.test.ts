import { describe, expect, it } from 'vitest';
import { grafanaDashboard } from './grafana-dashboard.ts';
import { jobPanels } from './job-panels.ts';

describe('the Grafana dashboard of a job', () => {
  it('asks exactly the catalog’s queries, each from the datasource variable', () => {
    const panels = jobPanels({ flinkJobIds: ['0123456789abcdef0123456789abcdef'], target: 'local-1.20' });
    const d = grafanaDashboard('orders', panels);
    expect(d.title).toBe('Sluice job orders');
    expect(d.templating.list).toEqual([
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    ]);
    type Target = { expr: string; legendFormat: string; datasource: { uid: string } };
    const targets = d.panels.map((p) => (p.targets as Target[])[0]!);
    expect(targets.map((t) => t.expr)).toEqual(panels.map((p) => p.query));
    expect(new Set(targets.map((t) => t.datasource.uid))).toEqual(new Set(['${datasource}']));
    expect(targets[0]!.legendFormat).toBe('{{operator_name}}');
    expect(d.panels.map((p) => p.title)).toEqual(panels.map((p) => p.title));
    expect(d.panels[1]!.gridPos).toEqual({ h: 8, w: 12, x: 12, y: 0 });
  });

  it('keeps its uid within Grafana’s 40 characters', () => {
    expect(grafanaDashboard('x'.repeat(100), []).uid).toHaveLength(40);
  });
});

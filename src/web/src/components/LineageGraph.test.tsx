import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { buildLineageGraph } from '../../../domain/sql/lineage-graph.ts';
import i18n from '../i18n/index.ts';
import { LineageGraph } from './LineageGraph.tsx';

const kafka = (name: string, topic: string) =>
  `CREATE TABLE ${name} (id INT) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = 'k1:9092');`;

describe('LineageGraph', () => {
  it('draws a box per job and table, joined where two jobs name the same topic', async () => {
    await i18n.changeLanguage('en');
    const graph = buildLineageGraph([
      {
        name: 'ingest',
        sql: `${kafka('raw', 'raw')}\n${kafka('clean', 'clean')}\nINSERT INTO clean SELECT id FROM raw;`,
      },
      {
        name: 'report',
        sql: `${kafka('c', 'clean')}\nCREATE TABLE out (id INT) WITH ('connector' = 'print');\nINSERT INTO out SELECT id FROM c;`,
      },
    ]);
    const html = renderToStaticMarkup(<LineageGraph graph={graph} onOpenJob={() => {}} />);
    const ids = [...html.matchAll(/data-testid="(lineage-[^"]+)"/g)].map((m) => m[1]).sort();
    // The topic both jobs name is one box, called by the first job's name for it.
    expect(ids).toEqual([
      'lineage-canvas',
      'lineage-job-ingest',
      'lineage-job-report',
      'lineage-table-clean',
      'lineage-table-out',
      'lineage-table-raw',
    ]);
    expect(html).toContain('kafka');
    expect(html).toContain('Open the job');
  });

  it('says so when there is nothing to draw', async () => {
    await i18n.changeLanguage('en');
    const html = renderToStaticMarkup(<LineageGraph graph={{ nodes: [], edges: [] }} onOpenJob={() => {}} />);
    expect(html).not.toContain('lineage-canvas');
    expect(html).toContain('ant-empty');
  });
});

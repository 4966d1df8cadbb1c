import { describe, expect, it } from 'vitest';
import { lineageValue } from '../workspace/variables.ts';
import { buildLineageGraph } from './lineage-graph.ts';

const kafka = (name: string, topic: string, brokers: string) =>
  `CREATE TABLE ${name} (id BIGINT, amount DOUBLE) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${brokers}', 'format' = 'json');`;

describe('buildLineageGraph', () => {
  const graph = buildLineageGraph([
    {
      name: 'clean',
      sql: `${kafka('raw', 'orders-raw', 'b1:9092')}
${kafka('clean_out', 'orders-clean', 'b1:9092,b2:9092')}
INSERT INTO clean_out SELECT id, amount * 1.1 FROM raw WHERE amount > 0;`,
    },
    {
      name: 'totals',
      sql: `${kafka('orders', 'orders-clean', 'b2:9092,b1:9092')}
CREATE TABLE totals (id BIGINT, total DOUBLE) WITH ('connector' = 'print');
INSERT INTO totals SELECT id, SUM(amount) FROM orders GROUP BY id;`,
    },
  ]);

  it('joins two jobs at the topic one writes and the other reads', () => {
    const topic = graph.nodes.find((n) => n.id === 'table:kafka://b1:9092,b2:9092/orders-clean');
    expect(topic).toMatchObject({
      kind: 'table',
      connector: 'kafka',
      names: [
        { job: 'clean', table: 'clean_out' },
        { job: 'totals', table: 'orders' },
      ],
    });
    const touching = graph.edges.filter((e) => e.to === topic!.id || e.from === topic!.id);
    expect(touching.map((e) => [e.from, e.kind, e.to])).toEqual([
      ['job:clean', 'writes', 'table:kafka://b1:9092,b2:9092/orders-clean'],
      ['table:kafka://b1:9092,b2:9092/orders-clean', 'reads', 'job:totals'],
    ]);
  });

  it('keeps tables that are not external data private to their job, with column lineage on writes', () => {
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'job:clean',
      'table:kafka://b1:9092/orders-raw',
      'table:kafka://b1:9092,b2:9092/orders-clean',
      'job:totals',
      'table:totals/totals',
    ]);
    const write = graph.edges.find((e) => e.to === 'table:totals/totals')!;
    expect(write.lines).toEqual([3]);
    expect(write.columns.find((c) => c.column === 'total')?.from).toEqual([
      { table: 'orders', column: 'amount' },
    ]);
  });

  describe('with workspace variables', () => {
    const writer = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE lake (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '\${base}/orders', 'format' = 'json');
INSERT INTO lake SELECT id FROM src;`;
    const reader = (
      path: string,
    ) => `CREATE TABLE orders (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'json');
CREATE TABLE out_t (id BIGINT) WITH ('connector' = 'print');
INSERT INTO out_t SELECT id FROM orders;`;
    const lake = (g: ReturnType<typeof buildLineageGraph>) =>
      g.nodes.filter((n) => n.kind === 'table' && n.connector === 'filesystem');

    it('joins a table written through ${base}/orders with one read through the resolved path', () => {
      for (const [base, path] of [
        ['file:///data/lake', 'file:///data/lake/orders'],
        ['file:///data/lake/', 'file:///data/lake/orders'], // the variable ends with a slash
        ['/data/lake', 'file:///data/lake/orders'], // Flink's default file system is the local one
        ['s3://bucket/lake', 's3://bucket/lake/orders/'],
      ] as const) {
        const g = buildLineageGraph(
          [
            { name: 'writer', sql: writer },
            { name: 'reader', sql: reader(path) },
          ],
          lineageValue(new Map([['base', base]]), new Set()),
        );
        expect(lake(g), `${base} / ${path}`).toHaveLength(1);
        expect(lake(g)[0]).toMatchObject({
          names: [
            { job: 'writer', table: 'lake', variables: { path: ['base'] } },
            { job: 'reader', table: 'orders' },
          ],
        });
        expect(g.edges.filter((e) => e.from === lake(g)[0]!.id || e.to === lake(g)[0]!.id)).toHaveLength(2);
      }
    });

    it('never puts a secret into an identity: tables meet by the reference, not by its value', () => {
      const resolve = lineageValue(new Map(), new Set(['base']));
      const g = buildLineageGraph(
        [
          { name: 'writer', sql: writer },
          { name: 'same-reference', sql: reader('${base}/orders') },
          { name: 'literal', sql: reader('s3://hidden/orders') },
        ],
        resolve,
      );
      expect(lake(g).map((n) => n.id)).toEqual([
        'table:filesystem:${base}/orders',
        'table:filesystem:s3://hidden/orders',
      ]);
      expect(lake(g)[0]).toMatchObject({ identity: { path: '${base}/orders' } });
    });
  });
});

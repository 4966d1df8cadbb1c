import { describe, expect, it } from 'vitest';
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
});

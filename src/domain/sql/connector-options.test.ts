import { describe, expect, it } from 'vitest';
import { findOptionChanges, mapJobOptions, OPTION_CHANGES, rewriteOptions } from './connector-options.ts';

const kafkaSink = [
  'CREATE TABLE orders_out (',
  '  id BIGINT,',
  '  amount DECIMAL(10, 2)',
  ') WITH (',
  "  'connector' = 'kafka',",
  "  'topic' = 'orders',",
  "  'properties.bootstrap.servers' = 'kafka:9092',",
  "  'sink.semantic' = 'exactly-once',",
  "  'sink.transactional-id-prefix' = 'orders',",
  "  'format' = 'json'",
  ');',
].join('\n');

describe('OPTION_CHANGES', () => {
  it('every entry is complete and consistent', () => {
    expect(OPTION_CHANGES.length).toBeGreaterThanOrEqual(15);
    for (const c of OPTION_CHANGES) {
      expect(c.since).toMatch(/^\d+\.\d+$/);
      expect(c.note.length).toBeGreaterThan(10);
      expect(c.source.length).toBeGreaterThan(10);
      expect(c.kind === 'removed').toBe(c.to === null);
      if (c.scope === 'config') expect(c.connector).toBeNull();
      if (c.scope === 'connector') expect(c.connector).not.toBeNull();
      if (c.values) expect(c.to).not.toBeNull();
    }
  });

  it('has no two entries for the same key, scope, connector and version', () => {
    const ids = OPTION_CHANGES.map((c) => `${c.scope}|${c.connector}|${c.from}|${c.since}`);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('findOptionChanges', () => {
  it('reports sink.semantic of a Kafka table with its position', () => {
    const f = findOptionChanges(kafkaSink, '1.13', '1.20');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      line: 8,
      column: 3,
      table: 'orders_out',
      key: 'sink.semantic',
      value: 'exactly-once',
      rewritable: true,
    });
    expect(f[0]!.change).toMatchObject({ to: 'sink.delivery-guarantee', since: '1.14', kind: 'deprecated' });
  });

  it('reports a SET of a key renamed in 2.0 when moving 1.20 -> 2.0', () => {
    const script = "SET 'sql-client.display.max-column-width' = '40';\nSELECT 1;";
    const f = findOptionChanges(script, '1.20', '2.0');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ line: 1, column: 5, table: null, value: '40', rewritable: true });
    expect(f[0]!.change).toMatchObject({
      to: 'table.display.max-column-width',
      since: '2.0',
      kind: 'renamed',
    });
    // Moving only to 1.20 it is a deprecation; across both versions the later change wins.
    expect(findOptionChanges(script, '1.19', '1.20')[0]!.change.kind).toBe('deprecated');
    expect(findOptionChanges(script, '1.19', '2.0')[0]!.change.since).toBe('2.0');
  });

  it('reports removed table options without a replacement as not rewritable', () => {
    const f = findOptionChanges("SET 'table.exec.topn-cache-size' = '1000';", '1.20', '2.0');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rewritable: false, change: { kind: 'removed', to: null } });
  });

  it('finds nothing when from == to or when no change lies in the range', () => {
    const script = `${kafkaSink}\nSET 'state.checkpoints.dir' = 's3://b/ck';\nSET 'sql-client.display.max-column-width' = '40';`;
    expect(findOptionChanges(script, '1.20', '1.20')).toEqual([]);
    expect(findOptionChanges(script, '1.14', '1.15')).toEqual([]); // sink.semantic changed in 1.14 itself
    expect(findOptionChanges(script, '2.0', '2.1')).toEqual([]);
    expect(findOptionChanges(script, '2.0', '1.13')).toEqual([]); // a downgrade
    // state.checkpoints.dir changed in 1.20, so it is not part of 1.20 -> 2.0.
    expect(findOptionChanges(script, '1.20', '2.0').map((f) => f.key)).toEqual([
      'sql-client.display.max-column-width',
    ]);
    expect(findOptionChanges(script, '1.19', '1.20').map((f) => f.key)).toEqual([
      'state.checkpoints.dir',
      'sql-client.display.max-column-width',
    ]);
  });

  it('accepts patch versions and rejects things that are not versions', () => {
    expect(findOptionChanges(kafkaSink, '1.13.6', '1.20.1')).toHaveLength(1);
    expect(() => findOptionChanges(kafkaSink, 'latest', '2.0')).toThrow(RangeError);
  });

  it('reads quoted keys with odd spacing, comments and doubled quotes', () => {
    const script = [
      'create temporary table if not exists `cat`.`db`.`odd` (x INT)',
      "with('connector'='kafka' ,   'sink.semantic'",
      "     /* the old key */ =   'AT_LEAST_ONCE',",
      "'properties.sasl.jaas.config' = 'user=''a'';'",
      ')',
    ].join('\n');
    const f = findOptionChanges(script, '1.13', '2.0');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      line: 2,
      column: 30,
      table: 'cat.db.odd',
      value: 'AT_LEAST_ONCE',
      rewritable: true,
    });
    expect(rewriteOptions(script, '1.13', '2.0').sql).toBe(
      script
        .replace("'sink.semantic'", "'sink.delivery-guarantee'")
        .replace("'AT_LEAST_ONCE'", "'at-least-once'"),
    );
  });

  it('matches options only for their connector', () => {
    const script =
      "CREATE TABLE u (id INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'sink.semantic' = 'none');\n" +
      "CREATE TABLE d (id INT) WITH ('connector' = 'datagen', 'lookup.cache.max-rows' = '10');";
    expect(findOptionChanges(script, '1.13', '2.0')).toEqual([]);
  });

  it('reports JDBC lookup cache options but never rewrites them alone', () => {
    const script =
      "CREATE TABLE dim (id INT) WITH ('connector' = 'jdbc', 'url' = 'jdbc:postgresql://db/x', 'table-name' = 'dim', 'lookup.cache.max-rows' = '1000', 'lookup.cache.ttl' = '10min');";
    const r = rewriteOptions(script, '1.15', '1.20');
    expect(r.remaining.map((f) => f.change.to)).toEqual([
      'lookup.partial-cache.max-rows',
      'lookup.partial-cache.expire-after-write',
    ]);
    expect(r.applied).toEqual([]);
    expect(r.sql).toBe(script);
  });

  it('does not rewrite when the value cannot be mapped or the new key is already there', () => {
    const script =
      "CREATE TABLE a (x INT) WITH ('connector' = 'kafka', 'sink.semantic' = 'twice');\n" +
      "CREATE TABLE b (x INT) WITH ('connector' = 'kafka', 'sink.semantic' = 'none', 'sink.delivery-guarantee' = 'none');";
    const r = rewriteOptions(script, '1.13', '1.20');
    expect(r.remaining.map((f) => [f.table, f.rewritable])).toEqual([
      ['a', false],
      ['b', false],
    ]);
    expect(r.sql).toBe(script);
  });

  it('treats a SET of the new key elsewhere in the script as a conflict', () => {
    const script =
      "SET 'execution.checkpointing.dir' = 's3://new';\nSET 'state.checkpoints.dir' = 's3://old';";
    const r = rewriteOptions(script, '1.19', '1.20');
    expect(r.applied).toEqual([]);
    expect(r.remaining).toHaveLength(1);
    expect(r.sql).toBe(script);
  });
});

describe('findOptionChanges over the one CREATE TABLE reader', () => {
  it('reads backticked catalog.db.table names, TEMPORARY, IF NOT EXISTS, LIKE and every literal option', () => {
    const script = `CREATE TEMPORARY TABLE IF NOT EXISTS \`my cat\`.db.\`out\` (a INT) WITH (
  'connector' = 'kafka', -- the sink
  'x' = 'it''s', nope = 'y', /* Flink refuses the unquoted key; the rest is still read */
  'sink.semantic' = 'exactly-once'
) LIKE src (EXCLUDING ALL);`;
    const f = findOptionChanges(script, '1.13', '1.20');
    expect(f.map((x) => [x.table, x.key, x.line, x.column])).toEqual([
      ['my cat.db.out', 'sink.semantic', 4, 3],
    ]);
    expect(rewriteOptions(script, '1.13', '1.20').sql).toContain(
      "'sink.delivery-guarantee' = 'exactly-once'",
    );
  });
});

describe('rewriteOptions', () => {
  it('rewrites sink.semantic of a Kafka table', () => {
    const r = rewriteOptions(kafkaSink, '1.13', '1.20');
    expect(r.sql).toBe(kafkaSink.replace("'sink.semantic'", "'sink.delivery-guarantee'"));
    expect(r.applied.map((f) => f.key)).toEqual(['sink.semantic']);
    expect(r.remaining).toEqual([]);
  });

  it('rewrites a renamed SET key for 1.20 -> 2.0', () => {
    const r = rewriteOptions("SET 'sql-client.display.max-column-width' = '40';", '1.20', '2.0');
    expect(r.sql).toBe("SET 'table.display.max-column-width' = '40';");
  });

  it('keeps comments, formatting and untouched statements byte for byte', () => {
    const script = [
      '-- pipeline v3',
      "SET 'state.savepoints.dir'   =   's3://bucket/sp';  -- keep this comment",
      "SET 'pipeline.name' = 'orders';",
      '',
      '/* the sink; note the semicolon */',
      'CREATE TABLE out_t (',
      "  x INT COMMENT 'a ''sink.semantic'' = ''none'' in a comment string'",
      ") WITH ('connector'='kafka',",
      "\t'sink.semantic' = 'none', -- 'sink.semantic' = 'none' in a comment",
      "  'topic' = 't'",
      ');',
      '',
      "INSERT INTO out_t SELECT 1 /* 'sink.semantic' */;",
      '',
    ].join('\r\n');
    const r = rewriteOptions(script, '1.13', '1.20');
    const expected = script
      .replace("'state.savepoints.dir'", "'execution.checkpointing.savepoint-dir'")
      .replace("\t'sink.semantic' = 'none',", "\t'sink.delivery-guarantee' = 'none',");
    expect(r.sql).toBe(expected);
    expect(r.applied.map((f) => [f.line, f.column, f.key])).toEqual([
      [2, 5, 'state.savepoints.dir'],
      [9, 2, 'sink.semantic'],
    ]);
  });

  it('migrates a legacy Kafka descriptor table to the new options and reports what is left', () => {
    const script = `CREATE TABLE legacy (id BIGINT) WITH (
  'connector.type' = 'kafka',
  'connector.version' = 'universal',
  'connector.topic' = 'events',
  'connector.properties.bootstrap.servers' = 'kafka:9092',
  'connector.startup-mode' = 'earliest-offset',
  'format.type' = 'json',
  'format.fail-on-missing-field' = 'false',
  'update-mode' = 'append'
);`;
    const r = rewriteOptions(script, '1.13', '1.14');
    expect(r.sql).toBe(`CREATE TABLE legacy (id BIGINT) WITH (
  'connector' = 'kafka',
  'connector.version' = 'universal',
  'topic' = 'events',
  'properties.bootstrap.servers' = 'kafka:9092',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.fail-on-missing-field' = 'false',
  'update-mode' = 'append'
);`);
    expect(r.remaining.map((f) => f.key)).toEqual(['connector.version', 'update-mode']);
  });

  it('leaves the legacy Elasticsearch connector type for the user but maps its other options', () => {
    const script =
      "CREATE TABLE es (id INT) WITH ('connector.type' = 'elasticsearch', 'connector.hosts' = 'http://es:9200', 'connector.bulk-flush.backoff.type' = 'exponential');";
    const r = rewriteOptions(script, '1.12', '1.14');
    expect(r.sql).toBe(
      "CREATE TABLE es (id INT) WITH ('connector.type' = 'elasticsearch', 'hosts' = 'http://es:9200', 'sink.bulk-flush.backoff.strategy' = 'EXPONENTIAL');",
    );
    expect(r.remaining.map((f) => f.key)).toEqual(['connector.type']);
  });

  it('returns the script unchanged when nothing applies', () => {
    expect(rewriteOptions(kafkaSink, '1.20', '2.0')).toEqual({ sql: kafkaSink, applied: [], remaining: [] });
  });
});

describe('mapJobOptions', () => {
  it('renames deprecated keys in place and reports removed ones', () => {
    const input = {
      'state.checkpoints.dir': 's3://b/ck',
      'parallelism.default': '2',
      'table.exec.shuffle-mode': 'ALL_EDGES_BLOCKING',
      'restart-strategy': 'fixed-delay',
    };
    const r = mapJobOptions(input, '1.15', '2.0');
    expect(r.options).toEqual({
      'execution.checkpointing.dir': 's3://b/ck',
      'parallelism.default': '2',
      'table.exec.shuffle-mode': 'ALL_EDGES_BLOCKING',
      'restart-strategy.type': 'fixed-delay',
    });
    expect(Object.keys(r.options)).toEqual([
      'execution.checkpointing.dir',
      'parallelism.default',
      'table.exec.shuffle-mode',
      'restart-strategy.type',
    ]);
    expect(r.applied.map((c) => c.from)).toEqual(['state.checkpoints.dir', 'restart-strategy']);
    expect(r.remaining.map((c) => c.from)).toEqual(['table.exec.shuffle-mode']);
    expect(input['state.checkpoints.dir']).toBe('s3://b/ck'); // the input is not modified
  });

  it('keeps the old key when the new one is set too', () => {
    const r = mapJobOptions(
      { 'state.savepoints.dir': 's3://old', 'execution.checkpointing.savepoint-dir': 's3://new' },
      '1.19',
      '1.20',
    );
    expect(r.options).toEqual({
      'state.savepoints.dir': 's3://old',
      'execution.checkpointing.savepoint-dir': 's3://new',
    });
    expect(r.applied).toEqual([]);
    expect(r.remaining.map((c) => c.to)).toEqual(['execution.checkpointing.savepoint-dir']);
  });

  it('ignores connector options and changes outside the version range', () => {
    const r = mapJobOptions({ 'sink.semantic': 'none', 'state.checkpoints.dir': 'x' }, '1.20', '2.1');
    expect(r).toEqual({
      options: { 'sink.semantic': 'none', 'state.checkpoints.dir': 'x' },
      applied: [],
      remaining: [],
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  flinkType,
  inferTable,
  InferenceError,
  mergeTypes,
  splitCsvLine,
  tableNameFor,
  typeOfCsvField,
  typeOfJson,
} from './table-inference.ts';

const source = { topic: 'orders', bootstrapServers: '127.0.0.1:9092' };

describe('types from values', () => {
  it('reads JSON scalars, ISO instants, nested objects and arrays', () => {
    const t = typeOfJson({
      id: 7,
      price: 1.5,
      paid: true,
      note: 'x',
      at: '2026-12-03T15:00:00.123Z',
      local: '2026-12-03T15:00:00',
      customer: { name: 'Ann', tags: ['a', 'b'] },
      lines: [{ sku: 'k', qty: 1 }],
    });
    expect(flinkType(t)).toBe(
      'ROW<`id` BIGINT, `price` DOUBLE, `paid` BOOLEAN, `note` STRING, `at` TIMESTAMP_LTZ(3), `local` STRING, `customer` ROW<`name` STRING, `tags` ARRAY<STRING>>, `lines` ARRAY<ROW<`sku` STRING, `qty` BIGINT>>>',
    );
  });

  it('widens: BIGINT and DOUBLE to DOUBLE, a null takes the other side, anything else to STRING', () => {
    expect(flinkType(mergeTypes(typeOfJson(1), typeOfJson(2.5)))).toBe('DOUBLE');
    expect(flinkType(mergeTypes(typeOfJson(null), typeOfJson(true)))).toBe('BOOLEAN');
    expect(flinkType(mergeTypes(typeOfJson(1), typeOfJson('1')))).toBe('STRING');
    expect(flinkType(mergeTypes(typeOfJson('2026-01-01T00:00:00Z'), typeOfJson('soon')))).toBe('STRING');
    expect(flinkType(typeOfJson([]))).toBe('ARRAY<STRING>');
    expect(flinkType(mergeTypes(typeOfJson({ a: 1 }), typeOfJson({ b: 'x', a: 2.5 })))).toBe(
      'ROW<`a` DOUBLE, `b` STRING>',
    );
  });

  it('reads CSV fields', () => {
    expect(
      ['42', '-3.5', 'TRUE', '2026-12-03 10:00:00+01:00', 'abc', ''].map((f) => flinkType(typeOfCsvField(f))),
    ).toEqual(['BIGINT', 'DOUBLE', 'BOOLEAN', 'TIMESTAMP_LTZ(3)', 'STRING', 'STRING']);
    expect(splitCsvLine('1,"a, ""b""",,x')).toEqual(['1', 'a, "b"', '', 'x']);
  });

  it('names a table after its topic', () => {
    expect(tableNameFor('shop.orders-v2')).toBe('shop_orders_v2');
    expect(tableNameFor('2026-events')).toBe('t_2026_events');
  });
});

describe('the CREATE TABLE of a topic', () => {
  it('from JSON values: every field seen, the record timestamp, the connector, topic, brokers and format', () => {
    const r = inferTable(
      ['{"id":1,"amount":9.5,"at":"2026-12-03T15:00:00Z"}', '{"id":2,"amount":3,"coupon":null}', null, ''],
      source,
    );
    expect(r.format).toBe('json');
    expect(r.sampled).toBe(2);
    expect(r.ddl).toBe(`CREATE TABLE \`orders\` (
  \`id\` BIGINT,
  \`amount\` DOUBLE,
  \`at\` TIMESTAMP_LTZ(3),
  \`coupon\` STRING,
  \`kafka_timestamp\` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'properties.group.id' = 'sluice-orders',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true',
  'json.timestamp-format.standard' = 'ISO-8601'
);`);
  });

  it('from CSV lines when the values are not all JSON objects; positional columns f0, f1...', () => {
    const r = inferTable(['1,apple,0.5', '2,"pear, green",1,true'], {
      ...source,
      properties: { 'security.protocol': 'SASL_SSL' },
    });
    expect(r.format).toBe('csv');
    expect(r.columns.map((c) => `${c.name} ${flinkType(c.type)}`)).toEqual([
      'f0 BIGINT',
      'f1 STRING',
      'f2 DOUBLE',
      'f3 BOOLEAN',
    ]);
    expect(r.ddl).toContain("'format' = 'csv'");
    expect(r.ddl).toContain("'properties.security.protocol' = 'SASL_SSL'");
  });

  it('quotes names and literals; a field named kafka_timestamp keeps the name', () => {
    const r = inferTable(['{"it`s":1,"kafka_timestamp":2}'], { ...source, topic: "o'neil" });
    expect(r.ddl).toContain('`it``s` BIGINT');
    expect(r.ddl).toContain("'topic' = 'o''neil'");
    expect(r.ddl).not.toContain('METADATA');
  });

  it('refuses a sample with no value, and JSON objects without fields, saying what to do', () => {
    expect(() => inferTable([null, '  '], source)).toThrow(InferenceError);
    expect(() => inferTable([null], source)).toThrow(/no sampled message with a value.*produce messages/);
    expect(() => inferTable(['{}'], source)).toThrow(/empty JSON objects/);
  });
});

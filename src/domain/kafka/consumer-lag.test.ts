import { describe, expect, it } from 'vitest';
import { connectionFor, kafkaSourceTables, partitionLags } from './consumer-lag.ts';

const SQL = `
CREATE TABLE views (u STRING) WITH (
  'connector' = 'kafka', 'topic' = 'page-views', 'properties.bootstrap.servers' = 'localhost:9092, b2:9092',
  'properties.group.id' = '\${group}', 'scan.startup.mode' = 'group-offsets', 'format' = 'json');
CREATE TABLE clicks (u STRING) WITH (
  'connector' = 'kafka', 'topic-pattern' = 'clicks-.*', 'properties.bootstrap.servers' = 'b1:9092', 'format' = 'json');
CREATE TABLE unused (u STRING) WITH ('connector' = 'kafka', 'topic' = 'x', 'properties.bootstrap.servers' = 'b1:9092', 'format' = 'json');
CREATE TABLE out_topic (u STRING) WITH ('connector' = 'kafka', 'topic' = 'out', 'properties.bootstrap.servers' = 'b1:9092', 'format' = 'json');
CREATE TABLE gen (u STRING) WITH ('connector' = 'datagen');
INSERT INTO out_topic SELECT u FROM views UNION ALL SELECT u FROM clicks UNION ALL SELECT u FROM gen;`;

describe("a job's Kafka sources", () => {
  it('are the Kafka tables its queries read, with topic, brokers, group and startup mode resolved', () => {
    const resolve = (v: string) => ({ text: v.replace('${group}', 'g-1'), variables: [] });
    expect(kafkaSourceTables(SQL, resolve)).toEqual([
      {
        table: 'views',
        connector: 'kafka',
        topics: ['page-views'],
        topicPattern: null,
        bootstrapServers: ['localhost:9092', 'b2:9092'],
        groupId: 'g-1',
        startupMode: 'group-offsets',
      },
      {
        table: 'clicks',
        connector: 'kafka',
        topics: [],
        topicPattern: 'clicks-.*',
        bootstrapServers: ['b1:9092'],
        groupId: null,
        startupMode: null,
      },
    ]);
  });

  it('are none when the job reads no Kafka table (a Kafka sink is not a source)', () => {
    expect(
      kafkaSourceTables(`CREATE TABLE g (u STRING) WITH ('connector' = 'datagen');
CREATE TABLE k (u STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'b:1', 'format' = 'json');
INSERT INTO k SELECT u FROM g;`),
    ).toEqual([]);
  });
});

describe('the connection of a Kafka table', () => {
  const connections = [
    { name: 'local', bootstrapServers: ['127.0.0.1:9092'] },
    { name: 'prod', bootstrapServers: ['b1:9092', 'b2:9092'] },
  ];
  it('is the one sharing the most broker addresses; localhost and 127.0.0.1 are one machine', () => {
    expect(connectionFor(['localhost:9092'], connections)?.name).toBe('local');
    expect(connectionFor(['B2:9092', 'b1:9092'], connections)?.name).toBe('prod');
    expect(connectionFor(['localhost:9093'], connections)).toBeNull();
  });
});

describe('partition lags by the broker', () => {
  it("are each partition's end minus the group's committed offset, summed", () => {
    expect(
      partitionLags(
        't',
        [
          { partition: 1, offset: 5 },
          { partition: 0, offset: 20 },
          { partition: 2, offset: -1 },
          { partition: 3, offset: -1 },
        ],
        [
          { partition: 0, low: 0, high: 25 },
          { partition: 1, low: 0, high: 5 },
          { partition: 2, low: 0, high: 7 },
          { partition: 3, low: 4, high: 4 },
        ],
      ),
    ).toEqual({
      partitions: [
        { topic: 't', partition: 0, committed: 20, end: 25, lag: 5 },
        { topic: 't', partition: 1, committed: 5, end: 5, lag: 0 },
        // Nothing committed yet: no lag to say; an empty partition has nothing to read.
        { topic: 't', partition: 2, committed: null, end: 7, lag: null },
        { topic: 't', partition: 3, committed: null, end: 4, lag: 0 },
      ],
      total: 5,
    });
  });

  it('total nothing when no partition has a known lag', () => {
    expect(partitionLags('t', [], [{ partition: 0, low: 0, high: 3 }]).total).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import { KafkaLagService } from './kafka-lag.ts';
import type { KafkaService } from './kafka-service.ts';
import type { PrometheusQuery } from './ports/prometheus.ts';

const ID = '0123456789abcdef0123456789abcdef';
const SQL = `CREATE TABLE views (u STRING) WITH ('connector' = 'kafka', 'topic' = 'page-views',
  'properties.bootstrap.servers' = 'localhost:\${port}', 'properties.group.id' = 'g', 'format' = 'json');
CREATE TABLE other (u STRING) WITH ('connector' = 'kafka', 'topic' = 'o',
  'properties.bootstrap.servers' = 'elsewhere:9092', 'properties.group.id' = 'g', 'format' = 'json');
CREATE TABLE snk (u STRING) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT u FROM views UNION ALL SELECT u FROM other;`;

/** The service over a job store, variables, a Kafka service and a Prometheus as given. */
function service(opts: {
  sql?: string;
  kind?: 'sql' | 'jar';
  groupLag?: KafkaService['groupLag'];
  prometheus?: string | null;
  instant?: PrometheusQuery['instant'];
  connections?: { name: string; bootstrapServers: string[] }[];
  topicNames?: KafkaService['topicNames'];
  ends?: KafkaService['partitionOffsets'];
}) {
  const job = { name: 'j', kind: opts.kind ?? 'sql', sql: opts.sql ?? SQL, flinkJobId: ID };
  const asked: string[] = [];
  const lag = new KafkaLagService(
    { jobs: { getByName: async (n: string) => (n === 'j' ? job : undefined) } } as never,
    {
      forLineage: async () => ({
        script: (s: string) => s,
        value: (v: string) => ({ text: v.replace('${port}', '9092'), variables: [] }),
      }),
    },
    {
      connections: async () =>
        (opts.connections ?? [{ name: 'local', bootstrapServers: ['127.0.0.1:9092'] }]) as never,
      topicNames: opts.topicNames ?? (async () => ['page-views']),
      partitionOffsets:
        opts.ends ??
        (async (_c, topics) => ({
          ends: topics.flatMap((topic) => [0, 1].map((partition) => ({ topic, partition, end: 100 }))),
          committed: [],
        })),
      groupLag:
        opts.groupLag ??
        (async (_c, _g, topic) => ({
          partitions: [{ topic, partition: 0, committed: 3, end: 10, lag: 7 }],
          total: 7,
        })),
      topicsMatching: async (_c, pattern) => ['a-1'].filter((n) => new RegExp(`^(?:${pattern})$`).test(n)),
    },
    {
      instant: async (q) => (asked.push(q), opts.instant ? opts.instant(q) : []),
      range: async () => [],
    },
    {
      url: () => (opts.prometheus === undefined ? 'http://prom:9090' : opts.prometheus),
      status: async () => ({
        mode: 'off',
        url: null,
        ready: false,
        retention: null,
        problem: message('prometheus.off'),
        restarts: { count: 0, recent: [] },
      }),
    },
  );
  return { lag, asked };
}

describe("a job's Kafka consumer lag", () => {
  it("reads each Kafka source's group lag through the connection its brokers are, and Flink's metrics", async () => {
    const { lag, asked } = service({
      instant: async () => [
        {
          labels: {
            __name__: 'flink_taskmanager_job_task_operator_pendingRecords',
            operator_name: 'Source:_views',
            subtask_index: '0',
          },
          time: 1,
          value: 12,
        },
        {
          labels: {
            __name__: 'flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max',
            operator_name: 'Source:_views',
            subtask_index: '0',
          },
          time: 1,
          value: NaN,
        },
      ],
    });
    const view = await lag.read('j');
    expect(view.sources.map((s) => [s.table, s.connection, s.groupId, s.total, s.problem])).toEqual([
      ['views', 'local', 'g', 7, null],
      [
        'other',
        null,
        'g',
        null,
        expect.stringContaining("'sluice kafka connection add NAME --bootstrap-servers elsewhere:9092'"),
      ],
    ]);
    expect(view.sources[0]!.partitions).toEqual([
      { topic: 'page-views', partition: 0, committed: 3, end: 10, lag: 7 },
    ]);
    // Kafka's records-lag-max is NaN between fetches: left out.
    expect(view.flink.series).toEqual([
      { metric: 'pendingRecords', operator: 'Source:_views', subtask: '0', value: 12 },
    ]);
    expect(view.flink.max).toBe(12);
    expect(asked[0]).toContain(`job_id=~"${ID}"`);
  });

  it('refuses a SQL job that reads no Kafka table and no job, naming each', async () => {
    const none = service({ sql: "CREATE TABLE g (u STRING) WITH ('connector' = 'datagen');" });
    await expect(none.lag.read('j')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('reads no Kafka table'),
    });
    await expect(service({}).lag.read('nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  /** Flink's per-partition position series of the run, as Prometheus answers the max by partition. */
  const positions =
    (rows: [string, number, number, number][]): PrometheusQuery['instant'] =>
    async (q) =>
      q.includes('KafkaSourceReader_topic_partition')
        ? rows.flatMap(([topic, partition, current, committed]) => [
            {
              labels: {
                __name__:
                  'flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_currentOffset',
                topic,
                partition: String(partition),
              },
              time: 1,
              value: current,
            },
            {
              labels: {
                __name__:
                  'flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_committedOffset',
                topic,
                partition: String(partition),
              },
              time: 1,
              value: committed,
            },
          ])
        : [];

  it("puts Flink's position per partition against the broker's end, on the topic's own connection", async () => {
    const asked: string[][] = [];
    const { lag } = service({
      // Partition 0 read up to offset 89 (next 90), committed 80; partition 1 not read yet (-1).
      instant: positions([
        ['page_views', 0, 89, 80],
        ['page_views', 1, -1, -1],
      ]),
      ends: async (c, topics) => (
        asked.push([c, ...topics]),
        { ends: [0, 1].map((partition) => ({ topic: 'page-views', partition, end: 100 })), committed: [] }
      ),
    });
    const view = await lag.read('j');
    expect(view.kind).toBe('sql');
    expect(view.note).toBeNull();
    expect(view.flink.partitions).toEqual([
      {
        topic: 'page-views',
        partition: 0,
        connection: 'local',
        position: 90,
        committed: 80,
        end: 100,
        lag: 10,
      },
      {
        topic: 'page-views',
        partition: 1,
        connection: 'local',
        position: null,
        committed: null,
        end: 100,
        lag: null,
      },
    ]);
    // Table other's brokers are no connection: said, its topic's ends not asked.
    expect(asked).toEqual([['local', 'page-views']]);
    expect(view.flink.partitionsProblem).toBeNull();
  });

  it('answers for a JAR job: its topics as Flink reports them, each on the one connection holding it', async () => {
    const jar = service({
      kind: 'jar',
      instant: positions([
        ['page_views', 0, 9, 10],
        ['orders', 0, 4, 5],
      ]),
      connections: [
        { name: 'local', bootstrapServers: ['127.0.0.1:9092'] },
        { name: 'prod', bootstrapServers: ['b1:9092'] },
      ],
      topicNames: async (c) => (c === 'local' ? ['page-views', 'orders'] : ['orders']),
    });
    const view = await jar.lag.read('j');
    expect(view).toMatchObject({ kind: 'jar', sources: [] });
    expect(view.note).toMatch(/is a JAR job: .*not their group/);
    expect(view.flink.partitions.map((p) => [p.topic, p.connection, p.end, p.lag])).toEqual([
      ['orders', null, null, null],
      ['page-views', 'local', 100, 90],
    ]);
    expect(view.flink.partitionsProblem).toMatch(
      /topic orders \(as Flink labels it\) is on more than one Kafka connection \(local:orders, prod:orders\)/,
    );

    // A connection that does not answer is said; a topic no connection holds, too.
    const silent = service({
      kind: 'jar',
      instant: positions([['page_views', 0, 9, 10]]),
      connections: [{ name: 'prod', bootstrapServers: ['b1:9092'] }],
      topicNames: async () => {
        throw new SluiceError('engine_unavailable', "Kafka connection 'prod' (b1:9092) did not answer");
      },
    });
    const quiet = await silent.lag.read('j');
    expect(quiet.flink.partitions[0]).toMatchObject({ topic: 'page_views', connection: null, lag: null });
    expect(quiet.flink.partitionsProblem).toMatch(/Kafka connection prod was not asked for its topics/);
    expect(quiet.flink.partitionsProblem).toMatch(/topic page_views .* is on no registered Kafka connection/);

    // Before its source reported a partition: said.
    const early = await service({ kind: 'jar' }).lag.read('j');
    expect(early.flink.partitionsProblem).toMatch(/reports no Kafka partition/);
  });

  it("fails with the broker's own error when it does not answer, and says a missing topic per table", async () => {
    const down = service({
      groupLag: async () => {
        throw new SluiceError(
          'engine_unavailable',
          "Kafka connection 'local' (127.0.0.1:9092) did not answer",
        );
      },
    });
    await expect(down.lag.read('j')).rejects.toMatchObject({ code: 'engine_unavailable' });
    const missing = service({
      groupLag: async () => {
        throw new SluiceError('not_found', "topic 'page-views' does not exist on Kafka connection 'local'");
      },
    });
    expect((await missing.lag.read('j')).sources[0]!.problem).toMatch(/topic 'page-views' does not exist/);
  });

  it('says a topic-pattern JavaScript cannot read for its table, and goes on', async () => {
    const sql = `CREATE TABLE p (u STRING) WITH ('connector' = 'kafka', 'topic-pattern' = 'a(',
  'properties.bootstrap.servers' = '127.0.0.1:9092', 'properties.group.id' = 'g', 'format' = 'json');
CREATE TABLE snk (u STRING) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT u FROM p;`;
    const { lag } = service({ sql });
    const [source] = (await lag.read('j')).sources;
    expect(source!.problem).toMatch(/^table p's topic-pattern 'a\(' cannot be matched here/);
  });

  it('says why Flink’s side is missing without a Prometheus, and asks none', async () => {
    const { lag, asked } = service({ prometheus: null });
    const view = await lag.read('j');
    expect(view.flink.problem).toMatch(/Prometheus/);
    expect(view.flink.series).toEqual([]);
    expect(asked).toEqual([]);
  });
});

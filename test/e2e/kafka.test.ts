import fs from 'node:fs';
import path from 'node:path';
import { withKafka } from '../support/kafka.ts';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/application/config.ts';
import { processArgs } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { killAndWait } from '../../src/adapters/flink/local-cluster/local-processes.ts';
import { createClient } from '../../src/client/index.ts';
import type { JobKafkaLagView } from '../../src/contract/kafka.ts';
import type { JobMetricsView } from '../../src/contract/prometheus.ts';
import { parsePrometheusSettings } from '../../src/domain/metrics/prometheus-settings.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { freePorts } from '../support/ports.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';
import { TEST_BUILDS_DIR } from '../support/test-jars.ts';
import {
  ensureSqlRunnerJar,
  SQL_RUNNER_MAIN_CLASS,
} from '../../src/adapters/flink/sql-runner/sql-runner-build.ts';
import { SQL_RUNNER_FORMAT } from '../../src/adapters/flink/sql-runner/sql-runner-script.ts';

/**
 * The local Kafka broker through the real CLI: Kafka fetched from Maven (cached under
 * ~/.cache/sluice/kafka), formatted for KRaft and run as a supervised JVM; topics produced to with
 * kafkajs, listed and sampled, a CREATE TABLE inferred and checked by `sluice sql validate`, connections
 * with a sealed SASL password; the worked example `local-kafka-pipeline` running on the run's shared
 * session cluster (real Flink 1.20 and its flink-connector-kafka) against the broker, its consumer lag
 * read back from the broker and from Flink's metrics (the embedded Prometheus); and a stop that leaves
 * no process.
 */
const PIPELINE = 'page-errors';
/** A JAR job (Sluice's SQL runner jar handed a script) reading page-views: its sources are in its program. */
const JAR_JOB = 'page-views-jar';

/** A line's last value that is a number (the range ends now: its newest points may be gaps). */
const lastValue = (l: { points: (number | null)[][] }) =>
  [...l.points].reverse().find((p) => typeof p[1] === 'number')?.[1] ?? null;

describe('Kafka: the local broker, connections and the topic browser', { timeout: 600_000 }, () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  let port: number;
  let brokerPid: number | null = null;

  beforeAll(async () => {
    const [p, controllerPort] = await freePorts(2);
    port = p!;
    ({ t, url, close } = await servedPlatform({
      sharedLocalCluster: true,
      config: {
        trackerIntervalMs: 500,
        // The running jobs' partitions' end offsets sampled for /metrics every 2 s (30 s by default).
        kafka: {
          ...loadConfig({}).kafka,
          port,
          controllerPort: controllerPort!,
          offsetSampleIntervalMs: 2000,
        },
        prometheus: parsePrometheusSettings({
          SLUICE_PROMETHEUS_PORT: '0',
          SLUICE_PROMETHEUS_SCRAPE_INTERVAL: '2s',
        }),
      },
    }));
  });
  afterAll(async () => {
    // The shared cluster stays for other files: the job must not.
    if (url) await runSluice(url, ['job', 'cancel', PIPELINE]);
    if (url) await runSluice(url, ['job', 'cancel', JAR_JOB]);
    // Closing the platform stops the broker; a pid still alive after that is killed, and fails below.
    await close?.();
    if (brokerPid && processArgs(brokerPid)) await killAndWait(brokerPid);
  });

  const sluice = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = await runSluice(url, args, env);
    if (r.code !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  it('starts the broker, registered as connection local', { timeout: 600_000 }, async () => {
    const out = await sluice(['kafka', 'start']);
    expect(out).toMatch(
      new RegExp(`^local Kafka broker running at 127\\.0\\.0\\.1:${port} \\(Kafka 4\\.1\\.1, pid \\d+\\)`),
    );
    const status = JSON.parse(await sluice(['kafka', 'status', '--json'])) as { pid: number; state: string };
    expect(status.state).toBe('running');
    brokerPid = status.pid;
    expect(processArgs(brokerPid)).toContain('kafka.Kafka');
    expect(fs.existsSync(path.join(t.home, 'kafka', 'local', 'data', 'meta.properties'))).toBe(true);
    expect(await sluice(['kafka', 'connection', 'list'])).toMatch(
      new RegExp(`^local\\s+127\\.0\\.0\\.1:${port}\\s+PLAINTEXT`, 'm'),
    );
  });

  it('lists topics with offsets, samples the latest messages and infers a CREATE TABLE that validates', async () => {
    await withKafka(port, async ({ admin, producer }) => {
      await admin.createTopics({
        topics: [{ topic: 'shop.orders', numPartitions: 2 }, { topic: 'readings' }],
        waitForLeaders: true,
      });
      await producer.send({
        topic: 'shop.orders',
        messages: Array.from({ length: 6 }, (_, i) => ({
          key: `order-${i}`,
          value: JSON.stringify({
            id: i,
            amount: i + 0.5,
            paid: i % 2 === 0,
            at: new Date(Date.UTC(2026, 11, 3, 12, i)).toISOString(),
            customer: { name: `c${i}`, tags: ['new'] },
          }),
        })),
      });
      await producer.send({
        topic: 'readings',
        messages: [{ value: 'sensor-1,21,0.5' }, { value: 'sensor-2,22,1.25' }],
      });
    });

    const listing = await sluice(['kafka', 'topics']);
    expect(listing).toMatch(/^TOPIC\s+PARTITION\s+LEADER\s+LOW\s+HIGH\s+MESSAGES$/m);
    expect(listing).toMatch(/^readings\s+0\s+1\s+0\s+2\s+2$/m);
    const topics = JSON.parse(await sluice(['kafka', 'topics', '--json'])) as {
      name: string;
      partitions: { low: number; high: number }[];
      messages: number;
    }[];
    const orders = topics.find((x) => x.name === 'shop.orders')!;
    expect(orders.partitions).toHaveLength(2);
    // Offsets, not sends: a produce request kafkajs retried (a leader just elected) adds its copies too.
    expect(orders.messages).toBeGreaterThanOrEqual(6);
    expect(orders.messages).toBe(orders.partitions.reduce((n, p) => n + p.high - p.low, 0));
    expect(topics.map((x) => x.name)).not.toContain('__consumer_offsets');

    const sample = JSON.parse(await sluice(['kafka', 'sample', 'shop.orders', '--limit', '4', '--json'])) as {
      messages: { key: string; value: string; partition: number; offset: number; timestamp: string }[];
      table: { format: string; ddl: string };
    };
    expect(sample.messages).toHaveLength(4);
    for (const m of sample.messages) {
      expect(m.key).toMatch(/^order-\d$/);
      expect((JSON.parse(m.value) as { id: number }).id).toBe(Number(m.key.slice(6)));
    }
    // Newest first: the four latest of six.
    const ids = sample.messages.map((m) => (JSON.parse(m.value) as { id: number }).id).sort();
    expect(ids.length).toBe(4);
    expect(sample.table.format).toBe('json');
    expect(sample.table.ddl).toContain('`customer` ROW<`name` STRING, `tags` ARRAY<STRING>>');
    expect(sample.table.ddl).toContain('`at` TIMESTAMP_LTZ(3)');
    expect(sample.table.ddl).toContain(`'properties.bootstrap.servers' = '127.0.0.1:${port}'`);

    const readable = await sluice(['kafka', 'sample', 'readings']);
    expect(readable).toMatch(/^PARTITION\s+OFFSET\s+TIME\s+KEY\s+VALUE$/m);
    expect(readable).toContain("'format' = 'csv'");
    expect(readable).toContain('`f1` BIGINT');

    // The inferred DDL is valid Flink SQL by Sluice's own check; the same check refuses it spoiled.
    const ddl = await sluice(['kafka', 'sample', 'shop.orders', '--ddl']);
    const ddlFile = path.join(t.home, 'orders.sql');
    fs.writeFileSync(ddlFile, ddl);
    const validation = await runSluice(url, ['sql', 'validate', ddlFile]);
    expect(validation.stdout).toMatch(/orders\.sql: 1 statements, no errors/);
    expect(validation.code).toBe(0);
    fs.writeFileSync(ddlFile, ddl.replace("METADATA FROM 'timestamp'", 'METADATA FROM'));
    expect((await runSluice(url, ['sql', 'validate', ddlFile])).code).not.toBe(0);
  });

  it('registers a SASL connection with its password sealed; bad settings are refused naming the field', async () => {
    const password = 'kafka-Secret-pass-42';
    const added = await runSluice(
      url,
      [
        'kafka',
        'connection',
        'add',
        'prod',
        '--bootstrap-servers',
        'b1.example.com:9093,b2.example.com:9093',
        '--security-protocol',
        'SASL_SSL',
        '--sasl-mechanism',
        'SCRAM-SHA-512',
        '--sasl-username',
        'flink',
        '--sasl-password-stdin',
      ],
      {},
      `${password}\n`,
    );
    expect(added.stderr).toMatch(/Kafka connection prod saved: .*SASL_SSL SCRAM-SHA-512 as flink/);
    expect(added.code).toBe(0);
    const row = await t.platform.store.kafkaConnections.get('prod');
    expect(row!.sealedPassword).toMatch(/^v1:/);
    expect(row!.sealedPassword).not.toContain(password);
    const listed = await sluice(['kafka', 'connection', 'list', '--json']);
    expect(listed).toContain('"hasSaslPassword": true');
    expect(listed).not.toContain(password);

    // Changed without a password: the sealed one is kept.
    const client = createClient({ baseUrl: url, headers: authHeaders(url) });
    const saved = await client.kafka.setConnection('prod', {
      bootstrapServers: ['b1.example.com:9093'],
      securityProtocol: 'SASL_SSL',
      saslMechanism: 'SCRAM-SHA-512',
      saslUsername: 'flink',
    });
    expect(saved.hasSaslPassword).toBe(true);
    expect((await t.platform.store.kafkaConnections.get('prod'))!.sealedPassword).toBe(row!.sealedPassword);

    const bad = await runSluice(url, ['kafka', 'connection', 'add', 'bad', '--bootstrap-servers', 'nohost']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/bootstrapServers: 'nohost' is not host:port/);
    expect(await t.platform.store.kafkaConnections.get('bad')).toBeUndefined();
    const local = await runSluice(url, ['kafka', 'connection', 'add', 'local', '--bootstrap-servers', 'x:1']);
    expect(local.stderr).toMatch(/local broker's/);

    await sluice(['kafka', 'connection', 'remove', 'prod']);
    expect(await sluice(['kafka', 'connection', 'list'])).not.toMatch(/^prod/m);
  });

  it('runs the local Kafka pipeline example as a job, and reads its consumer lag back through the API and the CLI', async () => {
    const client = createClient({ baseUrl: url, headers: authHeaders(url) });
    const example = await client.sql.example('local-kafka-pipeline');
    expect(example.needs).toContain('sluice kafka start');
    // The example names the broker's default address and a 10 s checkpoint: here, this broker and 2 s.
    expect(example.sql).toContain("'properties.bootstrap.servers' = '127.0.0.1:9092'");
    const sql = example.sql
      .replaceAll('127.0.0.1:9092', `127.0.0.1:${port}`)
      .replace("'execution.checkpointing.interval' = '10s'", "'execution.checkpointing.interval' = '2s'");
    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await admin.connect();
    await producer.connect();
    const views = (n: number, from: number) =>
      Array.from({ length: n }, (_, k) => {
        const i = from + k;
        return {
          partition: i % 2,
          value: JSON.stringify({
            user_id: `u${i % 5}`,
            url: `/p/${i}`,
            status: i % 4 === 0 ? 500 : 200,
            view_time: new Date().toISOString(),
          }),
        };
      });
    const ends = async (topic: string) =>
      (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    try {
      await admin.createTopics({
        topics: [{ topic: 'page-views', numPartitions: 2 }, { topic: 'page-errors' }],
        waitForLeaders: true,
      });
      await producer.send({ topic: 'page-views', messages: views(20, 0) });
      const sqlFile = path.join(t.home, 'page-errors.sql');
      fs.writeFileSync(sqlFile, sql);
      await sluice(['job', 'create', '--name', PIPELINE, '--sql-file', sqlFile, '--target', 'local-1.20']);
      await sluice(['job', 'start', PIPELINE]);
      expect((await client.jobs.get(PIPELINE)).state).toBe('RUNNING');

      // flink-connector-kafka 3.4.0 (kafka-clients 3.4.0) reads from and writes to Kafka 4.1.1: the
      // failed views (every 4th of 20) reach page-errors. Offsets, not sends: a retried send adds copies.
      const written = await ends('page-views');
      await waitFor(
        'the 5 failed page views in page-errors',
        async () => (await ends('page-errors')) >= 5,
        120_000,
      );

      // Flink commits the group's offsets when a checkpoint completes: then the broker's lag is 0.
      let last: JobKafkaLagView | undefined;
      const caughtUp = async (end: number) => {
        last = await client.kafka.jobLag(PIPELINE);
        const s = last.sources[0]!;
        return s.partitions.reduce((n, p) => n + (p.committed ?? 0), 0) === end && s.total === 0 && last;
      };
      const view = await waitFor(
        'the committed offsets at the end (lag 0)',
        () => caughtUp(written),
        120_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; last answer: ${JSON.stringify(last)}`);
      });
      expect(view.sources).toHaveLength(1);
      expect(view.sources[0]).toMatchObject({
        table: 'page_views',
        topics: ['page-views'],
        connection: 'local',
        groupId: 'sluice-example-page-views',
        problem: null,
      });
      expect(view.sources[0]!.partitions.map((p) => [p.partition, p.lag])).toEqual([
        [0, 0],
        [1, 0],
      ]);

      // More records: the committed offsets advance with the next checkpoints.
      await producer.send({ topic: 'page-views', messages: views(10, 20) });
      const more = await ends('page-views');
      expect(more).toBeGreaterThan(written);
      await waitFor('the committed offsets advanced to the new end', () => caughtUp(more), 120_000);

      const text = await sluice(['job', 'lag', PIPELINE]);
      expect(text).toMatch(
        /^page_views: topic page-views, connection local, group sluice-example-page-views, lag 0$/m,
      );
      expect(text).toMatch(/^TOPIC\s+PARTITION\s+COMMITTED\s+END\s+LAG$/m);
      expect(text).toMatch(/^page-views\s+1\s+\d+\s+\d+\s+0$/m);
      const json = JSON.parse(await sluice(['job', 'lag', PIPELINE, '--json'])) as JobKafkaLagView;
      expect(json.sources[0]!.total).toBe(0);

      // Flink's side, through the embedded Prometheus: the Kafka source reports pendingRecords (its
      // records-lag-max is NaN between fetches), and the charts' lag panel asks the alert rule's PromQL.
      const flink = await waitFor(
        "Flink's pendingRecords of the source through Prometheus",
        async () => {
          const f = (await client.kafka.jobLag(PIPELINE)).flink;
          return f.series.some((x) => x.metric === 'pendingRecords') && f;
        },
        120_000,
      );
      expect(flink.problem).toBeNull();
      expect(flink.series.find((x) => x.metric === 'pendingRecords')!.operator).toMatch(/page_views/);
      const charts: JobMetricsView = await client.prometheus.jobMetrics(PIPELINE, {
        from: new Date(Date.now() - 5 * 60_000).toISOString(),
        step: 2,
      });
      const lagPanel = charts.panels.find((p) => p.id === 'kafka-lag')!;
      expect(lagPanel.lines.map((l) => l.name).join(' ')).toMatch(/page_views/);
      // The panels per partition are drawn only when asked.
      expect(charts.panels.filter((p) => p.perPartition)).toEqual([]);

      // Per partition, Flink's live position (its currentOffset + 1) at the broker's end: every record read.
      const positions = await waitFor(
        "Flink's position per partition at the broker's end",
        async () => {
          const f = (await client.kafka.jobLag(PIPELINE)).flink;
          return f.partitions.length === 2 && f.partitions.every((p) => p.lag === 0) && f;
        },
        120_000,
      );
      expect(
        positions.partitions.map((p) => [p.topic, p.partition, p.connection, p.position, p.committed]),
      ).toEqual(
        [0, 1].map((partition) => {
          const end = positions.partitions[partition]!.end!;
          return ['page-views', partition, 'local', end, end];
        }),
      );
      expect(positions.partitionsProblem).toBeNull();
      // Sluice's /metrics serves the sampled ends, labelled with the run's job_id and Flink's form of the topic ...
      const exposition = await (await fetch(`${url}/metrics`, { headers: authHeaders(url) })).text();
      const running = (await client.jobs.get(PIPELINE)).flinkJobId!;
      expect(exposition).toContain(
        `sluice_kafka_partition_end_offset{job="${PIPELINE}",space="default",job_id="${running}",connection="local",topic="page-views",flink_topic="page_views",partition="1"}`,
      );
      expect(exposition).toMatch(
        /^sluice_kafka_consumer_lag\{job="page-errors",.*topic="page-views",flink_topic="page_views",partition="0",group="sluice-example-page-views"\} 0$/m,
      );
      // ... which the charts per partition join to Flink's currentOffset (labelled page_views) in Prometheus.
      const perPartition = await waitFor(
        'the lag per partition in the charts, 0 on both partitions',
        async () => {
          const v = await client.prometheus.jobMetrics(PIPELINE, {
            from: new Date(Date.now() - 5 * 60_000).toISOString(),
            step: 2,
            partitions: true,
          });
          const drawn = (id: string) => {
            const lines = v.panels.find((p) => p.id === id)!.lines;
            return (
              lines
                .map((l) => l.name)
                .sort()
                .join(' ') === 'page-views/0 page-views/1' && lines.every((l) => lastValue(l) === 0)
            );
          };
          return drawn('kafka-partition-lag') && drawn('kafka-partition-committed-lag') && v;
        },
        120_000,
      );
      const dashboard = await client.prometheus.grafanaDashboard(PIPELINE, { partitions: true });
      expect(JSON.stringify(dashboard.panels)).toContain(
        JSON.stringify(perPartition.panels.find((p) => p.id === 'kafka-partition-lag')!.query),
      );
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }

    // A job that reads no Kafka table, and no job: refused, naming why.
    const plain = path.join(t.home, 'plain.sql');
    fs.writeFileSync(
      plain,
      "CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen');\nCREATE TABLE b (id BIGINT) WITH ('connector' = 'blackhole');\nINSERT INTO b SELECT id FROM g;",
    );
    await sluice(['job', 'create', '--name', 'no-kafka', '--sql-file', plain, '--target', 'local-1.20']);
    const refused = await runSluice(url, ['job', 'lag', 'no-kafka']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/job no-kafka reads no Kafka table/);
    expect((await runSluice(url, ['job', 'lag', 'nope'])).code).not.toBe(0);
    await sluice(['job', 'cancel', PIPELINE]);
  });

  it("answers a JAR job's lag: its topics as Flink reports them, on the connection holding them", async () => {
    const client = createClient({ baseUrl: url, headers: authHeaders(url) });
    // Sluice's own SQL runner jar as the program (kept between runs under the test builds' folder).
    const runner = await ensureSqlRunnerJar({
      flinkVersion: '1.20.3',
      sluiceHome: path.join(TEST_BUILDS_DIR, 'sql-runner-home'),
    });
    const script = path.join(t.home, 'page-views-jar.json');
    fs.writeFileSync(
      script,
      JSON.stringify({
        format: SQL_RUNNER_FORMAT,
        options: { 'execution.checkpointing.interval': '2s' },
        jars: [],
        catalogs: [],
        setup: [
          {
            sql: `CREATE TABLE page_views_in (url STRING) WITH ('connector' = 'kafka', 'topic' = 'page-views', 'properties.bootstrap.servers' = '127.0.0.1:${port}', 'properties.group.id' = 'jar-views', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json')`,
          },
          { sql: "CREATE TABLE dropped (url STRING) WITH ('connector' = 'blackhole')" },
        ],
        inserts: [{ sql: 'INSERT INTO dropped SELECT url FROM page_views_in' }],
      }),
    );
    await sluice(['artifact', 'upload', runner.jar, '--name', 'sql-runner']);
    await sluice([
      ...['job', 'create', '--name', JAR_JOB, '--jar', 'sql-runner', '--entry-class', SQL_RUNNER_MAIN_CLASS],
      ...['--args', script, '--target', 'local-1.20'],
    ]);
    await sluice(['job', 'start', JAR_JOB]);
    expect((await client.jobs.get(JAR_JOB)).state).toBe('RUNNING');

    let last: JobKafkaLagView | undefined;
    const view = await waitFor(
      "the JAR job's position at the end of both partitions",
      async () => {
        last = await client.kafka.jobLag(JAR_JOB);
        const p = last.flink.partitions;
        return p.length === 2 && p.every((x) => x.lag === 0) && last;
      },
      120_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last answer: ${JSON.stringify(last)}`);
    });
    expect(view).toMatchObject({ kind: 'jar', sources: [] });
    // Its group is in its program: said, not guessed.
    expect(view.note).toMatch(/is a JAR job: .* not their group/);
    expect(view.flink.partitions.map((p) => [p.topic, p.partition, p.connection])).toEqual([
      ['page-views', 0, 'local'],
      ['page-views', 1, 'local'],
    ]);
    const text = await sluice(['job', 'lag', JAR_JOB]);
    expect(text).toMatch(/^TOPIC\s+PARTITION\s+CONNECTION\s+POSITION\s+COMMITTED\s+END\s+LAG$/m);
    expect(text).toMatch(/^page-views\s+1\s+local\s+\d+\s+\S+\s+\d+\s+0$/m);

    // Sampled for /metrics too: its lag per partition in its charts.
    await waitFor(
      "the JAR job's lag per partition in its charts",
      async () => {
        const v = await client.prometheus.jobMetrics(JAR_JOB, {
          from: new Date(Date.now() - 5 * 60_000).toISOString(),
          step: 2,
          partitions: true,
        });
        const lines = v.panels.find((p) => p.id === 'kafka-partition-lag')!.lines;
        return lines.length === 2 && lines.every((l) => lastValue(l) === 0);
      },
      120_000,
    );
    await sluice(['job', 'cancel', JAR_JOB]);
  });

  it('stops the broker leaving no process', async () => {
    expect(await sluice(['kafka', 'stop'])).toMatch(/^local Kafka broker stopped/);
    expect(brokerPid).not.toBeNull();
    expect(processArgs(brokerPid!)).toBeUndefined();
    const unreachable = await runSluice(url, ['kafka', 'topics']);
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.stderr).toMatch(/Kafka connection 'local' .* did not answer/);
    // The job's lag needs the broker: its error says which connection did not answer.
    const lag = await runSluice(url, ['job', 'lag', PIPELINE]);
    expect(lag.code).not.toBe(0);
    expect(lag.stderr).toMatch(/Kafka connection 'local' .* did not answer/);
  });
});

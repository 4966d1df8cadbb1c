import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/application/config.ts';
import { selectorOf } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import { sessionSelector } from '../../src/adapters/kubernetes/standalone/session-manifests.ts';
import { createClient } from '../../src/client/index.ts';
import type { JobKafkaLagView } from '../../src/contract/kafka.ts';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { authHeaders } from '../support/credentials.ts';
import { freePorts } from '../support/ports.ts';
import type { TestPlatform } from '../support/platform.ts';
import { labelledObjects, onKubernetes, STANDALONE_KINDS } from '../support/kubernetes/e2e.ts';
import { waitFor as waitUntil } from '../support/kubernetes/namespace.ts';
import { forwardIntoCluster } from '../support/kubernetes/platform-forward.ts';

/**
 * A SQL job reading Kafka on a standalone Kubernetes target, on the real local cluster (reused, never
 * stopped here) and the real local broker: the official image's lib has no Kafka connector, so the
 * run gets the engine's flink-connector-kafka and kafka-clients in its usrlib (the shared folder), the
 * job runs, prints the topic's rows in its TaskManager pod, and commits its group's offsets to the end.
 * A target saying its image carries the connectors (`--connectors-in-image`) ships none, and the same
 * job cannot plan there: the jars are what makes it run.
 *
 * The pods reach this machine only through a forwarder in the cluster's network namespace
 * (platform-forward.ts): the broker gets a second listener on loopback, advertised at the forwarder's
 * address, so that the pods' Kafka clients connect to that address after bootstrapping.
 */

const NAMESPACE = 'h-k8skafka';
const FLINK_VERSION = '1.20.3';
const TOPIC = 'k8s-orders';
const GROUP = 'k8s-orders-reader';
const k = onKubernetes({ namespace: NAMESPACE, flinkVersion: FLINK_VERSION });

let t: TestPlatform;
let url: string;
let close: (() => Promise<void>) | undefined;
let forward: { url: string; stop: () => Promise<void> } | undefined;
let port: number;
let admin: Admin | undefined;
const author = 'tester';

const sluice = async (...args: string[]) => {
  const r = await runSluice(url, args);
  if (r.code !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};
const waitFor = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) =>
  waitUntil(what, timeoutMs, probe, 500);
const run = async (s: Promise<Submission>): Promise<Submission> => {
  const sub = await s;
  await t.platform.submissions.wait(sub.id);
  return (await t.platform.store.lifecycle.submission(sub.id))!;
};
const stepLog = (s: Submission) => s.steps.flatMap((x) => x.log).join('\n');

beforeAll(async () => {
  const [p, controllerPort, externalPort] = await freePorts(3);
  port = p!;
  // The forwarder first: its address is what the broker's external listener advertises.
  forward = await forwardIntoCluster(externalPort!);
  ({ t, url, close } = await servedPlatform({
    config: {
      trackerIntervalMs: 500,
      kafka: {
        ...loadConfig({}).kafka,
        port,
        controllerPort: controllerPort!,
        external: { listen: `127.0.0.1:${externalPort}`, advertised: new URL(forward.url).host },
      },
    },
  }));
}, 30 * 60_000);

afterAll(async () => {
  await admin?.disconnect();
  // A failed test must not leave a session's pods running: stopped before the namespace goes.
  if (url) await runSluice(url, ['cluster', 'stop', 'k8s-kafka-session']);
  // Closing the platform stops the broker.
  await close?.();
  await forward?.stop();
}, 180_000);

/** The job: the topic's rows to the print sink, its offsets committed at each checkpoint (2 s). */
const jobSql = (group = GROUP) => {
  // The pods reach the broker at the forwarder's address; the platform reads the group's lag on
  // loopback (the `local` connection): both are the same broker's, in one list.
  const brokers = `${new URL(forward!.url).host},127.0.0.1:${port}`;
  return `SET 'execution.checkpointing.interval' = '2s';
CREATE TABLE orders (id BIGINT, amount DOUBLE) WITH (
  'connector' = 'kafka', 'topic' = '${TOPIC}', 'properties.bootstrap.servers' = '${brokers}',
  'properties.group.id' = '${group}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json');
CREATE TABLE shown (id BIGINT, amount DOUBLE) WITH ('connector' = 'print', 'print-identifier' = 'order');
INSERT INTO shown SELECT id, amount FROM orders;`;
};

describe('Kafka SQL jobs on Kubernetes: the engine connector jars in the run usrlib', () => {
  it(
    'runs a Kafka job on a standalone target: connector jars shipped, rows in the TaskManager pod, offsets committed to the end; the cancel leaves nothing',
    async () => {
      expect(await sluice('kafka', 'start')).toMatch(/^local Kafka broker running at 127\.0\.0\.1:\d+/);
      const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
      admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }], waitForLeaders: true });
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      await producer.send({
        topic: TOPIC,
        messages: Array.from({ length: 20 }, (_, i) => ({
          partition: i % 2,
          value: JSON.stringify({ id: i + 1, amount: i + 0.5 }),
        })),
      });
      await producer.disconnect();
      const end = async () => (await admin!.fetchTopicOffsets(TOPIC)).reduce((n, p) => n + Number(p.high), 0);
      const written = await end();
      expect(written).toBe(20);

      await sluice(
        'target',
        'add',
        'k8s-kafka',
        '--kubernetes',
        '--kubeconfig',
        k.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--shared-dir',
        k.shared,
      );
      const sqlFile = path.join(t.home, 'k8s-orders.sql');
      fs.writeFileSync(sqlFile, jobSql());
      await sluice('job', 'create', '--name', 'k8s-orders', '--sql-file', sqlFile, '--target', 'k8s-kafka');

      const p = t.platform;
      const started = await run(p.jobs.start('k8s-orders', {}, author));
      expect(started.status, stepLog(started)).toBe('succeeded');
      expect((await p.jobs.get('k8s-orders')).state).toBe('RUNNING');
      const id = started.flinkJobId!;
      expect(stepLog(started)).toMatch(
        /connector jars shipped: flink-connector-kafka-3\.4\.0-1\.20\.jar, kafka-clients-3\.4\.0\.jar \(Kafka connector \(kafka\)/,
      );
      // The run's usrlib in the shared folder, which the pods mount at /opt/flink/usrlib: the SQL
      // runner first, then the connector's jars, copies of the engine's own.
      const usrlib = path.join(k.shared, 'k8s-kafka', 'k8s-orders', id, 'usrlib');
      const placed = fs.readdirSync(usrlib).sort();
      expect(placed).toHaveLength(3);
      expect(placed[0]).toMatch(/^00-sluice-sql-runner.*\.jar$/);
      expect(placed.slice(1)).toEqual([
        '01-flink-connector-kafka-3.4.0-1.20.jar',
        '02-kafka-clients-3.4.0.jar',
      ]);
      const engineLib = (await p.engines.distribution('1.20')).classpath;
      const kafkaJar = engineLib.find((j) => path.basename(j) === 'flink-connector-kafka-3.4.0-1.20.jar')!;
      expect(fs.readFileSync(path.join(usrlib, placed[1]!)).equals(fs.readFileSync(kafkaJar))).toBe(true);

      // The rows, printed by the TaskManager pod.
      const rows = await waitFor('the 20 orders in the TaskManager pod log', 180_000, async () => {
        const r = await runSluice(url, [
          'job',
          'logs',
          'k8s-orders',
          '--process',
          'taskmanager-1',
          '--tail',
          '200',
        ]);
        const printed = r.stdout.match(/order> \+I\[\d+, [\d.]+\]/g) ?? [];
        return r.code === 0 && printed.length >= 20 ? printed : undefined;
      });
      expect(new Set(rows.map((r) => /\[(\d+),/.exec(r)![1])).size).toBe(20);
      expect(rows).toContain('order> +I[1, 0.5]');

      // The group's committed offsets reach the end once a checkpoint completes: lag 0.
      const client = createClient({ baseUrl: url, headers: authHeaders(url) });
      let last: JobKafkaLagView | undefined;
      const view = await waitFor('the committed offsets at the end (lag 0)', 120_000, async () => {
        last = await client.kafka.jobLag('k8s-orders');
        const s = last.sources[0];
        const committed = s?.partitions.reduce((n, x) => n + (x.committed ?? 0), 0);
        return s && committed === written && s.total === 0 ? last : undefined;
      }).catch((e: Error) => {
        throw new Error(`${e.message}; last answer: ${JSON.stringify(last)}`);
      });
      expect(view.sources[0]).toMatchObject({
        table: 'orders',
        topics: [TOPIC],
        connection: 'local',
        groupId: GROUP,
        problem: null,
      });
      expect(view.sources[0]!.partitions.map((x) => [x.partition, x.committed, x.lag])).toEqual([
        [0, 10, 0],
        [1, 10, 0],
      ]);
      expect(await sluice('job', 'lag', 'k8s-orders')).toMatch(
        new RegExp(`^orders: topic ${TOPIC}, connection local, group ${GROUP}, lag 0$`, 'm'),
      );

      const cancel = await run(p.jobs.cancel('k8s-orders', author));
      expect(cancel.status, stepLog(cancel)).toBe('succeeded');
      const left = await waitFor('nothing of the run left in the namespace', 120_000, async () => {
        const objects = await labelledObjects(k.objects, NAMESPACE, STANDALONE_KINDS, selectorOf(id));
        return objects.length === 0 ? objects : undefined;
      });
      expect(left).toEqual([]);
    },
    15 * 60_000,
  );

  it(
    'ships no connector jar to a target whose image says it carries them, where the Kafka job cannot plan',
    async () => {
      await sluice(
        'target',
        'add',
        'k8s-own-image',
        '--kubernetes',
        '--kubeconfig',
        k.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--shared-dir',
        k.shared,
        '--connectors-in-image',
      );
      const client = createClient({ baseUrl: url, headers: authHeaders(url) });
      const target = await client.targets.get('k8s-own-image');
      expect(target.kubernetes?.spec.connectorsInImage).toBe(true);
      const sqlFile = path.join(t.home, 'k8s-orders-own.sql');
      fs.writeFileSync(sqlFile, jobSql());
      await sluice('job', 'create', '--name', 'k8s-own', '--sql-file', sqlFile, '--target', 'k8s-own-image');
      const p = t.platform;
      const started = await run(p.jobs.start('k8s-own', {}, author));
      expect(started.status, stepLog(started)).toBe('failed');
      expect(stepLog(started)).not.toContain('connector jars shipped');
      // The official image's lib has no factory for 'kafka': the SQL runner's planning fails in the pod.
      expect(`${started.errorMessage ?? ''} ${started.rootCause ?? ''} ${stepLog(started)}`).toMatch(
        /factory for identifier 'kafka'/,
      );
      // The run's folder (its Flink job id was reserved, then the start failed): the SQL runner alone.
      const jobFolder = path.join(k.shared, 'k8s-own-image', 'k8s-own');
      const runs = fs.readdirSync(jobFolder).filter((f) => /^[0-9a-f]{32}$/.test(f));
      expect(runs).toHaveLength(1);
      const id = runs[0]!;
      const placed = fs.readdirSync(path.join(jobFolder, id, 'usrlib'));
      expect(placed).toHaveLength(1);
      expect(placed[0]).toMatch(/^00-sluice-sql-runner.*\.jar$/);
      // A failed start removes what it applied.
      const left = await waitFor('nothing of the failed run left', 120_000, async () => {
        const objects = await labelledObjects(k.objects, NAMESPACE, STANDALONE_KINDS, selectorOf(id));
        return objects.length === 0 ? objects : undefined;
      });
      expect(left).toEqual([]);
    },
    15 * 60_000,
  );

  it(
    "adds the connector jars to a session job's own SQL session, from the session's folder the gateway reads",
    async () => {
      await sluice(
        'target',
        'add',
        'k8s-kafka-session',
        '--kubernetes',
        '--kubeconfig',
        k.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--shared-dir',
        k.shared,
        '--session',
        '--task-managers',
        '1',
        '--slots',
        '1',
      );
      const group = 'k8s-orders-session';
      const sqlFile = path.join(t.home, 'k8s-orders-session.sql');
      fs.writeFileSync(sqlFile, jobSql(group));
      await sluice(
        'job',
        'create',
        '--name',
        'k8s-session',
        '--sql-file',
        sqlFile,
        '--target',
        'k8s-kafka-session',
      );
      const p = t.platform;
      // The start starts the stopped session first.
      const started = await run(p.jobs.start('k8s-session', {}, author));
      expect(started.status, stepLog(started)).toBe('succeeded');
      expect((await p.jobs.get('k8s-session')).state).toBe('RUNNING');
      const added = started.steps.find((x) => x.name === 'add jars')!.log.join('\n');
      const jars = path.join(k.shared, 'k8s-kafka-session', 'session', 'jars');
      expect(added).toContain(
        'connector jars shipped: flink-connector-kafka-3.4.0-1.20.jar, kafka-clients-3.4.0.jar',
      );
      expect(added).toContain(
        `connector jar flink-connector-kafka-3.4.0-1.20.jar ${jars}/flink-connector-kafka-3.4.0-1.20.jar: added`,
      );
      expect(added).toContain(`connector jar kafka-clients-3.4.0.jar ${jars}/kafka-clients-3.4.0.jar: added`);
      expect(fs.readdirSync(jars).sort()).toEqual([
        'flink-connector-kafka-3.4.0-1.20.jar',
        'kafka-clients-3.4.0.jar',
      ]);

      // Its own group reads the topic to its end on the session's TaskManager.
      const client = createClient({ baseUrl: url, headers: authHeaders(url) });
      let last: JobKafkaLagView | undefined;
      await waitFor("the session job's committed offsets at the end (lag 0)", 180_000, async () => {
        last = await client.kafka.jobLag('k8s-session');
        const s = last.sources[0];
        return s && s.groupId === group && s.total === 0 && s.partitions.every((x) => x.committed === 10)
          ? last
          : undefined;
      }).catch((e: Error) => {
        throw new Error(`${e.message}; last answer: ${JSON.stringify(last)}`);
      });

      const cancel = await run(p.jobs.cancel('k8s-session', author));
      expect(cancel.status, stepLog(cancel)).toBe('succeeded');
      await sluice('cluster', 'stop', 'k8s-kafka-session');
      const left = await waitFor('no pod of the session left', 180_000, async () => {
        const pods = await k.core.listNamespacedPod({
          namespace: NAMESPACE,
          labelSelector: sessionSelector('k8s-kafka-session'),
        });
        return pods.items.length === 0 ? pods.items : undefined;
      });
      expect(left).toEqual([]);
    },
    15 * 60_000,
  );
});

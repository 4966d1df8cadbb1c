import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshNamespace, kubeClients, waitFor } from '../support/kubernetes/namespace.ts';
import { clusterUp, ensureFlinkImage, type LocalCluster } from '../support/kubernetes/cluster.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { expectSessionDebugRun, scrapedPodsOf } from '../support/kubernetes/e2e.ts';
import { FLINK_SERVICE_ACCOUNT, prepareOperatorNamespace } from '../support/kubernetes/operator.ts';
import { authHeaders } from '../support/credentials.ts';
import { TARGET_KINDS } from '../../src/domain/targets/target-kinds.ts';
import { buildUdfJar } from '../support/udf-jar.ts';
import { sessionName, sessionSelector } from '../../src/adapters/kubernetes/standalone/session-manifests.ts';
import { haConfigMapSelector } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';

/**
 * A session cluster on Kubernetes (a `--session` target of the standalone way) against the real local
 * cluster (test/support/kubernetes; reused when it runs, never stopped here): `sluice cluster start`
 * applies it (JobManager and SQL Gateway in one pod, TaskManager pods), two SQL jobs run on it at once
 * through its SQL Gateway (reached, as its Flink REST is, through the API server's service proxy), a
 * debug run reads rows from the shared folder and returns them, and `sluice cluster stop` leaves
 * nothing in the namespace. The session has Kubernetes HA (`--flink-option high-availability.type=kubernetes`,
 * the `flink` service account bound to ClusterRole edit): its JobManager pod is killed once, and the new
 * one recovers both jobs, the checkpointed one from its latest checkpoint. This cluster has no DNS (the
 * TaskManagers reach the JobManager by its Service's ClusterIP) and no registry (images are imported;
 * pull policy Never).
 */

const NAMESPACE = 'h-session';
const FLINK_VERSION = '1.20.3';
const TARGET = 'k8s-session';
const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-k8s-session-'));
let cluster: LocalCluster;
let core: k8s.CoreV1Api;
let objects: k8s.KubernetesObjectApi;

const job = (
  rate: number,
) => `CREATE TABLE numbers (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '${rate}');
CREATE TABLE sink (n BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT n FROM numbers;
`;

/** A SQL job calling ToUpper from the UDF artifact (test/support/udf-jar.ts), printing what it returns. */
const UDF_JOB = `CREATE TEMPORARY FUNCTION to_upper AS 'dev.sluice.udf.ToUpper';
CREATE TABLE words (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '2');
CREATE TABLE shouted (s STRING) WITH ('connector' = 'print');
INSERT INTO shouted SELECT to_upper(CONCAT('udf-row-', CAST(n AS STRING))) FROM words;
`;

/** Everything in the namespace but what Kubernetes itself puts there, as `Kind/name`. */
async function left(): Promise<string[]> {
  const found: string[] = [];
  for (const [apiVersion, kind] of [
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'Service'],
    ['v1', 'Pod'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'ReplicaSet'],
  ] as const) {
    const list = await objects.list(apiVersion, kind, NAMESPACE);
    for (const o of list.items)
      if (o.metadata?.name !== 'kube-root-ca.crt') found.push(`${kind}/${o.metadata?.name}`);
  }
  return found;
}

beforeAll(async () => {
  cluster = await clusterUp();
  await ensureFlinkImage(FLINK_VERSION);
  ({ core, objects } = kubeClients(cluster));
  await freshNamespace(core, NAMESPACE);
  // The `flink` account, bound to ClusterRole edit: the JobManager keeps Kubernetes HA's ConfigMaps as it.
  await prepareOperatorNamespace(cluster, NAMESPACE);
}, 30 * 60_000);

afterAll(async () => {
  // Also after a failure: nothing of this test stays on the shared cluster.
  await core?.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  fs.rmSync(shared, { recursive: true, force: true });
});

describe('a standalone session cluster on Kubernetes', () => {
  let t: TestPlatform;
  let url: string;
  let close: (() => Promise<void>) | undefined;
  const sluice = (...args: string[]) => runSluice(url, args);
  const run = async (s: Promise<Submission>): Promise<Submission> => {
    const sub = await s;
    await t.platform.submissions.wait(sub.id);
    return (await t.platform.store.lifecycle.submission(sub.id))!;
  };
  const author = 'tester';

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform());
  }, 600_000);
  afterAll(async () => {
    // A failed test must not leave the session's pods running: stopped before the namespace goes.
    await t?.platform.targets.stop(TARGET).catch(() => undefined);
    await close?.();
  }, 180_000);

  it(
    'is registered with Kubernetes HA, started, runs two SQL jobs at once, recovers them after its JobManager pod is killed, runs a debug run, and stopping it leaves nothing',
    async () => {
      // Sizes without --session are refused, saying what they are for.
      const unsized = await sluice(
        'target',
        'add',
        'x',
        '--kubernetes',
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--slots',
        '2',
      );
      expect(unsized.code).not.toBe(0);
      expect(unsized.stderr).toContain('add --session');
      // A session needs the shared folder (the gateway's jar, checkpoints, debug rows).
      const noShared = await sluice(
        'target',
        'add',
        'x',
        '--kubernetes',
        '--kubeconfig',
        cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--session',
      );
      expect(noShared.code).not.toBe(0);
      expect(noShared.stderr).toContain('needs a shared folder (--shared-dir');
      // Kubernetes HA needs a service account that may keep its ConfigMaps: none named is refused, and
      // one without the rights too (the API server asked), with the command that grants them.
      const haArgs = (...more: string[]) => [
        'target',
        'add',
        TARGET,
        '--kubernetes',
        '--kubeconfig',
        cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--shared-dir',
        shared,
        '--session',
        '--task-managers',
        '1',
        '--slots',
        '4',
        ...more,
        '--flink-option',
        'high-availability.type=kubernetes',
      ];
      const noAccount = await sluice(...haArgs());
      expect(noAccount.code).not.toBe(0);
      expect(noAccount.stderr).toContain(`register target ${TARGET} with --service-account`);
      await core.createNamespacedServiceAccount({
        namespace: NAMESPACE,
        body: { metadata: { name: 'bare' } },
      });
      const bare = await sluice(...haArgs('--service-account', 'bare'));
      expect(bare.code).not.toBe(0);
      expect(bare.stderr).toContain('service account bare may not create configmaps');
      expect(bare.stderr).toContain('kubectl create rolebinding bare-edit --clusterrole=edit');

      const added = await sluice(...haArgs('--service-account', FLINK_SERVICE_ACCOUNT));
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toContain(
        `its session cluster: 1 TaskManager(s) of 4 slot(s), start it with 'sluice cluster start ${TARGET}'`,
      );
      const p = t.platform;
      expect((await p.targets.status(TARGET)).state).toBe('stopped');

      const t0 = Date.now();
      const started = await sluice('cluster', 'start', TARGET);
      console.log(`session cluster start: ${Date.now() - t0} ms`);
      expect(started.code, started.stderr).toBe(0);
      expect(started.stderr).toMatch(
        /applied Service flink-session-k8s-session-jobmanager: ClusterIP \d+\.\d+\.\d+\.\d+ is jobmanager.rpc.address/,
      );
      expect(started.stderr).toMatch(
        /SQL Gateway jar of engine 1\.20\.\d+ in the shared folder: .*flink-sql-gateway/,
      );
      expect(started.stdout).toContain(`session cluster ${TARGET} is running`);

      const listed = await sluice('target', 'list', '--json');
      const mine = (JSON.parse(listed.stdout) as { name: string; kind: string; state: string }[]).find(
        (x) => x.name === TARGET,
      );
      expect(mine).toMatchObject({ kind: 'kubernetes-standalone-session', state: 'running' });
      // Its status asks Flink once through the proxy: on a loaded machine one answer may come late.
      const status = await waitFor("its status with Flink's overview", 30_000, async () => {
        const v = await p.targets.status(TARGET);
        return v.overview && v.gatewayHealthy ? v : undefined;
      });
      expect(status.overview).toMatchObject({ taskmanagers: 1, 'slots-total': 4 });
      expect(status.gatewayHealthy).toBe(true);
      expect(status.processes.map((x) => x.role).sort()).toEqual([
        'jobmanager',
        'sql-gateway',
        'taskmanager',
      ]);

      // Two SQL jobs on it at once, deployed as on a local session: the same steps; the first checkpoints.
      await p.jobs.create(
        {
          name: 'first',
          sql: job(5),
          target: TARGET,
          options: { 'execution.checkpointing.interval': '2s' },
        },
        author,
      );
      // The second calls a UDF from an artifact jar: the gateway in its pod cannot read Sluice's
      // artifact folder, so the jar is staged into the session's folder by its sha256 and added from there.
      const udfJar = buildUdfJar(shared, inject('engineHome'));
      const udfs = await p.artifacts.upload(
        { bytes: fs.readFileSync(udfJar), fileName: path.basename(udfJar), name: 'udfs' },
        author,
      );
      await p.jobs.create({ name: 'second', sql: UDF_JOB, target: TARGET, artifacts: ['udfs'] }, author);
      const [one, two] = await Promise.all([
        run(p.jobs.start('first', {}, author)),
        run(p.jobs.start('second', {}, author)),
      ]);
      for (const s of [one, two]) {
        expect(s.status, JSON.stringify(s.steps.at(-1))).toBe('succeeded');
        expect(s.steps.map((x) => x.name)).toEqual([
          'resolve version',
          'validate',
          ...TARGET_KINDS['kubernetes-standalone-session'].deploySteps
            .sql!.filter((x) => !x.startsWith('[') || (s === two && x === '[add jars]'))
            .map((x) => x.replace(/^\[(.*)\]$/, '$1')),
        ]);
      }
      const staged = path.join(shared, TARGET, 'session', 'jars', `${udfs.sha256}.jar`);
      expect(two.steps.find((x) => x.name === 'add jars')!.log.map((l) => l.replace(/^\S+ /, ''))).toEqual([
        expect.stringMatching(
          new RegExp(`^udfs@1 sha256 ${udfs.sha256} ${staged} \\(staged from .+\\): added$`),
        ),
      ]);
      expect(fs.readFileSync(staged).equals(fs.readFileSync(udfJar))).toBe(true);
      await p.tracker.tick();
      const ids = [(await p.jobs.get('first')).flinkJobId!, (await p.jobs.get('second')).flinkJobId!];
      expect((await p.jobs.get('first')).state).toBe('RUNNING');
      expect((await p.jobs.get('second')).state).toBe('RUNNING');
      // The UDF ran in the TaskManager pod: its print sink's rows are upper-cased there.
      const printed = await waitFor("the UDF's rows in the TaskManager pod's log", 120_000, async () => {
        const [tm] = (
          await core.listNamespacedPod({
            namespace: NAMESPACE,
            labelSelector: sessionSelector(TARGET, 'taskmanager'),
          })
        ).items;
        if (!tm) return undefined;
        const out = await core.readNamespacedPodLog({ name: tm.metadata!.name!, namespace: NAMESPACE });
        return /\+I\[UDF-ROW--?\d+\]/.exec(out)?.[0];
      });
      console.log(`printed by the UDF job: ${printed}`);
      // Both in the one session cluster, as its JobManager's jobs overview shows them.
      const seen = await (await p.targets.target(TARGET)).observer.observe();
      for (const id of ids) expect(seen.get(id)?.state).toBe('RUNNING');
      // Its pods are listed for Prometheus without job labels (they run both jobs) and proxied: its
      // JobManager reports both jobs running.
      const scraped = await scrapedPodsOf(url, {
        target: TARGET,
        namespace: NAMESPACE,
        job: null,
        runningJobs: 2,
      });
      for (const g of scraped)
        expect(g.labels.process).toMatch(new RegExp(`^flink-session-${TARGET}-${g.labels.role}-`));

      // Kubernetes HA: its ConfigMaps hold the leader and both jobs. The JobManager pod is killed once
      // the first job has checkpoints; the Deployment's new pod recovers both jobs under their ids, the
      // first from its latest checkpoint.
      const clusterId = sessionName(TARGET);
      const haMaps = () =>
        core
          .listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: haConfigMapSelector(clusterId) })
          .then((l) => l.items);
      expect((await haMaps()).length).toBeGreaterThan(0);
      const observer = async () => (await p.targets.target(TARGET)).observer;
      const checkpointed = await waitFor('a completed checkpoint of the first job', 90_000, async () => {
        const d = await (await observer()).runtimeDetails(ids[0]!);
        return d.lastCheckpoint && d.lastCheckpoint.id >= 2 ? d.lastCheckpoint : undefined;
      });
      const jmPods = () =>
        core
          .listNamespacedPod({ namespace: NAMESPACE, labelSelector: sessionSelector(TARGET, 'jobmanager') })
          .then((l) => l.items);
      const [killed] = await jmPods();
      const eventsBefore = (await p.jobs.events('first')).length;
      const killedAt = Date.now();
      await core.deleteNamespacedPod({
        name: killed!.metadata!.name!,
        namespace: NAMESPACE,
        gracePeriodSeconds: 0,
      });
      console.log(`killed JobManager pod ${killed!.metadata!.name} after checkpoint ${checkpointed.id}`);
      await waitFor('both jobs RUNNING again under a new JobManager pod', 300_000, async () => {
        await p.tracker.tick();
        const fresh = (await jmPods()).find(
          (x) => x.metadata!.name !== killed!.metadata!.name && x.status?.phase === 'Running',
        );
        if (!fresh) return undefined;
        for (const id of ids) {
          const o = await (await observer()).observeJob(id).catch(() => 'absent' as const);
          if (o === 'absent' || o.state !== 'RUNNING' || !o.allTasksRunning) return undefined;
        }
        for (const name of ['first', 'second'])
          if ((await p.jobs.get(name)).state !== 'RUNNING') return undefined;
        return true;
      });
      console.log(`both jobs recovered ${Date.now() - killedAt} ms after the kill`);
      console.log(
        `first's states after the kill: ${(await p.jobs.events('first'))
          .slice(eventsBefore)
          .map((e) => e.to)
          .join(' -> ')}`,
      );
      // Under the same Flink job ids, and Flink's own word through the session's UI proxy: the new
      // JobManager restored a checkpoint at least as recent as the one seen complete before the kill.
      expect([(await p.jobs.get('first')).flinkJobId, (await p.jobs.get('second')).flinkJobId]).toEqual(ids);
      const stats = (await fetch(`${url}/flink/${TARGET}/jobs/${ids[0]}/checkpoints`, {
        headers: authHeaders(url),
      }).then((r) => r.json())) as { latest: { restored: { id: number; external_path: string } | null } };
      console.log(
        `restored checkpoint ${stats.latest.restored?.id} (${stats.latest.restored?.external_path})`,
      );
      expect(stats.latest.restored!.id).toBeGreaterThanOrEqual(checkpointed.id);
      expect(stats.latest.restored!.external_path).toContain(
        path.join(shared, TARGET, 'session', 'checkpoints'),
      );
      // The session is whole again: JobManager, TaskManager and SQL Gateway (the debug run below uses it).
      await waitFor('the session running again', 120_000, async () =>
        (await p.targets.status(TARGET)).state === 'running' ? true : undefined,
      );

      // A debug run on it: its rows file is written into the shared folder, read by the TaskManager pod.
      await expectSessionDebugRun(url, TARGET, shared);

      for (const name of ['first', 'second']) {
        const cancel = await run(p.jobs.cancel(name, author));
        expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
        expect((await p.jobs.get(name)).state).toBe('CANCELLED');
      }
      // Refused while its session runs: the cluster would stay with nobody to stop it.
      await p.jobs.delete('first');
      await p.jobs.delete('second');
      const removeRunning = await sluice('target', 'remove', TARGET);
      expect(removeRunning.code).not.toBe(0);
      expect(removeRunning.stderr).toContain(
        `still runs its session cluster: stop it first with 'sluice cluster stop ${TARGET}'`,
      );

      const stopped = await sluice('cluster', 'stop', TARGET);
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toContain(`session cluster ${TARGET} is stopped`);
      // Nothing left, Kubernetes HA's ConfigMaps (Flink's, with no owner) included, nor HA's files.
      expect(await left()).toEqual([]);
      expect(fs.existsSync(path.join(shared, TARGET, 'session', 'ha', clusterId))).toBe(false);
      // The jars staged for its jobs go with it; its checkpoints and savepoints stay in the shared folder.
      expect(fs.existsSync(path.join(shared, TARGET, 'session', 'jars'))).toBe(false);
      expect(fs.existsSync(path.join(shared, TARGET, 'session', 'checkpoints'))).toBe(true);
      const removed = await sluice('target', 'remove', TARGET);
      expect(removed.code, removed.stderr).toBe(0);
    },
    20 * 60_000,
  );
});

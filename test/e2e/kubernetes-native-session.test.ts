import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { TARGET_KINDS } from '../../src/domain/targets/target-kinds.ts';
import {
  createCounterJarJob,
  expectKeptSessionLogs,
  expectSessionDebugRun,
  expectSessionLogsAndUi,
  labelledObjects,
  onKubernetes,
  servedPerDescribe,
  sessionPrintedRows,
  sessionTaskManagerLogs,
} from '../support/kubernetes/e2e.ts';
import { buildUdfJar } from '../support/udf-jar.ts';
import { waitFor } from '../support/kubernetes/namespace.ts';
import { authHeaders } from '../support/credentials.ts';
import { FLINK_SERVICE_ACCOUNT } from '../support/kubernetes/operator.ts';

/**
 * A session target of Flink's native way against the real local cluster (test/support/kubernetes;
 * reused when it runs, never stopped here): `sluice cluster start` runs Flink's own client
 * (KubernetesSessionCli, `kubernetes-session.sh`), which creates the JobManager Deployment; the
 * JobManager creates its TaskManager pods as the `flink` service account; the SQL Gateway runs beside
 * it in its pod. A SQL job (through the gateway) and a JAR job (through Flink REST) run on it, a stop
 * with savepoint and a resume keep the SQL job's state, a stop of the session is refused while jobs
 * run, and `sluice cluster stop` leaves nothing in the namespace. This cluster has no DNS (the
 * TaskManagers find the JobManager by HA's leader ConfigMap), no registry (images imported; pull
 * policy Never) and no LoadBalancer (the REST Service is a ClusterIP reached through the API server).
 */

const NAMESPACE = 'h-nativesession';
const FLINK_VERSION = '1.20.3';
const TARGET = 'k8s-nsession';
const CLUSTER_ID = `flink-session-${TARGET}`;
const k = onKubernetes({ namespace: NAMESPACE, flinkVersion: FLINK_VERSION, flinkAccount: true });
const shared = k.shared;

const COUNTING = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'row');
INSERT INTO snk SELECT id FROM src;`;

/** Everything in the namespace but what Kubernetes itself puts there, as `Kind/name`. */
const left = async (): Promise<string[]> =>
  (
    await labelledObjects(
      k.objects,
      NAMESPACE,
      [
        ['v1', 'ConfigMap'],
        ['v1', 'Secret'],
        ['v1', 'Service'],
        ['v1', 'Pod'],
        ['apps/v1', 'Deployment'],
        ['apps/v1', 'ReplicaSet'],
      ],
      '',
    )
  ).filter((o) => o !== 'ConfigMap/kube-root-ca.crt');

/** The print sink's rows in the session's TaskManager pod logs, in order. */
const printedRows = () => sessionPrintedRows(k.core, NAMESPACE, TARGET);

describe("Flink's native session on Kubernetes: Flink's client makes the session, its jobs run as on a standalone session", () => {
  // A failed test must not leave the session running: its jobs are cancelled, then it is stopped.
  const s = servedPerDescribe({
    beforeClose: async (t) => {
      const target = await t.platform.targets.target(TARGET);
      for (const j of (await target.observer.observe().catch(() => new Map())).values())
        await t.platform.jobs.cancel(j.name, 'tester').catch(() => undefined);
      await t.platform.targets.stop(TARGET);
    },
  });
  const { sluice, run, author } = s;

  it(
    'is registered and started by Flink’s client, runs a SQL and a JAR job, resumes the SQL job with its state, and stops with nothing left',
    async () => {
      // A native session needs the shared folder, as every session on Kubernetes.
      const noShared = await sluice(
        'target',
        'add',
        'x',
        '--kubernetes',
        '--kubeconfig',
        k.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'native',
        '--session',
      );
      expect(noShared.code).not.toBe(0);
      expect(noShared.stderr).toContain('needs a shared folder (--shared-dir');

      const added = await sluice(
        'target',
        'add',
        TARGET,
        '--kubernetes',
        '--kubeconfig',
        k.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'native',
        '--image-pull-policy',
        'Never',
        '--service-account',
        FLINK_SERVICE_ACCOUNT,
        '--shared-dir',
        shared,
        '--session',
        '--task-managers',
        '1',
        '--slots',
        '3',
      );
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toContain('registered: native session');
      const p = s.t.platform;
      expect((await p.targets.status(TARGET)).state).toBe('stopped');

      const t0 = Date.now();
      const started = await sluice('cluster', 'start', TARGET);
      console.log(`native session start: ${Date.now() - t0} ms`);
      expect(started.code, started.stderr).toBe(0);
      expect(started.stderr).toContain("running Flink's client (kubernetes-session.sh");
      expect(started.stderr).toContain(`Flink's client created Deployment ${CLUSTER_ID} (the JobManager)`);
      expect(started.stdout).toContain(`session cluster ${TARGET} is running`);
      // Flink's client made the JobManager Deployment; the JobManager made the TaskManager pod as `flink`.
      const tms = await k.core.listNamespacedPod({
        namespace: NAMESPACE,
        labelSelector: `sluice.dev/session=${TARGET},app.kubernetes.io/component=taskmanager`,
      });
      expect(tms.items).toHaveLength(1);
      expect(tms.items[0]!.metadata?.labels).toMatchObject({ type: 'flink-native-kubernetes' });
      expect(tms.items[0]!.spec?.serviceAccountName).toBe(FLINK_SERVICE_ACCOUNT);
      expect(tms.items[0]!.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'Deployment',
        name: CLUSTER_ID,
      });

      const listed = JSON.parse((await sluice('target', 'list', '--json')).stdout) as {
        name: string;
        kind: string;
        state: string;
      }[];
      expect(listed.find((x) => x.name === TARGET)).toMatchObject({
        kind: 'kubernetes-native-session',
        state: 'running',
      });
      const status = await waitFor("its status with Flink's overview", 30_000, async () => {
        const v = await p.targets.status(TARGET);
        return v.overview && v.gatewayHealthy ? v : undefined;
      });
      expect(status.overview).toMatchObject({ taskmanagers: 1, 'slots-total': 3 });
      expect(status.processes.map((x) => x.role).sort()).toEqual([
        'flink-main-container',
        'flink-main-container',
        'sql-gateway',
      ]);

      // A SQL job through the SQL Gateway beside the JobManager, with the standalone session's steps.
      await p.jobs.create({ name: 'orders', sql: COUNTING, target: TARGET }, author);
      const t1 = Date.now();
      const first = await run(p.jobs.start('orders', {}, author));
      console.log(`platform start to RUNNING on the native session: ${Date.now() - t1} ms`);
      expect(first.status, JSON.stringify(first.steps.at(-1))).toBe('succeeded');
      expect(first.steps.map((x) => x.name)).toEqual([
        'resolve version',
        'validate',
        ...TARGET_KINDS['kubernetes-native-session'].deploySteps.sql!.filter((x) => !x.startsWith('[')),
      ]);
      await p.tracker.tick();
      expect((await p.jobs.get('orders')).state).toBe('RUNNING');
      const before = await waitFor('rows in the session TaskManager log', 120_000, async () => {
        const rows = await printedRows();
        return rows.length > 5 ? rows : undefined;
      });

      // A JAR job through Flink REST (upload, run) on the same session, with the UDF artifact only on
      // its classpath (pipeline.classpaths, which Flink never ships): staged into the session's folder
      // by its sha256, where the JobManager (main()) and the TaskManagers (each task) load a class of it.
      const udfJar = buildUdfJar(shared, inject('engineHome'));
      const udfs = await p.artifacts.upload(
        { bytes: fs.readFileSync(udfJar), fileName: path.basename(udfJar), name: 'udfs' },
        author,
      );
      await createCounterJarJob(p, FLINK_VERSION, TARGET, author, {
        classpath: ['udfs'],
        args: ['--require-class', 'dev.sluice.udf.ToUpper'],
      });
      const jar = await run(p.jobs.start('jar-counter', {}, author));
      expect(jar.status, JSON.stringify(jar.steps.at(-1))).toBe('succeeded');
      expect(jar.steps.map((x) => x.name)).toEqual([
        'resolve version',
        'validate',
        ...TARGET_KINDS['kubernetes-native-session'].deploySteps.jar!,
      ]);
      const staged = path.join(shared, TARGET, 'session', 'jars', `${udfs.sha256}.jar`);
      expect(fs.readFileSync(staged).equals(fs.readFileSync(udfJar))).toBe(true);
      expect(jar.steps.find((x) => x.name === 'run jar')!.log.join('\n')).toContain(
        `option 'pipeline.classpaths' = 'file://${staged}'`,
      );
      await waitFor('the classpath class loaded by a task', 120_000, async () =>
        (await sessionTaskManagerLogs(k.core, NAMESPACE, TARGET)).includes('loaded dev.sluice.udf.ToUpper')
          ? true
          : undefined,
      );
      await p.tracker.tick();
      expect((await p.jobs.get('jar-counter')).state).toBe('RUNNING');
      const seen = await (await p.targets.target(TARGET)).observer.observe();
      for (const name of ['orders', 'jar-counter'])
        expect(seen.get((await p.jobs.get(name)).flinkJobId!)?.state).toBe('RUNNING');
      // The session's pod logs (shared by both jobs, named by pod) and its Flink Web UI through Sluice's proxy.
      await expectSessionLogsAndUi(s, {
        target: TARGET,
        job: 'orders',
        flinkJobId: (await p.jobs.get('orders')).flinkJobId!,
        gateway: true,
        ui: '',
      });

      // The session cannot be stopped under running jobs, and says which.
      const refused = await sluice('cluster', 'stop', TARGET);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/still runs the Flink job\(s\) .*orders \([0-9a-f]{32}, RUNNING\)/);
      expect(refused.stderr).toContain('jar-counter');

      // Stop with savepoint and resume: the sequence goes on from the savepoint, not from 1.
      const stop = await run(p.jobs.stop('orders', false, author));
      expect(stop.status, JSON.stringify(stop.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('orders')).state).toBe('STOPPED');
      // Into the shared folder the pods write, not the platform's own savepoint folder.
      expect(stop.savepointPath).toMatch(
        new RegExp(`^file:${shared}/${TARGET}/session/savepoints/orders/savepoint-`),
      );
      const seenBefore = (await printedRows()).length;
      const second = await run(p.jobs.start('orders', {}, author));
      expect(second.status, JSON.stringify(second.steps.at(-1))).toBe('succeeded');
      expect(second.savepointPath).toBe(stop.savepointPath);
      // Written by the pods where Sluice sees it too: the savepoint's metadata in the shared folder.
      expect(fs.existsSync(path.join(stop.savepointPath!.replace(/^file:/, ''), '_metadata'))).toBe(true);
      const after = await waitFor('rows of the resumed run', 120_000, async () => {
        const rows = (await printedRows()).slice(seenBefore);
        return rows.length ? rows : undefined;
      });
      expect(Math.min(...after)).toBeGreaterThan(Math.max(...before));

      const resumedId = (await p.jobs.get('orders')).flinkJobId!;
      for (const name of ['orders', 'jar-counter']) {
        const cancel = await run(p.jobs.cancel(name, author));
        expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
        expect((await p.jobs.get(name)).state).toBe('CANCELLED');
      }
      // The session's pod logs as they were when the run ended, kept for it.
      await expectKeptSessionLogs(s, 'orders', resumedId);
      // A debug run on the native session (the standalone session's code path): rows come back, it ends,
      // its rows files go (and the session's stop below finds no job left on it).
      await expectSessionDebugRun(s.url, TARGET, shared);
      // Refused while its session runs: the cluster would stay with nobody to stop it.
      await p.jobs.delete('orders');
      await p.jobs.delete('jar-counter');
      const removeRunning = await sluice('target', 'remove', TARGET);
      expect(removeRunning.code).not.toBe(0);
      expect(removeRunning.stderr).toContain(`still runs its session cluster: stop it first`);

      const stopped = await sluice('cluster', 'stop', TARGET);
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toContain(`session cluster ${TARGET} is stopped`);
      // The jars staged for its jobs (the JAR job's classpath) go with it.
      expect(fs.existsSync(path.join(shared, TARGET, 'session', 'jars'))).toBe(false);
      // The Deployment, what it owned, the gateway's objects and HA's ConfigMaps: all gone.
      expect(
        await waitFor('nothing left in the namespace', 60_000, async () =>
          (await left()).length ? undefined : [],
        ),
      ).toEqual([]);
      // Its Web UI says the session is stopped rather than what the API server's proxy answers.
      const ui = await fetch(`${s.url}/flink/${TARGET}/overview`, { headers: authHeaders(s.url) });
      expect(ui.status).toBe(503);
      expect(((await ui.json()) as { error: { message: string } }).error.message).toContain(
        `the session cluster of Kubernetes target ${TARGET} is stopped`,
      );
      const removed = await sluice('target', 'remove', TARGET);
      expect(removed.code, removed.stderr).toBe(0);
    },
    30 * 60_000,
  );
});

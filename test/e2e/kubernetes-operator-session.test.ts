import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { TARGET_KINDS } from '../../src/domain/targets/target-kinds.ts';
import {
  createCounterJarJob,
  labelledObjects,
  onKubernetes,
  expectKeptSessionLogs,
  expectSessionDebugRun,
  expectSessionLogsAndUi,
  servedPerDescribe,
  sessionPrintedRows,
} from '../support/kubernetes/e2e.ts';
import { waitFor } from '../support/kubernetes/namespace.ts';
import { FLINK_SERVICE_ACCOUNT } from '../support/kubernetes/operator.ts';

/**
 * A session target of the operator way against the real local cluster and the real Flink Kubernetes
 * Operator (test/support/kubernetes; reused when it runs, never stopped here): `sluice cluster start`
 * applies a session FlinkDeployment (no job) that the operator deploys, each run of a job is a
 * FlinkSessionJob the operator submits to it (its jar fetched by the operator from the shared folder:
 * the operator runs as a process on this machine, where that folder is), stop with savepoint is the
 * operator's suspension, a resume starts from that savepoint, a cancel deletes the FlinkSessionJob, and
 * `sluice cluster stop` (refused while jobs run) leaves nothing. The SQL Gateway runs beside the
 * operator's JobManager (a second container of the FlinkDeployment's pod template, its ConfigMap and
 * Service owned by the FlinkDeployment): a debug run reads its rows file from the shared folder. This cluster has no DNS, no registry
 * (images imported; pull policy Never) and no Ingress.
 */

const NAMESPACE = 'h-opsession';
const FLINK_VERSION = '1.20.3';
const TARGET = 'k8s-ops';
const group = 'flink.apache.org';
// The namespace with the `flink` ServiceAccount (ClusterRole edit) the JobManager makes pods with.
const k = onKubernetes({
  namespace: NAMESPACE,
  flinkVersion: FLINK_VERSION,
  flinkAccount: true,
  operator: true,
});
const shared = k.shared;
const custom = (): k8s.CustomObjectsApi => k.kc.makeApiClient(k8s.CustomObjectsApi);

const COUNTING = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'row');
INSERT INTO snk SELECT id FROM src;`;

type SessionJob = {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { deploymentName: string; job: { jarURI: string; initialSavepointPath?: string } };
  status?: { lifecycleState?: string; jobStatus?: { jobId?: string; state?: string } };
};

const sessionJobs = async (): Promise<SessionJob[]> =>
  (
    (await custom().listNamespacedCustomObject({
      group,
      version: 'v1beta1',
      namespace: NAMESPACE,
      plural: 'flinksessionjobs',
    })) as { items: SessionJob[] }
  ).items;

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
        [`${group}/v1beta1`, 'FlinkDeployment'],
        [`${group}/v1beta1`, 'FlinkSessionJob'],
      ],
      '',
    )
  ).filter((o) => o !== 'ConfigMap/kube-root-ca.crt');

/** The print sink's rows in the session's TaskManager pod logs, in order. */
const printedRows = () => sessionPrintedRows(k.core, NAMESPACE, TARGET);

describe("the Flink Kubernetes Operator's session: a session FlinkDeployment and a FlinkSessionJob per run", () => {
  // A failed test must not leave jobs or the session running: their resources go before the namespace.
  const s = servedPerDescribe({
    beforeClose: async (t) => {
      for (const sj of await sessionJobs().catch(() => []))
        await custom()
          .deleteNamespacedCustomObject({
            group,
            version: 'v1beta1',
            namespace: NAMESPACE,
            plural: 'flinksessionjobs',
            name: sj.metadata.name,
          })
          .catch(() => undefined);
      await t.platform.targets.stop(TARGET);
    },
  });
  const { sluice, run, author } = s;

  it(
    'is registered and started, runs a SQL job, stops it with a savepoint, resumes it with its state, runs a JAR job, cancels both and stops with nothing left',
    async () => {
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
        'operator',
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
        '2',
      );
      expect(added.code, added.stderr).toBe(0);
      const p = s.t.platform;
      expect((await p.targets.status(TARGET)).state).toBe('stopped');

      const t0 = Date.now();
      const started = await sluice('cluster', 'start', TARGET);
      console.log(`operator session start: ${Date.now() - t0} ms`);
      expect(started.code, started.stderr).toBe(0);
      expect(started.stderr).toContain('applied FlinkDeployment flink-session-k8s-ops');
      expect(started.stdout).toContain(`session cluster ${TARGET} is running`);
      const listed = JSON.parse((await sluice('target', 'list', '--json')).stdout) as {
        name: string;
        kind: string;
        state: string;
      }[];
      expect(listed.find((x) => x.name === TARGET)).toMatchObject({
        kind: 'kubernetes-operator-session',
        state: 'running',
      });
      const status = await p.targets.status(TARGET);
      expect(status.overview).toMatchObject({ taskmanagers: 1, 'slots-total': 2 });
      expect(status.gatewayHealthy).toBe(true);
      expect(status.gatewayUrl).toMatch(/\/services\/flink-session-k8s-ops-gateway:gateway\/proxy$/);
      expect(status.processes.map((x) => x.role).sort()).toEqual([
        'flink-main-container',
        'flink-main-container',
        'sql-gateway',
      ]);
      // The gateway's ConfigMap and Service belong to the session FlinkDeployment: they go with it.
      const fdUid = (
        (await custom().getNamespacedCustomObject({
          group,
          version: 'v1beta1',
          namespace: NAMESPACE,
          plural: 'flinkdeployments',
          name: 'flink-session-k8s-ops',
        })) as { metadata: { uid: string } }
      ).metadata.uid;
      for (const o of [
        await k.core.readNamespacedConfigMap({
          name: 'flink-session-k8s-ops-gateway-config',
          namespace: NAMESPACE,
        }),
        await k.core.readNamespacedService({ name: 'flink-session-k8s-ops-gateway', namespace: NAMESPACE }),
      ])
        expect(o.metadata?.ownerReferences).toEqual([
          expect.objectContaining({ kind: 'FlinkDeployment', name: 'flink-session-k8s-ops', uid: fdUid }),
        ]);

      await p.jobs.create({ name: 'orders', sql: COUNTING, target: TARGET }, author);
      // The session FlinkDeployment (the SQL Gateway in its JobManager pod template), the gateway's
      // ConfigMap and Service, and the run's FlinkSessionJob, each accepted (the operator's by its CRDs).
      const rendered = await sluice('k8s', 'render', 'orders');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout.match(/^kind: \w+$/gm)).toEqual([
        'kind: FlinkDeployment',
        'kind: ConfigMap',
        'kind: Service',
        'kind: FlinkSessionJob',
      ]);
      expect(rendered.stdout).toContain('dev.sluice.sqlrunner.SluiceSqlRunner');
      expect(rendered.stdout).toContain('org.apache.flink.table.gateway.SqlGateway');
      expect(rendered.stderr).toMatch(
        /server-side dry run accepted: the API server at \S+ accepted all 4 objects/,
      );
      expect(await sessionJobs()).toEqual([]);

      const t1 = Date.now();
      const first = await run(p.jobs.start('orders', {}, author));
      console.log(`platform start to RUNNING on the operator's session: ${Date.now() - t1} ms`);
      expect(first.status, JSON.stringify(first.steps.at(-1))).toBe('succeeded');
      expect(first.steps.map((x) => x.name)).toEqual([
        'resolve version',
        'validate',
        ...TARGET_KINDS['kubernetes-operator-session'].deploySteps.sql!,
      ]);
      expect((await p.jobs.events('orders')).map((e) => e.to)).toEqual([
        'STARTING',
        'JM_RUNNING',
        'PODS_RUNNING',
        'RUNNING',
      ]);
      const id1 = (await p.jobs.get('orders')).flinkJobId!;
      expect(first.flinkJobId).toBe(id1);
      // The job runs under the id the operator chose, as its FlinkSessionJob reports it.
      const [sj1] = await sessionJobs();
      expect(sj1).toMatchObject({
        spec: { deploymentName: 'flink-session-k8s-ops' },
        status: { jobStatus: { jobId: id1 } },
      });
      expect(sj1!.spec.job.jarURI).toMatch(
        new RegExp(`^file://${shared}/${TARGET}/orders/[0-9a-f]{32}/usrlib/00-`),
      );
      await p.tracker.tick();
      expect((await p.jobs.get('orders')).state).toBe('RUNNING');
      const before = await waitFor('rows in the session TaskManager log', 120_000, async () => {
        const rows = await printedRows();
        return rows.length > 5 ? rows : undefined;
      });

      // The session cannot be stopped under a running job.
      const refused = await sluice('cluster', 'stop', TARGET);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('still runs the job(s) orders (their FlinkSessionJobs)');
      // The session's pod logs (named by pod, shared by every job on it) and its Flink Web UI, reached
      // per job while it runs (each run is an application kind's here).
      await expectSessionLogsAndUi(s, {
        target: TARGET,
        job: 'orders',
        flinkJobId: id1,
        gateway: true,
        ui: 'orders/',
      });

      const stop = await run(p.jobs.stop('orders', false, author));
      expect(stop.status, JSON.stringify(stop.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('orders')).state).toBe('STOPPED');
      expect(stop.savepointPath).toMatch(
        new RegExp(`^file:${shared}/${TARGET}/orders/savepoints/savepoint-`),
      );
      expect(await sessionJobs()).toEqual([]);
      const seenBefore = (await printedRows()).length;

      const second = await run(p.jobs.start('orders', {}, author));
      expect(second.status, JSON.stringify(second.steps.at(-1))).toBe('succeeded');
      expect(second.savepointPath).toBe(stop.savepointPath);
      const id2 = (await p.jobs.get('orders')).flinkJobId!;
      expect(id2).not.toBe(id1);
      const [sj2] = await sessionJobs();
      expect(sj2!.spec.job.initialSavepointPath).toBe(stop.savepointPath);
      // With its state: the sequence goes on from where the savepoint left it, not from 1.
      const after = await waitFor('rows of the resumed run', 120_000, async () => {
        const rows = (await printedRows()).slice(seenBefore);
        return rows.length ? rows : undefined;
      });
      expect(Math.min(...after)).toBeGreaterThan(Math.max(...before));

      // A JAR job on the same session, its jar fetched by the operator from the shared folder.
      await createCounterJarJob(p, FLINK_VERSION, TARGET, author);
      const jar = await run(p.jobs.start('jar-counter', {}, author));
      expect(jar.status, JSON.stringify(jar.steps.at(-1))).toBe('succeeded');
      expect(jar.steps.map((x) => x.name)).toEqual([
        'resolve version',
        'validate',
        ...TARGET_KINDS['kubernetes-operator-session'].deploySteps.jar!,
      ]);
      expect((await sessionJobs()).map((x) => x.metadata.labels?.['sluice.dev/job']).sort()).toEqual([
        'jar-counter',
        'orders',
      ]);

      for (const name of ['orders', 'jar-counter']) {
        const cancel = await run(p.jobs.cancel(name, author));
        expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
        expect((await p.jobs.get(name)).state).toBe('CANCELLED');
      }
      expect(await sessionJobs()).toEqual([]);
      // The session's pod logs as they were when each run ended, kept for it.
      await expectKeptSessionLogs(s, 'orders', id1);
      await expectKeptSessionLogs(s, 'orders', id2);
      // A debug run on the session through the SQL Gateway beside the operator's JobManager: its rows
      // file from the shared folder comes back as rows, it ends, its rows files go.
      await expectSessionDebugRun(s.url, TARGET, shared);

      const stopped = await sluice('cluster', 'stop', TARGET);
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toContain(`session cluster ${TARGET} is stopped`);
      expect(
        await waitFor('nothing left in the namespace', 60_000, async () =>
          (await left()).length ? undefined : [],
        ),
      ).toEqual([]);
      // Savepoints stay in the shared folder.
      expect(fs.readdirSync(path.join(shared, TARGET, 'orders', 'savepoints')).length).toBeGreaterThan(0);
    },
    30 * 60_000,
  );
});

import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectorOf } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import { inPlaceUpgradeSteps, TARGET_KINDS } from '../../src/domain/targets/target-kinds.ts';
import {
  countsOf,
  createCounterJarJob,
  expectJarStartedThroughMilestones,
  kubernetesTargetAdd,
  labelledObjects,
  logStepTimes,
  onKubernetes,
  statesSince,
  servedPerDescribe,
} from '../support/kubernetes/e2e.ts';
import { waitFor } from '../support/kubernetes/namespace.ts';

/**
 * Kubernetes targets in operator mode through the platform and the CLI, against the real local
 * cluster and the real Flink Kubernetes Operator (test/support/kubernetes; reused when it runs, never
 * stopped here): each job is a FlinkDeployment, validated by the API server against the operator's
 * CRD and reconciled by the operator. This cluster has no DNS (the operator resolves Services from a
 * hosts file, the TaskManagers find the JobManager through Kubernetes HA), no registry (the image is
 * imported; pull policy Never) and no Ingress.
 */

const NAMESPACE = 'h-opmode';
const FLINK_VERSION = '1.20.3';
const group = 'flink.apache.org';
const k = onKubernetes({
  namespace: NAMESPACE,
  flinkVersion: FLINK_VERSION,
  flinkAccount: true,
  operator: true,
});
const { shared } = k;
let custom: k8s.CustomObjectsApi;
beforeAll(() => {
  custom = k.kc.makeApiClient(k8s.CustomObjectsApi);
});

const COUNTING = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'row');
INSERT INTO snk SELECT id FROM src;`;

/** The job's states through an upgrade in place: the running job ends, the new version starts. */
const IN_PLACE_UPGRADE_STATES = ['STOPPING', 'STOPPED', 'STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING'];

/** Everything in the namespace that carries the run's labels (and its FlinkDeployment), as `Kind/name`. */
async function leftOf(flinkJobId: string): Promise<string[]> {
  return labelledObjects(
    k.objects,
    NAMESPACE,
    [
      ['v1', 'Secret'],
      ['v1', 'Pod'],
      [`${group}/v1beta1`, 'FlinkDeployment'],
    ],
    selectorOf(flinkJobId),
  );
}

describe('Kubernetes operator targets: a job through the platform', () => {
  const served = servedPerDescribe();
  const { sluice, run, author } = served;

  it(
    'registers the target, renders a FlinkDeployment the CRD accepts, starts the SQL job through the pod milestones, stops it with a savepoint, resumes from it and cancels it with nothing left',
    async () => {
      const added = await sluice(
        ...kubernetesTargetAdd(
          'k8s-op',
          { kubeconfig: k.cluster.kubeconfig, namespace: NAMESPACE, mode: 'operator', sharedDir: shared },
          '--upgrade-mode',
          'savepoint',
        ),
      );
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toContain('operator mode (upgrade mode savepoint)');
      const shown = await sluice('target', 'show', 'k8s-op');
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toMatch(/^mode operator, upgrade mode savepoint, image /m);
      // An upgrade mode is the operator's: refused on another mode, with nothing stored.
      const refused = await sluice(
        'target',
        'add',
        'k8s-op-standalone',
        '--kubernetes',
        '--kubeconfig',
        k.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--upgrade-mode',
        'last-state',
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(
        "upgrade mode 'last-state' is the Flink Kubernetes Operator's setting",
      );
      const p = served.t.platform;
      await p.jobs.create({ name: 'orders', sql: COUNTING, target: 'k8s-op' }, author);

      const rendered = await sluice('k8s', 'render', 'orders');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout.match(/^kind: \w+$/gm)).toEqual(['kind: Secret', 'kind: FlinkDeployment']);
      expect(rendered.stdout).toContain('dev.sluice.sqlrunner.SluiceSqlRunner');
      expect(rendered.stdout).toContain('upgradeMode: savepoint');
      expect(rendered.stderr).toMatch(
        /server-side dry run accepted: the API server at \S+ accepted all 2 objects/,
      );
      // A dry run creates nothing.
      const none = await custom.listNamespacedCustomObject({
        group,
        version: 'v1beta1',
        namespace: NAMESPACE,
        plural: 'flinkdeployments',
      });
      expect((none as { items: unknown[] }).items).toEqual([]);

      const first = await run(p.jobs.start('orders', {}, author));
      logStepTimes('orders start', first);
      expect(first.status, JSON.stringify(first.steps.at(-1))).toBe('succeeded');
      expect(first.steps.map((x) => x.name)).toEqual([
        'resolve version',
        'validate',
        ...TARGET_KINDS['kubernetes-operator'].deploySteps.sql!,
      ]);
      expect(await statesSince(p, 'orders')).toEqual(['STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING']);
      const id1 = (await p.jobs.get('orders')).flinkJobId!;
      expect(first.flinkJobId).toBe(id1);
      await p.tracker.tick();
      expect((await p.jobs.get('orders')).state).toBe('RUNNING');
      // The operator runs the job under the id Sluice reserved, and its Secret is owned by the deployment.
      const fdName = `flink-orders-${id1.slice(0, 8)}`;
      const fd = (await custom.getNamespacedCustomObject({
        group,
        version: 'v1beta1',
        namespace: NAMESPACE,
        plural: 'flinkdeployments',
        name: fdName,
      })) as { metadata: { uid: string }; status?: { jobStatus?: { jobId?: string } } };
      await waitFor('the operator to report the job id', 60_000, async () =>
        (
          (await custom.getNamespacedCustomObject({
            group,
            version: 'v1beta1',
            namespace: NAMESPACE,
            plural: 'flinkdeployments',
            name: fdName,
          })) as { status?: { jobStatus?: { jobId?: string } } }
        ).status?.jobStatus?.jobId === id1
          ? true
          : undefined,
      );
      const secret = await k.core.readNamespacedSecret({ name: `${fdName}-program`, namespace: NAMESPACE });
      expect(secret.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'FlinkDeployment',
        uid: fd.metadata.uid,
      });
      const rows = await waitFor('rows in the TaskManager pod log', 90_000, async () => {
        const r = await sluice('job', 'logs', 'orders', '--process', 'taskmanager-1', '--tail', '20');
        return r.code === 0 && /row> \+I\[\d+\]/.test(r.stdout) ? r : undefined;
      });
      expect(rows.stdout).toMatch(/row> \+I\[\d+\]/);

      // A savepoint through the operator: a FlinkStateSnapshot of the deployment, its path read back.
      const triggered = await run(p.jobs.savepoint('orders', author));
      expect(triggered.status, JSON.stringify(triggered.steps.at(-1))).toBe('succeeded');
      expect(triggered.savepointPath).toMatch(
        new RegExp(`^file:${shared}/k8s-op/orders/savepoints/savepoint-`),
      );
      const snapshot = (await custom.listNamespacedCustomObject({
        group,
        version: 'v1beta1',
        namespace: NAMESPACE,
        plural: 'flinkstatesnapshots',
        labelSelector: `sluice.dev/flink-job-id=${id1}`,
      })) as Snapshots;
      expect(snapshot.items.map((x) => [x.metadata?.name, x.status?.state, x.status?.path])).toEqual([
        [expect.stringMatching(new RegExp(`^${fdName}-sluice-`)), 'COMPLETED', triggered.savepointPath],
      ]);
      expect((await p.jobs.savepoints('orders')).map((x) => [x.origin, x.path])).toContainEqual([
        'user',
        triggered.savepointPath,
      ]);

      const stop = await run(p.jobs.stop('orders', false, author));
      expect(stop.status, JSON.stringify(stop.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('orders')).state).toBe('STOPPED');
      expect(stop.savepointPath).toMatch(new RegExp(`^file:${shared}/k8s-op/orders/savepoints/savepoint-`));
      expect(await leftOf(id1)).toEqual([]);

      const second = await run(p.jobs.start('orders', {}, author));
      expect(second.status, JSON.stringify(second.steps.at(-1))).toBe('succeeded');
      expect(second.savepointPath).toBe(stop.savepointPath);
      const id2 = (await p.jobs.get('orders')).flinkJobId!;
      expect(id2).not.toBe(id1);
      const resumed = (await custom.getNamespacedCustomObject({
        group,
        version: 'v1beta1',
        namespace: NAMESPACE,
        plural: 'flinkdeployments',
        name: `flink-orders-${id2.slice(0, 8)}`,
      })) as { spec: { job: { initialSavepointPath?: string } } };
      expect(resumed.spec.job.initialSavepointPath).toBe(stop.savepointPath);
      // With its state: the sequence goes on from where the savepoint left it, not from 1.
      const after = await waitFor('rows of the resumed run', 120_000, async () => {
        const r = await sluice('job', 'logs', 'orders', '--process', 'taskmanager-1', '--tail', '5');
        const ids = [...r.stdout.matchAll(/row> \+I\[(\d+)\]/g)].map((m) => Number(m[1]));
        return r.code === 0 && ids.length ? ids : undefined;
      });
      const lastBefore = Math.max(
        ...[...rows.stdout.matchAll(/row> \+I\[(\d+)\]/g)].map((m) => Number(m[1])),
      );
      expect(Math.min(...after)).toBeGreaterThan(lastBefore);

      // An upgrade in place badUpgrade before the spec change (a bad pod option, badUpgrade while the
      // cluster's files are made) changes nothing: the job runs on in its FlinkDeployment, same id.
      const bad = await p.jobs.get('orders');
      await p.jobs.update(
        'orders',
        bad.currentVersion,
        { options: { 'kubernetes.jobmanager.node-selector': 'kubernetes.io/hostname=x' } },
        'a node selector that is not key:value',
        author,
      );
      const badUpgrade = await run(p.jobs.upgrade('orders', {}, author));
      expect(badUpgrade.status).toBe('failed');
      expect(badUpgrade.failedStep).toBe('prepare cluster files');
      expect(badUpgrade.flinkJobId).toBeNull();
      expect(JSON.stringify(badUpgrade.steps.at(-1))).toContain('is not key:value');
      expect(JSON.stringify(badUpgrade.steps.at(-1))).toContain(`Flink job ${id2} runs on as before`);
      expect(await p.jobs.get('orders')).toMatchObject({
        state: 'RUNNING',
        flinkJobId: id2,
        deployedVersion: 1,
        submissionInFlight: null,
      });
      const untouched = (await custom.getNamespacedCustomObject({
        group,
        version: 'v1beta1',
        namespace: NAMESPACE,
        plural: 'flinkdeployments',
        name: `flink-orders-${id2.slice(0, 8)}`,
      })) as { spec: { flinkConfiguration: Record<string, string> } };
      expect(untouched.spec.flinkConfiguration['$internal.pipeline.job-id']).toBe(id2);

      // An upgrade in place: the running FlinkDeployment's spec changes, the operator takes a
      // savepoint, ends the running job and starts the new version from it under a new job id.
      const job = await p.jobs.get('orders');
      await p.jobs.update(
        'orders',
        job.currentVersion,
        { options: { 'execution.checkpointing.interval': '5s' } },
        'checkpoints every 5 s',
        author,
      );
      const eventsBefore = (await p.jobs.events('orders')).length;
      const lastBeforeUpgrade = await waitFor('rows before the upgrade', 60_000, async () => {
        const r = await sluice('job', 'logs', 'orders', '--process', 'taskmanager-1', '--tail', '5');
        const ids = [...r.stdout.matchAll(/row> \+I\[(\d+)\]/g)].map((m) => Number(m[1]));
        return ids.length ? Math.max(...ids) : undefined;
      });
      const upgrade = await run(p.jobs.upgrade('orders', {}, author));
      logStepTimes('orders upgrade (savepoint)', upgrade);
      expect(upgrade.status, JSON.stringify(upgrade.steps.at(-1))).toBe('succeeded');
      expect(upgrade.steps.map((x) => x.name)).toEqual([
        'resolve version',
        'validate',
        ...inPlaceUpgradeSteps(TARGET_KINDS['kubernetes-operator'], 'sql')!,
      ]);
      expect(await statesSince(p, 'orders', eventsBefore)).toEqual(IN_PLACE_UPGRADE_STATES);
      const upgraded = await p.jobs.get('orders');
      expect(upgraded).toMatchObject({ state: 'RUNNING', deployedVersion: 3 });
      const id3 = upgraded.flinkJobId!;
      expect(id3).not.toBe(id2);
      expect(upgrade.savepointPath).toMatch(
        new RegExp(`^file:${shared}/k8s-op/orders/savepoints/savepoint-`),
      );
      expect((await p.jobs.savepoints('orders')).map((x) => [x.origin, x.path])).toContainEqual([
        'upgrade',
        upgrade.savepointPath,
      ]);
      // The same FlinkDeployment, changed: the new job id, the new version's option, one deployment.
      const inPlace = (await custom.getNamespacedCustomObject({
        group,
        version: 'v1beta1',
        namespace: NAMESPACE,
        plural: 'flinkdeployments',
        name: `flink-orders-${id2.slice(0, 8)}`,
      })) as {
        metadata: { labels: Record<string, string> };
        spec: { flinkConfiguration: Record<string, string> };
        status?: { jobStatus?: { jobId?: string; upgradeSavepointPath?: string } };
      };
      expect(inPlace.metadata.labels['sluice.dev/flink-job-id']).toBe(id3);
      expect(inPlace.spec.flinkConfiguration['$internal.pipeline.job-id']).toBe(id3);
      expect(inPlace.status?.jobStatus?.upgradeSavepointPath).toBe(upgrade.savepointPath);
      expect(await leftOf(id2)).toEqual([]);
      // With its state: the sequence goes on past what the running version had printed.
      const afterUpgrade = await waitFor('rows of the upgraded version', 120_000, async () => {
        const r = await sluice('job', 'logs', 'orders', '--process', 'taskmanager-1', '--tail', '5');
        const ids = [...r.stdout.matchAll(/row> \+I\[(\d+)\]/g)].map((m) => Number(m[1]));
        return r.code === 0 && ids.length ? ids : undefined;
      });
      expect(Math.min(...afterUpgrade)).toBeGreaterThan(lastBeforeUpgrade);

      const cancel = await run(p.jobs.cancel('orders', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('orders')).state).toBe('CANCELLED');
      expect(await leftOf(id3)).toEqual([]);
      const ofJob = await k.objects.list(
        'v1',
        'Pod',
        NAMESPACE,
        undefined,
        undefined,
        undefined,
        undefined,
        'sluice.dev/job=orders',
      );
      expect(ofJob.items).toEqual([]);
      // The operator's records of the savepoints stay with the savepoints (they have no owner): the
      // one Sluice asked for, the suspension's and the upgrade's.
      const snaps = (await custom.listNamespacedCustomObject({
        group,
        version: 'v1beta1',
        namespace: NAMESPACE,
        plural: 'flinkstatesnapshots',
      })) as Snapshots;
      expect(
        snaps.items
          .map((x) => [x.status?.state, x.status?.path])
          .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      ).toEqual(
        [triggered.savepointPath, stop.savepointPath, upgrade.savepointPath]
          .sort()
          .map((sp) => ['COMPLETED', sp]),
      );
      // The newest savepoint stays in the shared folder.
      expect(fs.existsSync(path.join(new URL(upgrade.savepointPath!).pathname, '_metadata'))).toBe(true);
    },
    25 * 60_000,
  );

  it(
    'runs JAR jobs through the operator (their jar, stored 0600, readable in the pods; RUNNING through the pod milestones) and upgrades them in place with upgrade modes stateless (the new version starts from nothing) and last-state (from the latest checkpoint, no savepoint), cancelled with nothing left',
    async () => {
      const p = served.t.platform;
      const modes = [
        { mode: 'stateless', target: 'k8s-op-stateless', job: 'count-stateless' },
        { mode: 'last-state', target: 'k8s-op-last-state', job: 'count-last-state' },
      ] as const;
      for (const m of modes) {
        const added = await sluice(
          ...kubernetesTargetAdd(
            m.target,
            { kubeconfig: k.cluster.kubeconfig, namespace: NAMESPACE, mode: 'operator', sharedDir: shared },
            '--upgrade-mode',
            m.mode,
          ),
        );
        expect(added.code, added.stderr).toBe(0);
        expect(added.stdout).toContain(`operator mode (upgrade mode ${m.mode})`);
        // last-state needs checkpoints (the operator refuses it without); both take them.
        await createCounterJarJob(p, FLINK_VERSION, m.target, author, {
          name: m.job,
          options: { 'execution.checkpointing.interval': '2s' },
        });
      }
      // Both jobs run side by side: the cluster time is one job's.
      const t0 = Date.now();
      const starts = await Promise.all(modes.map((m) => run(p.jobs.start(m.job, {}, author))));
      console.log(`two JAR jobs started through the operator: ${Date.now() - t0} ms`);
      for (const [i, s] of starts.entries()) {
        const { job } = modes[i]!;
        await expectJarStartedThroughMilestones(p, job, s, 'kubernetes-operator');
        // The jar went to the pods through the shared folder, readable by the pods' Flink user.
        const usrlib = path.join(shared, modes[i]!.target, job, s.flinkJobId!, 'usrlib');
        expect(fs.readdirSync(usrlib).length).toBeGreaterThan(0);
        for (const f of fs.readdirSync(usrlib))
          expect(fs.statSync(path.join(usrlib, f)).mode & 0o777).toBe(0o644);
      }
      const running = await Promise.all(
        modes.map(async (m) => {
          const id = (await p.jobs.get(m.job)).flinkJobId!;
          // A checkpoint completed, and k0 counted well past it.
          const checkpoint = await waitFor(`a checkpoint of ${m.job}`, 120_000, async () => {
            const c = (await p.jobs.get(m.job)).runtime?.lastCheckpoint;
            return c ? c.id : undefined;
          });
          const counted = await waitFor(`k0 of ${m.job} past 40`, 120_000, async () => {
            const k0 = countsOf(await taskManagerLog(id), 'k0');
            return k0.length && Math.max(...k0) > 40 ? Math.max(...k0) : undefined;
          });
          const job = await p.jobs.get(m.job);
          await p.jobs.update(
            m.job,
            job.currentVersion,
            { options: { 'execution.checkpointing.interval': '3s' } },
            'checkpoints every 3 s',
            author,
          );
          return { ...m, id, checkpoint, counted, events: (await p.jobs.events(m.job)).length };
        }),
      );

      const t1 = Date.now();
      const upgrades = await Promise.all(modes.map((m) => run(p.jobs.upgrade(m.job, {}, author))));
      console.log(`two upgrades in place through the operator: ${Date.now() - t1} ms`);
      for (const [i, r] of running.entries()) {
        const upgrade = upgrades[i]!;
        logStepTimes(`${r.job} upgrade (${r.mode})`, upgrade);
        expect(upgrade.status, JSON.stringify(upgrade.steps.at(-1))).toBe('succeeded');
        expect(upgrade.steps.map((x) => x.name)).toEqual([
          'resolve version',
          'validate',
          ...inPlaceUpgradeSteps(TARGET_KINDS['kubernetes-operator'], 'jar')!,
        ]);
        expect(await statesSince(p, r.job, r.events)).toEqual(IN_PLACE_UPGRADE_STATES);
        // Neither mode takes a savepoint: none recorded, none on the submission.
        expect(upgrade.savepointPath).toBeNull();
        expect((await p.jobs.savepoints(r.job)).map((x) => x.origin)).toEqual([]);
        expect(await p.jobs.get(r.job)).toMatchObject({ state: 'RUNNING', deployedVersion: 2 });
      }
      const [stateless, lastState] = running;
      const change = (u: (typeof upgrades)[number]) =>
        JSON.stringify(u.steps.find((x) => x.name === 'change FlinkDeployment spec')?.log);

      // stateless: a new Flink job id, and the new version counts from nothing.
      const statelessId = (await p.jobs.get(stateless!.job)).flinkJobId!;
      expect(statelessId).not.toBe(stateless!.id);
      expect(change(upgrades[0]!)).toContain(
        'no state: the new version starts empty (upgrade mode stateless)',
      );
      const fresh = await waitFor('k0 of the stateless upgrade', 120_000, async () => {
        const k0 = countsOf(await taskManagerLog(statelessId), 'k0');
        return k0.length ? k0 : undefined;
      });
      expect(fresh[0]).toBe(1);

      // last-state: the same Flink job id (its HA data is found by it), restored from its latest
      // checkpoint, not a savepoint: the counts go on, the checkpoint ids too.
      expect((await p.jobs.get(lastState!.job)).flinkJobId).toBe(lastState!.id);
      expect(change(upgrades[1]!)).toContain(
        'its latest checkpoint, found by its HA data (upgrade mode last-state)',
      );
      const resumed = await waitFor('k0 of the last-state upgrade', 120_000, async () => {
        const k0 = countsOf(await taskManagerLog(lastState!.id), 'k0');
        return k0.length ? k0 : undefined;
      });
      expect(resumed[0]).toBeGreaterThan(1);
      const restored = await waitFor('Flink to report the restore', 60_000, async () => {
        const c = await flinkCheckpoints(lastState!.id);
        return c.latest?.restored ? c.latest.restored : undefined;
      });
      expect(restored.is_savepoint).toBe(false);
      expect(restored.id).toBeGreaterThanOrEqual(lastState!.checkpoint);
      expect(restored.external_path).toContain(`${shared}/k8s-op-last-state/count-last-state/`);

      await Promise.all(
        modes.map(async (m) => {
          const cancel = await run(p.jobs.cancel(m.job, author));
          expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
          expect((await p.jobs.get(m.job)).state).toBe('CANCELLED');
        }),
      );
      expect(await leftOf(statelessId)).toEqual([]);
      expect(await leftOf(lastState!.id)).toEqual([]);
    },
    20 * 60_000,
  );
});

/** The log of the running TaskManager pod(s) of a Flink job, read from the pods themselves. */
async function taskManagerLog(flinkJobId: string): Promise<string> {
  const pods = await k.core.listNamespacedPod({
    namespace: NAMESPACE,
    labelSelector: selectorOf(flinkJobId),
  });
  const logs = await Promise.all(
    pods.items
      .filter((x) => !x.metadata?.deletionTimestamp && x.metadata?.name?.includes('-taskmanager-'))
      .filter((x) => x.status?.phase === 'Running')
      .map((x) =>
        k.core.readNamespacedPodLog({ name: x.metadata!.name!, namespace: NAMESPACE }).catch(() => ''),
      ),
  );
  return logs.join('\n');
}

/** Flink's checkpoint statistics of a job, through the API server's proxy of its REST Service. */
async function flinkCheckpoints(
  flinkJobId: string,
): Promise<{ latest?: { restored?: { id: number; is_savepoint: boolean; external_path: string } | null } }> {
  const pods = await k.core.listNamespacedPod({
    namespace: NAMESPACE,
    labelSelector: selectorOf(flinkJobId),
  });
  const jm = pods.items.find((x) => !x.metadata?.name?.includes('-taskmanager-'));
  const name = jm?.metadata?.labels?.app;
  if (!name) return {};
  const body = await k.core
    .connectGetNamespacedServiceProxyWithPath({
      name: `${name}-rest:rest`,
      namespace: NAMESPACE,
      path: `jobs/${flinkJobId}/checkpoints`,
    })
    .catch(() => '{}');
  return JSON.parse(typeof body === 'string' ? body : JSON.stringify(body)) as never;
}

type Snapshots = { items: { metadata?: { name?: string }; status?: { state?: string; path?: string } }[] };

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubernetesNativeTarget } from '../../src/adapters/kubernetes/native/native-target.ts';
import { selectorOf } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import { kubernetesTargetSpecOf } from '../../src/domain/targets/kubernetes-target.ts';
import { TARGET_KINDS } from '../../src/domain/targets/target-kinds.ts';
import { waitFor } from '../support/kubernetes/namespace.ts';
import { FLINK_SERVICE_ACCOUNT } from '../support/kubernetes/operator.ts';
import {
  countsOf,
  createCounterJarJob,
  expectJarStartedThroughMilestones,
  labelledObjects,
  logStepTimes,
  onKubernetes,
  scrapedPodsOf,
  statesSince,
  servedPerDescribe,
} from '../support/kubernetes/e2e.ts';

/**
 * Kubernetes targets in native mode through the platform and the CLI, against the real local cluster
 * (test/support/kubernetes; reused when it runs, never stopped here): Flink's own client, run by the
 * platform on this machine, creates each job's JobManager Deployment; the JobManager creates its
 * TaskManager pods as the `flink` service account (ClusterRole edit in the namespace). This cluster has
 * no DNS (the TaskManagers find the JobManager through Kubernetes HA, always on in this way), no
 * registry (the image is imported; pull policy Never) and no LoadBalancer (the REST Service is a
 * ClusterIP, reached through the API server's proxy).
 */

const NAMESPACE = 'h-native';
const FLINK_VERSION = '1.20.3';
const k = onKubernetes({ namespace: NAMESPACE, flinkVersion: FLINK_VERSION, flinkAccount: true });
const { shared } = k;

const COUNTING = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'row');
INSERT INTO snk SELECT id FROM src;`;

/** What the run left in the namespace: its labelled objects, and Flink's ConfigMaps of its cluster id. */
async function leftOf(flinkJobId: string, job = 'orders'): Promise<string[]> {
  return [
    ...(await labelledObjects(
      k.objects,
      NAMESPACE,
      [
        ['apps/v1', 'Deployment'],
        ['v1', 'Pod'],
        ['v1', 'Secret'],
        ['networking.k8s.io/v1', 'Ingress'],
      ],
      selectorOf(flinkJobId),
    )),
    // Flink's own objects of the cluster id carry its `app` label, not Sluice's.
    ...(await labelledObjects(
      k.objects,
      NAMESPACE,
      [
        ['v1', 'ConfigMap'],
        ['v1', 'Service'],
      ],
      `app=flink-${job}-${flinkJobId.slice(0, 8)}`,
    )),
  ];
}

describe("Kubernetes native targets: a job deployed by Flink's own client", () => {
  const served = servedPerDescribe();
  const { sluice, run, author } = served;

  it(
    'registers the target (its JobManager account checked), refuses a bad Ingress template before anything is made, starts a SQL job through the pod milestones with an Ingress to its Web UI, stops it with a savepoint, resumes from it (adopted by a new platform process), cancels it with nothing left',
    async () => {
      // A service account the JobManager cannot create pods as is refused at registration, saying why.
      await k.core.createNamespacedServiceAccount({
        namespace: NAMESPACE,
        body: { metadata: { name: 'bare' } },
      });
      const refused = await sluice(
        'target',
        'add',
        'k8s-bare',
        '--kubernetes',
        '--kubeconfig',
        k.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'native',
        '--service-account',
        'bare',
        '--shared-dir',
        shared,
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('service account bare may not create pods');
      expect(refused.stderr).toContain('kubectl create rolebinding bare-edit --clusterrole=edit');

      const added = await sluice(
        'target',
        'add',
        'k8s-native',
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
      );
      expect(added.code, added.stderr).toBe(0);
      const p = served.t.platform;
      // A bad Ingress template is refused before anything is made, naming the option.
      await p.jobs.create(
        {
          name: 'bad-ingress',
          sql: COUNTING,
          target: 'k8s-native',
          options: { 'sluice.ingress.template': 'Flink_UI.example.com/{{job}}' },
        },
        author,
      );
      const refusedStart = await run(p.jobs.start('bad-ingress', {}, author));
      expect(refusedStart.status).toBe('failed');
      expect(refusedStart.steps.at(-1)?.name).toBe('prepare cluster files');
      expect(JSON.stringify(refusedStart.steps.at(-1))).toContain(
        "option 'sluice.ingress.template': 'Flink_UI.example.com/{{job}}': 'Flink_UI.example.com' is not a host name",
      );
      expect(
        await labelledObjects(
          k.objects,
          NAMESPACE,
          [
            ['apps/v1', 'Deployment'],
            ['v1', 'Secret'],
            ['networking.k8s.io/v1', 'Ingress'],
          ],
          'sluice.dev/job=bad-ingress',
        ),
      ).toEqual([]);

      // The Web UI by an Ingress (a host per job, its class and annotations): this cluster has no
      // Ingress controller, so the Ingress is made, validated by the API server and read back, never reached.
      await p.jobs.create(
        {
          name: 'orders',
          sql: COUNTING,
          target: 'k8s-native',
          options: {
            'sluice.ingress.template': '{{job}}.flink.sluice.test',
            'sluice.ingress.class-name': 'nginx',
            'sluice.ingress.annotations': 'nginx.ingress.kubernetes.io/proxy-body-size:64m',
          },
        },
        author,
      );

      const rendered = await sluice('k8s', 'render', 'orders');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout.match(/^kind: \w+$/gm)).toEqual([
        'kind: Secret',
        'kind: ConfigMap',
        'kind: Pod',
        'kind: Pod',
        'kind: Ingress',
      ]);
      expect(rendered.stdout).toContain('host: orders.flink.sluice.test');
      expect(rendered.stdout).toContain('"execution.target": "kubernetes-application"');
      expect(rendered.stdout).toContain('"high-availability.type": "kubernetes"');
      expect(rendered.stderr).toMatch(/server-side dry run accepted/);
      expect(await k.apps.listNamespacedDeployment({ namespace: NAMESPACE }).then((l) => l.items)).toEqual(
        [],
      );

      const first = await run(p.jobs.start('orders', {}, author));
      logStepTimes('orders start', first);
      expect(first.status, JSON.stringify(first.steps.at(-1))).toBe('succeeded');
      expect(first.steps.map((x) => x.name)).toEqual([
        'resolve version',
        'validate',
        ...TARGET_KINDS['kubernetes-native'].deploySteps.sql!,
      ]);
      expect(await statesSince(p, 'orders')).toEqual(['STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'RUNNING']);
      const id1 = (await p.jobs.get('orders')).flinkJobId!;
      expect(first.flinkJobId).toBe(id1);
      // Its pods, the TaskManager's made by Flink's JobManager, are listed for Prometheus and proxied.
      const scraped = await scrapedPodsOf(served.url, {
        target: 'k8s-native',
        namespace: NAMESPACE,
        job: { name: 'orders', flinkJobId: id1 },
      });
      expect(
        scraped
          .map((g) => [g.labels.role, g.labels.process.startsWith(`flink-orders-${id1.slice(0, 8)}-`)])
          .sort(),
      ).toEqual([
        ['jobmanager', true],
        ['taskmanager', true],
      ]);
      // Flink's client made the JobManager Deployment with Sluice's labels; the JobManager made the
      // TaskManager pod, owned by that Deployment; the plan Secret is owned by it too.
      const name = `flink-orders-${id1.slice(0, 8)}`;
      const deployment = await k.apps.readNamespacedDeployment({ name, namespace: NAMESPACE });
      expect(deployment.metadata?.labels).toMatchObject({
        type: 'flink-native-kubernetes',
        'sluice.dev/flink-job-id': id1,
        'sluice.dev/target': 'k8s-native',
      });
      const tms = await k.core.listNamespacedPod({
        namespace: NAMESPACE,
        labelSelector: `${selectorOf(id1)},component=taskmanager`,
      });
      expect(tms.items).toHaveLength(1);
      expect(tms.items[0]!.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'Deployment',
        uid: deployment.metadata?.uid,
      });
      expect(tms.items[0]!.spec?.serviceAccountName).toBe(FLINK_SERVICE_ACCOUNT);
      const secret = await k.core.readNamespacedSecret({ name: `${name}-program`, namespace: NAMESPACE });
      expect(secret.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name });
      // The Ingress Sluice applied once Flink's client made the Deployment: to Flink's `-rest` Service,
      // with the class and annotations asked, owned by the Deployment (it goes with the cluster).
      const ingress = await k.objects.read<k8s.V1Ingress>({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `${name}-rest`, namespace: NAMESPACE },
      });
      expect(ingress.spec?.ingressClassName).toBe('nginx');
      expect(ingress.metadata?.annotations).toMatchObject({
        'nginx.ingress.kubernetes.io/proxy-body-size': '64m',
      });
      expect(ingress.spec?.rules).toEqual([
        {
          host: 'orders.flink.sluice.test',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: `${name}-rest`, port: { number: 8081 } } },
              },
            ],
          },
        },
      ]);
      expect(ingress.metadata?.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Deployment', name, uid: deployment.metadata?.uid }),
      ]);
      const restService = await k.core.readNamespacedService({ name: `${name}-rest`, namespace: NAMESPACE });
      expect(restService.spec?.ports?.map((x) => x.port)).toContain(8081);
      expect(first.steps.find((x) => x.name === "run Flink's Kubernetes client")?.log.join('\n')).toContain(
        `applied Ingress ${name}-rest (orders.flink.sluice.test/ to Service ${name}-rest)`,
      );
      // Kubernetes HA is on: its leader ConfigMaps exist for the cluster.
      const ha = await k.core.listNamespacedConfigMap({
        namespace: NAMESPACE,
        labelSelector: `app=${name},configmap-type=high-availability`,
      });
      expect(ha.items.length).toBeGreaterThan(0);
      const rows = await waitFor('rows in the TaskManager pod log', 90_000, async () => {
        const r = await sluice('job', 'logs', 'orders', '--process', 'taskmanager-1', '--tail', '20');
        return r.code === 0 && /row> \+I\[\d+\]/.test(r.stdout) ? r : undefined;
      });
      expect(rows.stdout).toMatch(/row> \+I\[\d+\]/);

      const stop = await run(p.jobs.stop('orders', false, author));
      expect(stop.status, JSON.stringify(stop.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('orders')).state).toBe('STOPPED');
      expect(stop.savepointPath).toMatch(
        new RegExp(`^file:${shared}/k8s-native/orders/savepoints/savepoint-`),
      );
      expect(await leftOf(id1)).toEqual([]);

      const second = await run(p.jobs.start('orders', {}, author));
      expect(second.status, JSON.stringify(second.steps.at(-1))).toBe('succeeded');
      expect(second.savepointPath).toBe(stop.savepointPath);
      const id2 = (await p.jobs.get('orders')).flinkJobId!;
      expect(id2).not.toBe(id1);
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

      // A platform process started afresh finds the running cluster by its labels and reads its job.
      const spec = kubernetesTargetSpecOf(
        {
          name: 'k8s-native',
          engineVersion: '1.20',
          kubeconfig: k.cluster.kubeconfig,
          namespace: NAMESPACE,
          mode: 'native',
          imagePullPolicy: 'Never',
          serviceAccount: FLINK_SERVICE_ACCOUNT,
          sharedDir: shared,
        },
        FLINK_VERSION,
      );
      const again = new KubernetesNativeTarget({
        spec,
        flinkVersion: async () => FLINK_VERSION,
        sluiceHome: fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-native-adopt-')),
        workbench: null,
      });
      try {
        expect(await again.adopt(() => {})).toEqual([id2]);
        expect(await again.jobState(id2)).toBe('RUNNING');
      } finally {
        again.detach();
      }

      const cancel = await run(p.jobs.cancel('orders', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('orders')).state).toBe('CANCELLED');
      expect(await leftOf(id2)).toEqual([]);
      // Nothing of the job stays in the namespace: no Deployment, pod, Service, or ConfigMap but the
      // namespace's own CA bundle.
      expect((await k.apps.listNamespacedDeployment({ namespace: NAMESPACE })).items).toEqual([]);
      expect((await k.core.listNamespacedPod({ namespace: NAMESPACE })).items).toEqual([]);
      expect((await k.core.listNamespacedService({ namespace: NAMESPACE })).items).toEqual([]);
      expect(
        (await k.core.listNamespacedConfigMap({ namespace: NAMESPACE })).items.map((c) => c.metadata?.name),
      ).toEqual(['kube-root-ca.crt']);
      // Its savepoint stays in the shared folder.
      expect(fs.existsSync(path.join(new URL(stop.savepointPath!).pathname, '_metadata'))).toBe(true);
    },
    25 * 60_000,
  );

  it(
    'runs a JAR job on the same target through the CLI: RUNNING through the pod milestones, stopped with a savepoint, resumed with its counts, cancelled with nothing left',
    async () => {
      const p = served.t.platform;
      await createCounterJarJob(p, FLINK_VERSION, 'k8s-native', author);
      const t0 = Date.now();
      const started = await sluice('job', 'start', 'jar-counter');
      console.log(`JAR job start to RUNNING through Flink's native client: ${Date.now() - t0} ms`);
      expect(started.code, started.stderr + started.stdout).toBe(0);
      const first = (await p.jobs.submissions('jar-counter')).at(-1)!;
      await expectJarStartedThroughMilestones(p, 'jar-counter', first, 'kubernetes-native');
      const id1 = (await p.jobs.get('jar-counter')).flinkJobId!;
      // The jar went to the pods through the shared folder, readable by the pods' Flink user.
      const usrlib = path.join(shared, 'k8s-native', 'jar-counter', id1, 'usrlib');
      expect(fs.readdirSync(usrlib).length).toBeGreaterThan(0);
      const tmLog = (tail: string) =>
        sluice('job', 'logs', 'jar-counter', '--process', 'taskmanager-1', '--tail', tail);
      const before = await waitFor('k0 counted past 20 in the TaskManager pod log', 120_000, async () => {
        const r = await tmLog('40');
        const k0 = countsOf(r.stdout, 'k0');
        return r.code === 0 && k0.length && Math.max(...k0) > 20 ? Math.max(...k0) : undefined;
      });

      const stopped = await sluice('job', 'stop', 'jar-counter');
      expect(stopped.code, stopped.stderr + stopped.stdout).toBe(0);
      const stop = (await p.jobs.submissions('jar-counter')).at(-1)!;
      expect(stop.kind).toBe('stop');
      expect(stop.status, JSON.stringify(stop.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('jar-counter')).state).toBe('STOPPED');
      expect(stop.savepointPath).toMatch(
        new RegExp(`^file:${shared}/k8s-native/jar-counter/savepoints/savepoint-`),
      );
      expect(await leftOf(id1, 'jar-counter')).toEqual([]);

      const resumed = await sluice('job', 'start', 'jar-counter');
      expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
      const second = (await p.jobs.submissions('jar-counter')).at(-1)!;
      logStepTimes('jar-counter resume', second);
      expect(second.status, JSON.stringify(second.steps.at(-1))).toBe('succeeded');
      expect(second.savepointPath).toBe(stop.savepointPath);
      const id2 = (await p.jobs.get('jar-counter')).flinkJobId!;
      expect(id2).not.toBe(id1);
      // With its state: k0 counts on from the savepoint, not from 1.
      const after = await waitFor('k0 counted by the resumed run', 120_000, async () => {
        const r = await tmLog('2000');
        const k0 = countsOf(r.stdout, 'k0');
        return r.code === 0 && k0.length ? k0 : undefined;
      });
      expect(after[0]).toBeGreaterThan(before);

      const cancelled = await sluice('job', 'cancel', 'jar-counter');
      expect(cancelled.code, cancelled.stderr + cancelled.stdout).toBe(0);
      expect((await p.jobs.get('jar-counter')).state).toBe('CANCELLED');
      expect(await leftOf(id2, 'jar-counter')).toEqual([]);
      expect((await k.apps.listNamespacedDeployment({ namespace: NAMESPACE })).items).toEqual([]);
      expect((await k.core.listNamespacedPod({ namespace: NAMESPACE })).items).toEqual([]);
    },
    15 * 60_000,
  );
});

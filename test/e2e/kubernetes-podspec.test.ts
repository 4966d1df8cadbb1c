import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  haConfigMapSelector,
  selectorOf,
} from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import { randomBytes } from 'node:crypto';
import { KubernetesOperatorTarget } from '../../src/adapters/kubernetes/operator/operator-target.ts';
import { KubernetesStandaloneTarget } from '../../src/adapters/kubernetes/standalone/standalone-target.ts';
import type { ApplicationSpec } from '../../src/domain/targets/deployment-target.ts';
import type { KubernetesTargetSpec } from '../../src/domain/targets/kubernetes-target.ts';
import { waitFor } from '../support/kubernetes/namespace.ts';
import { NODE_NAME } from '../support/kubernetes/cluster.ts';
import { FLINK_SERVICE_ACCOUNT } from '../support/kubernetes/operator.ts';
import {
  labelledObjects,
  onKubernetes,
  servedPerDescribe,
  STANDALONE_KINDS,
} from '../support/kubernetes/e2e.ts';
import { runSluice } from '../support/cli.ts';
import { authHeaders } from '../support/credentials.ts';

/**
 * A standalone Kubernetes job whose pods come from its spec, on the real local cluster (reused, never
 * stopped here) through the platform: Flink's own pod options and a pod template on its pods, REST
 * exposed by a NodePort Service and an Ingress, Flink's Web UI through Sluice's read-only proxy (the
 * API server's service proxy), and Kubernetes HA: a killed JobManager pod recovers the job from its
 * latest checkpoint. This cluster has no Ingress controller and no load balancer: the Ingress and the
 * NodePort Service are created, validated by the API server and read back, never reached; no DNS (the
 * TaskManagers reach the JobManager by its Service's ClusterIP).
 */

const NAMESPACE = 'h-podspec';
const TARGET = 'k8s-podspec';
const FLINK_VERSION = '1.20.3';
const k = onKubernetes({ namespace: NAMESPACE, flinkVersion: FLINK_VERSION, flinkAccount: true });
const { shared } = k;

/** A sequence source: after a recovery the ids go on from the checkpoint, not from 1. */
const COUNTING = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'row');
INSERT INTO snk SELECT id FROM src;`;

const TEMPLATE = `apiVersion: v1
kind: Pod
metadata:
  labels: { from-template: "yes" }
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions: [{ key: kubernetes.io/os, operator: In, values: [linux] }]
  containers:
    - name: flink-main-container
      env: [{ name: SLUICE_TEMPLATE, value: merged }]
`;

async function leftOf(selector: string): Promise<string[]> {
  return labelledObjects(
    k.objects,
    NAMESPACE,
    [...STANDALONE_KINDS, ['networking.k8s.io/v1', 'Ingress']],
    selector,
  );
}

/** The ids the job printed in a TaskManager pod's log (the print sink writes to its stdout). */
async function printed(pod: string): Promise<number[]> {
  const text = await k.core
    .readNamespacedPodLog({ name: pod, namespace: NAMESPACE, container: 'taskmanager' })
    .catch(() => '');
  return [...text.matchAll(/^row> \+I\[(\d+)\]$/gm)].map((m) => Number(m[1]));
}

describe('what each way renders from the pod options, checked by the real API server (server-side dry run)', () => {
  const jarSpec = (options: Record<string, string>): ApplicationSpec => {
    const jar = path.join(shared, 'rendered.jar');
    fs.writeFileSync(jar, 'never run: rendered only');
    return {
      jobName: 'rendered',
      space: 'default',
      flinkJobId: randomBytes(16).toString('hex'),
      program: { kind: 'jar', entryClass: 'com.acme.Main', args: [], options },
      jars: [jar],
      savepoint: null,
      allowNonRestoredState: false,
      resources: {
        taskManagers: 1,
        slotsPerTaskManager: 1,
        jobManagerMemory: '1024m',
        taskManagerMemory: '1024m',
      },
    };
  };
  const spec = (mode: 'standalone' | 'operator'): KubernetesTargetSpec => ({
    name: `k8s-${mode}`,
    engineVersion: '1.20',
    kubeconfig: k.cluster.kubeconfig,
    context: null,
    namespace: NAMESPACE,
    mode,
    image: `flink:${FLINK_VERSION}-java17`,
    imagePullPolicy: 'Never',
    imagePullSecrets: [],
    serviceAccount: FLINK_SERVICE_ACCOUNT,
    sharedDir: shared,
    flinkConfiguration: {
      'kubernetes.rest-service.exposed.type': 'LoadBalancer',
      'kubernetes.rest-service.annotations': 'service.beta.kubernetes.io/aws-load-balancer-internal:true',
      'sluice.ingress.template': '{{job}}.flink.sluice.test',
      'sluice.kubernetes.log-host-path': '/var/log/flink',
    },
  });
  const options = () => {
    const template = path.join(shared, 'rendered-template.yaml');
    fs.writeFileSync(template, TEMPLATE);
    return {
      'kubernetes.pod-template-file.taskmanager': template,
      'kubernetes.jobmanager.tolerations': 'key:dedicated,operator:Exists,effect:NoSchedule',
      'kubernetes.jobmanager.node-selector': `kubernetes.io/hostname:${NODE_NAME}`,
    };
  };
  const opts = (mode: 'standalone' | 'operator') => ({
    spec: spec(mode),
    flinkVersion: async () => FLINK_VERSION,
    sluiceHome: path.join(shared, 'home'),
    workbench: null,
  });

  it('standalone: a LoadBalancer rest Service with its annotations, an Ingress, the merged pods', async () => {
    const t = new KubernetesStandaloneTarget(opts('standalone'));
    try {
      const r = await t.render(jarSpec(options()), () => {});
      expect(r.objects.map((o) => o.kind)).toEqual([
        'ConfigMap',
        'Service',
        'Service',
        'Ingress',
        'Deployment',
        'Deployment',
      ]);
      expect(r.yaml).toContain('type: LoadBalancer');
      expect(r.yaml).toContain('host: rendered.flink.sluice.test');
      expect(r.yaml).toContain('SLUICE_TEMPLATE');
      expect(r.dryRun).toEqual({ accepted: true, detail: expect.stringContaining('accepted all 6 objects') });
    } finally {
      t.detach();
    }
  });

  it('operator: the FlinkDeployment with the pod options in its role templates and spec.ingress, valid against the operator’s CRD', async () => {
    const t = new KubernetesOperatorTarget(opts('operator'));
    try {
      const r = await t.render(jarSpec(options()), () => {});
      expect(r.dryRun, r.dryRun?.detail).toEqual({
        accepted: true,
        detail: expect.stringContaining("against the operator's CRD"),
      });
      expect(r.yaml).toContain('template: rendered.flink.sluice.test/');
      expect(r.yaml).toContain('SLUICE_TEMPLATE');
      expect(r.yaml).toContain('kubernetes.rest-service.exposed.type: LoadBalancer');
    } finally {
      t.detach();
    }
  });
});

describe('a standalone Kubernetes job whose pods come from its spec, with HA, exposure and the UI proxy', () => {
  const served = servedPerDescribe();
  const { run, author } = served;

  it(
    'runs a job with node selector, tolerations, labels and a pod template on its pods, exposed by NodePort and Ingress, its Flink UI through the proxy; a killed JobManager pod recovers it from its checkpoint; cancel leaves nothing',
    async () => {
      const template = path.join(shared, 'pod-template.yaml');
      fs.writeFileSync(template, TEMPLATE);
      // Target defaults: a toleration for every TaskManager and the Ingress of every job's Web UI.
      const added = await runSluice(served.url, [
        'target',
        'add',
        TARGET,
        '--kubernetes',
        '--kubeconfig',
        k.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--service-account',
        FLINK_SERVICE_ACCOUNT,
        '--shared-dir',
        shared,
        '--flink-option',
        'kubernetes.taskmanager.tolerations=key:dedicated,operator:Equal,value:flink,effect:NoSchedule',
        'sluice.ingress.template=flink.sluice.test/{{job}}',
        'sluice.ingress.class-name=nginx',
      ]);
      expect(added.code, added.stderr).toBe(0);
      const p = served.t.platform;

      // A bad value is refused before anything is applied, saying which option and how to write it.
      await p.jobs.create(
        {
          name: 'bad-pods',
          sql: COUNTING,
          target: TARGET,
          options: { 'kubernetes.jobmanager.node-selector': 'kubernetes.io/hostname=x' },
        },
        author,
      );
      const refused = await run(p.jobs.start('bad-pods', {}, author));
      expect(refused.status).toBe('failed');
      expect(JSON.stringify(refused.steps.at(-1))).toContain(
        "option 'kubernetes.jobmanager.node-selector': 'kubernetes.io/hostname=x': 'kubernetes.io/hostname=x' is not key:value",
      );
      expect(await leftOf('sluice.dev/job=bad-pods')).toEqual([]);

      await p.jobs.create(
        {
          name: 'orders',
          sql: COUNTING,
          target: TARGET,
          options: {
            'high-availability.type': 'kubernetes',
            'execution.checkpointing.interval': '2s',
            'kubernetes.jobmanager.node-selector': `kubernetes.io/hostname:${NODE_NAME}`,
            'kubernetes.taskmanager.node-selector': 'kubernetes.io/os:linux',
            'kubernetes.jobmanager.labels': 'team:data',
            'kubernetes.taskmanager.annotations': 'sluice.test/owner:team data',
            'kubernetes.pod-template-file.default': template,
            'kubernetes.rest-service.exposed.type': 'NodePort',
            // The node is this machine: its folder is seen here.
            'sluice.kubernetes.log-host-path': path.join(shared, 'node-logs'),
          },
        },
        author,
      );
      const t0 = Date.now();
      const first = await run(p.jobs.start('orders', {}, author));
      console.log(`start to RUNNING (HA, pod template): ${Date.now() - t0} ms`);
      expect(first.status, JSON.stringify(first.steps.at(-1))).toBe('succeeded');
      const id = (await p.jobs.get('orders')).flinkJobId!;
      const name = `flink-orders-${id.slice(0, 8)}`;

      // The pods carry what the spec asked, over Sluice's own labels and container.
      const pods = await k.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selectorOf(id) });
      const jm = pods.items.find((x) => x.metadata!.labels!['app.kubernetes.io/component'] === 'jobmanager')!;
      const tm = pods.items.find(
        (x) => x.metadata!.labels!['app.kubernetes.io/component'] === 'taskmanager',
      )!;
      expect(jm.metadata!.labels).toMatchObject({
        team: 'data',
        'from-template': 'yes',
        'sluice.dev/job': 'orders',
      });
      expect(jm.spec!.nodeSelector).toEqual({ 'kubernetes.io/hostname': NODE_NAME });
      expect(tm.spec!.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
      expect(tm.spec!.tolerations).toContainEqual({
        key: 'dedicated',
        operator: 'Equal',
        value: 'flink',
        effect: 'NoSchedule',
      });
      expect(tm.metadata!.annotations).toMatchObject({ 'sluice.test/owner': 'team data' });
      for (const pod of [jm, tm]) {
        expect(pod.spec!.affinity!.nodeAffinity).toBeDefined();
        expect(pod.spec!.containers.map((c) => c.name)).toEqual([pod === jm ? 'jobmanager' : 'taskmanager']);
        expect(pod.spec!.containers[0]!.env).toContainEqual({ name: 'SLUICE_TEMPLATE', value: 'merged' });
        expect(pod.spec!.serviceAccountName).toBe(FLINK_SERVICE_ACCOUNT);
      }

      // The Flink log files are on the node, per job, beside the pod logs.
      const logDir = path.join(shared, 'node-logs', 'orders');
      const jmLog = fs.readdirSync(logDir).find((f) => /standalonejob.*\.log$/.test(f));
      expect(jmLog, fs.readdirSync(logDir).join(', ')).toBeDefined();
      expect(fs.readFileSync(path.join(logDir, jmLog!), 'utf8')).toContain(
        'StandaloneApplicationClusterEntryPoint',
      );
      expect(fs.readdirSync(logDir).some((f) => /taskexecutor.*\.log$/.test(f))).toBe(true);

      // Exposure: the API server accepted and keeps them; with no Ingress controller nor load balancer
      // here, nothing answers on them (the Ingress gets no address).
      const rest = await k.core.readNamespacedService({ name: `${name}-rest`, namespace: NAMESPACE });
      expect(rest.spec!.type).toBe('NodePort');
      expect(rest.spec!.ports![0]!.nodePort).toBeGreaterThanOrEqual(30000);
      const ingress = (await k.objects.read({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `${name}-rest`, namespace: NAMESPACE },
      })) as k8s.V1Ingress;
      expect(ingress.spec!.ingressClassName).toBe('nginx');
      expect(ingress.spec!.rules![0]).toMatchObject({
        host: 'flink.sluice.test',
        http: {
          paths: [{ path: '/orders', pathType: 'Prefix', backend: { service: { name: `${name}-rest` } } }],
        },
      });

      // Flink's Web UI through Sluice's proxy: the API server's service proxy with the kubeconfig's credentials.
      const job = await p.jobs.get('orders');
      expect(job.restUrl).toContain(`/api/v1/namespaces/${NAMESPACE}/services/${name}-jobmanager:rest/proxy`);
      const overview = await fetch(`${served.url}/flink/${TARGET}/orders/jobs/overview`, {
        headers: authHeaders(served.url),
      });
      expect(overview.status).toBe(200);
      const seen = (await overview.json()) as { jobs: { jid: string; state: string }[] };
      expect(seen.jobs).toContainEqual(expect.objectContaining({ jid: id, state: 'RUNNING' }));
      const index = await fetch(`${served.url}/flink/${TARGET}/orders/`, {
        headers: authHeaders(served.url),
      });
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toContain('text/html');
      expect(await index.text()).toContain('<html');
      // Read-only: a cancel through the UI is refused before it reaches Flink.
      expect(
        (
          await fetch(`${served.url}/flink/${TARGET}/orders/jobs/${id}`, {
            method: 'PATCH',
            headers: authHeaders(served.url),
          })
        ).status,
      ).toBe(403);

      // Kubernetes HA: the JobManager pod is killed once checkpoints were taken; the Deployment's new
      // pod recovers the job from the latest one: the ids go on from there, not from 1.
      const checkpointed = await waitFor('a completed checkpoint', 90_000, async () => {
        const d = await p.targets.target(TARGET).then((x) => x.observer.runtimeDetails(id));
        return d.lastCheckpoint && d.lastCheckpoint.id >= 2 ? d.lastCheckpoint : undefined;
      });
      const before = await printed(tm.metadata!.name!);
      expect(before.length).toBeGreaterThan(0);
      const ha = await k.core.listNamespacedConfigMap({
        namespace: NAMESPACE,
        labelSelector: haConfigMapSelector(name),
      });
      expect(ha.items.length).toBeGreaterThan(0);
      const eventsBefore = (await p.jobs.events('orders')).length;
      const killedAt = Date.now();
      await k.core.deleteNamespacedPod({
        name: jm.metadata!.name!,
        namespace: NAMESPACE,
        gracePeriodSeconds: 0,
      });
      console.log(
        `killed JobManager pod ${jm.metadata!.name} after checkpoint ${checkpointed.id}, ${before.length} rows`,
      );
      await waitFor('the job RUNNING again under a new JobManager pod', 240_000, async () => {
        await p.tracker.tick();
        const now = await k.core.listNamespacedPod({
          namespace: NAMESPACE,
          labelSelector: selectorOf(id, 'jobmanager'),
        });
        const fresh = now.items.find(
          (x) => x.metadata!.name !== jm.metadata!.name && x.status?.phase === 'Running',
        );
        if (!fresh) return undefined;
        const o = await p.targets.target(TARGET).then((x) => x.observer.observeJob(id));
        const events = (await p.jobs.events('orders')).slice(eventsBefore);
        return o !== 'absent' &&
          o.state === 'RUNNING' &&
          o.allTasksRunning &&
          events.some((e) => e.to === 'RUNNING')
          ? true
          : undefined;
      });
      console.log(`recovered after ${Date.now() - killedAt} ms`);
      const events = (await p.jobs.events('orders')).slice(eventsBefore).map((e) => e.to);
      console.log(`states after the kill: ${events.join(' -> ')}`);
      expect(events.at(-1)).toBe('RUNNING');
      // Flink's own word, read through the proxy: the new JobManager restored a checkpoint at least as
      // recent as the one seen complete before the kill.
      const stats = (await fetch(`${served.url}/flink/${TARGET}/orders/jobs/${id}/checkpoints`, {
        headers: authHeaders(served.url),
      }).then((r) => r.json())) as {
        latest: { restored: { id: number; external_path: string } | null };
      };
      console.log(
        `restored checkpoint ${stats.latest.restored?.id} (${stats.latest.restored?.external_path})`,
      );
      expect(stats.latest.restored!.id).toBeGreaterThanOrEqual(checkpointed.id);
      expect(events.some((e) => e !== 'RUNNING')).toBe(true);
      // The ids after the recovery: rewound to the checkpoint (a TaskManager pod that stayed prints them
      // after its earlier ones; a new one from its start), never from 1.
      const tms = await k.core.listNamespacedPod({
        namespace: NAMESPACE,
        labelSelector: selectorOf(id, 'taskmanager'),
      });
      const ids = await waitFor('rows after the recovery', 60_000, async () => {
        const all = await printed(tms.items[0]!.metadata!.name!);
        const rewind = all.findIndex((x, i) => i > 0 && x <= all[i - 1]!);
        const after =
          tms.items[0]!.metadata!.name === tm.metadata!.name ? (rewind > 0 ? all.slice(rewind) : []) : all;
        return after.length ? after : undefined;
      });
      console.log(`first id after the recovery: ${ids[0]} (last before the kill: ${Math.max(...before)})`);
      expect(ids[0]).toBeGreaterThan(1);
      expect(ids[0]).toBeLessThanOrEqual(Math.max(...before) + 1);

      const cancel = await run(p.jobs.cancel('orders', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('orders')).state).toBe('CANCELLED');
      // Everything of the run is gone, the HA ConfigMaps (Flink's, with no owner) too.
      expect(await leftOf(selectorOf(id))).toEqual([]);
      expect(
        (
          await k.core.listNamespacedConfigMap({
            namespace: NAMESPACE,
            labelSelector: haConfigMapSelector(name),
          })
        ).items,
      ).toEqual([]);
      expect(
        (
          await fetch(`${served.url}/flink/${TARGET}/orders/jobs/overview`, {
            headers: authHeaders(served.url),
          })
        ).status,
      ).toBe(503);
    },
    15 * 60_000,
  );
});

import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectorOf } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import type { KubernetesStandaloneTarget } from '../../src/adapters/kubernetes/standalone/standalone-target.ts';
import { SubmissionTokens } from '../../src/application/submission-tokens.ts';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { fetchArtifactsLogs } from '../support/kubernetes/e2e.ts';
import type { KubernetesClusterView } from '../../src/domain/targets/kubernetes-cluster-view.ts';
import { freshNamespace, kubeClients, waitFor as waitUntil } from '../support/kubernetes/namespace.ts';
import { clusterUp, ensureFlinkImage, TEST_IMAGE, type LocalCluster } from '../support/kubernetes/cluster.ts';
import { forwardIntoCluster } from '../support/kubernetes/platform-forward.ts';
import { FLINK_SERVICE_ACCOUNT, prepareOperatorNamespace } from '../support/kubernetes/operator.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';

/**
 * No image per job and no shared folder: a standalone Kubernetes target with a platform URL runs a SQL
 * job whose jar (the SQL runner) its pods' init container fetches from Sluice with a token scoped to
 * that run; another run's token is refused; the pods' logs are read after the cancel removed them; the
 * target's cluster view shows a Pending pod with the scheduler's reason. On the real local cluster
 * (reused, never stopped here). Its pods cannot reach this machine, so the test starts a forwarder in
 * the cluster's network namespace (platform-forward.ts): what a reachable platform URL is in a real cluster.
 */

const NAMESPACE = 'h-k8sart';
const FLINK_VERSION = '1.20.3';
const COUNTING = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'row');
INSERT INTO snk SELECT id FROM src;`;

let cluster: LocalCluster;
let core: k8s.CoreV1Api;
let t: TestPlatform;
let url: string;
let close: (() => Promise<void>) | undefined;
let forward: { url: string; stop: () => Promise<void> } | undefined;
const sluice = (...args: string[]) => runSluice(url, args);
const author = 'tester';

const waitFor = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) =>
  waitUntil(what, timeoutMs, probe, 300);

const run = async (s: Promise<Submission>): Promise<Submission> => {
  const sub = await s;
  await t.platform.submissions.wait(sub.id);
  return (await t.platform.store.lifecycle.submission(sub.id))!;
};

beforeAll(async () => {
  cluster = await clusterUp();
  await ensureFlinkImage(FLINK_VERSION);
  ({ core } = kubeClients(cluster));
  await freshNamespace(core, NAMESPACE);
  ({ t, url, close } = await servedPlatform());
  forward = await forwardIntoCluster(Number(new URL(url).port));
}, 30 * 60_000);

afterAll(async () => {
  await forward?.stop();
  await close?.();
  // Also after a failure: nothing of this test stays on the shared cluster.
  await core?.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
}, 180_000);

describe('Kubernetes: artifacts fetched by an init container, pod logs kept per run, the cluster view', () => {
  it(
    'runs a SQL job with no shared folder, its jar fetched with the run token; refuses another run token; reads its logs after the cancel; shows a Pending pod',
    async () => {
      const added = await sluice(
        'target',
        'add',
        'k8s-fetch',
        '--kubernetes',
        '--kubeconfig',
        cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--platform-url',
        forward!.url,
      );
      expect(added.code, added.stderr).toBe(0);
      const p = t.platform;
      await p.jobs.create({ name: 'fetched', sql: COUNTING, target: 'k8s-fetch' }, author);

      const rendered = await sluice('k8s', 'render', 'fetched');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout).toContain('name: fetch-artifacts');
      expect(rendered.stdout).not.toContain('hostPath');
      expect(rendered.stderr).toMatch(/server-side dry run accepted: .* accepted all 6 objects/);

      const started = await run(p.jobs.start('fetched', {}, author));
      expect(started.status, JSON.stringify(started.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('fetched')).state).toBe('RUNNING');
      const id = started.flinkJobId!;
      expect(JSON.stringify(started.steps)).toContain(`${forward!.url}/api/v1/submission-artifacts/${id}`);

      // Each pod's init container fetched the SQL runner's jar from the platform, checked by its SHA-256.
      const pods = (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selectorOf(id) }))
        .items;
      expect(pods).toHaveLength(2);
      for (const pod of pods) {
        expect(pod.spec!.volumes!.filter((v) => v.hostPath)).toEqual([]);
        const fetched = await core.readNamespacedPodLog({
          name: pod.metadata!.name!,
          namespace: NAMESPACE,
          container: 'fetch-artifacts',
        });
        expect(fetched).toContain(
          `fetching 1 artifact(s) from ${forward!.url}/api/v1/submission-artifacts/${id}`,
        );
        expect(fetched).toMatch(/00-sluice-sql-runner[^:]*\.jar: \d+ bytes, SHA-256 [0-9a-f]{64}/);
      }
      const rows = await waitFor('rows in the TaskManager pod log', 90_000, async () => {
        const r = await sluice('job', 'logs', 'fetched', '--process', 'taskmanager-1', '--tail', '20');
        return r.code === 0 && /row> \+I\[\d+\]/.test(r.stdout) ? r : undefined;
      });
      expect(rows.stdout).toMatch(/row> \+I\[\d+\]/);

      // The run's own token (from its Secret) reads the listing; another run's, or none, is refused.
      const secret = await core.readNamespacedSecret({
        name: `flink-fetched-${id.slice(0, 8)}-artifacts`,
        namespace: NAMESPACE,
      });
      const token = Buffer.from(secret.data!.token!, 'base64').toString();
      const listing = `${url}/api/v1/submission-artifacts/${id}`;
      const own = await fetch(listing, { headers: { authorization: `Bearer ${token}` } });
      expect(own.status).toBe(200);
      expect(await own.text()).toMatch(/^[0-9a-f]{64} \d+ 00-sluice-sql-runner\S*\.jar\n$/);
      const tokens = SubmissionTokens.open(p.config.home);
      const other = tokens.mint('f'.repeat(32));
      const refused = await fetch(listing, { headers: { authorization: `Bearer ${other}` } });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        `submission ${id}: another submission`,
      );
      const expired = tokens.mint(id, Date.now() - 3_600_000);
      expect((await fetch(listing, { headers: { authorization: `Bearer ${expired}` } })).status).toBe(403);
      expect((await fetch(listing)).status).toBe(403);

      // A renewal rewrites the run's token in place: the Secret keeps its owner (it goes with the cluster).
      const target = (await p.targets.target('k8s-fetch')) as KubernetesStandaloneTarget;
      expect(await target.renewTokensNow()).toEqual([id]);
      const renewed = await core.readNamespacedSecret({
        name: `flink-fetched-${id.slice(0, 8)}-artifacts`,
        namespace: NAMESPACE,
      });
      expect(renewed.metadata!.ownerReferences!.map((o) => o.kind)).toEqual(['ConfigMap']);
      const fresh = Buffer.from(renewed.data!.token!, 'base64').toString();
      expect((await fetch(listing, { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(200);

      // The cluster view: a pod asking for more CPU than the node has waits with the scheduler's reason.
      await core.createNamespacedPod({
        namespace: NAMESPACE,
        body: {
          metadata: { name: 'too-big' },
          spec: {
            containers: [
              {
                name: 'c',
                image: TEST_IMAGE,
                imagePullPolicy: 'Never',
                command: ['sleep', '3600'],
                resources: { requests: { cpu: '64' } },
              },
            ],
          },
        },
      });
      const shown = await waitFor('the Pending pod in the cluster view', 30_000, async () => {
        const r = await sluice('target', 'show', 'k8s-fetch', '--json');
        if (r.code !== 0) throw new Error(r.stderr);
        const v = JSON.parse(r.stdout) as KubernetesClusterView;
        return v.pending.some((x) => x.pod === 'too-big' && x.reason === 'Unschedulable') ? v : undefined;
      });
      expect(shown.pending.find((x) => x.pod === 'too-big')!.message).toMatch(/Insufficient cpu/);
      expect(shown.nodes).toHaveLength(1);
      expect(shown.nodes![0]!.allocatable.cpuMillis).toBeGreaterThan(0);
      expect(shown.nodes![0]!.requested.cpuMillis).toBeGreaterThanOrEqual(500);
      expect(shown.jobs).toEqual([
        {
          job: 'fetched',
          flinkJobId: id,
          pods: 2,
          running: 2,
          pending: 0,
          requests: { cpuMillis: 500, memoryBytes: expect.any(Number) as number },
          limits: expect.any(Object) as object,
        },
      ]);
      const text = await sluice('target', 'show', 'k8s-fetch');
      expect(text.stdout).toMatch(/too-big\s+-\s+Unschedulable/);
      await core.deleteNamespacedPod({ name: 'too-big', namespace: NAMESPACE, gracePeriodSeconds: 0 });

      const cancel = await run(p.jobs.cancel('fetched', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      expect(
        (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selectorOf(id) })).items,
      ).toEqual([]);
      // Its artifacts are gone with it: the token of the run fetches nothing more.
      expect((await fetch(listing, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);

      // Its pods' logs were kept and are read after the pods are gone.
      const listed = await sluice('job', 'logs', 'fetched', '--run', id, '--list', '--json');
      expect(listed.code, listed.stderr).toBe(0);
      const view = JSON.parse(listed.stdout) as {
        run: string;
        sources: { id: string; process: string; live: boolean }[];
      };
      expect(view.run).toBe(id);
      expect(view.sources.map((s) => [s.process, s.live])).toEqual([
        ['jobmanager', false],
        ['taskmanager-1', false],
      ]);
      const entry = await sluice(
        'job',
        'logs',
        'fetched',
        '--run',
        id,
        '--search',
        'StandaloneApplicationClusterEntryPoint',
      );
      expect(entry.code, entry.stderr).toBe(0);
      expect(entry.stdout).toContain('Starting StandaloneApplicationClusterEntryPoint');
      // The TaskManager's rows stay readable too (the print sink's, before the cancel).
      const tm = await sluice(
        'job',
        'logs',
        'fetched',
        '--run',
        id,
        '--process',
        'taskmanager-1',
        '--search',
        'row>',
      );
      expect(tm.code, tm.stderr).toBe(0);
      expect(tm.stdout).toMatch(/row> \+I\[\d+\]/);
      expect(
        fs.existsSync(path.join(p.config.home, 'pod-logs', 'k8s-fetch', 'fetched', id, 'run.json')),
      ).toBe(true);
    },
    10 * 60_000,
  );
});

/**
 * The operator's and the native way with a platform URL and no shared folder: their pods (the
 * operator's from the FlinkDeployment's podTemplate, the native ones from Flink's pod template files)
 * get the same init container, which fetches the SQL runner's jar; the run's token Secret is owned
 * by the FlinkDeployment or the JobManager Deployment, so that a cancel leaves nothing. Kubernetes HA
 * (always on in both ways) stores its data where the target's own option says: without a shared
 * folder Sluice has none to give (a folder in the JobManager's pod here; s3://... in a real cluster).
 */
describe('Kubernetes: the operator and native ways fetch the jars from the platform', () => {
  beforeAll(async () => {
    // Their JobManagers make pods and keep HA ConfigMaps as the flink ServiceAccount.
    await prepareOperatorNamespace(cluster, NAMESPACE);
  }, 120_000);

  const addTarget = (name: string, mode: 'operator' | 'native', ...extra: string[]) =>
    sluice(
      'target',
      'add',
      name,
      '--kubernetes',
      '--kubeconfig',
      cluster.kubeconfig,
      '--namespace',
      NAMESPACE,
      '--mode',
      mode,
      '--image-pull-policy',
      'Never',
      '--service-account',
      FLINK_SERVICE_ACCOUNT,
      '--platform-url',
      forward!.url,
      ...extra,
    );

  /** Every object of the selector in the namespace: Secrets, pods, Deployments and the operator's resources. */
  const leftOf = async (selector: string): Promise<string[]> => {
    const custom = kubeClients(cluster).kc.makeApiClient(k8s.CustomObjectsApi);
    const apps = kubeClients(cluster).apps;
    const fds = (await custom.listNamespacedCustomObject({
      group: 'flink.apache.org',
      version: 'v1beta1',
      namespace: NAMESPACE,
      plural: 'flinkdeployments',
      labelSelector: selector,
    })) as { items: { metadata: { name: string } }[] };
    return [
      ...(await core.listNamespacedSecret({ namespace: NAMESPACE, labelSelector: selector })).items.map(
        (x) => `Secret/${x.metadata!.name}`,
      ),
      ...(await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selector })).items.map(
        (x) => `Pod/${x.metadata!.name}`,
      ),
      ...(await apps.listNamespacedDeployment({ namespace: NAMESPACE, labelSelector: selector })).items.map(
        (x) => `Deployment/${x.metadata!.name}`,
      ),
      ...fds.items.map((x) => `FlinkDeployment/${x.metadata.name}`),
    ];
  };

  /** Each pod of the run: no hostPath, its init container fetched the SQL runner's jar and exited 0. */
  const expectFetched = async (id: string, pods: number): Promise<void> => {
    const found = (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selectorOf(id) }))
      .items;
    expect(found).toHaveLength(pods);
    for (const fetched of await fetchArtifactsLogs(core, NAMESPACE, found)) {
      expect(fetched).toContain(
        `fetching 1 artifact(s) from ${forward!.url}/api/v1/submission-artifacts/${id}`,
      );
      expect(fetched).toMatch(/00-sluice-sql-runner[^:]*\.jar: \d+ bytes, SHA-256 [0-9a-f]{64}/);
    }
  };

  const HA = ['--flink-option', 'high-availability.storageDir=file:///tmp/flink-ha'];

  it(
    'operator: refuses an upgrade mode whose state folder is missing; a SQL job RUNNING with its jar fetched; stop with a savepoint refused; upgraded in place, the new run fetching with its own token; cancel leaves nothing',
    async () => {
      const p = t.platform;
      // Upgrade mode savepoint needs checkpoint and savepoint folders the job names itself here.
      expect((await addTarget('k8s-op-nostate', 'operator', ...HA)).code).toBe(0);
      await p.jobs.create({ name: 'op-nostate', sql: COUNTING, target: 'k8s-op-nostate' }, author);
      const refused = await run(p.jobs.start('op-nostate', {}, author));
      expect(refused.status).toBe('failed');
      expect(refused.steps.at(-1)?.name).toBe('prepare cluster files');
      expect(JSON.stringify(refused.steps.at(-1))).toContain(
        'has no shared folder (sharedDir), so Sluice gives the pods no folder for option state.checkpoints.dir',
      );
      expect(await leftOf('sluice.dev/target=k8s-op-nostate')).toEqual([]);

      const added = await addTarget('k8s-op-fetch', 'operator', '--upgrade-mode', 'stateless', ...HA);
      expect(added.code, added.stderr).toBe(0);
      await p.jobs.create({ name: 'op-fetched', sql: COUNTING, target: 'k8s-op-fetch' }, author);
      const rendered = await sluice('k8s', 'render', 'op-fetched');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout).toContain('name: fetch-artifacts');
      expect(rendered.stdout).toMatch(/jarURI: local:\/\/\/opt\/flink\/usrlib\/00-sluice-sql-runner\S*\.jar/);
      expect(rendered.stdout).not.toContain('hostPath');
      expect(rendered.stderr).toMatch(/server-side dry run accepted: .* accepted all 3 objects/);

      const started = await run(p.jobs.start('op-fetched', {}, author));
      expect(started.status, JSON.stringify(started.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('op-fetched')).state).toBe('RUNNING');
      const id = started.flinkJobId!;
      await expectFetched(id, 2);
      const name = `flink-op-fetched-${id.slice(0, 8)}`;
      const secret = await core.readNamespacedSecret({ name: `${name}-artifacts`, namespace: NAMESPACE });
      expect(secret.metadata!.ownerReferences!.map((o) => `${o.kind}/${o.name}`)).toEqual([
        `FlinkDeployment/${name}`,
      ]);
      const target = (await p.targets.target('k8s-op-fetch')) as KubernetesStandaloneTarget;
      expect(await target.renewTokensNow()).toEqual([id]);

      // Without a shared folder nor the job's state.savepoints.dir, the operator has nowhere to write it.
      const stop = await run(p.jobs.stop('op-fetched', false, author));
      expect(stop.status).toBe('failed');
      expect(JSON.stringify(stop.steps.at(-1))).toContain(
        'has no shared folder (sharedDir), so its pods cannot write a savepoint',
      );
      expect((await p.jobs.get('op-fetched')).state).toBe('RUNNING');
      const listing = (flinkJobId: string) => `${url}/api/v1/submission-artifacts/${flinkJobId}`;
      const tokenOf = async (): Promise<string> =>
        Buffer.from(
          (await core.readNamespacedSecret({ name: `${name}-artifacts`, namespace: NAMESPACE })).data!.token!,
          'base64',
        ).toString();
      const firstToken = await tokenOf();

      // An upgrade in place (stateless): the same FlinkDeployment, its Secret rewritten with the new
      // run's token first; the pods the operator makes for the new run fetch the new run's jar.
      const job = await p.jobs.get('op-fetched');
      await p.jobs.update(
        'op-fetched',
        job.currentVersion,
        { options: { 'pipeline.name': 'op-fetched-v2' } },
        'a new pipeline name',
        author,
      );
      const upgrade = await run(p.jobs.upgrade('op-fetched', {}, author));
      expect(upgrade.status, JSON.stringify(upgrade.steps.at(-1))).toBe('succeeded');
      const upgraded = await p.jobs.get('op-fetched');
      expect(upgraded.state).toBe('RUNNING');
      const id2 = upgraded.flinkJobId!;
      expect(id2).not.toBe(id);
      await waitFor('the new run pods', 120_000, async () => {
        const pods = (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selectorOf(id2) }))
          .items;
        return pods.length === 2 && pods.every((x) => x.status?.phase === 'Running') ? pods : undefined;
      });
      await expectFetched(id2, 2);
      const secondToken = await tokenOf();
      expect(
        (await fetch(listing(id2), { headers: { authorization: `Bearer ${secondToken}` } })).status,
      ).toBe(200);
      // The first run's jars are gone with it.
      expect((await fetch(listing(id), { headers: { authorization: `Bearer ${firstToken}` } })).status).toBe(
        404,
      );

      const cancel = await run(p.jobs.cancel('op-fetched', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      expect(await leftOf(selectorOf(id2))).toEqual([]);
      expect(await leftOf(selectorOf(id))).toEqual([]);
      expect(
        (await fetch(listing(id2), { headers: { authorization: `Bearer ${secondToken}` } })).status,
      ).toBe(404);
    },
    15 * 60_000,
  );

  it(
    'native: a SQL job RUNNING with its jar fetched by the JobManager and TaskManager pods; cancel leaves nothing',
    async () => {
      const p = t.platform;
      const added = await addTarget('k8s-nat-fetch', 'native', ...HA);
      expect(added.code, added.stderr).toBe(0);
      await p.jobs.create({ name: 'nat-fetched', sql: COUNTING, target: 'k8s-nat-fetch' }, author);
      const rendered = await sluice('k8s', 'render', 'nat-fetched');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout.match(/name: fetch-artifacts/g)).toHaveLength(2);
      expect(rendered.stdout).not.toContain('hostPath');
      expect(rendered.stderr).toMatch(/server-side dry run accepted: .*artifact token Secret/);

      const started = await run(p.jobs.start('nat-fetched', {}, author));
      expect(started.status, JSON.stringify(started.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('nat-fetched')).state).toBe('RUNNING');
      const id = started.flinkJobId!;
      await expectFetched(id, 2);
      const name = `flink-nat-fetched-${id.slice(0, 8)}`;
      const secret = await core.readNamespacedSecret({ name: `${name}-artifacts`, namespace: NAMESPACE });
      expect(secret.metadata!.ownerReferences!.map((o) => `${o.kind}/${o.name}`)).toEqual([
        `Deployment/${name}`,
      ]);

      const cancel = await run(p.jobs.cancel('nat-fetched', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      expect(await leftOf(selectorOf(id))).toEqual([]);
      expect(
        (await core.listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: `app=${name}` })).items,
      ).toEqual([]);
    },
    15 * 60_000,
  );
});

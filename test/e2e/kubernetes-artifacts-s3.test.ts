import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RunArtifacts } from '../../src/adapters/artifacts/s3-run-artifacts.ts';
import { fetcherClass } from '../../src/adapters/kubernetes/standalone/fetcher-build.ts';
import { LABELS, selectorOf } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import type { KubernetesStandaloneTarget } from '../../src/adapters/kubernetes/standalone/standalone-target.ts';
import { findJava } from '../../src/adapters/system/prerequisites.ts';
import { parseArtifactStorage, type S3StorageSettings } from '../../src/domain/artifacts/storage-settings.ts';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { fetchArtifactsLogs } from '../support/kubernetes/e2e.ts';
import { freshNamespace, kubeClients, waitFor as waitUntil } from '../support/kubernetes/namespace.ts';
import { clusterUp, ensureFlinkImage, type LocalCluster } from '../support/kubernetes/cluster.ts';
import { forwardIntoCluster } from '../support/kubernetes/platform-forward.ts';
import { FLINK_SERVICE_ACCOUNT, prepareOperatorNamespace } from '../support/kubernetes/operator.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { startS3Proxy, type TestS3 } from '../support/s3proxy.ts';
import type { TestPlatform } from '../support/platform.ts';

/**
 * No image per job, no shared folder and no route from the pods to Sluice: a standalone Kubernetes
 * target with `--artifacts-from s3` runs a SQL job whose jar (the SQL runner) its pods' init container
 * fetches from the platform's artifact bucket (a real S3 API: S3Proxy) by presigned URLs from the run's
 * Secret; the run's own object is deleted with its cluster, the artifact store's shared objects never.
 * The pods reach S3Proxy on this machine only through a forwarder in the cluster's network namespace
 * (platform-forward.ts), whose address is the target's S3 endpoint for the pods.
 */

const NAMESPACE = 'h-k8ss3';
const FLINK_VERSION = '1.20.3';
const BUCKET = 'sluice-k8s';
const PREFIX = 'k8s/';
const COUNTING = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'row');
INSERT INTO snk SELECT id FROM src;`;

let cluster: LocalCluster;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let objects: k8s.KubernetesObjectApi;
let s3: TestS3;
let t: TestPlatform;
let url: string;
let close: (() => Promise<void>) | undefined;
let forward: { url: string; stop: () => Promise<void> } | undefined;
let scratch: string;
const sluice = (...args: string[]) => runSluice(url, args);
const author = 'tester';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const run = async (s: Promise<Submission>): Promise<Submission> => {
  const sub = await s;
  await t.platform.submissions.wait(sub.id);
  return (await t.platform.store.lifecycle.submission(sub.id))!;
};

beforeAll(async () => {
  cluster = await clusterUp();
  await ensureFlinkImage(FLINK_VERSION);
  ({ core, apps, objects } = kubeClients(cluster));
  await freshNamespace(core, NAMESPACE);
  s3 = await startS3Proxy();
  await s3.createBucket(BUCKET);
  ({ t, url, close } = await servedPlatform({
    config: { artifactStorage: parseArtifactStorage(s3.env(BUCKET, PREFIX)) },
  }));
  forward = await forwardIntoCluster(Number(new URL(s3.endpoint).port));
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-k8s-s3-'));
}, 30 * 60_000);

afterAll(async () => {
  await forward?.stop();
  await close?.();
  await s3?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  // Also after a failure: nothing of this test stays on the shared cluster.
  await core?.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
}, 180_000);

/**
 * Each pod's `fetch-artifacts` log, once it is checked that the pod mounts no hostPath, that its init
 * container exited 0 and that it fetched its one artifact from the bucket.
 */
async function fetchedFromBucket(pods: k8s.V1Pod[]): Promise<string[]> {
  const logs = await fetchArtifactsLogs(core, NAMESPACE, pods);
  for (const fetched of logs) expect(fetched).toContain('fetching 1 artifact(s) from S3-compatible storage');
  return logs;
}

/** The fetcher run here, as the init container runs it: its exit, what it said, what it wrote. */
async function fetchHere(listing: string): Promise<{ code: number | null; out: string; files: string[] }> {
  const dir = fs.mkdtempSync(path.join(scratch, 'fetch-'));
  fs.mkdirSync(path.join(dir, 'cp'));
  fs.writeFileSync(path.join(dir, 'cp', 'SluiceFetch.class'), await fetcherClass(t.platform.config.home));
  fs.writeFileSync(path.join(dir, 'listing'), listing);
  const r = spawnSync(
    findJava().path,
    [
      '-cp',
      path.join(dir, 'cp'),
      'SluiceFetch',
      '--listing',
      path.join(dir, 'listing'),
      path.join(dir, 'usrlib'),
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const usrlib = path.join(dir, 'usrlib');
  return {
    code: r.status,
    out: r.stdout + r.stderr,
    files: fs.existsSync(usrlib) ? fs.readdirSync(usrlib) : [],
  };
}

describe('Kubernetes: jars fetched from S3-compatible storage by presigned URLs', () => {
  it(
    "runs a SQL job with no platform URL and no shared folder, its jar fetched from the bucket; deletes the run's object with its cluster, never a shared one",
    async () => {
      const added = await sluice(
        'target',
        'add',
        'k8s-s3',
        '--kubernetes',
        '--kubeconfig',
        cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--artifacts-from',
        's3',
        '--s3-endpoint-for-pods',
        forward!.url,
      );
      expect(added.code, added.stderr).toBe(0);
      const p = t.platform;
      expect(((await p.targets.target('k8s-s3')) as KubernetesStandaloneTarget).spec).toMatchObject({
        artifactsFrom: 's3',
        s3EndpointForPods: forward!.url,
        platformUrl: null,
        sharedDir: null,
      });
      await p.jobs.create({ name: 'from-s3', sql: COUNTING, target: 'k8s-s3' }, author);

      // A render signs nothing and puts nothing in the bucket.
      const rendered = await sluice('k8s', 'render', 'from-s3');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout).toContain('name: fetch-artifacts');
      expect(rendered.stdout).toContain("- '--listing'");
      expect(rendered.stdout).not.toContain('hostPath');
      expect(rendered.stderr).toMatch(/server-side dry run accepted: .* accepted all 6 objects/);
      expect(await s3.keys(BUCKET, `${PREFIX}runs/`)).toEqual([]);

      const started = await run(p.jobs.start('from-s3', {}, author));
      expect(started.status, JSON.stringify(started.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('from-s3')).state).toBe('RUNNING');
      const id = started.flinkJobId!;
      expect(JSON.stringify(started.steps)).toContain(`in s3://${BUCKET}/${PREFIX}runs/${id}/`);

      // The run's own object: the SQL runner's jar, under the run's prefix.
      const keys = await s3.keys(BUCKET, `${PREFIX}runs/${id}/`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(new RegExp(`^${PREFIX}runs/${id}/00-sluice-sql-runner\\S*\\.jar$`));
      const runner = await s3.get(BUCKET, keys[0]!);

      // Each pod's init container exited 0 after fetching that jar from the bucket, checked by its SHA-256.
      const pods = (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selectorOf(id) }))
        .items;
      expect(pods).toHaveLength(2);
      for (const fetched of await fetchedFromBucket(pods)) {
        expect(fetched).toContain(
          `${path.basename(keys[0]!)}: ${runner.length} bytes, SHA-256 ${sha256(runner)} from ${forward!.url}/${BUCKET}/${keys[0]}?...`,
        );
        // The signature stays out of the log.
        expect(fetched).not.toContain('X-Amz-Signature');
      }
      const rows = await waitUntil(
        'rows in the TaskManager pod log',
        90_000,
        async () => {
          const r = await sluice('job', 'logs', 'from-s3', '--process', 'taskmanager-1', '--tail', '20');
          return r.code === 0 && /row> \+I\[\d+\]/.test(r.stdout) ? r : undefined;
        },
        300,
      );
      expect(rows.stdout).toMatch(/row> \+I\[\d+\]/);

      // The run's Secret holds the listing and its objects, no credential and no token.
      const secretName = `flink-from-s3-${id.slice(0, 8)}-artifacts`;
      const secret = await core.readNamespacedSecret({ name: secretName, namespace: NAMESPACE });
      expect(Object.keys(secret.data!).sort()).toEqual(['listing', 'objects']);
      const listing = Buffer.from(secret.data!.listing!, 'base64').toString();
      expect(listing).toMatch(
        new RegExp(
          `^${sha256(runner)} ${runner.length} \\S+\\.jar ${forward!.url}/${BUCKET}/${keys[0]}\\?\\S*X-Amz-Expires=600\\S*\\n$`,
        ),
      );
      expect(listing).not.toContain(s3.secretAccessKey);

      // A renewal signs the URLs again in place: the Secret keeps its owner (it goes with the cluster).
      const target = (await p.targets.target('k8s-s3')) as KubernetesStandaloneTarget;
      expect(await target.renewTokensNow(new Date(Date.now() + 60_000))).toEqual([id]);
      const renewed = await core.readNamespacedSecret({ name: secretName, namespace: NAMESPACE });
      expect(renewed.metadata!.ownerReferences!.map((o) => o.kind)).toEqual(['ConfigMap']);
      const again = Buffer.from(renewed.data!.listing!, 'base64').toString();
      expect(again).not.toBe(listing);
      expect(again.split(' ').slice(0, 3)).toEqual(listing.split(' ').slice(0, 3));

      // The fetcher here against the same bucket: a fresh URL fetches the jar; an expired one is refused
      // with S3's own error, exit 2, nothing written.
      const settings = parseArtifactStorage(s3.env(BUCKET, PREFIX)) as S3StorageSettings & { kind: 's3' };
      const here = new S3RunArtifacts(settings, null);
      try {
        const objects = [
          {
            sha256: sha256(runner),
            size: runner.length,
            name: '00-runner.jar',
            key: keys[0]!,
            shared: false,
          },
        ];
        const fresh = await fetchHere(await here.listing(objects, new Date(), 600));
        expect(fresh.code, fresh.out).toBe(0);
        expect(fresh.files).toEqual(['00-runner.jar']);
        const expired = await fetchHere(await here.listing(objects, new Date(Date.now() - 20 * 60_000), 600));
        expect(expired.code, expired.out).toBe(2);
        expect(expired.out).toContain(
          `the S3 store refused GET ${s3.endpoint}/${BUCKET}/${keys[0]}?... (HTTP 403 AccessDenied`,
        );
        expect(expired.files).toEqual([]);

        // A jar that is an artifact is signed where the artifact store keeps it: nothing is copied for
        // the run, and deleting the run's objects leaves it.
        const jar = path.join(scratch, 'runner.jar');
        fs.writeFileSync(jar, runner);
        const up = await sluice('artifact', 'upload', jar, '--name', 'runner-copy');
        expect(up.code, up.stderr).toBe(0);
        const shared = `${PREFIX}sha256/${sha256(runner).slice(0, 2)}/${sha256(runner)}.jar`;
        const other = 'e'.repeat(32);
        expect(await here.put(other, [jar])).toEqual([
          { sha256: sha256(runner), size: runner.length, name: '00-runner.jar', key: shared, shared: true },
        ]);
        expect(await s3.keys(BUCKET, `${PREFIX}runs/${other}/`)).toEqual([]);
        expect(await here.remove(other)).toEqual([]);
        expect(await s3.keys(BUCKET, shared)).toEqual([shared]);
      } finally {
        await here.close();
      }

      const cancel = await run(p.jobs.cancel('from-s3', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      expect(JSON.stringify(cancel.steps)).toContain(
        `deleted the run's 1 object(s) under s3://${BUCKET}/${PREFIX}runs/${id}/`,
      );
      // The run's object is gone with its cluster; the artifact's stays; nothing of Sluice is left in the namespace.
      expect(await s3.keys(BUCKET, `${PREFIX}runs/`)).toEqual([]);
      expect(await s3.keys(BUCKET, `${PREFIX}sha256/`)).toHaveLength(1);
      const managed = `${LABELS.managedBy}=sluice`;
      expect((await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: managed })).items).toEqual(
        [],
      );
      expect(
        (await core.listNamespacedSecret({ namespace: NAMESPACE, labelSelector: managed })).items,
      ).toEqual([]);
      expect(
        (await core.listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: managed })).items,
      ).toEqual([]);
      expect(
        (await core.listNamespacedService({ namespace: NAMESPACE, labelSelector: managed })).items,
      ).toEqual([]);
      expect(
        (await apps.listNamespacedDeployment({ namespace: NAMESPACE, labelSelector: managed })).items,
      ).toEqual([]);
    },
    10 * 60_000,
  );
});

/**
 * The native way with `--artifacts-from s3`: its start puts the run's jars in the bucket and the
 * listing in the run's Secret before Flink's client makes the JobManager, whose pods (and the
 * TaskManagers it makes) fetch from S3 with the same init container. A cancel deletes the run's
 * objects and, the Secret being owned by the JobManager Deployment, leaves nothing in the namespace.
 */
describe('Kubernetes: the native way fetches the jars from S3', () => {
  beforeAll(async () => {
    // Its JobManager makes pods and keeps HA ConfigMaps as the flink ServiceAccount.
    await prepareOperatorNamespace(cluster, NAMESPACE);
  }, 120_000);

  it(
    'runs a SQL job RUNNING with its jar fetched from the bucket by both pods; cancel leaves no object and nothing in the namespace',
    async () => {
      const p = t.platform;
      const added = await sluice(
        'target',
        'add',
        'k8s-nat-s3',
        '--kubernetes',
        '--kubeconfig',
        cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'native',
        '--image-pull-policy',
        'Never',
        '--service-account',
        FLINK_SERVICE_ACCOUNT,
        '--flink-option',
        'high-availability.storageDir=file:///tmp/flink-ha',
        '--artifacts-from',
        's3',
        '--s3-endpoint-for-pods',
        forward!.url,
      );
      expect(added.code, added.stderr).toBe(0);
      await p.jobs.create({ name: 'nat-s3', sql: COUNTING, target: 'k8s-nat-s3' }, author);
      const rendered = await sluice('k8s', 'render', 'nat-s3');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout.match(/- '--listing'/g)).toHaveLength(2);
      expect(await s3.keys(BUCKET, `${PREFIX}runs/`)).toEqual([]);

      const started = await run(p.jobs.start('nat-s3', {}, author));
      expect(started.status, JSON.stringify(started.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('nat-s3')).state).toBe('RUNNING');
      const id = started.flinkJobId!;
      // The SQL runner's jar: the run's own object, or (the case above uploaded that jar as an artifact)
      // the artifact store's shared one, signed where it is.
      const name = `flink-nat-s3-${id.slice(0, 8)}`;
      const secret = await core.readNamespacedSecret({ name: `${name}-artifacts`, namespace: NAMESPACE });
      const objects = Buffer.from(secret.data!.objects!, 'base64').toString().trim().split('\n');
      expect(objects).toHaveLength(1);
      const key = objects[0]!.split(' ')[3]!;
      expect(objects[0]).toMatch(/^[0-9a-f]{64} \d+ 00-sluice-sql-runner\S*\.jar /);
      const own = key.startsWith(`${PREFIX}runs/${id}/`);
      if (!own) expect(key).toMatch(new RegExp(`^${PREFIX}sha256/`));
      expect(await s3.keys(BUCKET, `${PREFIX}runs/${id}/`)).toEqual(own ? [key] : []);
      const pods = (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selectorOf(id) }))
        .items;
      expect(pods).toHaveLength(2);
      for (const fetched of await fetchedFromBucket(pods)) {
        expect(fetched).toContain(`from ${forward!.url}/${BUCKET}/${key}?...`);
      }
      // The Secret holds the listing, goes with the JobManager Deployment, and its renewal signs again.
      expect(Object.keys(secret.data!).sort()).toEqual(['SluiceFetch.class', 'listing', 'objects']);
      expect(secret.metadata!.ownerReferences!.map((o) => `${o.kind}/${o.name}`)).toEqual([
        `Deployment/${name}`,
      ]);
      const target = (await p.targets.target('k8s-nat-s3')) as KubernetesStandaloneTarget;
      expect(await target.renewTokensNow(new Date(Date.now() + 60_000))).toEqual([id]);
      const renewed = await core.readNamespacedSecret({ name: `${name}-artifacts`, namespace: NAMESPACE });
      expect(renewed.data!.listing).not.toBe(secret.data!.listing);

      const cancel = await run(p.jobs.cancel('nat-s3', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      if (own)
        expect(JSON.stringify(cancel.steps)).toContain(
          `deleted the run's 1 object(s) under s3://${BUCKET}/${PREFIX}runs/${id}/`,
        );
      else expect(await s3.keys(BUCKET, key)).toEqual([key]);
      expect(await s3.keys(BUCKET, `${PREFIX}runs/`)).toEqual([]);
      const selector = selectorOf(id);
      expect((await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selector })).items).toEqual(
        [],
      );
      expect(
        (await core.listNamespacedSecret({ namespace: NAMESPACE, labelSelector: selector })).items,
      ).toEqual([]);
      expect(
        (await apps.listNamespacedDeployment({ namespace: NAMESPACE, labelSelector: selector })).items,
      ).toEqual([]);
      expect(
        (await core.listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: `app=${name}` })).items,
      ).toEqual([]);
    },
    15 * 60_000,
  );
});

/**
 * The operator's application way with `--artifacts-from s3`: its start puts the run's jars in the
 * bucket and the listing in the run's Secret before it applies the FlinkDeployment, whose common pod
 * template has the JobManager and TaskManager pods the operator makes fetch from S3 with the same init
 * container. A cancel deletes the FlinkDeployment (which owns the Secrets) and then the run's objects.
 */
describe("Kubernetes: the operator's application way fetches the jars from S3", () => {
  beforeAll(async () => {
    // Also when this case runs alone (-t): its JobManager makes pods as the flink ServiceAccount.
    await prepareOperatorNamespace(cluster, NAMESPACE);
    // The first case made the SQL runner's jar an artifact: deleted, the jar is the run's own object
    // again, whose deletion by the cancel is what this case checks.
    if ((await t.platform.artifacts.list()).some((a) => a.name === 'runner-copy')) {
      const deleted = await sluice('artifact', 'delete', 'runner-copy');
      expect(deleted.code, deleted.stderr).toBe(0);
    }
  }, 120_000);

  it(
    'runs a SQL job RUNNING through a FlinkDeployment with its jar fetched from the bucket by both pods; cancel deletes its object and leaves nothing in the namespace',
    async () => {
      const p = t.platform;
      expect(await s3.keys(BUCKET, `${PREFIX}sha256/`)).toEqual([]);
      const added = await sluice(
        'target',
        'add',
        'k8s-op-s3',
        '--kubernetes',
        '--kubeconfig',
        cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'operator',
        '--upgrade-mode',
        'stateless',
        '--image-pull-policy',
        'Never',
        '--service-account',
        FLINK_SERVICE_ACCOUNT,
        '--flink-option',
        'high-availability.storageDir=file:///tmp/flink-ha',
        '--artifacts-from',
        's3',
        '--s3-endpoint-for-pods',
        forward!.url,
      );
      expect(added.code, added.stderr).toBe(0);
      await p.jobs.create({ name: 'op-s3', sql: COUNTING, target: 'k8s-op-s3' }, author);
      const rendered = await sluice('k8s', 'render', 'op-s3');
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stdout.match(/^kind: \w+$/gm)).toEqual([
        'kind: Secret',
        'kind: Secret',
        'kind: FlinkDeployment',
      ]);
      expect(rendered.stdout).toContain('name: fetch-artifacts');
      expect(rendered.stdout).not.toContain('hostPath');
      expect(await s3.keys(BUCKET, `${PREFIX}runs/`)).toEqual([]);

      const started = await run(p.jobs.start('op-s3', {}, author));
      expect(started.status, JSON.stringify(started.steps.at(-1))).toBe('succeeded');
      expect((await p.jobs.get('op-s3')).state).toBe('RUNNING');
      const id = started.flinkJobId!;
      const keys = await s3.keys(BUCKET, `${PREFIX}runs/${id}/`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(new RegExp(`^${PREFIX}runs/${id}/00-sluice-sql-runner\\S*\\.jar$`));
      const runner = await s3.get(BUCKET, keys[0]!);
      const pods = (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selectorOf(id) }))
        .items;
      // Flink's own label on the pods the operator (JobManager) and the JobManager (TaskManager) made.
      expect(pods.map((x) => x.metadata!.labels!.component).sort()).toEqual(['jobmanager', 'taskmanager']);
      for (const fetched of await fetchedFromBucket(pods)) {
        expect(fetched).toContain(
          `${path.basename(keys[0]!)}: ${runner.length} bytes, SHA-256 ${sha256(runner)} from ${forward!.url}/${BUCKET}/${keys[0]}?...`,
        );
      }

      // The Secret holds the listing and the fetcher, goes with the FlinkDeployment, and its renewal
      // signs again.
      const name = `flink-op-s3-${id.slice(0, 8)}`;
      const secret = await core.readNamespacedSecret({ name: `${name}-artifacts`, namespace: NAMESPACE });
      expect(Object.keys(secret.data!).sort()).toEqual(['SluiceFetch.class', 'listing', 'objects']);
      expect(secret.metadata!.ownerReferences!.map((o) => `${o.kind}/${o.name}`)).toEqual([
        `FlinkDeployment/${name}`,
      ]);
      const listing = Buffer.from(secret.data!.listing!, 'base64').toString();
      expect(listing).toMatch(
        new RegExp(
          `^${sha256(runner)} ${runner.length} \\S+\\.jar ${forward!.url}/${BUCKET}/${keys[0]}\\?\\S+\\n$`,
        ),
      );
      const target = (await p.targets.target('k8s-op-s3')) as KubernetesStandaloneTarget;
      expect(await target.renewTokensNow(new Date(Date.now() + 60_000))).toEqual([id]);
      const renewed = await core.readNamespacedSecret({ name: `${name}-artifacts`, namespace: NAMESPACE });
      expect(renewed.data!.listing).not.toBe(secret.data!.listing);
      expect(renewed.metadata!.ownerReferences).toEqual(secret.metadata!.ownerReferences);

      const cancel = await run(p.jobs.cancel('op-s3', author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      expect(JSON.stringify(cancel.steps)).toContain(
        `deleted the run's 1 object(s) under s3://${BUCKET}/${PREFIX}runs/${id}/`,
      );
      expect(await s3.keys(BUCKET, `${PREFIX}runs/`)).toEqual([]);
      const selector = selectorOf(id);
      expect((await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selector })).items).toEqual(
        [],
      );
      expect(
        (await core.listNamespacedSecret({ namespace: NAMESPACE, labelSelector: selector })).items,
      ).toEqual([]);
      expect((await objects.list('flink.apache.org/v1beta1', 'FlinkDeployment', NAMESPACE)).items).toEqual(
        [],
      );
      expect(
        (await core.listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: `app=${name}` })).items,
      ).toEqual([]);
    },
    15 * 60_000,
  );
});

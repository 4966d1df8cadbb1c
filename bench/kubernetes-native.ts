/**
 * `npm run bench k8s-native`: one SQL job's start to RUNNING through the platform's API on the local
 * Kubernetes (test/support/kubernetes, started or reused; never stopped here), the median of ROUNDS,
 * on two targets of the same cluster and namespace:
 *  - native: Flink's own client (run on this machine) creates the JobManager Deployment, the
 *    JobManager creates its TaskManager pod;
 *  - standalone: Sluice renders and applies the JobManager and TaskManager Deployments itself.
 * The ratio says what the native way costs beside the standalone one. Namespace h-native-bench (with
 * the `flink` service account the native JobManagers run as); deleted at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { buildServer } from '../src/http/server.ts';
import { clusterUp, ensureFlinkImage } from '../test/support/kubernetes/cluster.ts';
import { FLINK_SERVICE_ACCOUNT, prepareOperatorNamespace } from '../test/support/kubernetes/operator.ts';
import { freePort } from '../test/support/ports.ts';
import { benchPlatform, startThroughApi } from './platform.ts';

const ROUNDS = Number(process.env.SLUICE_BENCH_ROUNDS ?? 3);
const NAMESPACE = 'h-native-bench';
const secs = (x: number) => `${(x / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const list = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(1)).join(', ');

const JOB_SQL = (n: number) => `
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
CREATE TABLE dst (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO dst SELECT id FROM src WHERE id > ${n};`;

export async function kubernetesNative(scratch: string): Promise<void> {
  console.log("\n== SQL job start to RUNNING on Kubernetes: native (Flink's client) vs standalone ==");
  const cluster = await clusterUp((m) => console.log(`  k8s: ${m}`));
  await ensureFlinkImage('1.20.3', (m) => console.log(`  k8s: ${m}`));
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  for (;;) {
    const gone = await core.readNamespace({ name: NAMESPACE }).then(
      () => false,
      () => true,
    );
    if (gone) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await prepareOperatorNamespace(cluster, NAMESPACE);
  const shared = path.join(scratch, 'k8s-native-shared');
  fs.mkdirSync(shared, { recursive: true });

  const platform = await benchPlatform(scratch, 'k8s-native-home');
  const app = await buildServer(platform);
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  const times: Record<'native' | 'standalone', number[]> = { native: [], standalone: [] };
  try {
    for (const mode of ['native', 'standalone'] as const)
      await platform.targets.registerKubernetes({
        name: `k8s-${mode}`,
        kubeconfig: cluster.kubeconfig,
        namespace: NAMESPACE,
        mode,
        imagePullPolicy: 'Never',
        serviceAccount: FLINK_SERVICE_ACCOUNT,
        sharedDir: shared,
      });
    const until = async (name: string, state: string) => {
      for (;;) {
        const j = await platform.jobs.get(name);
        if (j.state === state) return;
        if (j.state === 'FAILED') throw new Error(`${name} failed: ${j.stateReason}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // One warm-up round of each (the image's files in the page cache, the client jar fetched), not counted.
    for (let i = -1; i < ROUNDS; i++)
      for (const mode of ['native', 'standalone'] as const) {
        const name = `bench-${mode}-${i + 2}`;
        await platform.jobs.create({ name, sql: JOB_SQL(i + 2), target: `k8s-${mode}` }, 'bench');
        const { ms } = await startThroughApi(base, name, { fromSavepoint: 'none' });
        await platform.jobs.cancel(name, 'bench');
        await until(name, 'CANCELLED');
        if (i >= 0) times[mode].push(ms);
      }
  } finally {
    await app.close();
    await platform.close();
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  }
  console.log(`rounds: ${ROUNDS} (after one warm-up round of each), alternating`);
  console.log(`native (Flink's Kubernetes client):  ${secs(median(times.native))} (${list(times.native)})`);
  console.log(
    `standalone (Sluice's Deployments):   ${secs(median(times.standalone))} (${list(times.standalone)})`,
  );
  console.log(
    `ratio native / standalone:           ${(median(times.native) / median(times.standalone)).toFixed(2)}`,
  );
}

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
import { FLINK_SERVICE_ACCOUNT } from '../test/support/kubernetes/operator.ts';
import {
  BENCH_JOB_SQL,
  benchPlatform,
  listSeconds,
  median,
  rounds,
  secs,
  servedBenchPlatform,
  startThroughApi,
  untilJobState,
} from './platform.ts';
import { benchNamespace } from './kubernetes.ts';

const ROUNDS = rounds(3);
const NAMESPACE = 'h-native-bench';

export async function kubernetesNative(scratch: string): Promise<void> {
  console.log("\n== SQL job start to RUNNING on Kubernetes: native (Flink's client) vs standalone ==");
  const { cluster, core } = await benchNamespace(NAMESPACE, { flinkAccount: true });
  const shared = path.join(scratch, 'k8s-native-shared');
  fs.mkdirSync(shared, { recursive: true });

  const platform = await benchPlatform(scratch, 'k8s-native-home');
  const { app, base } = await servedBenchPlatform(platform);
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
    // One warm-up round of each (the image's files in the page cache, the client jar fetched), not counted.
    for (let i = -1; i < ROUNDS; i++)
      for (const mode of ['native', 'standalone'] as const) {
        const name = `bench-${mode}-${i + 2}`;
        await platform.jobs.create({ name, sql: BENCH_JOB_SQL(i + 2), target: `k8s-${mode}` }, 'bench');
        const { ms } = await startThroughApi(base, name, { fromSavepoint: 'none' });
        await platform.jobs.cancel(name, 'bench');
        await untilJobState(platform, name, 'CANCELLED');
        if (i >= 0) times[mode].push(ms);
      }
  } finally {
    await app.close();
    await platform.close();
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  }
  console.log(`rounds: ${ROUNDS} (after one warm-up round of each), alternating`);
  console.log(
    `native (Flink's Kubernetes client):  ${secs(median(times.native))} (${listSeconds(times.native)})`,
  );
  console.log(
    `standalone (Sluice's Deployments):   ${secs(median(times.standalone))} (${listSeconds(times.standalone)})`,
  );
  console.log(
    `ratio native / standalone:           ${(median(times.native) / median(times.standalone)).toFixed(2)}`,
  );
}

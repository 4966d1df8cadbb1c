/**
 * `npm run bench k8s-operator`: what following jobs through the Flink Kubernetes Operator costs, on
 * the local Kubernetes and the real operator (test/support/kubernetes, started or reused; never
 * stopped here), with JOBS SQL jobs RUNNING on an operator target:
 *  - watch latency: from a change of a job's TaskManager pod (an annotation patched here; the clock
 *    starts before the request) to Sluice's pod watch telling the target which job it is (the call
 *    that wakes the tracker for that job and drops its cached facts); median and p99 of SAMPLES;
 *  - API requests per minute per job: every HTTP request this process sends to the API server
 *    (Kubernetes API and Flink REST through its service proxy: the tracker's rounds, the pod watch)
 *    while the jobs run untouched for WINDOW_S seconds, divided by the jobs. Measured with JOBS jobs;
 *    10 and 100 jobs are computed from the per-job rate here (bench/kubernetes-requests.ts measures
 *    them with real jobs on a session and on application clusters).
 * Namespace h-opbench; deleted at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { FLINK_SERVICE_ACCOUNT } from '../test/support/kubernetes/operator.ts';
import { selectorOf } from '../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import { BENCH_JOB_SQL, benchPlatform, untilJobState } from './platform.ts';
import { benchNamespace, countRequests } from './kubernetes.ts';

const JOBS = Number(process.env.SLUICE_BENCH_JOBS ?? 2);
const SAMPLES = Number(process.env.SLUICE_BENCH_SAMPLES ?? 40);
const WINDOW_S = Number(process.env.SLUICE_BENCH_WINDOW_S ?? 60);
const NAMESPACE = 'h-opbench';

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

export async function kubernetesOperator(scratch: string): Promise<void> {
  console.log('\n== Jobs through the Flink Kubernetes Operator: watch latency and API requests per job ==');
  const { cluster, kc, core } = await benchNamespace(NAMESPACE, { flinkAccount: true });
  const shared = path.join(scratch, 'k8s-op-shared');
  fs.mkdirSync(shared, { recursive: true });
  const platform = await benchPlatform(scratch, 'k8s-op-home');
  const names = Array.from({ length: JOBS }, (_, i) => `opbench-${i + 1}`);
  try {
    await platform.targets.registerKubernetes({
      name: 'k8s-op',
      kubeconfig: cluster.kubeconfig,
      namespace: NAMESPACE,
      mode: 'operator',
      imagePullPolicy: 'Never',
      serviceAccount: FLINK_SERVICE_ACCOUNT,
      sharedDir: shared,
    });
    platform.tracker.start(platform.config.trackerIntervalMs);
    // One after the other: two cores start one JobManager at a time well.
    for (const [i, name] of names.entries()) {
      await platform.jobs.create({ name, sql: BENCH_JOB_SQL(i), target: 'k8s-op' }, 'bench');
      const t0 = performance.now();
      await platform.jobs.start(name, { fromSavepoint: 'none' }, 'bench');
      await untilJobState(platform, name, 'RUNNING', 250);
      console.log(
        `  ${name} RUNNING through the operator in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    const ids = await Promise.all(names.map(async (n) => (await platform.jobs.get(n)).flinkJobId!));

    // Watch latency: a patch of a TaskManager pod, until the target's pod watch names its job.
    const apps = (await platform.targets.target('k8s-op')).applications!;
    const heard: { id: string; at: number }[] = [];
    apps.onPodChange!((id) => heard.push({ id, at: performance.now() }));
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const id = ids[i % ids.length]!;
      const pod = (
        await core.listNamespacedPod({
          namespace: NAMESPACE,
          labelSelector: selectorOf(id, 'taskmanager'),
        })
      ).items[0]!;
      heard.length = 0;
      const t0 = performance.now();
      await core.patchNamespacedPod(
        {
          name: pod.metadata!.name!,
          namespace: NAMESPACE,
          body: { metadata: { annotations: { 'sluice.dev/bench': String(i) } } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      for (;;) {
        const seen = heard.find((h) => h.id === id);
        if (seen) {
          latencies.push(seen.at - t0);
          break;
        }
        if (performance.now() - t0 > 10_000) throw new Error(`no pod watch event for ${id} within 10 s`);
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    console.log(
      `watch latency, pod change to Sluice's pod watch (${SAMPLES} samples, ${JOBS} jobs): median ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms`,
    );

    // Requests per minute while the jobs run untouched and the tracker follows them.
    const counter = countRequests(kc.getCurrentCluster()!.server);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const minutes = (performance.now() - t0) / 60_000;
    counter.restore();
    const perJob = counter.count() / minutes / JOBS;
    console.log(
      `API requests (Kubernetes API and Flink REST through its proxy) over ${WINDOW_S} s with ${JOBS} RUNNING jobs: ${counter.count()} in all, ${perJob.toFixed(1)} per minute per job (measured)`,
    );
    for (const n of [10, 100])
      console.log(
        `  ${n} jobs: ${(perJob * n).toFixed(0)} requests per minute (computed from the per-job rate; npm run bench k8s-requests measures 10 and 100 jobs)`,
      );
    for (const name of names) {
      await platform.jobs.cancel(name, 'bench');
      await untilJobState(platform, name, 'CANCELLED');
    }
  } finally {
    await platform.close();
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  }
}

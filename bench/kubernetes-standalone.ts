/**
 * `npm run bench k8s-standalone`: one SQL job's start to RUNNING (Flink reports it RUNNING with all
 * of its tasks running) on the local Kubernetes (test/support/kubernetes, started or reused; never
 * stopped here), the median of ROUNDS, two ways:
 *  - through the platform's API on a standalone Kubernetes target: the submission renders and applies
 *    the job's cluster and watches its pods and its JobManager;
 *  - a plain `kubectl apply --server-side` of the same rendered manifests (`sluice k8s render`), timed
 *    here: the Service first (its ClusterIP is the JobManager's address), the jars copied into the
 *    shared folder, then the rest, RUNNING read through the API server's service proxy every 200 ms.
 *    The ratio says what the platform adds to what Kubernetes and Flink cost.
 * Namespace h-standalone; deleted at the end.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { KubeApi } from '../src/adapters/kubernetes/standalone/kube-api.ts';
import { FlinkRestClient } from '../src/adapters/flink/rest/flink-rest-client.ts';
import { ensureSqlRunnerJar } from '../src/adapters/flink/sql-runner/sql-runner-build.ts';
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
const NAMESPACE = 'h-standalone';

export async function kubernetesStandalone(scratch: string): Promise<void> {
  console.log('\n== SQL job start to RUNNING on Kubernetes (standalone): the platform vs kubectl apply ==');
  const { cluster, core } = await benchNamespace(NAMESPACE, { flinkAccount: false });
  const shared = path.join(scratch, 'k8s-shared');
  fs.mkdirSync(shared, { recursive: true });

  const platform = await benchPlatform(scratch, 'k8s-home');
  const { app, base } = await servedBenchPlatform(platform);
  const kubectl = (args: string[], input?: string) =>
    execFileSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, '-n', NAMESPACE, ...args], {
      encoding: 'utf8',
      ...(input === undefined ? {} : { input }),
    });
  const viaPlatform: number[] = [];
  const viaKubectl: number[] = [];
  try {
    const { spec } = await platform.targets.registerKubernetes({
      name: 'k8s',
      kubeconfig: cluster.kubeconfig,
      namespace: NAMESPACE,
      mode: 'standalone',
      imagePullPolicy: 'Never',
      sharedDir: shared,
    });
    const api = new KubeApi(spec);
    const runner = await ensureSqlRunnerJar({ flinkVersion: '1.20.3', sluiceHome: platform.config.home });
    // One warm-up round of each (the image's files in the page cache), not counted.
    for (let i = -1; i < ROUNDS; i++) {
      const name = `bench-${i + 2}`;
      await platform.jobs.create({ name, sql: BENCH_JOB_SQL(i + 2), target: 'k8s' }, 'bench');
      // The manifests a start would apply, rendered before the platform's own start (which chooses another id).
      const rendered = await platform.jobs.render(name);
      const ms = (await startThroughApi(base, name, { fromSavepoint: 'none' })).ms;
      await platform.jobs.cancel(name, 'bench');
      await untilJobState(platform, name, 'CANCELLED');

      // The same manifests by hand: Service first, the jar into the shared folder, then the rest.
      const docs = rendered.yaml.split('---\n');
      const kindOf = (d: string) => /^kind: (\w+)$/m.exec(d)![1]!;
      const service = docs.find((d) => kindOf(d) === 'Service')!;
      const id = rendered.flinkJobId;
      const svc = rendered.objects.find((o) => o.kind === 'Service')!.name;
      const usrlib = path.join(shared, 'k8s', name, id, 'usrlib');
      const t0 = performance.now();
      kubectl(['apply', '--server-side', '-f', '-'], service);
      const ip = kubectl(['get', 'service', svc, '-o', 'jsonpath={.spec.clusterIP}']).trim();
      fs.mkdirSync(usrlib, { recursive: true });
      fs.copyFileSync(runner.jar, path.join(usrlib, '00-sluice-sql-runner.jar'));
      for (const d of ['checkpoints', 'savepoints']) {
        fs.mkdirSync(path.join(shared, 'k8s', name, d), { recursive: true });
        fs.chmodSync(path.join(shared, 'k8s', name, d), 0o777);
      }
      const rest = docs
        .filter((d) => d !== service)
        .map((d) => d.replaceAll('<the JobManager Service ClusterIP>', ip))
        .join('---\n');
      kubectl(['apply', '--server-side', '-f', '-'], rest);
      const flink = new FlinkRestClient(api.serviceProxyUrl(svc, 'rest'), api.transport());
      for (;;) {
        const j = (await flink.jobs().catch(() => [])).find((x) => x.jid === id);
        if (j?.state === 'RUNNING' && j.tasks && j.tasks.running === j.tasks.total) break;
        if (j?.state === 'FAILED') throw new Error(`the kubectl-applied cluster of ${name} failed`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const kubectlMs = performance.now() - t0;
      kubectl(['delete', '--wait=true', '-f', '-'], rendered.yaml);
      if (i < 0) continue;
      viaPlatform.push(ms);
      viaKubectl.push(kubectlMs);
    }
  } finally {
    await app.close();
    await platform.close();
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  }
  console.log(`rounds: ${ROUNDS} (after one warm-up round of each)`);
  console.log(
    `standalone Kubernetes target, through the API:  ${secs(median(viaPlatform))} (${listSeconds(viaPlatform)})`,
  );
  console.log(
    `kubectl apply of the same rendered manifests:   ${secs(median(viaKubectl))} (${listSeconds(viaKubectl)})`,
  );
  console.log(
    `ratio platform / kubectl apply:                 ${(median(viaPlatform) / median(viaKubectl)).toFixed(2)}`,
  );
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, kubeClients, waitFor } from '../support/kubernetes/namespace.ts';
import { clusterUp, ensureFlinkImage, type LocalCluster } from '../support/kubernetes/cluster.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { expectSessionDebugRun, scrapedPodsOf } from '../support/kubernetes/e2e.ts';
import { TARGET_KINDS } from '../../src/domain/targets/target-kinds.ts';

/**
 * A session cluster on Kubernetes (a `--session` target of the standalone way) against the real local
 * cluster (test/support/kubernetes; reused when it runs, never stopped here): `sluice cluster start`
 * applies it (JobManager and SQL Gateway in one pod, TaskManager pods), two SQL jobs run on it at once
 * through its SQL Gateway (reached, as its Flink REST is, through the API server's service proxy), a
 * debug run reads rows from the shared folder and returns them, and `sluice cluster stop` leaves
 * nothing in the namespace. This cluster has no DNS (the TaskManagers reach the JobManager by its
 * Service's ClusterIP) and no registry (images are imported; pull policy Never).
 */

const NAMESPACE = 'h-session';
const FLINK_VERSION = '1.20.3';
const TARGET = 'k8s-session';
const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-k8s-session-'));
let cluster: LocalCluster;
let core: k8s.CoreV1Api;
let objects: k8s.KubernetesObjectApi;

const job = (
  rate: number,
) => `CREATE TABLE numbers (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '${rate}');
CREATE TABLE sink (n BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT n FROM numbers;
`;

/** Everything in the namespace but what Kubernetes itself puts there, as `Kind/name`. */
async function left(): Promise<string[]> {
  const found: string[] = [];
  for (const [apiVersion, kind] of [
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'Service'],
    ['v1', 'Pod'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'ReplicaSet'],
  ] as const) {
    const list = await objects.list(apiVersion, kind, NAMESPACE);
    for (const o of list.items)
      if (o.metadata?.name !== 'kube-root-ca.crt') found.push(`${kind}/${o.metadata?.name}`);
  }
  return found;
}

beforeAll(async () => {
  cluster = await clusterUp();
  await ensureFlinkImage(FLINK_VERSION);
  ({ core, objects } = kubeClients(cluster));
  await freshNamespace(core, NAMESPACE);
}, 30 * 60_000);

afterAll(async () => {
  // Also after a failure: nothing of this test stays on the shared cluster.
  await core?.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  fs.rmSync(shared, { recursive: true, force: true });
});

describe('a standalone session cluster on Kubernetes', () => {
  let t: TestPlatform;
  let url: string;
  let close: (() => Promise<void>) | undefined;
  const sluice = (...args: string[]) => runSluice(url, args);
  const run = async (s: Promise<Submission>): Promise<Submission> => {
    const sub = await s;
    await t.platform.submissions.wait(sub.id);
    return (await t.platform.store.lifecycle.submission(sub.id))!;
  };
  const author = 'tester';

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform());
  }, 600_000);
  afterAll(async () => {
    // A failed test must not leave the session's pods running: stopped before the namespace goes.
    await t?.platform.targets.stop(TARGET).catch(() => undefined);
    await close?.();
  }, 180_000);

  it(
    'is registered, started, runs two SQL jobs at once and a debug run, and stopping it leaves nothing',
    async () => {
      // Sizes without --session are refused, saying what they are for.
      const unsized = await sluice(
        'target',
        'add',
        'x',
        '--kubernetes',
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--slots',
        '2',
      );
      expect(unsized.code).not.toBe(0);
      expect(unsized.stderr).toContain('add --session');
      // A session needs the shared folder (the gateway's jar, checkpoints, debug rows).
      const noShared = await sluice(
        'target',
        'add',
        'x',
        '--kubernetes',
        '--kubeconfig',
        cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--session',
      );
      expect(noShared.code).not.toBe(0);
      expect(noShared.stderr).toContain('needs a shared folder (--shared-dir');

      const added = await sluice(
        'target',
        'add',
        TARGET,
        '--kubernetes',
        '--kubeconfig',
        cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--shared-dir',
        shared,
        '--session',
        '--task-managers',
        '1',
        '--slots',
        '4',
      );
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toContain(
        `its session cluster: 1 TaskManager(s) of 4 slot(s), start it with 'sluice cluster start ${TARGET}'`,
      );
      const p = t.platform;
      expect((await p.targets.status(TARGET)).state).toBe('stopped');

      const t0 = Date.now();
      const started = await sluice('cluster', 'start', TARGET);
      console.log(`session cluster start: ${Date.now() - t0} ms`);
      expect(started.code, started.stderr).toBe(0);
      expect(started.stderr).toMatch(
        /applied Service flink-session-k8s-session-jobmanager: ClusterIP \d+\.\d+\.\d+\.\d+ is jobmanager.rpc.address/,
      );
      expect(started.stderr).toMatch(
        /SQL Gateway jar of engine 1\.20\.\d+ in the shared folder: .*flink-sql-gateway/,
      );
      expect(started.stdout).toContain(`session cluster ${TARGET} is running`);

      const listed = await sluice('target', 'list', '--json');
      const mine = (JSON.parse(listed.stdout) as { name: string; kind: string; state: string }[]).find(
        (x) => x.name === TARGET,
      );
      expect(mine).toMatchObject({ kind: 'kubernetes-standalone-session', state: 'running' });
      // Its status asks Flink once through the proxy: on a loaded machine one answer may come late.
      const status = await waitFor("its status with Flink's overview", 30_000, async () => {
        const v = await p.targets.status(TARGET);
        return v.overview && v.gatewayHealthy ? v : undefined;
      });
      expect(status.overview).toMatchObject({ taskmanagers: 1, 'slots-total': 4 });
      expect(status.gatewayHealthy).toBe(true);
      expect(status.processes.map((x) => x.role).sort()).toEqual([
        'jobmanager',
        'sql-gateway',
        'taskmanager',
      ]);

      // Two SQL jobs on it at once, deployed as on a local session: the same steps.
      await p.jobs.create({ name: 'first', sql: job(5), target: TARGET }, author);
      await p.jobs.create({ name: 'second', sql: job(7), target: TARGET }, author);
      const [one, two] = await Promise.all([
        run(p.jobs.start('first', {}, author)),
        run(p.jobs.start('second', {}, author)),
      ]);
      for (const s of [one, two]) {
        expect(s.status, JSON.stringify(s.steps.at(-1))).toBe('succeeded');
        expect(s.steps.map((x) => x.name)).toEqual([
          'resolve version',
          'validate',
          ...TARGET_KINDS['kubernetes-standalone-session'].deploySteps.sql!.filter((x) => !x.startsWith('[')),
        ]);
      }
      await p.tracker.tick();
      const ids = [(await p.jobs.get('first')).flinkJobId!, (await p.jobs.get('second')).flinkJobId!];
      expect((await p.jobs.get('first')).state).toBe('RUNNING');
      expect((await p.jobs.get('second')).state).toBe('RUNNING');
      // Both in the one session cluster, as its JobManager's jobs overview shows them.
      const seen = await (await p.targets.target(TARGET)).observer.observe();
      for (const id of ids) expect(seen.get(id)?.state).toBe('RUNNING');
      // Its pods are listed for Prometheus without job labels (they run both jobs) and proxied: its
      // JobManager reports both jobs running.
      const scraped = await scrapedPodsOf(url, {
        target: TARGET,
        namespace: NAMESPACE,
        job: null,
        runningJobs: 2,
      });
      for (const g of scraped)
        expect(g.labels.process).toMatch(new RegExp(`^flink-session-${TARGET}-${g.labels.role}-`));

      // A debug run on it: its rows file is written into the shared folder, read by the TaskManager pod.
      await expectSessionDebugRun(url, TARGET, shared);

      for (const name of ['first', 'second']) {
        const cancel = await run(p.jobs.cancel(name, author));
        expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
        expect((await p.jobs.get(name)).state).toBe('CANCELLED');
      }
      // Refused while its session runs: the cluster would stay with nobody to stop it.
      await p.jobs.delete('first');
      await p.jobs.delete('second');
      const removeRunning = await sluice('target', 'remove', TARGET);
      expect(removeRunning.code).not.toBe(0);
      expect(removeRunning.stderr).toContain(
        `still runs its session cluster: stop it first with 'sluice cluster stop ${TARGET}'`,
      );

      const stopped = await sluice('cluster', 'stop', TARGET);
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toContain(`session cluster ${TARGET} is stopped`);
      expect(await left()).toEqual([]);
      // Its checkpoints and savepoints folder stays in the shared folder.
      expect(fs.existsSync(path.join(shared, TARGET, 'session', 'checkpoints'))).toBe(true);
      const removed = await sluice('target', 'remove', TARGET);
      expect(removed.code, removed.stderr).toBe(0);
    },
    20 * 60_000,
  );
});

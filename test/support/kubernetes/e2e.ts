import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll } from 'vitest';
import type { Submission } from '../../../src/domain/jobs/submission.ts';
import { runSluice, servedPlatform, type CliResult } from '../cli.ts';
import type { TestPlatform } from '../platform.ts';
import { STATEFUL_COUNTER_MAIN, testJars } from '../test-jars.ts';
import { clusterUp, ensureFlinkImage, type LocalCluster } from './cluster.ts';
import {
  defaultServiceAccount,
  freshNamespace,
  kubeClients,
  namespaceGone,
  type KubeClients,
} from './namespace.ts';
import { operatorEnabled, prepareOperatorNamespace } from './operator.ts';

/**
 * What a Kubernetes e2e file sets up around its tests, written once: the local cluster (reused when it
 * runs, never stopped here), the engine's image, a namespace of its own (fresh for the run, deleted
 * after it, also after a failure) and a shared folder; and per describe, a served platform with the CLI.
 */

export interface KubernetesFile extends KubeClients {
  readonly cluster: LocalCluster;
  /** The folder the target mounts into its pods (hostPath): on this machine, the node's own disk. */
  readonly shared: string;
}

/**
 * Registers the file's beforeAll/afterAll. `flinkAccount`: the namespace gets the `flink` ServiceAccount
 * bound to ClusterRole edit (JobManagers that make pods or HA ConfigMaps need it); `operator`: the
 * tests need the operator running.
 */
export function onKubernetes(o: {
  namespace: string;
  flinkVersion: string;
  flinkAccount?: boolean;
  operator?: boolean;
}): KubernetesFile {
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-${o.namespace}-`));
  let cluster: LocalCluster | undefined;
  let clients: KubeClients | undefined;
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the Kubernetes fixture is used before its beforeAll ran');
    return v;
  };
  beforeAll(async () => {
    if (o.operator && !operatorEnabled())
      throw new Error(
        'these tests need the operator: unset SLUICE_K8S_OPERATOR (it is 0) and run them again',
      );
    cluster = await clusterUp();
    await ensureFlinkImage(o.flinkVersion);
    clients = kubeClients(cluster);
    if (o.flinkAccount) {
      await namespaceGone(clients.core, o.namespace, 180_000);
      await prepareOperatorNamespace(cluster, o.namespace);
      await defaultServiceAccount(clients.core, o.namespace);
    } else {
      await freshNamespace(clients.core, o.namespace);
    }
  }, 30 * 60_000);
  afterAll(async () => {
    // Also after a failure: nothing of this file stays on the shared cluster.
    await clients?.core.deleteNamespace({ name: o.namespace }).catch(() => undefined);
    fs.rmSync(shared, { recursive: true, force: true });
  });
  return {
    shared,
    get cluster() {
      return ready(cluster);
    },
    get kc() {
      return ready(clients).kc;
    },
    get core() {
      return ready(clients).core;
    },
    get apps() {
      return ready(clients).apps;
    },
    get objects() {
      return ready(clients).objects;
    },
  };
}

export interface ServedForTests {
  readonly t: TestPlatform;
  readonly url: string;
  /** The `sluice` CLI against the served API. */
  sluice(...args: string[]): Promise<CliResult>;
  /** Waits for a submission to end and reads it back as stored. */
  run(s: Promise<Submission>): Promise<Submission>;
  readonly author: string;
}

/** A served platform for the describe it is called in, closed after it (`beforeClose` first). */
export function servedPerDescribe(
  o: { beforeClose?: (t: TestPlatform) => Promise<void> } = {},
): ServedForTests {
  let served: Awaited<ReturnType<typeof servedPlatform>> | undefined;
  const ready = () => {
    if (!served) throw new Error('the served platform is used before its beforeAll ran');
    return served;
  };
  beforeAll(async () => {
    served = await servedPlatform();
  }, 600_000);
  afterAll(async () => {
    if (served && o.beforeClose) await o.beforeClose(served.t).catch(() => undefined);
    await served?.close();
  }, 180_000);
  return {
    get t() {
      return ready().t;
    },
    get url() {
      return ready().url;
    },
    sluice: (...args) => runSluice(ready().url, args),
    run: async (s) => {
      const sub = await s;
      await ready().t.platform.submissions.wait(sub.id);
      return (await ready().t.platform.store.lifecycle.submission(sub.id))!;
    },
    author: 'tester',
  };
}

/**
 * The JAR job `jar-counter` on `target`: the stateful counter test job (two keys, 20 records a second),
 * its jar uploaded as artifact `counter-jar`.
 */
export async function createCounterJarJob(
  platform: TestPlatform['platform'],
  flinkVersion: string,
  target: string,
  author: string,
): Promise<void> {
  const jars = await testJars(flinkVersion);
  await platform.artifacts.upload(
    {
      bytes: fs.readFileSync(jars.statefulCounter),
      fileName: path.basename(jars.statefulCounter),
      name: 'counter-jar',
    },
    author,
  );
  await platform.jobs.create(
    {
      name: 'jar-counter',
      jar: 'counter-jar',
      entryClass: STATEFUL_COUNTER_MAIN,
      args: ['--keys', '2', '--rate', '20', '--name', 'jar-counter'],
      target,
    },
    author,
  );
}

/** What a standalone cluster is made of: its root ConfigMap and what it owns. */
export const STANDALONE_KINDS = [
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'Service'],
  ['v1', 'Pod'],
  ['apps/v1', 'Deployment'],
] as const;

/** The objects of these kinds in the namespace that match the label selector, as `Kind/name`. */
export async function labelledObjects(
  objects: k8s.KubernetesObjectApi,
  namespace: string,
  kinds: readonly (readonly [apiVersion: string, kind: string])[],
  selector: string,
): Promise<string[]> {
  const found: string[] = [];
  for (const [apiVersion, kind] of kinds) {
    const list = await objects.list(
      apiVersion,
      kind,
      namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      selector,
    );
    for (const item of list.items) found.push(`${kind}/${item.metadata?.name}`);
  }
  return found;
}

/** The print sink's rows in a session target's TaskManager pod logs, in order. */
export async function sessionPrintedRows(
  core: k8s.CoreV1Api,
  namespace: string,
  target: string,
): Promise<number[]> {
  const pods = await core.listNamespacedPod({
    namespace,
    labelSelector: `sluice.dev/session=${target},app.kubernetes.io/component=taskmanager`,
  });
  const rows: number[] = [];
  for (const pod of pods.items) {
    const log = await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace });
    rows.push(...[...log.matchAll(/row> \+I\[(\d+)\]/g)].map((m) => Number(m[1])));
  }
  return rows;
}

import * as k8s from '@kubernetes/client-node';
import type { LocalCluster } from './cluster.ts';

/**
 * What the Kubernetes e2e files each did for themselves before their tests: API clients on the local
 * cluster's kubeconfig, polling until something is there, and a namespace of their own, fresh for the
 * run (what an earlier run cut short left goes first).
 */

/** Polls `probe` every `everyMs` until it gives a value; a thrown error is kept for the timeout's message. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface KubeClients {
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  objects: k8s.KubernetesObjectApi;
}

/** The API clients the tests use, as the cluster's admin kubeconfig. */
export function kubeClients(cluster: LocalCluster): KubeClients {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(kc),
  };
}

/** Deletes the namespace an earlier run left (if any) and waits until it is gone. */
export async function namespaceGone(
  core: k8s.CoreV1Api,
  namespace: string,
  timeoutMs = 120_000,
  what = 'the namespace left by an earlier run to go',
): Promise<void> {
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await waitFor(
    what,
    timeoutMs,
    async () =>
      (await core
        .readNamespace({ name: namespace })
        .then(() => false)
        .catch(() => true)) || undefined,
  );
}

/** Pods are refused until the controller-manager has made the namespace's default ServiceAccount. */
export async function defaultServiceAccount(core: k8s.CoreV1Api, namespace: string): Promise<void> {
  await waitFor('the default ServiceAccount', 60_000, () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace }),
  );
}

/** A fresh, empty namespace: the earlier run's deleted, a new one made, its default ServiceAccount there. */
export async function freshNamespace(
  core: k8s.CoreV1Api,
  namespace: string,
  goneTimeoutMs = 120_000,
): Promise<void> {
  await namespaceGone(core, namespace, goneTimeoutMs);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await defaultServiceAccount(core, namespace);
}

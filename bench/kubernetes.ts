import * as k8s from '@kubernetes/client-node';
import { clusterUp, ensureFlinkImage, type LocalCluster } from '../test/support/kubernetes/cluster.ts';
import { namespaceGone } from '../test/support/kubernetes/namespace.ts';
import { prepareOperatorNamespace } from '../test/support/kubernetes/operator.ts';

/**
 * The local Kubernetes for a bench section (started or reused; never stopped here), the Flink 1.20
 * image in it, and the section's namespace made fresh: with the `flink` ServiceAccount (ClusterRole
 * edit) when its JobManagers make pods or HA ConfigMaps. The section deletes the namespace at its end.
 */
export async function benchNamespace(
  namespace: string,
  o: { flinkAccount: boolean },
): Promise<{ cluster: LocalCluster; kc: k8s.KubeConfig; core: k8s.CoreV1Api }> {
  const cluster = await clusterUp((m) => console.log(`  k8s: ${m}`));
  await ensureFlinkImage('1.20.3', (m) => console.log(`  k8s: ${m}`));
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await namespaceGone(core, namespace, 300_000, `the bench namespace ${namespace} of an earlier run to go`);
  if (o.flinkAccount) await prepareOperatorNamespace(cluster, namespace);
  else await core.createNamespace({ body: { metadata: { name: namespace } } });
  return { cluster, kc, core };
}

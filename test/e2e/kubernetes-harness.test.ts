import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/kubernetes/namespace.ts';
import {
  CGROUP_ROOT,
  clusterDown,
  clusterUp,
  leftovers,
  NETNS,
  NODE_NAME,
  stateDir,
  TEST_IMAGE,
  type LocalCluster,
} from '../support/kubernetes/cluster.ts';

/**
 * The local Kubernetes harness (test/support/kubernetes) end to end, through @kubernetes/client-node
 * as Sluice will use it: the real cluster comes up (built first when the cache is cold: many minutes),
 * runs pods from the locally imported image, routes a Service through kube-proxy, and `down` leaves
 * nothing behind. Not covered here because the cluster has none: DNS, Ingress, LoadBalancer, volume
 * provisioning, image pulls.
 */

const namespace = `harness-${process.pid}`;
const netnsList = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
/** The machine's network namespaces before the cluster: down must leave exactly these. */
let netnsBefore = '';
let cluster: LocalCluster | undefined;
let core: k8s.CoreV1Api;

function pod(name: string, labels: Record<string, string>, script: string, restartPolicy: string): k8s.V1Pod {
  return {
    metadata: { name, labels },
    spec: {
      restartPolicy,
      // The containers' PID 1 ignores SIGTERM: without this each deletion waits the default 30 s.
      terminationGracePeriodSeconds: 1,
      containers: [
        { name: 'main', image: TEST_IMAGE, imagePullPolicy: 'Never', command: ['sh', '-c', script] },
      ],
    },
  };
}

async function podPhase(name: string, phases: string[]): Promise<string> {
  return waitFor(`pod ${name} in ${phases.join('/')}`, 90_000, async () => {
    const p = await core.readNamespacedPod({ name, namespace });
    const phase = p.status?.phase ?? '';
    if (phase === 'Failed' && !phases.includes('Failed'))
      throw new Error(`pod ${name} failed: ${JSON.stringify(p.status?.containerStatuses)}`);
    return phases.includes(phase) ? phase : undefined;
  });
}

afterAll(async () => {
  // A failed step must not leave the cluster running on the shared machine.
  if (leftovers().length > 0) await clusterDown();
});

describe('the local Kubernetes harness', () => {
  it(
    'comes up (building what is missing) with its node Ready',
    async () => {
      netnsBefore = leftovers().length === 0 ? netnsList() : '';
      const started = Date.now();
      cluster = await clusterUp();
      console.log(`k8s up took ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(fs.existsSync(cluster.kubeconfig)).toBe(true);
      expect(
        execFileSync(cluster.kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }),
      ).toContain('"gitVersion": "v1.34.4"');

      const kc = new k8s.KubeConfig();
      kc.loadFromFile(cluster.kubeconfig);
      core = kc.makeApiClient(k8s.CoreV1Api);
      const node = await core.readNode({ name: NODE_NAME });
      expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(node.status?.nodeInfo?.kubeletVersion).toBe('v1.34.4');
    },
    90 * 60_000,
  );

  it('runs a pod from the locally imported image and reads its log back', async () => {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    // Pods are refused until the controller-manager has made the namespace's default ServiceAccount.
    await waitFor('the default ServiceAccount', 60_000, async () =>
      core.readNamespacedServiceAccount({ name: 'default', namespace }),
    );
    await core.createNamespacedPod({
      namespace,
      body: pod('hello', { app: 'hello' }, 'echo "hello from $(hostname)"; exec sleep 3600', 'Always'),
    });
    expect(await podPhase('hello', ['Running'])).toBe('Running');
    const log = await waitFor('the pod log', 30_000, async () => {
      const text = await core.readNamespacedPodLog({ name: 'hello', namespace });
      return text.includes('hello from') ? text : undefined;
    });
    expect(log.trim()).toBe('hello from hello');
  });

  it('reaches a Service ClusterIP from a second pod (kube-proxy)', async () => {
    await core.createNamespacedPod({
      namespace,
      body: pod(
        'web',
        { app: 'web' },
        'mkdir -p /www && echo "served by $(hostname)" >/www/index.html && exec httpd -f -p 8080 -h /www',
        'Always',
      ),
    });
    await podPhase('web', ['Running']);
    const service = await core.createNamespacedService({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
    const clusterIp = service.spec?.clusterIP ?? '';
    expect(clusterIp).toMatch(/^10\.96\./);
    // kube-proxy writes the Service's rules shortly after it appears: the client tries for a while.
    // (nc, not busybox's wget: the static busybox's wget crashes in glibc's resolver inside pods.)
    // An attempt before the rules exist times out, saying so on stderr, which the pod's log keeps too.
    await core.createNamespacedPod({
      namespace,
      body: pod(
        'client',
        { app: 'client' },
        `for i in $(seq 1 30); do
           body=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${clusterIp} 80 2>/dev/null | tail -n 1)
           [ -n "$body" ] && echo "$body" && exit 0
           sleep 1
         done
         exit 1`,
        'Never',
      ),
    });
    expect(await podPhase('client', ['Succeeded', 'Failed'])).toBe('Succeeded');
    expect((await core.readNamespacedPodLog({ name: 'client', namespace })).trim()).toBe('served by web');
  });

  it('deletes the namespace with its pods', async () => {
    await core.deleteNamespace({ name: namespace });
    await waitFor('the namespace gone', 120_000, async () => {
      const all = await core.listNamespace();
      return all.items.some((n) => n.metadata?.name === namespace) ? undefined : true;
    });
  }, 180_000);

  it('down leaves no process, mount, cgroup or network namespace behind', async () => {
    const started = Date.now();
    await clusterDown();
    console.log(`k8s down took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(leftovers()).toEqual([]);
    // The same, checked from outside the harness's own bookkeeping.
    expect(netnsList()).not.toContain(NETNS);
    if (netnsBefore) expect(netnsList()).toBe(netnsBefore);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(stateDir());
    const pgrep = (() => {
      try {
        return execFileSync('pgrep', ['-af', stateDir()], { encoding: 'utf8' });
      } catch {
        return ''; // pgrep exits 1 when nothing matches
      }
    })();
    expect(pgrep.split('\n').filter((l) => l && !l.includes('pgrep'))).toEqual([]);
    for (const controller of fs.readdirSync('/sys/fs/cgroup'))
      expect(fs.existsSync(`/sys/fs/cgroup/${controller}/${CGROUP_ROOT}`)).toBe(false);
  }, 60_000);
});

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../domain/errors.ts';
import type { FlinkPod } from '../domain/metrics/pod-scrape-targets.ts';
import type { KubernetesTargetSpec } from '../domain/targets/kubernetes-target.ts';
import { PodMetricsService } from './pod-metrics-service.ts';
import type { KubernetesRuntime } from './ports/kubernetes.ts';
import type { StoredTargetRecord } from './ports/store.ts';

const spec = (name: string): KubernetesTargetSpec => ({
  name,
  engineVersion: '1.20',
  kubeconfig: '/k',
  context: null,
  namespace: 'jobs',
  mode: 'standalone',
  image: 'flink:1.20.3-java17',
  imagePullPolicy: 'IfNotPresent',
  imagePullSecrets: [],
  serviceAccount: null,
  sharedDir: null,
});
const k8s = (name: string): StoredTargetRecord => ({
  name,
  kind: 'kubernetes',
  spec: spec(name),
  createdAt: 'x',
});

const pod = (name: string, over: Partial<FlinkPod> = {}): FlinkPod => ({
  name,
  namespace: 'jobs',
  phase: 'Running',
  ready: true,
  terminating: false,
  component: 'taskmanager',
  job: 'orders',
  flinkJobId: 'a'.repeat(32),
  annotatedPort: '9249',
  namedPort: null,
  ...over,
});

/** The Kubernetes client's port with pods per target (the adapter itself is tested on the real cluster). */
function runtime(pods: Record<string, FlinkPod[] | Error>) {
  const asked: string[] = [];
  const scraped: string[] = [];
  const r: KubernetesRuntime = {
    check: () => Promise.reject(new Error('not in this test')),
    target: () => {
      throw new Error('not in this test');
    },
    flinkPods: async (s) => {
      asked.push(s.name);
      const p = pods[s.name];
      if (p instanceof Error) throw p;
      return p ?? [];
    },
    podMetrics: async (s, p, port) => {
      scraped.push(`${s.name}/${p}:${port}`);
      return { contentType: 'text/plain', body: Readable.from(['flink_up 1\n']) };
    },
  };
  return { r, asked, scraped };
}

function service(records: StoredTargetRecord[], pods: Record<string, FlinkPod[] | Error>) {
  const logs: string[] = [];
  const { r, asked, scraped } = runtime(pods);
  let loads = 0;
  const s = new PodMetricsService(
    { list: async () => records, get: async (n) => records.find((x) => x.name === n) },
    async () => {
      loads++;
      return r;
    },
    (m) => logs.push(m),
  );
  return { s, logs, asked, scraped, loads: () => loads };
}

const signal = new AbortController().signal;

describe('the pods of Kubernetes targets as scrape targets', () => {
  it('loads no Kubernetes client while there is no Kubernetes target', async () => {
    const local: StoredTargetRecord = {
      name: 'local-1.20',
      kind: 'local',
      spec: { name: 'local-1.20' },
      createdAt: 'x',
    } as unknown as StoredTargetRecord;
    const { s, loads } = service([local], {});
    expect(await s.endpoints()).toEqual([]);
    expect(loads()).toBe(0);
  });

  it('lists the reporting pods of every target, and a target that fails lists none, said once', async () => {
    const { s, logs } = service([k8s('a'), k8s('b')], {
      a: [pod('tm-1'), pod('jm', { component: 'jobmanager' }), pod('tm-2', { ready: false })],
      b: new Error('API server of b does not answer'),
    });
    const first = await s.endpoints();
    expect(first.map((e) => `${e.target}/${e.pod}/${e.role}`)).toEqual([
      'a/tm-1/taskmanager',
      'a/jm/jobmanager',
    ]);
    await s.endpoints();
    expect(logs).toEqual([
      'target b: its pods could not be listed for Prometheus: API server of b does not answer',
    ]);
  });

  it('scrapes a listed pod on its reporter port without listing again, and refuses a pod that does not report', async () => {
    const { s, asked, scraped } = service([k8s('a')], {
      a: [pod('tm-1', { annotatedPort: '9250' }), pod('tm-2', { phase: 'Pending' })],
    });
    await s.endpoints();
    await s.scrape('a', 'tm-1', { signal });
    expect(scraped).toEqual(['a/tm-1:9250']);
    expect(asked).toEqual(['a']);
    const refused = await s.scrape('a', 'tm-2', { signal }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SluiceError);
    expect((refused as SluiceError).code).toBe('not_found');
    // A pod not among those listed is looked for again before it is refused.
    expect(asked).toEqual(['a', 'a']);
  });

  it('refuses a target that is none or no Kubernetes one', async () => {
    const session = {
      name: 'local-1.20',
      kind: 'local',
      spec: {},
      createdAt: 'x',
    } as unknown as StoredTargetRecord;
    const { s } = service([session], {});
    for (const t of ['nope', 'local-1.20']) {
      const e = await s.scrape(t, 'p', { signal }).catch((x: unknown) => x);
      expect((e as SluiceError).code).toBe('not_found');
    }
  });
});

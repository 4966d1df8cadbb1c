import { describe, expect, it } from 'vitest';
import { podMetricsPath, podScrapeTargetGroups, reportingPods, type FlinkPod } from './pod-scrape-targets.ts';

const ID = 'c'.repeat(32);

const pod = (p: Partial<FlinkPod>): FlinkPod => ({
  name: `flink-orders-cccccccc-jobmanager-5d8f7-abcde`,
  namespace: 'flink',
  phase: 'Running',
  ready: true,
  terminating: false,
  component: 'jobmanager',
  job: 'orders',
  flinkJobId: ID,
  annotatedPort: '9249',
  namedPort: 9249,
  ...p,
});

describe('the pods of a Kubernetes target that Prometheus scrapes through Sluice', () => {
  it('takes the Running and Ready JobManager and TaskManager pods, with their role, job and reporter port', () => {
    const found = reportingPods('k8s', '1.20', [
      pod({}),
      pod({ name: 'flink-orders-cccccccc-taskmanager-1', component: 'taskmanager', annotatedPort: '9300' }),
    ]);
    expect(found).toEqual([
      {
        target: 'k8s',
        engineVersion: '1.20',
        role: 'jobmanager',
        process: 'flink-orders-cccccccc-jobmanager-5d8f7-abcde',
        namespace: 'flink',
        pod: 'flink-orders-cccccccc-jobmanager-5d8f7-abcde',
        port: 9249,
        job: { name: 'orders', flinkJobId: ID },
      },
      {
        target: 'k8s',
        engineVersion: '1.20',
        role: 'taskmanager',
        process: 'flink-orders-cccccccc-taskmanager-1',
        namespace: 'flink',
        pod: 'flink-orders-cccccccc-taskmanager-1',
        port: 9300,
        job: { name: 'orders', flinkJobId: ID },
      },
    ]);
  });

  it('leaves out pods that are not answering yet or any more, and pods that are no Flink process', () => {
    const names = (pods: FlinkPod[]) => reportingPods('k8s', '1.20', pods).map((p) => p.pod);
    expect(
      names([
        pod({ name: 'pending', phase: 'Pending', ready: false }),
        pod({ name: 'starting', ready: false }),
        pod({ name: 'going', terminating: true }),
        pod({ name: 'failed', phase: 'Failed', ready: false }),
        pod({ name: 'config', component: 'config' }),
        pod({ name: 'unlabelled', component: undefined }),
        pod({ name: 'ok' }),
      ]),
    ).toEqual(['ok']);
  });

  it('takes the named port when no annotation names one, and leaves out a pod with neither (started before the reporter)', () => {
    const found = reportingPods('k8s', '1.20', [
      pod({ name: 'named', annotatedPort: undefined, namedPort: 9251 }),
      pod({ name: 'bad-annotation', annotatedPort: '92a9', namedPort: 9252 }),
      pod({ name: 'out-of-range', annotatedPort: '70000', namedPort: null }),
      pod({ name: 'none', annotatedPort: undefined, namedPort: null }),
    ]);
    expect(found.map((p) => [p.pod, p.port])).toEqual([
      ['named', 9251],
      ['bad-annotation', 9252],
    ]);
  });

  it("gives a session's pods (no job labels) no job, and a pod with only half of the job's labels none either", () => {
    const found = reportingPods('k8s-session', '1.20', [
      pod({ name: 'session-jm', job: undefined, flinkJobId: undefined }),
      pod({ name: 'half', flinkJobId: undefined }),
    ]);
    expect(found.map((p) => p.job)).toEqual([null, null]);
  });

  it('addresses each group to Sluice, with the metrics path of its pod, its own instance and the labels of a local process', () => {
    const endpoints = reportingPods('k8s', '1.20', [
      pod({ name: 'tm-b', component: 'taskmanager' }),
      pod({ name: 'jm-a' }),
    ]);
    const groups = podScrapeTargetGroups(
      endpoints,
      { address: '127.0.0.1:8080', scheme: 'http' },
      (name) => (name === 'orders' ? 4 : null),
      { job: (name) => (name === 'orders' ? 'shop' : undefined), target: () => 'not-this' },
    );
    expect(groups).toEqual([
      {
        targets: ['127.0.0.1:8080'],
        labels: {
          target: 'k8s',
          engine_version: '1.20',
          role: 'jobmanager',
          process: 'jm-a',
          space: 'shop',
          job: 'orders',
          version: '4',
          flink_job_id: ID,
          instance: 'flink/jm-a:9249',
          __metrics_path__: '/api/v1/prometheus/pods/k8s/jm-a/metrics',
          __scheme__: 'http',
        },
      },
      {
        targets: ['127.0.0.1:8080'],
        labels: expect.objectContaining({
          role: 'taskmanager',
          process: 'tm-b',
          instance: 'flink/tm-b:9249',
        }),
      },
    ]);
  });

  it("gives a session's pods their target's space and no job labels", () => {
    const [g] = podScrapeTargetGroups(
      reportingPods('k8s-session', '1.20', [pod({ name: 'jm', job: undefined, flinkJobId: undefined })]),
      { address: 'sluice.example.com', scheme: 'https' },
      () => 1,
      { job: () => 'not-this', target: (name) => (name === 'k8s-session' ? 'team' : undefined) },
    );
    expect(g).toEqual({
      targets: ['sluice.example.com'],
      labels: {
        target: 'k8s-session',
        engine_version: '1.20',
        role: 'jobmanager',
        process: 'jm',
        space: 'team',
        instance: 'flink/jm:9249',
        __metrics_path__: '/api/v1/prometheus/pods/k8s-session/jm/metrics',
        __scheme__: 'https',
      },
    });
  });

  it('writes the path with its names escaped, so that it is always one path segment each', () => {
    expect(podMetricsPath('a/b', 'p?q')).toBe('/api/v1/prometheus/pods/a%2Fb/p%3Fq/metrics');
  });
});

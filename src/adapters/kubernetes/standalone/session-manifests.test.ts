import { describe, expect, it } from 'vitest';
import type { KubernetesSession, KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import {
  renderStandaloneSession,
  sessionName,
  sessionSelector,
  type StandaloneSessionInput,
} from './session-manifests.ts';

const target: KubernetesTargetSpec & { session: KubernetesSession } = {
  name: 'k8s.session',
  engineVersion: '1.20',
  kubeconfig: '/k',
  context: null,
  namespace: 'flink',
  mode: 'standalone',
  image: 'flink:1.20.3-java17',
  imagePullPolicy: 'Never',
  imagePullSecrets: [],
  serviceAccount: null,
  sharedDir: '/srv/shared',
  flinkConfiguration: { 'kubernetes.taskmanager.cpu': '0.5', 'pipeline.max-parallelism': '64' },
  session: {
    taskManagers: 2,
    slotsPerTaskManager: 3,
    jobManagerMemory: '1024m',
    taskManagerMemory: '1536m',
    gatewayMemory: '512m',
  },
};
const input: StandaloneSessionInput = {
  target,
  space: 'data-platform',
  flinkVersion: '1.20.3',
  gatewayJars: ['flink-sql-gateway-1.20.3.jar'],
  jobManagerAddress: '10.96.0.20',
  rootUid: 'uid-1',
};

describe("a Kubernetes session target's cluster", () => {
  const o = renderStandaloneSession(input);

  it('is named after its target as a Service may be, and owned by its root ConfigMap', () => {
    expect(sessionName('k8s.session')).toBe('flink-session-k8s-session');
    expect(o.root.metadata!.name).toBe('flink-session-k8s-session-config');
    for (const x of [o.service, o.jobManager, o.taskManagers])
      expect(x.metadata!.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'ConfigMap', uid: 'uid-1' }),
      ]);
    expect(sessionSelector('k8s.session', 'jobmanager')).toBe(
      'app.kubernetes.io/managed-by=sluice,sluice.dev/session=k8s.session,app.kubernetes.io/component=jobmanager',
    );
    // Its pods carry the target's space: they run jobs of every space the target serves.
    expect(o.taskManagers.spec!.template.metadata!.labels).toMatchObject({
      'sluice.dev/session': 'k8s.session',
      'sluice.dev/space': 'data-platform',
      'app.kubernetes.io/component': 'taskmanager',
    });
    expect(o.jobManager.spec!.template.metadata!.labels).toMatchObject({
      'sluice.dev/space': 'data-platform',
    });
    expect(o.jobManager.spec!.selector.matchLabels).not.toHaveProperty('sluice.dev/space');
  });

  it("runs Flink's session entry point with its sizes, and the SQL Gateway beside the JobManager on the Service", () => {
    const config = o.root.data!['config.yaml']!;
    expect(config).toContain('jobmanager.rpc.address: 10.96.0.20\n');
    expect(config).toContain('taskmanager.numberOfTaskSlots: 3\n');
    expect(config).toContain('taskmanager.memory.process.size: 1536m\n');
    expect(config).toContain('sql-gateway.endpoint.rest.port: 8083\n');
    // The gateway reaches the JobManager on the pod's loopback; the target's own options are kept.
    expect(config).toContain('rest.address: 127.0.0.1\n');
    expect(config).toContain('pipeline.max-parallelism: 64\n');
    expect(config).toContain('state.checkpoints.dir: file:///srv/shared/k8s.session/session/checkpoints\n');
    expect(o.service.spec!.ports!.map((p) => `${p.name}:${p.port}`)).toEqual([
      'rpc:6123',
      'blob:6124',
      'rest:8081',
      'gateway:8083',
    ]);
    expect(o.taskManagers.spec!.replicas).toBe(2);
    const [jm, gw] = o.jobManager.spec!.template.spec!.containers;
    expect(jm!.args).toEqual(['jobmanager']);
    expect(o.taskManagers.spec!.template.spec!.containers[0]!.args).toEqual(['taskmanager']);
    expect(o.taskManagers.spec!.template.spec!.containers[0]!.resources!.requests!.cpu).toBe('0.5');
    expect(gw!.name).toBe('sql-gateway');
    const cp = gw!.command![gw!.command!.indexOf('-cp') + 1];
    expect(cp).toBe('/opt/flink/lib/*:/srv/shared/k8s.session/session/lib/flink-sql-gateway-1.20.3.jar');
    expect(gw!.command).toContain('org.apache.flink.table.gateway.SqlGateway');
    expect(gw!.command).toContain('-Xmx512m');
    expect(gw!.resources!.limits!.memory).toBe('768Mi');
    // The session's folder of the shared folder, at the same path in every pod.
    expect(o.jobManager.spec!.template.spec!.volumes).toContainEqual({
      name: 'session',
      hostPath: { path: '/srv/shared/k8s.session/session', type: 'DirectoryOrCreate' },
    });
  });

  it("mounts the session's folder from the target's claim by its subPath, in Flink's containers and the SQL Gateway's", () => {
    const c = renderStandaloneSession({ ...input, target: { ...target, sharedClaim: 'sluice-shared' } });
    for (const d of [c.jobManager, c.taskManagers]) {
      const pod = d.spec!.template.spec!;
      expect(pod.volumes!.filter((v) => v.hostPath)).toEqual([]);
      expect(pod.volumes).toContainEqual({
        name: 'shared-folder',
        persistentVolumeClaim: { claimName: 'sluice-shared' },
      });
      for (const container of pod.containers)
        expect(container.volumeMounts).toContainEqual({
          name: 'shared-folder',
          mountPath: '/srv/shared/k8s.session/session',
          subPath: 'k8s.session/session',
        });
    }
    expect(c.jobManager.spec!.template.spec!.containers.map((x) => x.name)).toContain('sql-gateway');
  });

  it("has no Kubernetes HA unless the target's options ask for it; then its storage is the session's ha folder and its cluster id the session's name", () => {
    const config = o.root.data!['config.yaml']!;
    expect(config).not.toContain('high-availability');
    expect(config).not.toContain('kubernetes.cluster-id');
    const ha = renderStandaloneSession({
      ...input,
      target: {
        ...target,
        serviceAccount: 'flink',
        flinkConfiguration: { ...target.flinkConfiguration, 'high-availability.type': 'kubernetes' },
      },
    });
    const haConfig = ha.root.data!['config.yaml']!;
    expect(haConfig).toContain('high-availability.type: kubernetes\n');
    expect(haConfig).toContain('high-availability.storageDir: file:///srv/shared/k8s.session/session/ha\n');
    expect(haConfig).toContain('kubernetes.cluster-id: flink-session-k8s-session\n');
    expect(haConfig).toContain('kubernetes.namespace: flink\n');
    // The TaskManagers still reach the JobManager by the Service's ClusterIP, which it publishes.
    expect(haConfig).toContain('jobmanager.rpc.address: 10.96.0.20\n');
    // Its pods run as the account that may keep HA's ConfigMaps, the gateway beside the JobManager too.
    for (const d of [ha.jobManager, ha.taskManagers])
      expect(d.spec!.template.spec!.serviceAccountName).toBe('flink');
    // The target's own storage folder wins (an object store, say).
    const own = renderStandaloneSession({
      ...input,
      target: {
        ...target,
        serviceAccount: 'flink',
        flinkConfiguration: {
          'high-availability.type': 'kubernetes',
          'high-availability.storageDir': 's3://bucket/ha',
        },
      },
    });
    expect(own.root.data!['config.yaml']).toContain('high-availability.storageDir: s3://bucket/ha\n');
  });

  it('shows placeholders before the API server has chosen the address and the owner', () => {
    const preview = renderStandaloneSession({ ...input, jobManagerAddress: null, rootUid: null });
    expect(preview.root.data!['config.yaml']).toMatch(
      /jobmanager\.rpc\.address: .<the JobManager Service ClusterIP>/,
    );
    expect(preview.service.metadata!.ownerReferences).toBeUndefined();
  });
});

describe("Flink's Prometheus reporter in a Kubernetes session's pods", () => {
  it('turns it on in the Flink containers (not the SQL Gateway beside them) and annotates both roles', () => {
    const o = renderStandaloneSession(input);
    expect(Object.values(o.root.data!).join('\n')).toContain(
      'metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory\n',
    );
    for (const d of [o.jobManager, o.taskManagers]) {
      expect(d.spec!.template.metadata!.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9249',
        'prometheus.io/path': '/metrics',
      });
      const [flink, ...rest] = d.spec!.template.spec!.containers;
      expect(flink!.ports).toContainEqual({ name: 'metrics', containerPort: 9249, protocol: 'TCP' });
      for (const c of rest) expect(c.ports?.map((p) => p.name)).not.toContain('metrics');
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { V1Container } from '@kubernetes/client-node';
import type { KubernetesSession, KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import {
  gatewayConfigMap,
  gatewayConfiguration,
  gatewayService,
  sessionClusterId,
  type OperatorSessionInput,
} from '../operator/operator-session-manifests.ts';
import { nativeSessionConfiguration, nativeSessionPodTemplates } from './native-session-manifests.ts';

const target: KubernetesTargetSpec & { session: KubernetesSession } = {
  name: 'k8s-native-session',
  engineVersion: '1.20',
  kubeconfig: '/home/me/.kube/config',
  context: 'lab',
  namespace: 'streaming',
  mode: 'native',
  image: 'registry.example.com/flink:1.20.3',
  imagePullPolicy: 'Always',
  imagePullSecrets: ['pull'],
  serviceAccount: 'flink-native',
  sharedDir: '/mnt/flink',
  flinkConfiguration: {
    'kubernetes.jobmanager.node-selector': 'pool:flink',
    'table.exec.state.ttl': '1 h',
    'kubernetes.rest-service.exposed.type': 'NodePort',
  },
  session: {
    taskManagers: 3,
    slotsPerTaskManager: 2,
    jobManagerMemory: '1200m',
    taskManagerMemory: '2g',
    gatewayMemory: '384m',
  },
};

const input: OperatorSessionInput = {
  target,
  space: 'data-platform',
  flinkVersion: '1.20.3',
  gatewayJars: ['flink-sql-gateway-1.20.3.jar'],
};
const files = { jobManagerPodTemplate: '/s/jm.yaml', taskManagerPodTemplate: '/s/tm.yaml' };
const owner = [
  { apiVersion: 'apps/v1', kind: 'Deployment', name: 'flink-session-k8s-native-session', uid: 'u-1' },
];

describe("Flink's native session: what the client is handed", () => {
  it('derives a cluster id Flink accepts (at most 45 characters, no trailing dash) from the target', () => {
    expect(sessionClusterId('k8s-native-session')).toBe('flink-session-k8s-native-session');
    const long = sessionClusterId('a-very-long-target-name-for-a-session.of.flink');
    expect(long.length).toBeLessThanOrEqual(45);
    expect(long).toMatch(/^flink-session-a-very-long-target-name-for-a[a-z0-9-]*[a-z0-9]$/);
  });

  it("is a kubernetes-session run with the operator session's HA and slots and the target's image, account and sizes", () => {
    const c = nativeSessionConfiguration(input, files);
    expect(c).toMatchObject({
      'execution.target': 'kubernetes-session',
      'kubernetes.cluster-id': 'flink-session-k8s-native-session',
      'kubernetes.namespace': 'streaming',
      'kubernetes.config.file': '/home/me/.kube/config',
      'kubernetes.context': 'lab',
      'kubernetes.container.image.ref': 'registry.example.com/flink:1.20.3',
      'kubernetes.container.image.pull-policy': 'Always',
      'kubernetes.container.image.pull-secrets': 'pull',
      'kubernetes.service-account': 'flink-native',
      'kubernetes.pod-template-file.jobmanager': '/s/jm.yaml',
      'kubernetes.pod-template-file.taskmanager': '/s/tm.yaml',
      'kubernetes.rest-service.exposed.type': 'NodePort',
      'high-availability.type': 'kubernetes',
      'high-availability.storageDir': 'file:///mnt/flink/k8s-native-session/session/ha',
      'taskmanager.numberOfTaskSlots': '2',
      'slotmanager.number-of-slots.min': '6',
      'slotmanager.number-of-slots.max': '6',
      'jobmanager.memory.process.size': '1200m',
      'taskmanager.memory.process.size': '2g',
      'table.exec.state.ttl': '1 h',
    });
    // Sluice's labels: the session's pods and its Deployment are found by them.
    expect(c['kubernetes.jobmanager.labels']).toContain('sluice.dev/session:k8s-native-session');
    expect(c['kubernetes.taskmanager.labels']).toContain('sluice.dev/space:data-platform');
    expect(c['kubernetes.jobmanager.labels']).toContain('app.kubernetes.io/component:jobmanager');
    expect(c['kubernetes.taskmanager.labels']).toContain('app.kubernetes.io/component:taskmanager');
    // The operator's own keys mean nothing to Flink's client; pod options are in the templates.
    expect(Object.keys(c).filter((k) => k.startsWith('kubernetes.operator.'))).toEqual([]);
    expect(c['kubernetes.jobmanager.node-selector']).toBeUndefined();
  });

  it('puts the SQL Gateway beside the JobManager, told the pod IP, with its configuration and the shared folder', () => {
    const { jobmanager, taskmanager } = nativeSessionPodTemplates(input);
    const names = (cs: V1Container[]) => cs.map((c) => c.name);
    expect(names(jobmanager.spec!.containers)).toEqual(['flink-main-container', 'sql-gateway']);
    expect(names(taskmanager.spec!.containers)).toEqual(['flink-main-container']);
    const gateway = jobmanager.spec!.containers[1]!;
    expect(gateway.command).toContain('org.apache.flink.table.gateway.SqlGateway');
    expect(gateway.command).toContain('-Drest.address=$(POD_IP)');
    expect(gateway.command!.join(' ')).toContain(
      '/mnt/flink/k8s-native-session/session/lib/flink-sql-gateway-1.20.3.jar',
    );
    expect(gateway.env).toContainEqual({
      name: 'POD_IP',
      valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
    });
    expect(gateway.volumeMounts).toEqual([
      { name: 'gateway-config', mountPath: '/opt/flink/conf' },
      { name: 'shared', mountPath: '/mnt/flink/k8s-native-session' },
    ]);
    expect(gateway.resources?.limits?.memory).toBe('640Mi');
    expect(jobmanager.spec!.volumes).toContainEqual({
      name: 'gateway-config',
      configMap: { name: 'flink-session-k8s-native-session-gateway-config' },
    });
    // Both roles mount the shared folder (checkpoints, savepoints, HA) and carry the session's labels.
    for (const pod of [jobmanager, taskmanager]) {
      expect(pod.spec!.volumes).toContainEqual({
        name: 'shared',
        hostPath: { path: '/mnt/flink/k8s-native-session', type: 'DirectoryOrCreate' },
      });
      expect(pod.metadata?.labels?.['sluice.dev/session']).toBe('k8s-native-session');
      expect(pod.metadata?.labels?.['sluice.dev/space']).toBe('data-platform');
    }
    expect(jobmanager.spec!.nodeSelector).toEqual({ pool: 'flink' });
    expect(taskmanager.spec!.nodeSelector).toBeUndefined();
  });

  it("mounts the target's claim by its subPath in both roles and the SQL Gateway, instead of hostPath", () => {
    const { jobmanager, taskmanager } = nativeSessionPodTemplates({
      ...input,
      target: { ...target, sharedClaim: 'flink-shared' },
    });
    const mount = {
      name: 'shared-folder',
      mountPath: '/mnt/flink/k8s-native-session',
      subPath: 'k8s-native-session',
    };
    for (const pod of [jobmanager, taskmanager]) {
      expect(pod.spec!.volumes!.filter((v) => v.hostPath)).toEqual([]);
      expect(pod.spec!.volumes).toContainEqual({
        name: 'shared-folder',
        persistentVolumeClaim: { claimName: 'flink-shared' },
      });
      expect(pod.spec!.containers[0]!.volumeMounts).toContainEqual(mount);
    }
    expect(jobmanager.spec!.containers[1]!.volumeMounts).toEqual([
      { name: 'gateway-config', mountPath: '/opt/flink/conf' },
      mount,
    ]);
  });

  it("gives the gateway the session's state folders and its port, and a Service owned by the JobManager Deployment", () => {
    expect(gatewayConfiguration(input)).toMatchObject({
      'rest.port': '8081',
      'state.checkpoints.dir': 'file:///mnt/flink/k8s-native-session/session/checkpoints',
      'state.savepoints.dir': 'file:///mnt/flink/k8s-native-session/session/savepoints',
      'sql-gateway.endpoint.rest.bind-address': '0.0.0.0',
      'sql-gateway.endpoint.rest.port': '8083',
      'table.exec.state.ttl': '1 h',
    });
    const before = gatewayConfigMap(input, null);
    expect(before.metadata?.ownerReferences).toBeUndefined();
    expect(Object.keys(before.data!)).toEqual(['config.yaml', 'log4j.properties']);
    expect(gatewayConfigMap(input, owner).metadata?.ownerReferences).toEqual(owner);
    const service = gatewayService(input, owner);
    expect(service).toMatchObject({
      metadata: {
        name: 'flink-session-k8s-native-session-gateway',
        namespace: 'streaming',
        ownerReferences: owner,
      },
      spec: {
        selector: { 'sluice.dev/session': 'k8s-native-session', 'app.kubernetes.io/component': 'jobmanager' },
        ports: [{ name: 'gateway', port: 8083, targetPort: 8083 }],
      },
    });
  });
});

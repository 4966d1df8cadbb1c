import { describe, expect, it } from 'vitest';
import type { ApplicationSpec } from '../../../domain/targets/deployment-target.ts';
import type { KubernetesSession, KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import { renderSavepointSnapshot } from './operator-manifests.ts';
import {
  gatewayConfigMap,
  gatewayService,
  ownedBySessionDeployment,
  renderSessionDeployment,
  renderSessionJob,
  sessionJobAdoption,
  sessionJobOutcome,
  sessionReadiness,
  sessionRunFiles,
} from './operator-session-manifests.ts';

const ID = '0123456789abcdef0123456789abcdef';

const target: KubernetesTargetSpec & { session: KubernetesSession } = {
  name: 'k8s-ops',
  engineVersion: '1.20',
  kubeconfig: '/etc/kubeconfig',
  context: null,
  namespace: 'flink-jobs',
  mode: 'operator',
  image: 'flink:1.20.3-java17',
  imagePullPolicy: 'IfNotPresent',
  imagePullSecrets: ['regcred'],
  serviceAccount: 'flink',
  sharedDir: '/srv/sluice',
  upgradeMode: 'savepoint',
  flinkConfiguration: {
    'kubernetes.taskmanager.node-selector': 'disk:ssd',
    'pipeline.max-parallelism': '64',
  },
  session: {
    taskManagers: 2,
    slotsPerTaskManager: 3,
    jobManagerMemory: '1024m',
    taskManagerMemory: '1536m',
    gatewayMemory: '512m',
  },
};

const spec = (over: Partial<ApplicationSpec> = {}): ApplicationSpec => ({
  jobName: 'orders',
  space: 'team-a',
  flinkJobId: ID,
  program: { kind: 'jar', entryClass: 'dev.example.Counter', args: ['--rate', '5'], options: {} },
  jars: ['/home/sluice/artifacts/counter.jar', '/home/sluice/artifacts/lib.jar'],
  savepoint: null,
  allowNonRestoredState: false,
  resources: {
    taskManagers: 1,
    slotsPerTaskManager: 2,
    jobManagerMemory: '1024m',
    taskManagerMemory: '1536m',
  },
  ...over,
});

describe("the operator's session FlinkDeployment", () => {
  const input = {
    target,
    space: 'data-platform',
    flinkVersion: '1.20.3',
    gatewayJars: ['flink-sql-gateway-1.20.3.jar'],
  };
  const fd = renderSessionDeployment(input);

  it('has no job, and holds its slots at the target size with the shared folder mounted at its own path', () => {
    expect(fd).toMatchObject({
      apiVersion: 'flink.apache.org/v1beta1',
      kind: 'FlinkDeployment',
      metadata: { name: 'flink-session-k8s-ops', namespace: 'flink-jobs' },
      spec: {
        image: 'flink:1.20.3-java17',
        flinkVersion: 'v1_20',
        serviceAccount: 'flink',
        jobManager: { resource: { cpu: 0.25, memory: '1024m' } },
        taskManager: { resource: { cpu: 0.25, memory: '1536m' } },
      },
    });
    expect('job' in fd.spec).toBe(false);
    expect(fd.spec.taskManager.replicas).toBeUndefined();
    expect(fd.spec.flinkConfiguration).toMatchObject({
      'taskmanager.numberOfTaskSlots': '3',
      'slotmanager.number-of-slots.min': '6',
      'slotmanager.number-of-slots.max': '6',
      'high-availability.type': 'kubernetes',
      'high-availability.storageDir': 'file:///srv/sluice/k8s-ops/session/ha',
      'state.savepoints.dir': 'file:///srv/sluice/k8s-ops/session/savepoints',
      'pipeline.max-parallelism': '64',
    });
    // A pod option is the pod template's, not Flink's configuration.
    expect(fd.spec.flinkConfiguration['kubernetes.taskmanager.node-selector']).toBeUndefined();
    expect(fd.spec.taskManager.podTemplate.spec?.nodeSelector).toEqual({ disk: 'ssd' });
    expect(fd.spec.podTemplate.spec?.volumes).toEqual([
      { name: 'shared', hostPath: { path: '/srv/sluice/k8s-ops', type: 'DirectoryOrCreate' } },
    ]);
    expect(fd.spec.podTemplate.spec?.containers[0]?.volumeMounts).toEqual([
      { name: 'shared', mountPath: '/srv/sluice/k8s-ops' },
    ]);
    // Its pods carry the target's space: they run jobs of every space the target serves.
    expect(fd.spec.podTemplate.metadata?.labels).toMatchObject({
      'sluice.dev/session': 'k8s-ops',
      'sluice.dev/target': 'k8s-ops',
      'sluice.dev/space': 'data-platform',
    });
    expect(fd.spec.podTemplate.spec?.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    // Flink's Prometheus reporter in every pod, annotated and with a named port, as on every way.
    expect(fd.spec.flinkConfiguration['metrics.reporter.prom.port']).toBe('9249');
    expect(fd.spec.podTemplate.metadata?.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9249',
    });
    expect(fd.spec.podTemplate.spec?.containers[0]?.ports).toEqual([
      { name: 'metrics', containerPort: 9249, protocol: 'TCP' },
    ]);
  });

  it("runs the SQL Gateway beside the JobManager only, with its ConfigMap and the shared folder, told the pod's IP", () => {
    const jm = fd.spec.jobManager.podTemplate.spec!;
    expect(jm.containers.map((c) => c.name)).toEqual(['flink-main-container', 'sql-gateway']);
    expect(fd.spec.taskManager.podTemplate.spec!.containers.map((c) => c.name)).toEqual([
      'flink-main-container',
    ]);
    const gateway = jm.containers[1]!;
    expect(gateway.image).toBe('flink:1.20.3-java17');
    expect(gateway.command).toContain('org.apache.flink.table.gateway.SqlGateway');
    expect(gateway.command).toContain('-Drest.address=$(POD_IP)');
    expect(gateway.command!.join(' ')).toContain(
      '/srv/sluice/k8s-ops/session/lib/flink-sql-gateway-1.20.3.jar',
    );
    expect(gateway.volumeMounts).toEqual([
      { name: 'gateway-config', mountPath: '/opt/flink/conf' },
      { name: 'shared', mountPath: '/srv/sluice/k8s-ops' },
    ]);
    // 512m of heap and 256 MiB beyond it.
    expect(gateway.resources?.limits?.memory).toBe('768Mi');
    // The operator merges the JobManager's volumes with the common template's by name.
    expect(jm.volumes).toEqual([
      { name: 'gateway-config', configMap: { name: 'flink-session-k8s-ops-gateway-config' } },
    ]);
    expect(fd.spec.flinkConfiguration['kubernetes.operator.pod-template.merge-arrays-by-name']).toBe('true');
  });

  it("mounts the target's claim by its subPath in every pod and the SQL Gateway, no hostPath", () => {
    const claimed = renderSessionDeployment({
      ...input,
      target: { ...target, sharedClaim: 'sluice-shared' },
    });
    const common = claimed.spec.podTemplate.spec!;
    const mount = { name: 'shared-folder', mountPath: '/srv/sluice/k8s-ops', subPath: 'k8s-ops' };
    expect(common.volumes).toEqual([
      { name: 'shared-folder', persistentVolumeClaim: { claimName: 'sluice-shared' } },
    ]);
    expect(common.containers[0]!.volumeMounts).toEqual([mount]);
    expect(claimed.spec.jobManager.podTemplate.spec!.containers[1]!.volumeMounts).toEqual([
      { name: 'gateway-config', mountPath: '/opt/flink/conf' },
      mount,
    ]);
  });

  it("owns the gateway's ConfigMap and Service by the FlinkDeployment, the Service selecting its JobManager pod", () => {
    const owner = ownedBySessionDeployment({ metadata: { name: 'flink-session-k8s-ops', uid: 'u-7' } });
    expect(owner).toEqual([
      {
        apiVersion: 'flink.apache.org/v1beta1',
        kind: 'FlinkDeployment',
        name: 'flink-session-k8s-ops',
        uid: 'u-7',
      },
    ]);
    const config = gatewayConfigMap(input, owner);
    expect(config.metadata).toMatchObject({
      name: 'flink-session-k8s-ops-gateway-config',
      namespace: 'flink-jobs',
      ownerReferences: owner,
    });
    expect(config.data!['config.yaml']).toContain('sql-gateway.endpoint.rest.port: 8083');
    expect(config.data!['config.yaml']).toContain('pipeline.max-parallelism: 64');
    expect(gatewayConfigMap(input, null).metadata?.ownerReferences).toBeUndefined();
    const service = gatewayService(input, owner);
    expect(service).toMatchObject({
      metadata: { name: 'flink-session-k8s-ops-gateway', ownerReferences: owner },
      spec: { ports: [{ name: 'gateway', port: 8083, targetPort: 8083 }] },
    });
    // The labels the JobManager pod gets from the session's pod templates.
    const podLabels = {
      ...fd.spec.podTemplate.metadata?.labels,
      ...fd.spec.jobManager.podTemplate.metadata?.labels,
    };
    expect(podLabels).toMatchObject(service.spec!.selector!);
    expect(fd.spec.taskManager.podTemplate.metadata?.labels).not.toMatchObject(service.spec!.selector!);
  });

  it('is ready once the operator reports its JobManager READY, failed when it says FAILED', () => {
    expect(sessionReadiness(undefined)).toBe('deploying');
    expect(sessionReadiness({ lifecycleState: 'DEPLOYED', jobManagerDeploymentStatus: 'DEPLOYING' })).toBe(
      'deploying',
    );
    expect(sessionReadiness({ lifecycleState: 'DEPLOYED', jobManagerDeploymentStatus: 'READY' })).toBe(
      'ready',
    );
    expect(sessionReadiness({ lifecycleState: 'STABLE', jobManagerDeploymentStatus: 'READY' })).toBe('ready');
    expect(sessionReadiness({ lifecycleState: 'FAILED', error: 'bad image' })).toEqual({
      failed: 'the operator reports FAILED: bad image',
    });
  });
});

describe('a run as a FlinkSessionJob', () => {
  it("runs the job's jar from the shared folder with the rest of its jars on the class path", () => {
    const s = spec();
    const files = sessionRunFiles(target, s, s.jars);
    expect(files.jar).toBe(`/srv/sluice/k8s-ops/orders/${ID}/usrlib/00-counter.jar`);
    const sj = renderSessionJob({
      target,
      spec: s,
      program: { jar: files.jar, entryClass: 'dev.example.Counter', args: ['--rate', '5'] },
      classpath: files.classpath,
    });
    expect(sj).toMatchObject({
      apiVersion: 'flink.apache.org/v1beta1',
      kind: 'FlinkSessionJob',
      metadata: {
        name: 'flink-orders-01234567',
        namespace: 'flink-jobs',
        labels: { 'sluice.dev/flink-job-id': ID, 'sluice.dev/job': 'orders', 'sluice.dev/target': 'k8s-ops' },
      },
      spec: {
        deploymentName: 'flink-session-k8s-ops',
        job: {
          jarURI: `file:///srv/sluice/k8s-ops/orders/${ID}/usrlib/00-counter.jar`,
          entryClass: 'dev.example.Counter',
          args: ['--rate', '5'],
          parallelism: 2,
          upgradeMode: 'savepoint',
          state: 'running',
        },
      },
    });
    expect(sj.spec.job.initialSavepointPath).toBeUndefined();
    expect(sj.spec.flinkConfiguration).toMatchObject({
      'pipeline.classpaths': `file:///srv/sluice/k8s-ops/orders/${ID}/usrlib/01-lib.jar`,
      'state.savepoints.dir': 'file:///srv/sluice/k8s-ops/orders/savepoints',
      'state.checkpoints.dir': 'file:///srv/sluice/k8s-ops/orders/checkpoints',
      'pipeline.max-parallelism': '64',
    });
    expect(sj.spec.flinkConfiguration['kubernetes.taskmanager.node-selector']).toBeUndefined();
  });

  it('starts from a savepoint when the run has one, with no class path when it has one jar', () => {
    const s = spec({
      savepoint: 'file:/srv/sluice/k8s-ops/orders/savepoints/savepoint-1',
      jars: ['/a/runner.jar'],
    });
    const files = sessionRunFiles(target, s, s.jars);
    const sj = renderSessionJob({
      target,
      spec: s,
      program: { jar: files.jar, entryClass: 'dev.sluice.sqlrunner.SluiceSqlRunner', args: [files.plan] },
      classpath: files.classpath,
    });
    expect(sj.spec.job).toMatchObject({
      initialSavepointPath: 'file:/srv/sluice/k8s-ops/orders/savepoints/savepoint-1',
      allowNonRestoredState: false,
      args: [`/srv/sluice/k8s-ops/orders/${ID}/sql-runner-plan.json`],
    });
    expect(sj.spec.flinkConfiguration['pipeline.classpaths']).toBeUndefined();
  });

  it("reads the operator's job id, the job's state and its failure from the status", () => {
    expect(sessionJobOutcome(undefined)).toEqual({ jobId: null, state: null, failed: null });
    expect(
      sessionJobOutcome({ lifecycleState: 'UPGRADING', jobStatus: { jobId: 'abc', state: 'RECONCILING' } }),
    ).toEqual({ jobId: 'abc', state: 'RECONCILING', failed: null });
    expect(
      sessionJobOutcome({ lifecycleState: 'STABLE', jobStatus: { jobId: 'abc', state: 'RUNNING' } }),
    ).toEqual({ jobId: 'abc', state: 'RUNNING', failed: null });
    expect(
      sessionJobOutcome({
        lifecycleState: 'FAILED',
        error: 'Could not fetch jar',
        jobStatus: { jobId: 'abc', state: 'RECONCILING' },
      }).failed,
    ).toBe('the operator reports FAILED/RECONCILING: Could not fetch jar');
    expect(sessionJobOutcome({ lifecycleState: 'STABLE', jobStatus: { state: 'FAILED' } }).failed).toBe(
      'the operator reports STABLE/FAILED',
    );
  });

  it('takes its savepoints through a FlinkStateSnapshot that names the FlinkSessionJob', () => {
    const snap = renderSavepointSnapshot(
      target,
      { jobName: 'orders', flinkJobId: ID, deployment: 'flink-orders-01234567' },
      'file:///srv/sluice/k8s-ops/orders/savepoints',
      36 ** 3,
      'FlinkSessionJob',
    );
    expect(snap.spec.jobReference).toEqual({ kind: 'FlinkSessionJob', name: 'flink-orders-01234567' });
    expect(snap.metadata?.name).toBe('flink-orders-01234567-sluice-1000');
  });
});

describe("a FlinkSessionJob found at the platform's start", () => {
  const OPERATORS = 'fedcba9876543210fedcba9876543210';
  const found = (over: { labels?: Record<string, string>; deleting?: boolean; jobId?: string } = {}) => ({
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkSessionJob',
    metadata: {
      name: 'flink-orders-01234567',
      labels: over.labels ?? { 'sluice.dev/job': 'orders', 'sluice.dev/flink-job-id': ID },
      ...(over.deleting ? { deletionTimestamp: new Date(0) } : {}),
    },
    spec: {
      deploymentName: 'flink-session-k8s-ops',
      flinkConfiguration: {},
      job: {
        jarURI: 'file:///x.jar',
        entryClass: 'X',
        args: [],
        parallelism: 1,
        upgradeMode: 'savepoint' as const,
        state: 'running' as const,
      },
    },
    ...(over.jobId
      ? { status: { lifecycleState: 'STABLE', jobStatus: { jobId: over.jobId, state: 'RUNNING' } } }
      : {}),
  });
  const none = () => false;

  it("is adopted under the operator's job id, with the id Sluice reserved (all a start killed before it recorded the operator's left)", () => {
    expect(sessionJobAdoption(found({ jobId: OPERATORS }), none)).toEqual({
      action: 'adopt',
      jobName: 'orders',
      reservedId: ID,
      flinkJobId: OPERATORS,
    });
  });

  it('waits for the operator to choose the id when it has not yet', () => {
    expect(sessionJobAdoption(found(), none)).toEqual({
      action: 'await-job-id',
      jobName: 'orders',
      reservedId: ID,
    });
  });

  it("leaves alone one this process knows by either id, one being deleted, and one that is not Sluice's", () => {
    expect(sessionJobAdoption(found({ jobId: OPERATORS }), (id) => id === OPERATORS)).toBeNull();
    expect(sessionJobAdoption(found({ jobId: OPERATORS }), (id) => id === ID)).toBeNull();
    expect(sessionJobAdoption(found(), (id) => id === ID)).toBeNull();
    expect(sessionJobAdoption(found({ jobId: OPERATORS, deleting: true }), none)).toBeNull();
    expect(
      sessionJobAdoption(found({ labels: { 'sluice.dev/job': 'orders' }, jobId: OPERATORS }), none),
    ).toBeNull();
    expect(sessionJobAdoption(found({ labels: {}, jobId: OPERATORS }), none)).toBeNull();
  });
});

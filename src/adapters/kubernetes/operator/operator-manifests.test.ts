import { describe, expect, it } from 'vitest';
import type { ApplicationSpec } from '../../../domain/targets/deployment-target.ts';
import type { KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import {
  operatorFlinkVersion,
  ownedBy,
  renderFlinkDeployment,
  operatorSeesRunning,
  renderSavepointSnapshot,
  snapshotOutcome,
  stateOption,
  type FlinkDeploymentInput,
} from './operator-manifests.ts';
import { SluiceError } from '../../../domain/errors.ts';
import { operatorError } from './operator-target.ts';

const ID = '0123456789abcdef0123456789abcdef';

const target: KubernetesTargetSpec = {
  name: 'k8s',
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
};

const resources = {
  taskManagers: 2,
  slotsPerTaskManager: 2,
  jobManagerMemory: '1024m',
  taskManagerMemory: '1536m',
};

const sqlSpec = (
  over: Partial<ApplicationSpec> = {},
  options: Record<string, string> = {},
): ApplicationSpec => ({
  jobName: 'orders',
  space: 'team-a',
  flinkJobId: ID,
  program: {
    kind: 'sql',
    plan: { options: { 'parallelism.default': '4', ...options }, setup: [], inserts: [] },
    catalogs: [],
  },
  jars: ['/home/sluice/artifacts/udfs.jar'],
  savepoint: null,
  allowNonRestoredState: false,
  resources,
  ...over,
});

const jarSpec: ApplicationSpec = {
  ...sqlSpec(),
  jobName: 'counter',
  program: { kind: 'jar', entryClass: 'dev.example.Counter', args: ['--rate', '5'], options: {} },
  jars: ['/home/sluice/artifacts/counter.jar'],
};

const input = (spec: ApplicationSpec): FlinkDeploymentInput => ({
  target,
  spec,
  flinkVersion: '1.20.3',
  program:
    spec.program.kind === 'sql'
      ? {
          jar: '00-sluice-sql-runner.jar',
          entryClass: 'dev.sluice.sqlrunner.SluiceSqlRunner',
          args: ['/opt/flink/sluice/sql-runner-plan.json'],
        }
      : { jar: '00-counter.jar', entryClass: spec.program.entryClass, args: spec.program.args },
  plan: spec.program.kind === 'sql' ? '{"format":"sluice-sql-runner/1"}' : null,
});

describe('FlinkDeployment of a job', () => {
  it("runs a SQL job's runner from usrlib with its plan from a Secret, under the Flink job id Sluice reserved", () => {
    const { deployment: fd, program } = renderFlinkDeployment(input(sqlSpec()));
    expect(fd.apiVersion).toBe('flink.apache.org/v1beta1');
    expect(fd.metadata).toMatchObject({ name: 'flink-orders-01234567', namespace: 'flink-jobs' });
    expect(fd.spec).toMatchObject({
      image: 'flink:1.20.3-java17',
      imagePullPolicy: 'IfNotPresent',
      flinkVersion: 'v1_20',
      serviceAccount: 'flink',
    });
    expect(fd.spec.job).toEqual({
      jarURI: 'local:///opt/flink/usrlib/00-sluice-sql-runner.jar',
      entryClass: 'dev.sluice.sqlrunner.SluiceSqlRunner',
      args: ['/opt/flink/sluice/sql-runner-plan.json'],
      parallelism: 4,
      upgradeMode: 'savepoint',
      state: 'running',
    });
    expect(fd.spec.flinkConfiguration['$internal.pipeline.job-id']).toBe(ID);
    expect(program?.stringData).toEqual({ 'sql-runner-plan.json': '{"format":"sluice-sql-runner/1"}' });
    // Only the JobManager reads the plan.
    const jm = fd.spec.jobManager.podTemplate.spec!;
    expect(jm.volumes).toEqual([
      { name: 'program', secret: { secretName: 'flink-orders-01234567-program', defaultMode: 0o440 } },
    ]);
    expect(jm.containers[0]!.volumeMounts).toEqual([{ name: 'program', mountPath: '/opt/flink/sluice' }]);
    expect(fd.spec.taskManager.podTemplate.spec!.volumes).toBeUndefined();
    // Else the operator merges the JobManager's template into the common one by position: one volume
    // would be both a hostPath and a Secret, which the API server refuses.
    expect(fd.spec.flinkConfiguration['kubernetes.operator.pod-template.merge-arrays-by-name']).toBe('true');
  });

  it("keeps the running deployment's name on an upgrade in place, its plan Secret's name with it", () => {
    const other = '89abcdef0123456789abcdef01234567';
    const o = renderFlinkDeployment({
      ...input(sqlSpec({ flinkJobId: other })),
      deploymentName: 'flink-orders-01234567',
    });
    expect(o.deployment.metadata?.name).toBe('flink-orders-01234567');
    expect(o.program?.metadata?.name).toBe('flink-orders-01234567-program');
    // The volume names the Secret applied beside the deployment, not one named after the new job id.
    expect(o.deployment.spec.jobManager.podTemplate.spec!.volumes).toEqual([
      { name: 'program', secret: { secretName: 'flink-orders-01234567-program', defaultMode: 0o440 } },
    ]);
    expect(o.deployment.spec.flinkConfiguration['$internal.pipeline.job-id']).toBe(other);
  });

  it('keeps checkpoints, savepoints and HA data in the shared folder, mounted at the same path', () => {
    const fd = renderFlinkDeployment(input(sqlSpec())).deployment;
    const jobDir = '/srv/sluice/k8s/orders';
    expect(fd.spec.flinkConfiguration).toMatchObject({
      'high-availability.type': 'kubernetes',
      'high-availability.storageDir': `file://${jobDir}/ha`,
      'state.checkpoints.dir': `file://${jobDir}/checkpoints`,
      'state.savepoints.dir': `file://${jobDir}/savepoints`,
      'taskmanager.numberOfTaskSlots': '2',
    });
    const pod = fd.spec.podTemplate.spec!;
    expect(pod.volumes).toEqual([
      { name: 'usrlib', hostPath: { path: `${jobDir}/${ID}/usrlib`, type: 'Directory' } },
      { name: 'job-state', hostPath: { path: jobDir, type: 'DirectoryOrCreate' } },
    ]);
    expect(pod.containers[0]).toMatchObject({
      name: 'flink-main-container',
      volumeMounts: [
        { name: 'usrlib', mountPath: '/opt/flink/usrlib', readOnly: true },
        { name: 'job-state', mountPath: jobDir },
      ],
    });
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  it("mounts the target's claim instead of hostPath folders, each by its subPath; the log mapping stays the node's", () => {
    const fd = renderFlinkDeployment({
      ...input(sqlSpec({}, { 'sluice.kubernetes.log-host-path': '/var/log/flink' })),
      target: { ...target, sharedClaim: 'sluice-shared' },
    }).deployment;
    const jobDir = '/srv/sluice/k8s/orders';
    const pod = fd.spec.podTemplate.spec!;
    expect(pod.volumes).toEqual([
      { name: 'shared-folder', persistentVolumeClaim: { claimName: 'sluice-shared' } },
      { name: 'flink-logs', hostPath: { path: '/var/log/flink/orders', type: 'DirectoryOrCreate' } },
    ]);
    expect(pod.containers[0]!.volumeMounts).toEqual([
      {
        name: 'shared-folder',
        mountPath: '/opt/flink/usrlib',
        subPath: `k8s/orders/${ID}/usrlib`,
        readOnly: true,
      },
      { name: 'shared-folder', mountPath: jobDir, subPath: 'k8s/orders' },
      { name: 'flink-logs', mountPath: '/opt/flink/log' },
    ]);
    expect(pod.securityContext).toEqual({ fsGroup: 9999, fsGroupChangePolicy: 'OnRootMismatch' });
    // The JobManager's plan Secret is still merged in by name beside them.
    expect(fd.spec.jobManager.podTemplate.spec!.volumes).toEqual([
      { name: 'program', secret: { secretName: 'flink-orders-01234567-program', defaultMode: 0o440 } },
    ]);
    expect(fd.spec.flinkConfiguration['state.savepoints.dir']).toBe(`file://${jobDir}/savepoints`);
  });

  it("sizes the pods from the job's memory and CPU options, and labels them as the standalone way does", () => {
    const fd = renderFlinkDeployment(
      input(
        sqlSpec({}, { 'kubernetes.taskmanager.cpu': '0.5', 'kubernetes.jobmanager.cpu.limit-factor': '2' }),
      ),
    ).deployment;
    expect(fd.spec.jobManager.resource).toEqual({ cpu: 0.25, memory: '1024m' });
    expect(fd.spec.taskManager).toMatchObject({ replicas: 2, resource: { cpu: 0.5, memory: '1536m' } });
    // The job's own option wins over Sluice's default.
    expect(fd.spec.flinkConfiguration['kubernetes.jobmanager.cpu.limit-factor']).toBe('2');
    expect(fd.spec.flinkConfiguration['kubernetes.taskmanager.cpu.limit-factor']).toBe('4');
    expect(fd.spec.podTemplate.metadata!.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'sluice',
      'sluice.dev/target': 'k8s',
      'sluice.dev/job': 'orders',
      'sluice.dev/space': 'team-a',
      'sluice.dev/flink-job-id': ID,
    });
    expect(fd.spec.jobManager.podTemplate.metadata!.labels).toEqual({
      'app.kubernetes.io/component': 'jobmanager',
    });
    expect(fd.spec.taskManager.podTemplate.metadata!.labels).toEqual({
      'app.kubernetes.io/component': 'taskmanager',
    });
  });

  it("runs a JAR job's own jar, and a resumed run starts from its savepoint", () => {
    const { deployment: fd, program } = renderFlinkDeployment(
      input({
        ...jarSpec,
        savepoint: 'file:///srv/sluice/k8s/counter/savepoints/savepoint-1',
        allowNonRestoredState: true,
      }),
    );
    expect(program).toBeNull();
    expect(fd.spec.job).toMatchObject({
      jarURI: 'local:///opt/flink/usrlib/00-counter.jar',
      entryClass: 'dev.example.Counter',
      args: ['--rate', '5'],
      initialSavepointPath: 'file:///srv/sluice/k8s/counter/savepoints/savepoint-1',
      allowNonRestoredState: true,
    });
    expect(fd.spec.jobManager.podTemplate.spec!.volumes).toBeUndefined();
  });

  it('gives the plan Secret its FlinkDeployment as owner, and says the CRD version of a Flink version', () => {
    const { program } = renderFlinkDeployment(input(sqlSpec()));
    expect(
      ownedBy(program!, { name: 'flink-orders-01234567', uid: 'u-1' }).metadata!.ownerReferences,
    ).toEqual([
      {
        apiVersion: 'flink.apache.org/v1beta1',
        kind: 'FlinkDeployment',
        name: 'flink-orders-01234567',
        uid: 'u-1',
      },
    ]);
    expect(operatorFlinkVersion('1.19.2')).toBe('v1_19');
    expect(() => operatorFlinkVersion('latest')).toThrow(/flinkVersion/);
  });

  it("reads the operator's error in its own words", () => {
    expect(
      operatorError(
        '{"type":"org.apache.flink.kubernetes.operator.exception.ValidationException","message":"Job parallelism must be larger than 0"}',
      ),
    ).toBe(
      'Job parallelism must be larger than 0 (org.apache.flink.kubernetes.operator.exception.ValidationException)',
    );
    expect(operatorError('plain words')).toBe('plain words');
  });

  it('puts the pod options and template in the role templates and an Ingress in spec.ingress', () => {
    const spec = sqlSpec(
      {},
      {
        'kubernetes.jobmanager.node-selector': 'disk:ssd',
        'kubernetes.pod-template-file.default': '/t.yaml',
        'sluice.ingress.template': '{{job}}.flink.example.com',
      },
    );
    const d = renderFlinkDeployment({
      ...input(spec),
      podTemplates: {
        '/t.yaml': 'spec: { containers: [{ name: flink-main-container, env: [{ name: A, value: b }] }] }',
      },
    }).deployment;
    expect(d.spec.jobManager.podTemplate.spec!.nodeSelector).toEqual({ disk: 'ssd' });
    expect(d.spec.taskManager.podTemplate.spec!.nodeSelector).toBeUndefined();
    expect(d.spec.taskManager.podTemplate.spec!.containers[0]).toMatchObject({
      name: 'flink-main-container',
      env: [{ name: 'A', value: 'b' }],
    });
    expect(d.spec.ingress).toEqual({ template: 'orders.flink.example.com/' });
    expect(
      Object.keys(d.spec.flinkConfiguration).filter((k) =>
        /node-selector|pod-template-file|^sluice\./.test(k),
      ),
    ).toEqual([]);
  });
});

describe("the target's upgrade mode and savepoints through the operator", () => {
  it("writes the target's upgrade mode into job.upgradeMode; savepoint when the target names none", () => {
    expect(renderFlinkDeployment(input(sqlSpec())).deployment.spec.job.upgradeMode).toBe('savepoint');
    for (const upgradeMode of ['savepoint', 'last-state', 'stateless'] as const)
      expect(
        renderFlinkDeployment({ ...input(sqlSpec()), target: { ...target, upgradeMode } }).deployment.spec.job
          .upgradeMode,
      ).toBe(upgradeMode);
  });

  it('asks the operator for a savepoint of the run’s FlinkDeployment that outlives its resource', () => {
    const at = Date.UTC(2026, 11, 3);
    const snapshot = renderSavepointSnapshot(
      target,
      { jobName: 'orders', flinkJobId: ID, deployment: 'flink-orders-01234567' },
      'file:///srv/sluice/k8s/orders/savepoints',
      at,
    );
    expect(snapshot).toMatchObject({
      apiVersion: 'flink.apache.org/v1beta1',
      kind: 'FlinkStateSnapshot',
      metadata: {
        name: `flink-orders-01234567-sluice-${at.toString(36)}`,
        namespace: 'flink-jobs',
        labels: { 'sluice.dev/job': 'orders', 'sluice.dev/flink-job-id': ID, 'sluice.dev/target': 'k8s' },
      },
      spec: {
        backoffLimit: 0,
        jobReference: { kind: 'FlinkDeployment', name: 'flink-orders-01234567' },
        savepoint: {
          path: 'file:///srv/sluice/k8s/orders/savepoints',
          disposeOnDelete: false,
          formatType: 'CANONICAL',
        },
      },
    });
    // A DNS-1123 subdomain, as the API server wants a name.
    expect(snapshot.metadata!.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('asks for a snapshot once the operator itself has seen the job RUNNING, its JobManager READY', () => {
    expect(operatorSeesRunning(undefined)).toBe(false);
    expect(
      operatorSeesRunning({
        jobManagerDeploymentStatus: 'DEPLOYED_NOT_READY',
        jobStatus: { state: 'RUNNING' },
      }),
    ).toBe(false);
    expect(
      operatorSeesRunning({ jobManagerDeploymentStatus: 'READY', jobStatus: { state: 'RECONCILING' } }),
    ).toBe(false);
    expect(
      operatorSeesRunning({ jobManagerDeploymentStatus: 'READY', jobStatus: { state: 'RUNNING' } }),
    ).toBe(true);
  });

  it("reads a snapshot's outcome: its path once COMPLETED, the operator's error once FAILED or ABANDONED", () => {
    expect(snapshotOutcome(undefined)).toEqual({ done: false, failed: null });
    expect(snapshotOutcome({ state: 'IN_PROGRESS' })).toEqual({ done: false, failed: null });
    expect(snapshotOutcome({ state: 'COMPLETED', path: 'file:/sp/savepoint-1' })).toEqual({
      done: true,
      path: 'file:/sp/savepoint-1',
    });
    expect(snapshotOutcome({ state: 'FAILED', error: 'Job not running', failures: 1 })).toEqual({
      done: false,
      failed: "the operator's snapshot is FAILED: Job not running (1 failure(s))",
    });
    expect(snapshotOutcome({ state: 'ABANDONED' })).toEqual({
      done: false,
      failed: "the operator's snapshot is ABANDONED",
    });
  });
});

describe("Flink's Prometheus reporter in the operator's pods", () => {
  it('is in the FlinkDeployment configuration, and the common pod template annotates and names the port', () => {
    const { deployment: fd } = renderFlinkDeployment(input(sqlSpec()));
    expect(fd.spec.flinkConfiguration).toMatchObject({
      'metrics.reporter.prom.factory.class': 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
      'metrics.reporter.prom.port': '9249',
    });
    expect(fd.spec.podTemplate.metadata!.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9249',
      'prometheus.io/path': '/metrics',
    });
    expect(fd.spec.podTemplate.spec!.containers[0]).toMatchObject({
      name: 'flink-main-container',
      ports: [{ name: 'metrics', containerPort: 9249, protocol: 'TCP' }],
    });
  });
});

describe('jars fetched from the platform (a target with a platform URL and no shared folder)', () => {
  const fetching: KubernetesTargetSpec = {
    ...target,
    sharedDir: null,
    platformUrl: 'http://10.200.0.1:8080',
    upgradeMode: 'stateless',
    flinkConfiguration: { 'high-availability.storageDir': 's3://bucket/flink/ha' },
  };
  const fetched = (t: KubernetesTargetSpec, spec: ApplicationSpec = sqlSpec()): FlinkDeploymentInput => ({
    ...input(spec),
    target: t,
    program: { ...input(spec).program, jar: '00-sluice-sql-runner_1.jar' },
    fetch: { fetcherClass: Buffer.from('cafebabe', 'hex'), token: 'v1.token' },
  });
  const refusalOf = (f: () => unknown): SluiceError => {
    try {
      f();
    } catch (e) {
      if (e instanceof SluiceError) return e;
      throw e;
    }
    throw new Error('not refused');
  };

  it('gives every pod the init container, the emptyDir usrlib and the token Secret; the jar is local in usrlib', () => {
    const o = renderFlinkDeployment(fetched(fetching));
    const d = o.deployment;
    expect(d.spec.job.jarURI).toBe('local:///opt/flink/usrlib/00-sluice-sql-runner_1.jar');
    const common = d.spec.podTemplate.spec!;
    const [init] = common.initContainers!;
    expect(init!.name).toBe('fetch-artifacts');
    expect(init!.image).toBe('flink:1.20.3-java17');
    expect(init!.command).toEqual([
      'java',
      '-Xmx48m',
      '-cp',
      '/opt/sluice/fetcher',
      'SluiceFetch',
      `http://10.200.0.1:8080/api/v1/submission-artifacts/${ID}`,
      '/opt/sluice/token/token',
      '/opt/flink/usrlib',
    ]);
    const name = `flink-orders-${ID.slice(0, 8)}`;
    expect(common.volumes).toEqual([
      { name: 'usrlib', emptyDir: {} },
      {
        name: 'fetcher',
        secret: {
          secretName: `${name}-artifacts`,
          items: [{ key: 'SluiceFetch.class', path: 'SluiceFetch.class' }],
          defaultMode: 0o440,
        },
      },
      { name: 'artifacts-token', secret: { secretName: `${name}-artifacts`, defaultMode: 0o400 } },
    ]);
    expect(common.containers[0]!.volumeMounts).toEqual([
      { name: 'usrlib', mountPath: '/opt/flink/usrlib', readOnly: true },
    ]);
    // No hostPath anywhere: neither usrlib nor a job folder.
    expect(JSON.stringify(d)).not.toContain('hostPath');
    // The plan's volume stays the JobManager's own.
    expect(d.spec.jobManager.podTemplate.spec!.volumes!.map((v) => v.name)).toEqual(['program']);
    expect(d.spec.taskManager.podTemplate.spec!.volumes).toBeUndefined();
    // State folders are the job's own: the HA storage of its options, no file:// folder of Sluice's.
    const conf = d.spec.flinkConfiguration;
    expect(conf['high-availability.type']).toBe('kubernetes');
    expect(conf['high-availability.storageDir']).toBe('s3://bucket/flink/ha');
    expect(conf['state.checkpoints.dir']).toBeUndefined();
    expect(conf['state.savepoints.dir']).toBeUndefined();
    // The run's Secret: its token and the fetcher, labelled as the run (the release finds it by them).
    expect(o.artifacts).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `${name}-artifacts`,
        namespace: 'flink-jobs',
        labels: expect.objectContaining({ 'sluice.dev/flink-job-id': ID }) as Record<string, string>,
      },
      type: 'Opaque',
      stringData: { token: 'v1.token' },
      data: { 'SluiceFetch.class': Buffer.from('cafebabe', 'hex').toString('base64') },
    });
    expect(ownedBy(o.artifacts!, { name, uid: 'u-1' }).metadata!.ownerReferences).toEqual([
      { apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', name, uid: 'u-1' },
    ]);
    // Through the shared folder there is no such Secret.
    expect(renderFlinkDeployment(input(sqlSpec())).artifacts).toBeNull();
  });

  it('fetches from S3 by the listing of its Secret (presigned URLs and their objects), no platform URL', () => {
    const fromS3 = { ...fetching, platformUrl: null, artifactsFrom: 's3' as const };
    const fetch = {
      fetcherClass: Buffer.from('cafebabe', 'hex'),
      listing: `${'a'.repeat(64)} 3 00-sluice-sql-runner_1.jar http://minio:9000/b/runs/${ID}/00-sluice-sql-runner_1.jar?X-Amz-Signature=s\n`,
      objects: `${'a'.repeat(64)} 3 00-sluice-sql-runner_1.jar runs/${ID}/00-sluice-sql-runner_1.jar\n`,
    };
    const o = renderFlinkDeployment({ ...fetched(fromS3), fetch });
    expect(o.deployment.spec.job.jarURI).toBe('local:///opt/flink/usrlib/00-sluice-sql-runner_1.jar');
    const [init] = o.deployment.spec.podTemplate.spec!.initContainers!;
    expect(init!.command!.slice(-3)).toEqual(['--listing', '/opt/sluice/token/listing', '/opt/flink/usrlib']);
    expect(JSON.stringify(o.deployment)).not.toContain('hostPath');
    expect(o.artifacts!.stringData).toEqual({ listing: fetch.listing, objects: fetch.objects });
    expect(o.artifacts!.data).toEqual({
      'SluiceFetch.class': Buffer.from('cafebabe', 'hex').toString('base64'),
    });
  });

  it("keeps an upgraded deployment's name for its token Secret; a shared folder still holds the state", () => {
    const o = renderFlinkDeployment({ ...fetched(fetching), deploymentName: 'flink-orders-aaaaaaaa' });
    expect(o.artifacts!.metadata!.name).toBe('flink-orders-aaaaaaaa-artifacts');
    const both = renderFlinkDeployment(
      fetched({ ...fetching, sharedDir: '/srv/sluice', flinkConfiguration: {} }),
    );
    const conf = both.deployment.spec.flinkConfiguration;
    expect(conf['high-availability.storageDir']).toBe('file:///srv/sluice/k8s/orders/ha');
    const volumes = both.deployment.spec.podTemplate.spec!.volumes!;
    expect(volumes.map((v) => v.name)).toEqual(['usrlib', 'job-state', 'fetcher', 'artifacts-token']);
    expect(volumes[0]).toEqual({ name: 'usrlib', emptyDir: {} });
  });

  it('refuses, naming the option, a state folder the upgrade mode or Kubernetes HA needs and the job does not name', () => {
    const noHa = refusalOf(() => renderFlinkDeployment(fetched({ ...fetching, flinkConfiguration: {} })));
    expect(noHa.code).toBe('invalid_argument');
    expect(noHa.details).toMatchObject({ field: 'options.high-availability.storageDir' });
    expect(noHa.message).toContain(
      'so Sluice gives the pods no folder for option high-availability.storageDir',
    );
    const savepointMode = { ...fetching, upgradeMode: 'savepoint' as const };
    expect(refusalOf(() => renderFlinkDeployment(fetched(savepointMode))).message).toContain(
      'option state.checkpoints.dir: the operator accepts upgrade mode savepoint only with a checkpoint folder',
    );
    const withCheckpoints = sqlSpec({}, { 'state.checkpoints.dir': 's3://bucket/flink/checkpoints' });
    expect(refusalOf(() => renderFlinkDeployment(fetched(savepointMode, withCheckpoints))).message).toContain(
      'option state.savepoints.dir: upgrade mode savepoint takes a savepoint there at every upgrade (or register the target again with --upgrade-mode stateless)',
    );
    const lastState = { ...fetching, upgradeMode: 'last-state' as const };
    expect(renderFlinkDeployment(fetched(lastState, withCheckpoints)).deployment.spec.job.upgradeMode).toBe(
      'last-state',
    );
    const all = sqlSpec(
      {},
      { 'execution.checkpointing.dir': 's3://b/c', 'execution.checkpointing.savepoint-dir': 's3://b/s' },
    );
    expect(
      renderFlinkDeployment(fetched(savepointMode, all)).deployment.spec.flinkConfiguration,
    ).toMatchObject({
      'execution.checkpointing.savepoint-dir': 's3://b/s',
    });
    expect(stateOption({ 'state.savepoints.dir': ' ' }, 'savepoints')).toBeNull();
    expect(stateOption({ 'execution.checkpointing.savepoint-dir': 's3://b/s' }, 'savepoints')).toBe(
      's3://b/s',
    );
  });
});

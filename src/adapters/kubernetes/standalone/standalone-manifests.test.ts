import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../domain/errors.ts';
import { applicationResources } from '../../../domain/clusters/application-resources.ts';
import { jobRequest } from '../../../domain/quotas/quota.ts';
import type { ApplicationSpec } from '../../../domain/targets/deployment-target.ts';
import type { KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import {
  clusterName,
  inApplyOrder,
  podResources,
  renderStandaloneCluster,
  type StandaloneClusterInput,
} from './standalone-manifests.ts';

const ID = '0123456789abcdef0123456789abcdef';

const target: KubernetesTargetSpec = {
  name: 'k8s',
  engineVersion: '1.20',
  kubeconfig: '/etc/kubeconfig',
  context: null,
  namespace: 'flink-jobs',
  mode: 'standalone',
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

const input = (
  spec: ApplicationSpec,
  over: Partial<StandaloneClusterInput> = {},
): StandaloneClusterInput => ({
  target,
  spec,
  flinkVersion: '1.20.3',
  program:
    spec.program.kind === 'sql'
      ? {
          entryClass: 'dev.sluice.sqlrunner.SluiceSqlRunner',
          args: ['/opt/flink/sluice/sql-runner-plan.json'],
        }
      : { entryClass: spec.program.entryClass, args: spec.program.args },
  plan: spec.program.kind === 'sql' ? '{"format":"sluice-sql-runner/1"}' : null,
  jobManagerAddress: '10.96.12.34',
  rootUid: 'root-uid-1',
  fetch: null,
  ...over,
});

describe('standalone cluster manifests', () => {
  it('names every object after the job and its run, within Kubernetes name limits', () => {
    expect(clusterName('orders', ID)).toBe('flink-orders-01234567');
    const long = clusterName(`${'a'.repeat(35)}-${'b'.repeat(27)}`, ID);
    expect(`${long}-taskmanager`.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
    const o = renderStandaloneCluster(input(sqlSpec()));
    expect(inApplyOrder(o).map((x) => `${x.kind}/${x.metadata!.name}`)).toEqual([
      'ConfigMap/flink-orders-01234567-config',
      'Secret/flink-orders-01234567-program',
      'Service/flink-orders-01234567-jobmanager',
      'Deployment/flink-orders-01234567-jobmanager',
      'Deployment/flink-orders-01234567-taskmanager',
    ]);
    for (const x of inApplyOrder(o)) expect(x.metadata!.namespace).toBe('flink-jobs');
  });

  it('labels everything with the job, its space, its Flink job id and component, and makes the root own the rest', () => {
    const o = renderStandaloneCluster(input(sqlSpec()));
    expect(o.root.metadata!.labels).toEqual({
      'app.kubernetes.io/managed-by': 'sluice',
      'app.kubernetes.io/name': 'flink',
      'app.kubernetes.io/instance': 'flink-orders-01234567',
      'app.kubernetes.io/component': 'config',
      'sluice.dev/target': 'k8s',
      'sluice.dev/job': 'orders',
      'sluice.dev/space': 'team-a',
      'sluice.dev/flink-job-id': ID,
    });
    expect(o.root.metadata!.ownerReferences).toBeUndefined();
    for (const x of [o.program!, o.service, o.jobManager, o.taskManagers]) {
      expect(x.metadata!.ownerReferences).toEqual([
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'flink-orders-01234567-config',
          uid: 'root-uid-1',
          blockOwnerDeletion: true,
          controller: true,
        },
      ]);
      expect(x.metadata!.labels!['sluice.dev/flink-job-id']).toBe(ID);
    }
    expect(o.jobManager.spec!.template.metadata!.labels!['app.kubernetes.io/component']).toBe('jobmanager');
    expect(o.taskManagers.spec!.template.metadata!.labels!['app.kubernetes.io/component']).toBe(
      'taskmanager',
    );
    // The pods carry the job's space, as they carry its name.
    for (const d of [o.jobManager, o.taskManagers])
      expect(d.spec!.template.metadata!.labels).toMatchObject({
        'sluice.dev/job': 'orders',
        'sluice.dev/space': 'team-a',
      });
    // The Deployments select by run and role only: a selector cannot change, and older pods have no space.
    expect(o.jobManager.spec!.selector.matchLabels).not.toHaveProperty('sluice.dev/space');
    // Before the root exists nothing names an owner.
    const early = renderStandaloneCluster(input(sqlSpec(), { rootUid: null }));
    expect(early.service.metadata!.ownerReferences).toBeUndefined();
  });

  it('runs a SQL job through the SQL runner, its plan in a Secret, and exposes rpc, blob and rest', () => {
    const o = renderStandaloneCluster(input(sqlSpec()));
    const jm = o.jobManager.spec!.template.spec!;
    expect(jm.containers[0]!.args).toEqual([
      'standalone-job',
      '--job-classname',
      'dev.sluice.sqlrunner.SluiceSqlRunner',
      '--job-id',
      ID,
      '--',
      '/opt/flink/sluice/sql-runner-plan.json',
    ]);
    expect(o.program!.stringData).toEqual({ 'sql-runner-plan.json': '{"format":"sluice-sql-runner/1"}' });
    expect(jm.containers[0]!.volumeMounts).toContainEqual({
      name: 'program',
      mountPath: '/opt/flink/sluice',
    });
    expect(o.service.spec!.ports!.map((p) => [p.name, p.port])).toEqual([
      ['rpc', 6123],
      ['blob', 6124],
      ['rest', 8081],
    ]);
    expect(o.service.spec!.selector).toEqual({
      'sluice.dev/flink-job-id': ID,
      'app.kubernetes.io/component': 'jobmanager',
    });
    expect(o.taskManagers.spec!.template.spec!.containers[0]!.args).toEqual(['taskmanager']);
    // The TaskManagers have no plan to read.
    expect(o.taskManagers.spec!.template.spec!.volumes!.map((v) => v.name)).not.toContain('program');
  });

  it('runs a JAR job by its entry class and arguments, restoring from a savepoint when asked', () => {
    const spec = sqlSpec({
      program: { kind: 'jar', entryClass: 'com.acme.Main', args: ['--rate', '-5'], options: {} },
      savepoint: 'file:///srv/sluice/k8s/orders/savepoints/savepoint-1',
      allowNonRestoredState: true,
    });
    const o = renderStandaloneCluster(input(spec));
    expect(o.program).toBeNull();
    expect(o.jobManager.spec!.template.spec!.containers[0]!.args).toEqual([
      'standalone-job',
      '--job-classname',
      'com.acme.Main',
      '--job-id',
      ID,
      '--fromSavepoint',
      'file:///srv/sluice/k8s/orders/savepoints/savepoint-1',
      '--allowNonRestoredState',
      '--',
      '--rate',
      '-5',
    ]);
    expect(o.jobManager.spec!.template.spec!.volumes!.map((v) => v.name)).not.toContain('program');
  });

  it("sizes pods from the job's memory and Flink's Kubernetes CPU options", () => {
    const o = renderStandaloneCluster(input(sqlSpec()));
    expect(o.jobManager.spec!.template.spec!.containers[0]!.resources).toEqual({
      requests: { cpu: '0.25', memory: '1024Mi' },
      limits: { memory: '1024Mi' },
    });
    expect(o.taskManagers.spec!.replicas).toBe(2);
    expect(o.jobManager.spec!.replicas).toBe(1);
    const sized = renderStandaloneCluster(
      input(
        sqlSpec(
          {},
          {
            'kubernetes.jobmanager.cpu': '0.5',
            'kubernetes.taskmanager.cpu': '2',
            'kubernetes.taskmanager.cpu.limit-factor': '1.5',
            'kubernetes.taskmanager.memory.limit-factor': '2',
          },
        ),
      ),
    );
    expect(sized.jobManager.spec!.template.spec!.containers[0]!.resources!.requests!.cpu).toBe('0.5');
    expect(sized.taskManagers.spec!.template.spec!.containers[0]!.resources).toEqual({
      requests: { cpu: '2', memory: '1536Mi' },
      limits: { cpu: '3', memory: '3072Mi' },
    });
    let refused: unknown;
    try {
      renderStandaloneCluster(input(sqlSpec({}, { 'kubernetes.taskmanager.cpu': 'lots' })));
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(SluiceError);
    expect((refused as SluiceError).message).toBe(
      "option 'kubernetes.taskmanager.cpu': 'lots' is not a positive number",
    );
  });

  it('takes image, pull policy, pull secrets and service account from the target; mounts usrlib and state from the shared folder', () => {
    const o = renderStandaloneCluster(input(sqlSpec()));
    for (const d of [o.jobManager, o.taskManagers]) {
      const pod = d.spec!.template.spec!;
      expect(pod.containers[0]!.image).toBe('flink:1.20.3-java17');
      expect(pod.containers[0]!.imagePullPolicy).toBe('IfNotPresent');
      expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
      expect(pod.serviceAccountName).toBe('flink');
      expect(pod.volumes).toContainEqual({
        name: 'usrlib',
        hostPath: { path: `/srv/sluice/k8s/orders/${ID}/usrlib`, type: 'Directory' },
      });
      expect(pod.containers[0]!.volumeMounts).toContainEqual({
        name: 'usrlib',
        mountPath: '/opt/flink/usrlib',
        readOnly: true,
      });
      expect(pod.containers[0]!.volumeMounts).toContainEqual({
        name: 'job-state',
        mountPath: '/srv/sluice/k8s/orders',
      });
      expect(pod.containers[0]!.volumeMounts).toContainEqual({
        name: 'flink-config',
        mountPath: '/opt/flink/conf',
      });
      expect(d.spec!.strategy).toEqual({ type: 'Recreate' });
    }
  });

  it("mounts the shared folder's claim instead, each folder by its subPath, the log mapping still the node's", () => {
    const claimed = { ...target, sharedClaim: 'sluice-shared' };
    const o = renderStandaloneCluster(
      input(sqlSpec({}, { 'sluice.kubernetes.log-host-path': '/var/log/flink' }), { target: claimed }),
    );
    for (const d of [o.jobManager, o.taskManagers]) {
      const pod = d.spec!.template.spec!;
      expect(pod.volumes!.filter((v) => v.persistentVolumeClaim)).toEqual([
        { name: 'shared-folder', persistentVolumeClaim: { claimName: 'sluice-shared' } },
      ]);
      // The only hostPath left is the log mapping's (the node's folder, not the shared folder).
      expect(pod.volumes!.filter((v) => v.hostPath)).toEqual([
        { name: 'flink-logs', hostPath: { path: '/var/log/flink/orders', type: 'DirectoryOrCreate' } },
      ]);
      const mounts = pod.containers[0]!.volumeMounts!;
      expect(mounts.filter((m) => m.name === 'shared-folder')).toEqual([
        {
          name: 'shared-folder',
          mountPath: '/opt/flink/usrlib',
          subPath: `k8s/orders/${ID}/usrlib`,
          readOnly: true,
        },
        { name: 'shared-folder', mountPath: '/srv/sluice/k8s/orders', subPath: 'k8s/orders' },
      ]);
      expect(mounts.map((m) => m.name)).not.toContain('usrlib');
      // The claim's files are not chowned again at every pod start when its root is the flink group's already.
      expect(pod.securityContext).toEqual({ fsGroup: 9999, fsGroupChangePolicy: 'OnRootMismatch' });
    }
    // The paths Flink is given stay those of Sluice's machine.
    expect(o.root.data!['config.yaml']).toContain('/srv/sluice/k8s/orders/savepoints');
  });

  it('with a platform URL and a claim, fetches the jars into an emptyDir and keeps the state in the claim', () => {
    const both = { ...target, sharedClaim: 'sluice-shared', platformUrl: 'http://10.200.0.1:18080' };
    const o = renderStandaloneCluster(
      input(sqlSpec(), { target: both, fetch: { fetcherClass: Buffer.from('cafebabe'), token: 'v1.t' } }),
    );
    const pod = o.jobManager.spec!.template.spec!;
    expect(pod.volumes!.find((v) => v.name === 'usrlib')).toEqual({ name: 'usrlib', emptyDir: {} });
    expect(pod.volumes!.filter((v) => v.hostPath)).toEqual([]);
    expect(pod.containers[0]!.volumeMounts).toContainEqual({
      name: 'shared-folder',
      mountPath: '/srv/sluice/k8s/orders',
      subPath: 'k8s/orders',
    });
  });

  it("writes the Flink configuration: the Service's ClusterIP as the JobManager's address, the job's options, state in the shared folder", () => {
    const config = renderStandaloneCluster(input(sqlSpec({}, { 'pipeline.name': 'orders' }))).root.data![
      'config.yaml'
    ]!;
    expect(config).toContain('jobmanager.rpc.address: 10.96.12.34\n');
    expect(config).toContain('jobmanager.bind-host: 0.0.0.0\n');
    expect(config).toContain('taskmanager.bind-host: 0.0.0.0\n');
    expect(config).toContain('rest.port: 8081\n');
    expect(config).toContain('taskmanager.numberOfTaskSlots: 2\n');
    expect(config).toContain('taskmanager.memory.process.size: 1536m\n');
    expect(config).toContain('pipeline.name: orders\n');
    expect(config).toContain('parallelism.default: 4\n');
    expect(config).toContain('execution.checkpointing.dir: file:///srv/sluice/k8s/orders/checkpoints\n');
    expect(config).toContain(
      'execution.checkpointing.savepoint-dir: file:///srv/sluice/k8s/orders/savepoints\n',
    );
    expect(config).toContain('execution.shutdown-on-application-finish: false\n');
    expect(config).toMatch(/env\.java\.default-opts\.all: ".*--add-opens=java\.base\/java\.lang=ALL-UNNAMED/);
    // Flink before 1.19 reads flink-conf.yaml.
    const old = renderStandaloneCluster({ ...input(sqlSpec()), flinkVersion: '1.18.1' }).root.data!;
    expect(Object.keys(old).sort()).toEqual(['flink-conf.yaml', 'log4j-console.properties']);
  });

  it('refuses a target without a shared folder, saying how to give one', () => {
    expect(() =>
      renderStandaloneCluster(input(sqlSpec(), { target: { ...target, sharedDir: null } })),
    ).toThrow(
      /Kubernetes target k8s has neither a platform URL \(platformUrl\) nor a shared folder \(sharedDir\).*--platform-url .* or --shared-dir <path>/,
    );
  });

  it('puts the options’ pod settings and the user’s template on the pods, Sluice’s own labels and container kept', () => {
    const template = `spec:
  affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } }
  containers: [{ name: flink-main-container, env: [{ name: TZ, value: UTC }] }]
`;
    const spec = sqlSpec(
      {},
      {
        'kubernetes.pod-template-file.taskmanager': '/etc/sluice/tm.yaml',
        'kubernetes.taskmanager.node-selector': 'disk:ssd',
        'kubernetes.jobmanager.labels': 'team:data,sluice.dev/job:not-this,sluice.dev/space:not-this',
      },
    );
    const o = renderStandaloneCluster(
      input(spec, {
        target: {
          ...target,
          flinkConfiguration: { 'kubernetes.taskmanager.tolerations': 'key:spot,operator:Exists' },
        },
        podTemplates: { '/etc/sluice/tm.yaml': template },
      }),
    );
    const tm = o.taskManagers.spec!.template;
    expect(tm.spec!.nodeSelector).toEqual({ disk: 'ssd' });
    expect(tm.spec!.tolerations).toEqual([{ key: 'spot', operator: 'Exists' }]);
    expect(tm.spec!.affinity).toBeDefined();
    expect(tm.spec!.containers.map((c) => c.name)).toEqual(['taskmanager']);
    expect(tm.spec!.containers[0]!.env).toContainEqual({ name: 'TZ', value: 'UTC' });
    const jm = o.jobManager.spec!.template;
    expect(jm.metadata!.labels).toMatchObject({
      team: 'data',
      'sluice.dev/job': 'orders',
      'sluice.dev/space': 'team-a',
    });
    expect(jm.spec!.affinity).toBeUndefined();
    // Sluice applies them: Flink's configuration does not carry them.
    const config = o.root.data!['config.yaml']!;
    expect(config).not.toContain('node-selector');
    expect(config).not.toContain('pod-template-file');
    expect(config).not.toContain('tolerations');
    // A template the options name must have been read before rendering.
    expect(() => renderStandaloneCluster(input(spec))).toThrow(/was not read before rendering/);
  });

  it('turns Kubernetes HA on by Flink’s option, named after the cluster, and refuses it without a service account', () => {
    const spec = sqlSpec({}, { 'high-availability.type': 'kubernetes' });
    const config = renderStandaloneCluster(input(spec)).root.data!['config.yaml']!;
    expect(config).toContain('high-availability.type: kubernetes\n');
    expect(config).toContain('kubernetes.cluster-id: flink-orders-01234567\n');
    expect(config).toContain('kubernetes.namespace: flink-jobs\n');
    expect(config).toContain('high-availability.storageDir: file:///srv/sluice/k8s/orders/ha\n');
    expect(() =>
      renderStandaloneCluster(input(spec, { target: { ...target, serviceAccount: null } })),
    ).toThrow(
      /option 'high-availability.type': kubernetes needs the JobManager to create and update ConfigMaps.*register target k8s with --service-account/,
    );
  });

  it('exposes REST by a Service of the asked type and an Ingress per job, both owned by the root', () => {
    const o = renderStandaloneCluster(
      input(sqlSpec({}, { 'kubernetes.rest-service.exposed.type': 'NodePort' }), {
        target: {
          ...target,
          flinkConfiguration: {
            'sluice.ingress.template': 'flink.example.com/{{job}}',
            'sluice.ingress.class-name': 'nginx',
            'kubernetes.rest-service.annotations': 'a.example.com/b:c',
          },
        },
      }),
    );
    expect(inApplyOrder(o).map((x) => `${x.kind}/${x.metadata!.name}`)).toEqual([
      'ConfigMap/flink-orders-01234567-config',
      'Secret/flink-orders-01234567-program',
      'Service/flink-orders-01234567-jobmanager',
      'Service/flink-orders-01234567-rest',
      'Ingress/flink-orders-01234567-rest',
      'Deployment/flink-orders-01234567-jobmanager',
      'Deployment/flink-orders-01234567-taskmanager',
    ]);
    expect(o.restService!.spec).toMatchObject({ type: 'NodePort', ports: [{ name: 'rest', port: 8081 }] });
    expect(o.restService!.metadata!.annotations).toEqual({ 'a.example.com/b': 'c' });
    expect(o.ingress!.spec!.ingressClassName).toBe('nginx');
    expect(o.ingress!.spec!.rules![0]).toMatchObject({
      host: 'flink.example.com',
      http: { paths: [{ path: '/orders', backend: { service: { name: 'flink-orders-01234567-rest' } } }] },
    });
    for (const x of [o.restService!, o.ingress!])
      expect(x.metadata!.ownerReferences![0]!.uid).toBe('root-uid-1');
  });

  it('with a platform URL and no shared folder, an init container fetches the jars into an emptyDir with the run token', () => {
    const fetching = { ...target, sharedDir: null, platformUrl: 'http://10.200.0.1:18080' };
    const o = renderStandaloneCluster(
      input(sqlSpec(), { target: fetching, fetch: { fetcherClass: Buffer.from('cafebabe'), token: 'v1.t' } }),
    );
    expect(inApplyOrder(o).map((x) => `${x.kind}/${x.metadata!.name}`)).toEqual([
      'ConfigMap/flink-orders-01234567-config',
      'Secret/flink-orders-01234567-program',
      'Secret/flink-orders-01234567-artifacts',
      'Service/flink-orders-01234567-jobmanager',
      'Deployment/flink-orders-01234567-jobmanager',
      'Deployment/flink-orders-01234567-taskmanager',
    ]);
    expect(o.artifacts!.stringData).toEqual({ token: 'v1.t' });
    expect(o.root.binaryData).toEqual({ 'SluiceFetch.class': Buffer.from('cafebabe').toString('base64') });
    for (const d of [o.jobManager, o.taskManagers]) {
      const pod = d.spec!.template.spec!;
      expect(pod.initContainers!.map((c) => c.name)).toEqual(['fetch-artifacts']);
      expect(pod.initContainers![0]!.command).toEqual([
        'java',
        '-Xmx48m',
        '-cp',
        '/opt/sluice/fetcher',
        'SluiceFetch',
        `http://10.200.0.1:18080/api/v1/submission-artifacts/${ID}`,
        '/opt/sluice/token/token',
        '/opt/flink/usrlib',
      ]);
      expect(pod.volumes!.find((v) => v.name === 'usrlib')).toEqual({ name: 'usrlib', emptyDir: {} });
      // Nothing of the host: no hostPath at all.
      expect(pod.volumes!.filter((v) => v.hostPath)).toEqual([]);
      // Flink's configuration folder holds the configuration only, not the fetcher.
      expect(
        pod.volumes!.find((v) => v.name === 'flink-config')!.configMap!.items!.map((i) => i.key),
      ).toEqual(['config.yaml', 'log4j-console.properties']);
    }
    // No shared folder: no state folder Sluice would name for the pods.
    expect(o.root.data!['config.yaml']).not.toContain('state.savepoints.dir');
    expect(o.root.data!['config.yaml']).not.toContain('state.checkpoints.dir');
  });
});

describe('a standalone cluster whose jars come from S3', () => {
  it("has the init container read the listing of presigned URLs from the run's Secret, no token, no host folder", () => {
    const fetching = { ...target, sharedDir: null, artifactsFrom: 's3' as const };
    const listing = `${'a'.repeat(64)} 3 00-runner.jar http://s3:9000/b/runs/x/00-runner.jar?X-Amz-Signature=1\n`;
    const objects = `${'a'.repeat(64)} 3 00-runner.jar runs/x/00-runner.jar\n`;
    const o = renderStandaloneCluster(
      input(sqlSpec(), {
        target: fetching,
        fetch: { fetcherClass: Buffer.from('cafebabe'), listing, objects },
      }),
    );
    expect(o.artifacts!.stringData).toEqual({ listing, objects });
    expect(o.root.binaryData).toEqual({ 'SluiceFetch.class': Buffer.from('cafebabe').toString('base64') });
    for (const d of [o.jobManager, o.taskManagers]) {
      const pod = d.spec!.template.spec!;
      expect(pod.initContainers![0]!.command).toEqual([
        'java',
        '-Xmx48m',
        '-cp',
        '/opt/sluice/fetcher',
        'SluiceFetch',
        '--listing',
        '/opt/sluice/token/listing',
        '/opt/flink/usrlib',
      ]);
      expect(pod.volumes!.find((v) => v.name === 'artifacts-token')!.secret!.secretName).toBe(
        `${o.root.metadata!.name!.replace(/-config$/, '')}-artifacts`,
      );
      expect(pod.volumes!.filter((v) => v.hostPath)).toEqual([]);
    }
  });
});

describe("Flink's Prometheus reporter in a standalone cluster's pods", () => {
  const metricsPort = { name: 'metrics', containerPort: 9249, protocol: 'TCP' };

  it('turns the reporter on, annotates both roles for scraping and names their metrics port', () => {
    const o = renderStandaloneCluster(input(sqlSpec()));
    const config = Object.values(o.root.data!)[0]!;
    expect(config).toContain(
      'metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory\n',
    );
    expect(config).toContain('metrics.reporter.prom.port: 9249\n');
    for (const d of [o.jobManager, o.taskManagers]) {
      expect(d.spec!.template.metadata!.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9249',
        'prometheus.io/path': '/metrics',
      });
      expect(d.spec!.template.spec!.containers[0]!.ports).toContainEqual(metricsPort);
    }
    // The JobManager keeps its own ports beside it.
    expect(o.jobManager.spec!.template.spec!.containers[0]!.ports!.map((p) => p.name)).toEqual([
      'rpc',
      'blob',
      'rest',
      'metrics',
    ]);
  });

  it("follows a job's own reporter port", () => {
    const o = renderStandaloneCluster(input(sqlSpec({}, { 'metrics.reporter.prom.port': '9300' })));
    expect(Object.values(o.root.data!)[0]).toContain('metrics.reporter.prom.port: 9300\n');
    expect(o.taskManagers.spec!.template.metadata!.annotations!['prometheus.io/port']).toBe('9300');
    expect(o.taskManagers.spec!.template.spec!.containers[0]!.ports).toContainEqual({
      ...metricsPort,
      containerPort: 9300,
    });
  });
});

describe("a quota's view of a job equals the pods rendered for it", () => {
  it.each([
    [1, {}],
    [
      4,
      {
        'taskmanager.numberOfTaskSlots': '2',
        'kubernetes.taskmanager.cpu': '1.5',
        'taskmanager.memory.process.size': '2g',
      },
    ],
    [6, { 'kubernetes.jobmanager.cpu': '0.5', 'jobmanager.memory.process.size': '1536m' }],
  ] as [number, Record<string, string>][])('parallelism %i with %j', (parallelism, options) => {
    const spec = sqlSpec({ resources: applicationResources(parallelism, options) }, options);
    const jm = podResources(spec, 'jobmanager').requests!;
    const tm = podResources(spec, 'taskmanager').requests!;
    const mib = (q: string) => Number(q.replace(/Mi$/, '')) * 1024 * 1024;
    const tms = spec.resources.taskManagers;
    const r = jobRequest({ deployment: 'application-cluster', wireKind: 'kubernetes' }, parallelism, options);
    expect(r.cpu).toBeCloseTo(Number(jm.cpu) + tms * Number(tm.cpu), 9);
    expect(r.memory).toBe(mib(String(jm.memory)) + tms * mib(String(tm.memory)));
    expect(r.taskManagers).toBe(tms);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApplicationSpec } from '../../../domain/targets/deployment-target.ts';
import type { KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import { renderFlinkDeployment, type FlinkDeploymentInput } from '../operator/operator-manifests.ts';
import { clientError, flinkKubernetesRelease } from './native-client.ts';
import {
  mountedObjectsOf,
  nativeConfiguration,
  nativeIngress,
  nativePodTemplate,
  ownedByDeployment,
  runApplicationArgs,
} from './native-manifests.ts';

const ID = '0123456789abcdef0123456789abcdef';
const files = { jobManagerPodTemplate: '/h/jm.yaml', taskManagerPodTemplate: '/h/tm.yaml' };

const target: KubernetesTargetSpec = {
  name: 'k8s-native',
  engineVersion: '1.20',
  kubeconfig: '/etc/kubeconfig',
  context: 'lab',
  namespace: 'flink-jobs',
  mode: 'native',
  image: 'flink:1.20.3-java17',
  imagePullPolicy: 'Never',
  imagePullSecrets: ['regcred', 'other'],
  serviceAccount: 'flink',
  sharedDir: '/srv/sluice',
};

const spec = (
  over: Partial<ApplicationSpec> = {},
  options: Record<string, string> = {},
): ApplicationSpec => ({
  jobName: 'orders',
  space: 'team-a',
  flinkJobId: ID,
  program: { kind: 'sql', plan: { options, setup: [], inserts: [] }, catalogs: [] },
  jars: [],
  savepoint: null,
  allowNonRestoredState: false,
  resources: {
    taskManagers: 2,
    slotsPerTaskManager: 2,
    jobManagerMemory: '1024m',
    taskManagerMemory: '1536m',
  },
  ...over,
});

const input = (s: ApplicationSpec, podTemplates: Record<string, string> = {}): FlinkDeploymentInput => ({
  target,
  spec: s,
  flinkVersion: '1.20.3',
  program: {
    jar: '00-sluice-sql-runner.jar',
    entryClass: 'dev.sluice.sqlrunner.SluiceSqlRunner',
    args: ['/opt/flink/sluice/sql-runner-plan.json'],
  },
  plan: '{}',
  podTemplates,
});

describe("native Kubernetes: what Flink's client is handed", () => {
  it('deploys one cluster per run with Kubernetes HA on, the target kubeconfig, image, account and the reserved job id', () => {
    const c = nativeConfiguration(input(spec()), files);
    expect(c).toMatchObject({
      'execution.target': 'kubernetes-application',
      'kubernetes.cluster-id': 'flink-orders-01234567',
      'kubernetes.namespace': 'flink-jobs',
      'kubernetes.config.file': '/etc/kubeconfig',
      'kubernetes.context': 'lab',
      'kubernetes.container.image.ref': 'flink:1.20.3-java17',
      'kubernetes.container.image.pull-policy': 'Never',
      'kubernetes.container.image.pull-secrets': 'regcred;other',
      'kubernetes.service-account': 'flink',
      'high-availability.type': 'kubernetes',
      'high-availability.storageDir': 'file:///srv/sluice/k8s-native/orders/ha',
      'state.savepoints.dir': 'file:///srv/sluice/k8s-native/orders/savepoints',
      '$internal.pipeline.job-id': ID,
      'jobmanager.memory.process.size': '1024m',
      'taskmanager.memory.process.size': '1536m',
      'kubernetes.jobmanager.cpu.amount': '0.25',
      'taskmanager.numberOfTaskSlots': '2',
      'parallelism.default': '4',
      'kubernetes.pod-template-file.jobmanager': '/h/jm.yaml',
      'kubernetes.pod-template-file.taskmanager': '/h/tm.yaml',
      'kubernetes.rest-service.exposed.type': 'ClusterIP',
      'execution.shutdown-on-application-finish': 'false',
    });
    // Sluice's labels on the JobManager Deployment and both roles' pods: the watch and adoption find them.
    expect(c['kubernetes.jobmanager.labels']).toContain('sluice.dev/flink-job-id:' + ID);
    expect(c['kubernetes.jobmanager.labels']).toContain('app.kubernetes.io/component:jobmanager');
    expect(c['kubernetes.taskmanager.labels']).toContain('app.kubernetes.io/component:taskmanager');
    for (const role of ['jobmanager', 'taskmanager'])
      expect(c[`kubernetes.${role}.labels`]).toContain('sluice.dev/space:team-a');
    expect(Object.keys(c).filter((k) => k.startsWith('kubernetes.operator.'))).toEqual([]);
    // Flink on Java 17 needs the image's --add-opens, which its config.yaml had.
    expect(c['env.java.default-opts.all']).toContain('--add-opens=java.base/java.util=ALL-UNNAMED');
    expect(c['execution.savepoint.path']).toBeUndefined();
  });

  it("restores from a savepoint, and the job's own options win over what Sluice would choose", () => {
    const c = nativeConfiguration(
      input(
        spec(
          {
            savepoint: 'file:///srv/sluice/k8s-native/orders/savepoints/savepoint-1',
            allowNonRestoredState: true,
          },
          { 'kubernetes.rest-service.exposed.type': 'NodePort', 'pipeline.name': 'orders job' },
        ),
      ),
      files,
    );
    expect(c['execution.savepoint.path']).toBe('file:///srv/sluice/k8s-native/orders/savepoints/savepoint-1');
    expect(c['execution.savepoint.ignore-unclaimed-state']).toBe('true');
    expect(c['kubernetes.rest-service.exposed.type']).toBe('NodePort');
    expect(c['pipeline.name']).toBe('orders job');
  });

  it("merges the user's pod template and the options under the shared folder's volumes and the plan, per role", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-tpl-'));
    const file = path.join(dir, 'pod.yaml');
    const text = `apiVersion: v1
kind: Pod
metadata:
  labels: {team: data}
spec:
  containers:
    - name: flink-main-container
      env: [{name: TZ, value: Asia/Shanghai}]
    - name: sidecar
      image: busybox
`;
    fs.writeFileSync(file, text);
    const s = spec(
      {},
      { 'kubernetes.pod-template-file.default': file, 'kubernetes.taskmanager.node-selector': 'pool:tm' },
    );
    const jm = nativePodTemplate(input(s, { [file]: text }), 'jobmanager');
    const tm = nativePodTemplate(input(s, { [file]: text }), 'taskmanager');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(jm).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
    expect(jm.metadata?.labels).toMatchObject({
      team: 'data',
      'app.kubernetes.io/component': 'jobmanager',
      'sluice.dev/flink-job-id': ID,
      'sluice.dev/space': 'team-a',
    });
    const main = jm.spec!.containers[0]!;
    expect(main.name).toBe('flink-main-container');
    expect(main.env).toEqual([{ name: 'TZ', value: 'Asia/Shanghai' }]);
    expect(main.volumeMounts?.map((m) => m.mountPath).sort()).toEqual(
      ['/opt/flink/sluice', '/opt/flink/usrlib', '/srv/sluice/k8s-native/orders'].sort(),
    );
    expect(jm.spec!.containers.map((x) => x.name)).toEqual(['flink-main-container', 'sidecar']);
    expect(jm.spec!.volumes?.map((v) => v.name).sort()).toEqual(['job-state', 'program', 'usrlib']);
    expect(jm.spec!.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'other' }]);
    expect(jm.spec!.nodeSelector).toBeUndefined();
    // The plan is the JobManager's alone; the node selector the TaskManagers'.
    expect(tm.spec!.volumes?.map((v) => v.name).sort()).toEqual(['job-state', 'usrlib']);
    expect(tm.spec!.nodeSelector).toEqual({ pool: 'tm' });
    expect(tm.metadata?.labels?.['app.kubernetes.io/component']).toBe('taskmanager');
  });

  it("gives both roles' template files the target's claim, each folder by its subPath, and no hostPath", () => {
    const claimed = { ...input(spec()), target: { ...target, sharedClaim: 'sluice-shared' } };
    for (const role of ['jobmanager', 'taskmanager'] as const) {
      const pod = nativePodTemplate(claimed, role);
      expect(pod.spec!.volumes!.filter((v) => v.hostPath)).toEqual([]);
      expect(pod.spec!.volumes).toContainEqual({
        name: 'shared-folder',
        persistentVolumeClaim: { claimName: 'sluice-shared' },
      });
      const mounts = pod.spec!.containers[0]!.volumeMounts!.filter((m) => m.name === 'shared-folder');
      expect(mounts).toEqual([
        {
          name: 'shared-folder',
          mountPath: '/opt/flink/usrlib',
          subPath: `k8s-native/orders/${ID}/usrlib`,
          readOnly: true,
        },
        { name: 'shared-folder', mountPath: '/srv/sluice/k8s-native/orders', subPath: 'k8s-native/orders' },
      ]);
    }
    expect(nativePodTemplate(claimed, 'jobmanager').spec!.volumes!.map((v) => v.name)).toContain('program');
  });

  it('runs the program from usrlib with `run-application` on Flink 1.x and `run` on 2.x', () => {
    expect(runApplicationArgs(input(spec()))).toEqual([
      'run-application',
      '--target',
      'kubernetes-application',
      '--class',
      'dev.sluice.sqlrunner.SluiceSqlRunner',
      'local:///opt/flink/usrlib/00-sluice-sql-runner.jar',
      '/opt/flink/sluice/sql-runner-plan.json',
    ]);
    expect(runApplicationArgs({ ...input(spec()), flinkVersion: '2.2.0' })[0]).toBe('run');
  });

  it("fetches the nearest flink-kubernetes Maven Central serves, refuses an engine it has none for, and says the client's own cause", () => {
    expect(flinkKubernetesRelease('1.20.3')).toBe('1.20.1');
    expect(flinkKubernetesRelease('2.2.0')).toBe('2.2.0');
    expect(() => flinkKubernetesRelease('1.18.1')).toThrow(/no Flink Kubernetes client for Flink 1\.18\.1/);
    expect(
      clientError([
        'INFO  ApplicationClusterDeployer - Submitting application',
        'org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClientException: Load kubernetes config failed.',
        'Caused by: java.io.IOException: outer',
        'Caused by: java.nio.file.NoSuchFileException: /nonexistent/kubeconfig',
      ]),
    ).toBe('java.nio.file.NoSuchFileException: /nonexistent/kubeconfig');
    expect(clientError(['ERROR CliFrontend - Error while running the command.', 'bye'])).toContain(
      'Error while running',
    );
  });
});

describe("native Kubernetes: the Ingress to the cluster's REST Service", () => {
  const owner = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'flink-orders-01234567', uid: 'u-1' }];

  it("points a host per job at Flink's `<cluster-id>-rest` Service, with the class and annotations asked, owned by the Deployment", () => {
    const ingress = nativeIngress(
      input(
        spec(
          {},
          {
            'sluice.ingress.template': '{{job}}.flink.example.com',
            'sluice.ingress.class-name': 'nginx',
            'sluice.ingress.annotations': 'nginx.ingress.kubernetes.io/proxy-body-size:64m',
          },
        ),
      ),
      owner,
    )!;
    expect(ingress).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'flink-orders-01234567-rest',
        namespace: 'flink-jobs',
        annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '64m' },
        // Blocking: the release's Foreground deletion of the Deployment waits for the Ingress too.
        ownerReferences: [
          { kind: 'Deployment', name: 'flink-orders-01234567', uid: 'u-1', blockOwnerDeletion: true },
        ],
      },
      spec: { ingressClassName: 'nginx' },
    });
    expect(ingress.metadata!.labels).toMatchObject({
      'sluice.dev/flink-job-id': ID,
      'sluice.dev/target': 'k8s-native',
      'app.kubernetes.io/component': 'jobmanager',
    });
    expect(ingress.spec!.rules).toEqual([
      {
        host: 'orders.flink.example.com',
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'flink-orders-01234567-rest', port: { number: 8081 } } },
            },
          ],
        },
      },
    ]);
  });

  it("takes a path per cluster from the target's template, the REST port from the options, and is absent unless asked", () => {
    const withTarget = (
      flinkConfiguration: Record<string, string>,
      options: Record<string, string> = {},
    ) => ({
      ...input(spec({}, options)),
      target: { ...target, flinkConfiguration },
    });
    const ingress = nativeIngress(
      withTarget(
        { 'sluice.ingress.template': 'flink.example.com/{{namespace}}/{{name}}(/|$)(.*)' },
        {
          'rest.port': '8181',
        },
      ),
      null,
    )!;
    expect(ingress.metadata!.ownerReferences).toBeUndefined();
    expect(ingress.spec!.ingressClassName).toBeUndefined();
    expect(ingress.spec!.rules![0]).toEqual({
      host: 'flink.example.com',
      http: {
        paths: [
          {
            path: '/flink-jobs/flink-orders-01234567(/|$)(.*)',
            pathType: 'ImplementationSpecific',
            backend: { service: { name: 'flink-orders-01234567-rest', port: { number: 8181 } } },
          },
        ],
      },
    });
    expect(nativeIngress(input(spec()), owner)).toBeNull();
  });

  it('refuses a bad template or a class without a template, saying which option and why', () => {
    expect(() =>
      nativeIngress(input(spec({}, { 'sluice.ingress.template': 'Flink_UI.example.com/{{job}}' })), null),
    ).toThrow(
      /option 'sluice.ingress.template': 'Flink_UI.example.com\/\{\{job\}\}': 'Flink_UI.example.com' is not a host name/,
    );
    expect(() =>
      nativeIngress(input(spec({}, { 'sluice.ingress.template': 'ui.example.com/{{cluster}}' })), null),
    ).toThrow(/the placeholders are \{\{name\}\}, \{\{namespace\}\} and \{\{job\}\}/);
    expect(() => nativeIngress(input(spec({}, { 'sluice.ingress.class-name': 'nginx' })), null)).toThrow(
      /sluice.ingress.template asks for: set that too/,
    );
  });
});

describe("Flink's Prometheus reporter in the native way's pods", () => {
  it("is in the client's configuration, with the annotations on both roles' pods and the port in their templates", () => {
    const c = nativeConfiguration(input(spec()), files);
    expect(c['metrics.reporter.prom.factory.class']).toBe(
      'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
    );
    expect(c['kubernetes.jobmanager.annotations']).toBe(
      'sluice.dev/task-managers:2,prometheus.io/scrape:true,prometheus.io/port:9249,prometheus.io/path:/metrics',
    );
    expect(c['kubernetes.taskmanager.annotations']).toBe(
      'prometheus.io/scrape:true,prometheus.io/port:9249,prometheus.io/path:/metrics',
    );
    for (const role of ['jobmanager', 'taskmanager'] as const) {
      const pod = nativePodTemplate(input(spec()), role);
      expect(pod.metadata!.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9249',
        'prometheus.io/path': '/metrics',
      });
      expect(pod.spec!.containers[0]!.ports).toContainEqual({
        name: 'metrics',
        containerPort: 9249,
        protocol: 'TCP',
      });
    }
  });
});

describe('native Kubernetes: jars fetched from the platform', () => {
  it("gives both roles' pod template files the init container, the emptyDir usrlib and the token Secret, no hostPath", () => {
    const fetching: FlinkDeploymentInput = {
      ...input(spec()),
      target: {
        ...target,
        sharedDir: null,
        platformUrl: 'http://10.200.0.1:8080',
        flinkConfiguration: { 'high-availability.storageDir': 's3://bucket/flink/ha' },
      },
      fetch: { fetcherClass: Buffer.from('cafebabe', 'hex'), token: 'v1.token' },
    };
    const name = `flink-orders-${ID.slice(0, 8)}`;
    for (const role of ['jobmanager', 'taskmanager'] as const) {
      const pod = nativePodTemplate(fetching, role);
      expect(JSON.stringify(pod)).not.toContain('hostPath');
      expect(pod.spec!.initContainers!.map((c) => c.name)).toEqual(['fetch-artifacts']);
      expect(pod.spec!.initContainers![0]!.command).toContain(
        `http://10.200.0.1:8080/api/v1/submission-artifacts/${ID}`,
      );
      expect(pod.spec!.volumes!.map((v) => v.name).sort()).toEqual(
        ['usrlib', 'fetcher', 'artifacts-token', ...(role === 'jobmanager' ? ['program'] : [])].sort(),
      );
      expect(pod.spec!.volumes!.find((v) => v.name === 'artifacts-token')!.secret!.secretName).toBe(
        `${name}-artifacts`,
      );
      expect(pod.spec!.containers[0]!.volumeMounts!.find((m) => m.name === 'usrlib')).toEqual({
        name: 'usrlib',
        mountPath: '/opt/flink/usrlib',
        readOnly: true,
      });
    }
    const config = nativeConfiguration(fetching, files);
    expect(config['high-availability.storageDir']).toBe('s3://bucket/flink/ha');
    expect(config['state.checkpoints.dir']).toBeUndefined();
    expect(runApplicationArgs(fetching)).toContain('local:///opt/flink/usrlib/00-sluice-sql-runner.jar');
    // The token Secret is the run's: labelled by its Flink job id, owned by the Deployment once it exists.
    const { artifacts } = renderFlinkDeployment(fetching);
    expect(artifacts!.metadata!.name).toBe(`${name}-artifacts`);
    expect(artifacts!.metadata!.labels!['sluice.dev/flink-job-id']).toBe(ID);
    const owner = ownedByDeployment({ metadata: { name, uid: 'd-1' } });
    expect(owner).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: 'd-1' }]);
  });

  it('fetches from S3 by the listing of its Secret, which holds the presigned URLs and their objects', () => {
    const fetch = {
      fetcherClass: Buffer.from('cafebabe', 'hex'),
      listing: `${'a'.repeat(64)} 3 00-sluice-sql-runner.jar http://minio:9000/b/runs/${ID}/00-sluice-sql-runner.jar?X-Amz-Signature=s\n`,
      objects: `${'a'.repeat(64)} 3 00-sluice-sql-runner.jar runs/${ID}/00-sluice-sql-runner.jar\n`,
    };
    const fromS3: FlinkDeploymentInput = {
      ...input(spec()),
      target: {
        ...target,
        sharedDir: null,
        artifactsFrom: 's3',
        flinkConfiguration: { 'high-availability.storageDir': 's3://bucket/flink/ha' },
      },
      fetch,
    };
    for (const role of ['jobmanager', 'taskmanager'] as const) {
      const [init] = nativePodTemplate(fromS3, role).spec!.initContainers!;
      expect(init!.command!.slice(-3)).toEqual([
        '--listing',
        '/opt/sluice/token/listing',
        '/opt/flink/usrlib',
      ]);
      expect(JSON.stringify(init)).not.toContain('submission-artifacts');
    }
    expect(runApplicationArgs(fromS3)).toContain('local:///opt/flink/usrlib/00-sluice-sql-runner.jar');
    const { artifacts } = renderFlinkDeployment(fromS3);
    expect(artifacts!.stringData).toEqual({ listing: fetch.listing, objects: fetch.objects });
    expect(artifacts!.data).toEqual({
      'SluiceFetch.class': Buffer.from('cafebabe', 'hex').toString('base64'),
    });
  });

  it('refuses a run without Kubernetes HA storage when no shared folder gives one, naming the option', () => {
    const noHa: FlinkDeploymentInput = {
      ...input(spec()),
      target: { ...target, sharedDir: null, platformUrl: 'http://10.200.0.1:8080' },
      fetch: { fetcherClass: Buffer.from('cafebabe', 'hex'), token: 'v1.token' },
    };
    expect(() => nativeConfiguration(noHa, files)).toThrow(
      'so Sluice gives the pods no folder for option high-availability.storageDir: the operator and native ways always run Kubernetes HA',
    );
  });
});

describe('mountedObjectsOf', () => {
  it('names every ConfigMap and Secret a pod cannot start without, projected ones too, and skips optional ones', () => {
    expect(
      mountedObjectsOf({
        containers: [],
        volumes: [
          { name: 'flink-config-volume', configMap: { name: 'flink-config-job' } },
          { name: 'pod-template-volume', configMap: { name: 'pod-template-job' } },
          { name: 'hadoop', configMap: { name: 'hadoop-config', optional: true } },
          { name: 'plan', secret: { secretName: 'job-plan' } },
          { name: 'maybe', secret: { secretName: 'job-extra', optional: true } },
          {
            name: 'both',
            projected: {
              sources: [{ configMap: { name: 'flink-config-job' } }, { secret: { name: 'job-artifacts' } }],
            },
          },
          { name: 'scratch', emptyDir: {} },
        ],
      }),
    ).toEqual([
      { kind: 'ConfigMap', name: 'flink-config-job' },
      { kind: 'ConfigMap', name: 'pod-template-job' },
      { kind: 'Secret', name: 'job-plan' },
      { kind: 'Secret', name: 'job-artifacts' },
    ]);
    expect(mountedObjectsOf(undefined)).toEqual([]);
  });
});

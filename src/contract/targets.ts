import { Type, type Static } from 'typebox';
import { JOB_RANGES, type JobRange } from '../domain/quotas/quota.ts';
import { FLINK_CONFIG_KEY, MIN_MEMORY } from '../domain/clusters/local-cluster-spec.ts';
import { formatMemorySize, MEMORY_SIZE_PATTERN } from '../domain/clusters/memory-size.ts';
import { CodedMessage, EngineVersion, errors, Name, NameParams, OperationBody, StringMap } from './common.ts';
import { operation } from './operation.ts';
import { SpaceField, targetInSpace } from './spaces.ts';
import { Limit, QuotaInputBody, QuotaLimitsBody, QuotaResourceName, ResourceUsageBody } from './quotas.ts';

/**
 * Deployment targets: the named places jobs run (local-session, remote-session, local-application).
 * A session target's session cluster is started, stopped and watched through its target.
 */

const Port = Type.Integer({
  minimum: 1024,
  maximum: 65535,
  description: "not another session cluster's port, nor the API's, nor one another program holds",
});
const Memory = (field: keyof typeof MIN_MEMORY) =>
  Type.String({
    pattern: MEMORY_SIZE_PATTERN,
    maxLength: 32,
    description: `a memory size as Flink reads it (1024m, 1536 mb, 2g; bytes without a unit), at least ${formatMemorySize(MIN_MEMORY[field])} and within this machine's memory, all processes together`,
  });
export const ClusterSettings = Type.Object(
  {
    space: SpaceField,
    engineVersion: Type.Optional(EngineVersion),
    restPort: Type.Optional(Port),
    rpcPort: Type.Optional(Port),
    gatewayPort: Type.Optional(Port),
    taskManagers: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
    slotsPerTaskManager: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    jobManagerMemory: Type.Optional(Memory('jobManagerMemory')),
    taskManagerMemory: Type.Optional(Memory('taskManagerMemory')),
    gatewayMemory: Type.Optional(Memory('gatewayMemory')),
    flinkConfig: Type.Optional(
      StringMap({
        keyPattern: FLINK_CONFIG_KEY.source,
        description:
          "more Flink options for the cluster's config.yaml; not those its own fields set (ports, memory, slots), nor its addresses",
      }),
    ),
  },
  { additionalProperties: false },
);
export const ProcessBody = Type.Object({
  id: Type.String(),
  role: Type.String(),
  pid: Type.Union([Type.Integer(), Type.Null()]),
  alive: Type.Boolean(),
  adopted: Type.Boolean(),
  restarts: Type.Integer(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  logFile: Type.String(),
  metricsPort: Type.Union([Type.Integer(), Type.Null()], {
    description:
      "the port of the process's Prometheus reporter while it runs (local clusters); null otherwise",
  }),
});
export const OverviewBody = Type.Object(
  {
    taskmanagers: Type.Integer(),
    'slots-total': Type.Integer(),
    'slots-available': Type.Integer(),
    'jobs-running': Type.Integer(),
    'flink-version': Type.String(),
  },
  { additionalProperties: true },
);
export const ClusterEventBody = Type.Object({
  id: Type.Integer(),
  clusterName: Type.String(),
  processId: Type.String(),
  kind: Type.String(),
  detail: Type.String(),
  at: Type.String(),
});
const KubernetesModeBody = Type.Union(
  [Type.Literal('operator'), Type.Literal('native'), Type.Literal('standalone')],
  {
    description:
      "how jobs run there: operator (FlinkDeployment resources, the Flink Kubernetes Operator's CRDs required), native (Flink's own Kubernetes client), standalone (Sluice's JobManager and TaskManager Deployments)",
  },
);
const KubernetesSessionBody = Type.Object({
  taskManagers: Type.Integer({ description: 'TaskManager pods' }),
  slotsPerTaskManager: Type.Integer(),
  jobManagerMemory: Type.String({ description: "the JobManager's process size, e.g. 1024m" }),
  taskManagerMemory: Type.String({ description: "each TaskManager's process size, e.g. 1536m" }),
  gatewayMemory: Type.String({ description: "the SQL Gateway container's memory, e.g. 512m" }),
});
export const KubernetesSpecBody = Type.Object({
  name: Type.String(),
  engineVersion: Type.String(),
  kubeconfig: Type.Union([Type.String(), Type.Null()], {
    description: "the kubeconfig file on the server's machine; null: the in-cluster service account",
  }),
  context: Type.Union([Type.String(), Type.Null()], {
    description: "null: the kubeconfig's current context",
  }),
  namespace: Type.String(),
  mode: KubernetesModeBody,
  image: Type.String(),
  imagePullPolicy: Type.Union([Type.Literal('Always'), Type.Literal('IfNotPresent'), Type.Literal('Never')]),
  imagePullSecrets: Type.Array(Type.String()),
  serviceAccount: Type.Union([Type.String(), Type.Null()]),
  sharedDir: Type.Union([Type.String(), Type.Null()]),
  sharedClaim: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description:
        'the PersistentVolumeClaim whose volume holds the shared folder (its root is sharedDir): the pods mount it by subPath instead of hostPath; absent or null: hostPath',
    }),
  ),
  flinkConfiguration: Type.Optional(Type.Record(Type.String(), Type.String())),
  platformUrl: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: "the platform's URL as the pods see it: an init container fetches each run's jars from it",
    }),
  ),
  artifactsFrom: Type.Optional(
    Type.Union([Type.Literal('s3'), Type.Null()], {
      description:
        "s3: the pods fetch each run's jars from the platform's S3-compatible artifact bucket by presigned URLs",
    }),
  ),
  s3EndpointForPods: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: "the artifact bucket's endpoint as the pods reach it, when it differs from the server's",
    }),
  ),
  connectorsInImage: Type.Optional(
    Type.Boolean({
      description:
        "the image's lib carries the connectors jobs name (Kafka, JDBC): no run gets the engine's connector jars; absent or false: each SQL job's run gets those its tables name",
    }),
  ),
  upgradeMode: Type.Optional(
    Type.Union([Type.Literal('savepoint'), Type.Literal('last-state'), Type.Literal('stateless')], {
      description:
        "operator mode: the FlinkDeployment's job.upgradeMode, how the operator carries a job's state through an upgrade in place and a suspension",
    }),
  ),
  session: Type.Optional(
    Type.Union([KubernetesSessionBody, Type.Null()], {
      description:
        'set: the target is one session cluster Sluice runs in the namespace; absent: a cluster per job',
    }),
  ),
});
export const KubernetesCheckBody = Type.Object({
  name: Type.Union([
    Type.Literal('kubeconfig'),
    Type.Literal('api'),
    Type.Literal('namespace'),
    Type.Literal('permissions'),
    Type.Literal('serviceAccount'),
    Type.Literal('sharedClaim'),
    Type.Literal('crds'),
  ]),
  ok: Type.Boolean(),
  detail: Type.String(),
  problem: CodedMessage,
});
const OperatorCrdsBody = Type.Union([
  Type.Null(),
  Type.Object({
    source: Type.Union([Type.Literal('apiextensions'), Type.Literal('discovery')]),
    present: Type.Array(Type.Object({ name: Type.String(), servedVersions: Type.Array(Type.String()) })),
    missing: Type.Array(Type.String()),
  }),
]);
/** A Kubernetes target's spec and its cluster's checks, as a list shows them. */
export const KubernetesTargetBody = Type.Object({
  spec: KubernetesSpecBody,
  server: Type.Union([Type.String(), Type.Null()]),
  context: Type.Union([Type.String(), Type.Null()]),
  serverVersion: Type.Union([Type.String(), Type.Null()]),
  user: Type.Union([Type.String(), Type.Null()]),
  checks: Type.Array(KubernetesCheckBody),
  operatorCrds: OperatorCrdsBody,
  checkedAt: Type.String(),
});
const TargetKindBody = Type.Union(
  [
    Type.Literal('local-session'),
    Type.Literal('remote-session'),
    Type.Literal('local-application'),
    Type.Literal('kubernetes-operator'),
    Type.Literal('kubernetes-native'),
    Type.Literal('kubernetes-standalone'),
    Type.Literal('kubernetes-standalone-session'),
    Type.Literal('kubernetes-native-session'),
    Type.Literal('kubernetes-operator-session'),
  ],
  {
    description:
      "the deployment target's kind: local-session, remote-session, local-application, kubernetes-operator, kubernetes-native, kubernetes-standalone, kubernetes-standalone-session, kubernetes-native-session, kubernetes-operator-session; in lists and status",
  },
);
export const TargetStatusBody = Type.Object({
  name: Type.String(),
  kind: Type.Optional(Type.String()),
  targetKind: Type.Optional(TargetKindBody),
  state: Type.String(),
  flinkVersion: Type.String(),
  engineVersion: Type.Optional(Type.String({ description: 'the engine a job on this target names' })),
  restUrl: Type.String(),
  gatewayUrl: Type.String(),
  processes: Type.Array(ProcessBody),
  overview: Type.Union([Type.Null(), OverviewBody]),
  gatewayHealthy: Type.Boolean(),
  problem: Type.Optional(Type.String()),
  problemMessage: Type.Optional(CodedMessage),
  events: Type.Optional(Type.Array(ClusterEventBody)),
  kubernetes: Type.Optional(KubernetesTargetBody),
});
export const ClusterSpecBody = Type.Object({
  name: Type.String(),
  engineVersion: Type.String(),
  restPort: Type.Integer(),
  rpcPort: Type.Integer(),
  gatewayPort: Type.Integer(),
  taskManagers: Type.Integer(),
  slotsPerTaskManager: Type.Integer(),
  jobManagerMemory: Type.String(),
  taskManagerMemory: Type.String(),
  gatewayMemory: Type.String(),
  flinkConfig: Type.Record(Type.String(), Type.String()),
});

/** A target with the recent process events of its clusters (started, adopted, exited, restarted, stopped, orphan-killed). */
export const TargetDetailBody = Type.Intersect([
  TargetStatusBody,
  Type.Object({ events: Type.Array(ClusterEventBody) }),
]);
const tags = ['targets'];
export const RemoteTargetBody = Type.Object({
  name: Type.String(),
  engineVersion: Type.String(),
  restUrl: Type.String(),
  gatewayUrl: Type.Union([Type.String(), Type.Null()]),
});

const OptionalText = (description: string, maxLength = 1024) =>
  Type.Optional(Type.String({ minLength: 1, maxLength, description }));
export const RegisterKubernetesBody = Type.Object(
  {
    name: Name,
    space: SpaceField,
    kubeconfig: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 4096 }), Type.Null()], {
        description:
          "an absolute path of a kubeconfig file on the server's machine; absent or null: the service account of the pod Sluice runs in",
      }),
    ),
    context: OptionalText("the kubeconfig's context (default: its current context)", 253),
    namespace: Type.String({ minLength: 1, maxLength: 63, description: 'a DNS-1123 label' }),
    mode: Type.String({ minLength: 1, maxLength: 32, description: 'operator, native or standalone' }),
    engineVersion: Type.Optional(EngineVersion),
    image: OptionalText(
      'the Flink image of the engine (default: the official flink:<Flink version>-java17)',
      512,
    ),
    imagePullPolicy: OptionalText('Always, IfNotPresent (default) or Never', 16),
    imagePullSecrets: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 253 }), { maxItems: 16 }),
    ),
    serviceAccount: OptionalText(
      "the JobManager pods' service account (default: the namespace's default)",
      253,
    ),
    sharedDir: OptionalText(
      'an absolute folder that Sluice and every node see at the same path (job jars, savepoints)',
      4096,
    ),
    sharedClaim: OptionalText(
      "a PersistentVolumeClaim in the namespace (a DNS-1123 name, Bound; only with sharedDir) whose volume holds what sharedDir holds on Sluice's machine: the pods mount each folder of it by subPath at the same path, instead of hostPath (NFS, CephFS... shared storage); registration needs get persistentvolumeclaims",
      253,
    ),
    flinkConfiguration: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.String({ maxLength: 8192 }), {
        maxProperties: 64,
        description:
          "Flink options every job on the target gets under its own: pod defaults (kubernetes.taskmanager.tolerations, kubernetes.jobmanager.node-selector...), kubernetes.rest-service.exposed.type, the Web UI's Ingress (sluice.ingress.template, sluice.ingress.class-name, sluice.ingress.annotations)",
      }),
    ),
    platformUrl: OptionalText(
      "Sluice's http(s) URL as the pods reach it: an init container fetches each run's jars from it with a token scoped to the run",
      2048,
    ),
    artifactsFrom: OptionalText(
      "s3: an init container fetches each run's jars from the platform's S3-compatible artifact bucket by presigned URLs Sluice writes into the run's Secret (standalone mode, no session; the server's artifacts must be in S3); no platform URL is needed",
      16,
    ),
    s3EndpointForPods: OptionalText(
      "with artifactsFrom s3: the bucket's http(s) endpoint as the pods reach it, when it differs from SLUICE_ARTIFACT_S3_ENDPOINT (the presigned URLs name it)",
      2048,
    ),
    connectorsInImage: Type.Optional(
      Type.Boolean({
        description:
          "true: the image's lib already has the connectors jobs name (Kafka, JDBC), so a SQL job's run gets none of the engine's connector jars; default false (the official image has none: each run gets the engine's jars of the connectors its CREATE TABLE statements name)",
      }),
    ),
    upgradeMode: OptionalText(
      'operator mode only: savepoint (default: a savepoint first), last-state (the latest checkpoint and HA data) or stateless (empty state), the FlinkDeployment job.upgradeMode',
      16,
    ),
    session: Type.Optional(
      Type.Object(
        {
          taskManagers: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
          slotsPerTaskManager: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
          jobManagerMemory: OptionalText("the JobManager's process size (default 1024m)", 32),
          taskManagerMemory: OptionalText("each TaskManager's process size (default 1536m)", 32),
          gatewayMemory: OptionalText("the SQL Gateway container's memory (default 512m)", 32),
        },
        {
          additionalProperties: false,
          description:
            'present: the target is one session cluster Sluice runs in the namespace (any mode; a shared folder needed), started and stopped as a local one; its sizes over the defaults',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export const RegisteredKubernetesBody = Type.Object({
  spec: KubernetesSpecBody,
  checks: Type.Array(KubernetesCheckBody),
  serverVersion: Type.Union([Type.String(), Type.Null()]),
  operatorCrds: OperatorCrdsBody,
});

const ResourcesBody = Type.Object({
  cpuMillis: Type.Integer({ description: 'CPU in millicores' }),
  memoryBytes: Type.Integer(),
});
export const KubernetesClusterBody = Type.Object({
  target: Type.String(),
  namespace: Type.String(),
  server: Type.String(),
  at: Type.String(),
  pending: Type.Array(
    Type.Object({
      pod: Type.String(),
      job: Type.Union([Type.String(), Type.Null()]),
      since: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String({ description: "the scheduler's (Unschedulable) or a container's waiting reason" }),
      message: Type.String(),
    }),
  ),
  nodes: Type.Union([
    Type.Array(
      Type.Object({
        name: Type.String(),
        allocatable: ResourcesBody,
        requested: Type.Object(
          { ...ResourcesBody.properties },
          { description: 'what every pod on the node (all namespaces) requests' },
        ),
        pods: Type.Integer(),
      }),
    ),
    Type.Null(),
  ]),
  nodesProblem: Type.Union([Type.String(), Type.Null()], {
    description: 'why nodes are not shown (the credentials may not read nodes or pods of every namespace)',
  }),
  jobs: Type.Array(
    Type.Object({
      job: Type.String(),
      flinkJobId: Type.String(),
      pods: Type.Integer(),
      running: Type.Integer(),
      pending: Type.Integer(),
      requests: ResourcesBody,
      limits: Type.Object(
        { ...ResourcesBody.properties },
        { description: "its containers' limits summed; a container without a limit adds nothing" },
      ),
    }),
  ),
});

const Bytes = (description: string) => Type.Union([Type.Integer(), Type.Null()], { description });
export const TargetResourcesBody = Type.Object({
  target: Type.String(),
  targetKind: TargetKindBody,
  at: Type.String(),
  flink: Type.Union(
    [
      Type.Object({
        clusters: Type.Array(
          Type.Object({
            cluster: Type.String({
              description: "the session target's name, or the job whose own cluster it is",
            }),
            restUrl: Type.String(),
            problem: Type.Union([Type.String(), Type.Null()], {
              description: "why the cluster's figures are missing (not running, not answering)",
            }),
            taskManagers: Type.Array(
              Type.Object({
                id: Type.String(),
                slotsTotal: Type.Integer(),
                slotsFree: Type.Integer(),
                slotsUsed: Type.Integer(),
                processMemoryBytes: Bytes('memoryConfiguration.totalProcessMemory of /taskmanagers/{id}'),
                managedMemoryBytes: Bytes('memoryConfiguration.managedMemory'),
                heapUsedBytes: Bytes('metrics.heapUsed'),
                heapMaxBytes: Bytes('metrics.heapMax'),
              }),
            ),
            slotsTotal: Type.Integer(),
            slotsFree: Type.Integer(),
            processMemoryBytes: Type.Integer(),
            jobs: Type.Array(
              Type.Object({
                flinkJobId: Type.String(),
                job: Type.Union([Type.String(), Type.Null()], {
                  description: 'the Sluice job it runs as; null for a Flink job Sluice did not submit',
                }),
                name: Type.String(),
                state: Type.String(),
                slots: Type.Integer({ description: "slots allocated to it on the cluster's TaskManagers" }),
                waitingTasks: Type.Integer({ description: 'tasks without a slot (CREATED or SCHEDULED)' }),
              }),
            ),
          }),
        ),
        taskManagers: Type.Integer(),
        slotsTotal: Type.Integer(),
        slotsFree: Type.Integer(),
        processMemoryBytes: Type.Integer(),
      }),
      Type.Null(),
    ],
    { description: 'the Flink clusters (a session cluster, or one per job); null for a Kubernetes target' },
  ),
  kubernetes: Type.Union([KubernetesClusterBody, Type.Null()]),
  waiting: Type.Array(
    Type.Object({
      job: Type.Union([Type.String(), Type.Null()]),
      flinkJobId: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String({
        description:
          "NoResourceAvailable (Flink said so), NoFreeSlot (tasks without a slot, no slot free), or a Pending pod's reason (Unschedulable...)",
      }),
      message: Type.String(),
      source: Type.Union([Type.Literal('flink'), Type.Literal('kubernetes')]),
    }),
  ),
  sources: Type.Array(Type.String(), { description: 'what each figure is read from' }),
});

const QuotaBody = Type.Object({
  target: Type.String(),
  scope: Type.String({ description: "the quota's scope: target:<name>" }),
  targetKind: Type.String(),
  set: Type.Boolean({ description: 'false: no quota is set; usage is still counted' }),
  limits: QuotaLimitsBody,
  perJob: Type.Object(
    Object.fromEntries(JOB_RANGES.map((r) => [r, Limit])) as Record<JobRange, typeof Limit>,
    { description: 'the most one job may request (maxTaskManagerMemory in bytes, maxCpuPerPod in cores)' },
  ),
  usage: Type.Array(ResourceUsageBody, {
    description: "each resource a quota can limit on this target's kind, with what its jobs hold",
  }),
  notPerJob: Type.Array(QuotaResourceName, {
    description:
      "what this kind's jobs do not request per job (a session's CPU and memory, local processes' CPU)",
  }),
  ranges: Type.Array(Type.Unsafe<JobRange>(Type.Union(JOB_RANGES.map((r) => Type.Literal(r)))), {
    description: 'the per-job ranges that apply on this kind',
  }),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

export const targets = {
  list: operation('GET', '/targets', {
    tags,
    summary: 'Deployment targets with their kind, and the state of their clusters',
    response: { 200: Type.Array(targetInSpace(TargetStatusBody)) },
  }),
  define: operation('PUT', '/targets/:name', {
    tags,
    summary:
      "Create or change a local session target (its session cluster's definition, applied at its next start)",
    params: NameParams,
    body: ClusterSettings,
    response: { 200: ClusterSpecBody, ...errors },
  }),
  registerRemote: operation('POST', '/targets/remote', {
    tags,
    summary:
      'Register a remote session target: a session cluster Sluice does not run, by its Flink REST (and SQL Gateway) address',
    body: Type.Object(
      {
        name: Name,
        space: SpaceField,
        restUrl: Type.String({ minLength: 1, maxLength: 2048 }),
        gatewayUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
      },
      { additionalProperties: false },
    ),
    response: { 201: RemoteTargetBody, ...errors },
  }),
  registerKubernetes: operation('POST', '/targets/kubernetes', {
    tags,
    summary:
      'Register (or change) a Kubernetes target: a cluster (kubeconfig file and context, or in-cluster) and a namespace, one way to run jobs; its cluster is checked first (API reachable, namespace, permissions, the operator CRDs) and a failing check stores nothing',
    body: RegisterKubernetesBody,
    response: { 201: RegisteredKubernetesBody, ...errors },
  }),
  remove: operation('DELETE', '/targets/:name', {
    tags,
    summary:
      'Remove a stored deployment target; refused (409) while a job names it, and while its local session cluster runs',
    params: NameParams,
    response: { 200: Type.Object({ removed: Type.String() }), ...errors },
  }),
  get: operation('GET', '/targets/:name', {
    tags,
    summary: "A deployment target: its clusters' processes, health, recent process events",
    params: NameParams,
    response: { 200: TargetDetailBody, ...errors },
  }),
  kubernetesCluster: operation('GET', '/targets/:name/kubernetes-cluster', {
    tags,
    summary:
      "A Kubernetes target's cluster as it concerns its jobs: Pending pods with their reason, the nodes' allocatable CPU and memory beside what their pods request, each job's requests",
    params: NameParams,
    response: { 200: KubernetesClusterBody, ...errors },
  }),
  resources: operation('GET', '/targets/:name/resources', {
    tags,
    summary:
      'What a target has and what its jobs take: TaskManagers, slots (total, free, per job) and memory of its Flink clusters; on Kubernetes requested vs allocatable CPU and memory and Pending pods; the jobs waiting for resources with the reason',
    params: NameParams,
    response: { 200: TargetResourcesBody, ...errors },
  }),
  quota: operation('GET', '/targets/:name/quota', {
    tags,
    summary:
      "A target's quota (CPU, memory, slots, TaskManagers, jobs) and per-job ranges, with what the jobs holding resources there use of each and which jobs; 404: no such target",
    params: NameParams,
    response: { 200: QuotaBody, ...errors },
  }),
  setQuota: operation('PUT', '/targets/:name/quota', {
    tags,
    summary:
      "Set a target's quota and per-job ranges (platform admins only: others get 403; fields left out are not limited; checked at each start and upgrade); 400: a field its kind's jobs do not request per job, or not a positive amount",
    params: NameParams,
    body: QuotaInputBody,
    response: { 200: QuotaBody, ...errors },
  }),
  clearQuota: operation('DELETE', '/targets/:name/quota', {
    tags,
    summary:
      "Remove a target's quota and ranges (platform admins only: others get 403); 404: no such target, or it has no quota",
    params: NameParams,
    response: { 200: Type.Object({ cleared: Type.String() }), ...errors },
  }),
  start: operation('POST', '/targets/:name/start', {
    tags,
    summary: "Start (or adopt) a local session target's session cluster; a background operation",
    params: NameParams,
    response: { 202: OperationBody, ...errors },
  }),
  stop: operation('POST', '/targets/:name/stop', {
    tags,
    summary: "Stop every process of a local session target's session cluster",
    params: NameParams,
    response: { 200: TargetStatusBody, ...errors },
  }),
};

export type TargetView = Static<typeof TargetStatusBody>;
export type KubernetesClusterInfo = Static<typeof KubernetesClusterBody>;
export type TargetResourcesInfo = Static<typeof TargetResourcesBody>;
export type TargetDetail = Static<typeof TargetDetailBody>;
export type ClusterProcess = Static<typeof ProcessBody>;
export type ClusterEvent = Static<typeof ClusterEventBody>;
export type ClusterSpec = Static<typeof ClusterSpecBody>;
export type ClusterSettingsInput = Static<typeof ClusterSettings>;
export type RemoteTarget = Static<typeof RemoteTargetBody>;
export type KubernetesTarget = Static<typeof KubernetesTargetBody>;
export type RegisterKubernetesInput = Static<typeof RegisterKubernetesBody>;
export type RegisteredKubernetes = Static<typeof RegisteredKubernetesBody>;
export type TargetQuota = Static<typeof QuotaBody>;
export type TargetQuotaInput = Static<typeof QuotaInputBody>;

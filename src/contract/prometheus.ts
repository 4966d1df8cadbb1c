import { Type, type Static } from 'typebox';
import { PANEL_UNITS } from '../domain/metrics/job-panels.ts';
import { ErrorBody, errors, Name, TargetName } from './common.ts';
import { operation } from './operation.ts';

const label = (description: string) => Type.String({ description });

export const ScrapeTargetGroupBody = Type.Object(
  {
    targets: Type.Array(Type.String({ description: 'host:port of a Flink process’s Prometheus reporter' }), {
      description: 'the addresses Prometheus scrapes (one process per group)',
    }),
    labels: Type.Object(
      {
        target: label('the deployment target the process runs for'),
        engine_version: label('the engine (Flink minor version) of the target'),
        role: Type.Union([Type.Literal('jobmanager'), Type.Literal('taskmanager')]),
        process: label('the process in its cluster: jobmanager, taskmanager-2'),
        space: Type.Optional(
          label(
            "the space of the process's job, or of its target for a session's processes (alert rules per space match it)",
          ),
        ),
        job: Type.Optional(
          label(
            "the job whose cluster the process is (absent on a session cluster's processes, which run several jobs; Flink's own series name theirs by job_id)",
          ),
        ),
        version: Type.Optional(label('the version of the job deployed')),
        flink_job_id: Type.Optional(label('the Flink job id of that deployment')),
      },
      {
        additionalProperties: false,
        description: 'labels Prometheus puts on every series scraped there',
      },
    ),
  },
  { additionalProperties: false },
);

export const PodScrapeTargetGroupBody = Type.Object(
  {
    targets: Type.Array(Type.String({ description: "Sluice's own host:port, as the request reached it" }), {
      description: 'the address Prometheus scrapes: Sluice, which proxies the pod (one pod per group)',
    }),
    labels: Type.Object(
      {
        ...ScrapeTargetGroupBody.properties.labels.properties,
        role: Type.Union([Type.Literal('jobmanager'), Type.Literal('taskmanager')]),
        process: label("the pod's name"),
        instance: label(
          "the pod's reporter, namespace/pod:port (not Sluice's address, which every pod shares)",
        ),
        __metrics_path__: label(
          "Sluice's route that answers the pod's metrics: /api/v1/prometheus/pods/{target}/{pod}/metrics",
        ),
        __scheme__: Type.Union([Type.Literal('http'), Type.Literal('https')], {
          description: 'the scheme Prometheus reached Sluice with',
        }),
      },
      {
        additionalProperties: false,
        description:
          'labels Prometheus puts on every series scraped there; __metrics_path__ and __scheme__ say where, with no relabelling',
      },
    ),
  },
  { additionalProperties: false },
);

export const prometheus = {
  targets: operation('GET', '/prometheus/targets', {
    tags: ['prometheus'],
    summary:
      "Prometheus HTTP service discovery (http_sd_configs): the running JobManagers and TaskManagers of the clusters Sluice runs on this machine, each with its reporter's address and labels",
    response: { 200: Type.Array(ScrapeTargetGroupBody) },
  }),
  podTargets: operation('GET', '/prometheus/pod-targets', {
    tags: ['prometheus'],
    summary:
      "Prometheus HTTP service discovery of the JobManager and TaskManager pods of Kubernetes targets (Running, Ready, with a reporter): each a group addressed to Sluice, whose __metrics_path__ is Sluice's proxy of the pod through the Kubernetes API server, with the labels a local process has. Scrape it with the same token as the discovery",
    response: { 200: Type.Array(PodScrapeTargetGroupBody) },
  }),
  podMetrics: operation('GET', '/prometheus/pods/:target/:pod/metrics', {
    tags: ['prometheus'],
    summary:
      "A pod's Flink metrics (its Prometheus reporter's page, streamed), fetched through the Kubernetes API server's pod proxy with the target's credentials. 404 when the target is no Kubernetes target or the pod is no Running and Ready JobManager or TaskManager of it (gone); 503 when the API server refuses or does not answer within 10 s",
    params: Type.Object({
      target: TargetName('the Kubernetes target'),
      pod: Type.String({
        minLength: 1,
        maxLength: 253,
        pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
        description: 'the pod, as the discovery names it',
      }),
    }),
    response: {
      200: {
        description:
          "Prometheus's text format (or OpenMetrics, as Prometheus asked), as Flink's reporter wrote it",
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
      ...errors,
    },
  }),
};

export type PodScrapeTargetGroupView = Static<typeof PodScrapeTargetGroupBody>;

export type ScrapeTargetGroupView = Static<typeof ScrapeTargetGroupBody>;

const MetricPanelBody = Type.Object(
  {
    id: Type.String({ description: 'the panel in the catalog: records-out, backpressure, heap...' }),
    title: Type.String(),
    unit: Type.Enum(PANEL_UNITS, { description: 'how its values read (ratio: 0 to 1)' }),
    legend: Type.Union([Type.String(), Type.Null()], {
      description: 'the label naming each line, or null for a panel of one line',
    }),
    scope: Type.Union([Type.Literal('job'), Type.Literal('processes'), Type.Literal('platform')], {
      description:
        "job: the job's own series (by Flink job id); processes: the JVM series of the processes it runs in (its own cluster's, or its session cluster's, shared with that session's other jobs); platform: Sluice's own series, or Flink's of every job named by Sluice's job name (exported_job)",
    }),
    perPartition: Type.Optional(
      Type.Boolean({ description: 'true for a panel of lines per Kafka partition, drawn only when asked' }),
    ),
    perSubtask: Type.Optional(
      Type.Boolean({
        description:
          'true for a panel drawn per subtask (asked with `subtasks=true`): a line per subtask_index',
      }),
    ),
    query: Type.String({ description: 'the PromQL asked; the Grafana dashboard asks the same' }),
    lines: Type.Array(
      Type.Object({
        name: Type.String({ description: "the legend label's value, or the panel's title" }),
        labels: Type.Record(Type.String(), Type.String()),
        points: Type.Array(
          Type.Array(Type.Union([Type.Number(), Type.Null()]), {
            minItems: 2,
            maxItems: 2,
            description: '[seconds since the epoch, value]; null where Prometheus gave NaN or ±Inf',
          }),
        ),
      }),
    ),
  },
  { additionalProperties: false },
);

const rangeFields = {
  from: Type.String({ description: 'ISO 8601' }),
  to: Type.String({ description: 'ISO 8601' }),
  stepSeconds: Type.Number(),
  prometheus: Type.String({ description: 'the URL of the Prometheus asked' }),
  panels: Type.Array(MetricPanelBody),
};

const JobMetricsBody = Type.Object({
  job: Type.String(),
  target: Type.String(),
  flinkJobIds: Type.Array(Type.String(), {
    description: "the Flink job ids of the job's runs whose series are charted, newest first",
  }),
  ...rangeFields,
});

const PlatformMetricsBody = Type.Object(rangeFields);

const GrafanaDashboardBody = Type.Object(
  {
    uid: Type.String(),
    title: Type.String(),
    templating: Type.Object({ list: Type.Array(Type.Record(Type.String(), Type.Unknown())) }),
    panels: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  },
  {
    additionalProperties: true,
    description:
      "a Grafana dashboard to import: one time series panel per chart, whose target is the chart's query, from the Prometheus the `datasource` variable names",
  },
);

const JobNameParams = Type.Object({ name: Name });

const RangeQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601; default an hour before `to`' })),
  to: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601; default now' })),
  step: Type.Optional(
    Type.Number({
      minimum: 1,
      description: 'seconds between points (1 or more); default about 300 points, at least 15 s',
    }),
  ),
});

const PartitionsQuery = Type.Object({
  partitions: Type.Optional(
    Type.Boolean({
      description:
        "with the panels per Kafka partition: the broker's end minus Flink's position, and the group's committed lag",
    }),
  ),
  subtasks: Type.Optional(
    Type.Boolean({
      description:
        'records in/out, backpressure and busy time with a line per subtask (its operator or task and subtask_index) instead of per operator or task',
    }),
  ),
});

export const jobMetrics = {
  metrics: operation('GET', '/jobs/:name/metrics', {
    tags: ['prometheus'],
    summary:
      "A job's metric charts over a range, from the Prometheus in use: records in/out per operator, backpressure and busy time per task, checkpoints, restarts, watermark lag, Kafka lag (per partition with `partitions=true`), JVM heap, GC and CPU. 409 when the job never ran; 503 when no Prometheus is in use or it does not answer",
    params: JobNameParams,
    querystring: Type.Object({ ...RangeQuery.properties, ...PartitionsQuery.properties }),
    response: { 200: JobMetricsBody, ...errors },
  }),
  grafanaDashboard: operation('GET', '/jobs/:name/grafana-dashboard', {
    tags: ['prometheus'],
    summary:
      "The job's charts as a Grafana dashboard JSON (the same PromQL, a `datasource` variable; the panels per Kafka partition with `partitions=true`); 409 when the job never ran",
    params: JobNameParams,
    querystring: PartitionsQuery,
    response: { 200: GrafanaDashboardBody, ...errors },
  }),
};

export const platformMetrics = {
  metrics: operation('GET', '/platform/metrics', {
    tags: ['prometheus'],
    summary:
      "The platform's charts over a range, from the Prometheus in use: Sluice's jobs by state, submissions by outcome, API answer time, tracker rounds, and Flink's records in/out, backpressure, failed checkpoints and restarts of every job. 503 when no Prometheus is in use or it does not answer",
    querystring: RangeQuery,
    response: { 200: PlatformMetricsBody, 400: ErrorBody, 503: ErrorBody },
  }),
  grafanaDashboard: operation('GET', '/platform/grafana-dashboard', {
    tags: ['prometheus'],
    summary: "The platform's charts as a Grafana dashboard JSON (the same PromQL, a `datasource` variable)",
    response: { 200: GrafanaDashboardBody },
  }),
};

export type JobMetricsView = Static<typeof JobMetricsBody>;
export type PlatformMetricsView = Static<typeof PlatformMetricsBody>;
export type MetricPanelView = Static<typeof MetricPanelBody>;

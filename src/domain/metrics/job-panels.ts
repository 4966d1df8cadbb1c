/**
 * The charts of one job: each panel's PromQL over Flink's own series (its Prometheus reporter), as the
 * console draws them and as the Grafana dashboard exports them. One catalog, so both ask the same.
 *
 * Which series are the job's:
 * - Flink's job-scoped series (operators, tasks, checkpoints, restarts) carry `job_id`, the Flink job
 *   id; a job has one per deployment, so a panel asks for every id it had (its runs' lines join up).
 *   `job_name` is not used: the reporter rewrites it.
 * - The JVM series of the JobManager and TaskManagers carry no job label. The processes are chosen by
 *   the labels Sluice's service discovery gives them: on the job's own application cluster
 *   `flink_job_id` (one of the job's ids); on a session cluster, which carries no job labels, the
 *   session's processes (`target`, without `flink_job_id`), shared with the session's other jobs.
 */

/** How a panel's values read (ratio: 0 to 1). */
export const PANEL_UNITS = ['records/s', 'ms/s', 'ms', 'bytes', 'count', 'ratio'] as const;
export type PanelUnit = (typeof PANEL_UNITS)[number];

/** Whose series a job's panels ask for. */
export interface JobMetricsScope {
  /** The Flink job ids the job has had, newest first: at least one. */
  flinkJobIds: string[];
  /** The deployment target the job runs on (the discovery's `target` label). */
  target: string;
}

export interface JobPanel {
  /** Stable, for URLs and tests: `records-out`. */
  id: string;
  title: string;
  unit: PanelUnit;
  /** The label naming each line (its legend), or null for a panel of one line. */
  legend: string | null;
  /** Whose: the job's own series, those of the processes it runs in, or the platform's (every job's, Sluice's own). */
  scope: 'job' | 'processes' | 'platform';
  /** Lines per Kafka partition: drawn only when asked (the Metrics tab's "per partition" switch). */
  perPartition?: boolean;
  /** One line per subtask (the Metrics tab's "per subtask" switch) instead of one per operator or task. */
  perSubtask?: boolean;
  query: string;
}

interface PanelSpec extends Omit<JobPanel, 'query' | 'scope'> {
  scope: 'job' | 'processes';
  query: (selector: string) => string;
  /** Its lines per subtask, when it has such a form: its title and query then. */
  subtasks?: { title: string; query: (selector: string) => string };
}

/**
 * Lines per subtask of the operator or task a `by` label names: `by` and `subtask_index` kept, a
 * `subtask` label `<name> #<index>` naming each line (a subtask restarted on another TaskManager is
 * still one line).
 */
const bySubtask = (agg: 'sum' | 'max', by: string, series: string) =>
  `label_join(${agg} by (${by}, subtask_index) (${series}), "subtask", " #", "${by}", "subtask_index")`;

// Flink job ids are 32 hex digits; anything else would be a regex (or an injection) in the selector.
const FLINK_JOB_ID = /^[0-9a-f]{32}$/;
// A target's name is a Sluice name; quotes and backslashes are escaped for PromQL's string literal all the same.
export const quoted = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The label matchers of the job's own series: `job_id=~"id1|id2"`. */
export function jobSelector(scope: JobMetricsScope): string {
  if (scope.flinkJobIds.length === 0) throw new Error('a job without a Flink job id has no series');
  for (const id of scope.flinkJobIds)
    if (!FLINK_JOB_ID.test(id)) throw new Error(`'${id}' is not a Flink job id (32 hex digits)`);
  return `job_id=~"${scope.flinkJobIds.join('|')}"`;
}

/**
 * The label matchers of the JVM series of the processes the job runs in: its own cluster's (by the
 * discovery's `flink_job_id`), or its session cluster's (by `target`, no `flink_job_id`): a regex
 * alternative that matches the empty value matches series without the label.
 */
export function processSelector(scope: JobMetricsScope): string {
  jobSelector(scope);
  return `target=${quoted(scope.target)}, flink_job_id=~"${scope.flinkJobIds.join('|')}|"`;
}

/**
 * Sluice's /metrics is scraped as job "sluice", so the `job` label its series carry becomes
 * `exported_job` in Prometheus (its target's `job` label wins, honor_labels being off).
 */
export const SLUICE_SCRAPE = 'job="sluice"';

/**
 * Flink's series carry the Flink job id only (a session's processes carry no job label): an expression
 * by Flink's `job_id` joined on it to `sluice_job_info` (of the jobs `sluice` matches), which names each
 * job's current Flink job id, so that the result carries the job's name as `exported_job`.
 */
export const byJobName = (byJobId: string, sluice = SLUICE_SCRAPE) =>
  `(${byJobId}) * on (job_id) group_left (exported_job) label_replace(sluice_job_info{${sluice}}, "job_id", "$1", "flink_job_id", "(.+)")`;

/** Flink's series (its Prometheus reporter's names) that the charts and the alert rules both ask for. */
export const FLINK_SERIES = {
  recordsIn: 'flink_taskmanager_job_task_operator_numRecordsInPerSecond',
  recordsOut: 'flink_taskmanager_job_task_operator_numRecordsOutPerSecond',
  backPressured: 'flink_taskmanager_job_task_backPressuredTimeMsPerSecond',
  failedCheckpoints: 'flink_jobmanager_job_numberOfFailedCheckpoints',
  restarts: 'flink_jobmanager_job_numRestarts',
  /**
   * A Kafka source's lag, a regex of names: FLIP-33's pendingRecords of the KafkaSource, and the Kafka
   * consumer's own records-lag-max as the reporter names it.
   */
  kafkaLag:
    'flink_taskmanager_job_task_operator_(pendingRecords|KafkaSourceReader_KafkaConsumer_records_lag_max)',
} as const;

/**
 * A label value as Flink's Prometheus reporter writes it: every character but `[a-zA-Z0-9:_]` becomes
 * `_` (its `filterLabelValueCharacters`, on by default), so topic `page-views` is labelled `page_views`.
 */
export const flinkLabelValue = (v: string) => v.replace(/[^a-zA-Z0-9:_]/g, '_');

/**
 * The Kafka source's position per partition: `currentOffset` is the offset of the last record it
 * fetched (-1 before the first), `committedOffset` the one it committed to the group at the last
 * checkpoint (the next to read). Labelled `topic` (Flink's form, see flinkLabelValue) and `partition`.
 */
export const KAFKA_PARTITION_SERIES = {
  currentOffset: 'flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_currentOffset',
  committedOffset: 'flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_committedOffset',
} as const;

/**
 * Sluice's own per-partition series of the running jobs' Kafka sources (its /metrics, sampled from the
 * brokers): labelled `job_id` (the run's Flink job id, as Flink's are), `topic` as Kafka names it,
 * `flink_topic` as Flink's reporter labels it, and `partition`.
 */
export const SLUICE_KAFKA_SERIES = {
  endOffset: 'sluice_kafka_partition_end_offset',
  consumerLag: 'sluice_kafka_consumer_lag',
} as const;

/** `topic/partition` as one label (a line's legend): the topic as Kafka names it. */
const byPartition = (expr: string) => `label_join(${expr}, "topic_partition", "/", "topic", "partition")`;

/**
 * Per partition, how far Flink's Kafka source is behind the partition's end now: the broker's end
 * (Sluice's sample) minus the next offset Flink reads (its currentOffset + 1), joined on Flink's form
 * of the topic and the partition (group_left keeps the topic as Kafka names it). A partition Flink
 * has read nothing from yet (-1) has no line.
 */
export const kafkaPartitionLagQuery = (s: string) =>
  byPartition(
    `max by (topic, flink_topic, partition) (${SLUICE_KAFKA_SERIES.endOffset}{${s}}) - on (flink_topic, partition) group_left () (max by (flink_topic, partition) (label_replace(${KAFKA_PARTITION_SERIES.currentOffset}{${s}} >= 0, "flink_topic", "$1", "topic", "(.+)")) + 1)`,
  );

/** The job's Kafka lag series as Flink reports them, one per source subtask and metric. */
export const kafkaLagSeries = (selector: string) =>
  `{__name__=~"${FLINK_SERIES.kafkaLag}"${selector ? `, ${selector}` : ''}}`;

/**
 * The highest Kafka lag Flink reports, per `by` labels: the lag panel draws it per source operator, the
 * `lag` alert rule compares it per job: one query, so a chart shows what a rule fires on.
 */
export const kafkaLagQuery = (by: string, selector = '') => `max by (${by}) (${kafkaLagSeries(selector)})`;

const jvm = (metric: string) => (sel: string) =>
  `max by (process) ({__name__=~"flink_(jobmanager|taskmanager)_Status_JVM_${metric}", ${sel}})`;

const PANELS: PanelSpec[] = [
  {
    id: 'records-in',
    title: 'Records in per second, per operator',
    unit: 'records/s',
    legend: 'operator_name',
    scope: 'job',
    query: (s) => `sum by (operator_name) (${FLINK_SERIES.recordsIn}{${s}})`,
    subtasks: {
      title: 'Records in per second, per subtask',
      query: (s) => bySubtask('sum', 'operator_name', `${FLINK_SERIES.recordsIn}{${s}}`),
    },
  },
  {
    id: 'records-out',
    title: 'Records out per second, per operator',
    unit: 'records/s',
    legend: 'operator_name',
    scope: 'job',
    query: (s) => `sum by (operator_name) (${FLINK_SERIES.recordsOut}{${s}})`,
    subtasks: {
      title: 'Records out per second, per subtask',
      query: (s) => bySubtask('sum', 'operator_name', `${FLINK_SERIES.recordsOut}{${s}}`),
    },
  },
  {
    id: 'backpressure',
    title: 'Back-pressured time per second, per task (its busiest subtask)',
    unit: 'ms/s',
    legend: 'task_name',
    scope: 'job',
    query: (s) => `max by (task_name) (${FLINK_SERIES.backPressured}{${s}})`,
    subtasks: {
      title: 'Back-pressured time per second, per subtask',
      query: (s) => bySubtask('max', 'task_name', `${FLINK_SERIES.backPressured}{${s}}`),
    },
  },
  {
    id: 'busy',
    title: 'Busy time per second, per task (its busiest subtask)',
    unit: 'ms/s',
    legend: 'task_name',
    scope: 'job',
    query: (s) => `max by (task_name) (flink_taskmanager_job_task_busyTimeMsPerSecond{${s}})`,
    subtasks: {
      title: 'Busy time per second, per subtask',
      query: (s) => bySubtask('max', 'task_name', `flink_taskmanager_job_task_busyTimeMsPerSecond{${s}}`),
    },
  },
  {
    id: 'checkpoint-duration',
    title: 'Last checkpoint duration',
    unit: 'ms',
    legend: null,
    scope: 'job',
    // Flink gives -1 until a checkpoint completes: no value rather than a negative duration.
    query: (s) => `max(flink_jobmanager_job_lastCheckpointDuration{${s}} >= 0)`,
  },
  {
    id: 'checkpoint-size',
    title: 'Last checkpoint size',
    unit: 'bytes',
    legend: null,
    scope: 'job',
    // Flink gives -1 until a checkpoint completes: no value rather than a negative size.
    query: (s) => `max(flink_jobmanager_job_lastCheckpointSize{${s}} >= 0)`,
  },
  {
    id: 'checkpoint-failures',
    title: 'Failed checkpoints (since the run started)',
    unit: 'count',
    legend: null,
    scope: 'job',
    query: (s) => `max(${FLINK_SERIES.failedCheckpoints}{${s}})`,
  },
  {
    id: 'restarts',
    title: 'Restarts (since the run started)',
    unit: 'count',
    legend: null,
    scope: 'job',
    query: (s) => `max(${FLINK_SERIES.restarts}{${s}})`,
  },
  {
    // Flink's watermark is Long.MIN_VALUE until the first one: those series are left out (> 0).
    id: 'watermark-lag',
    title: 'Watermark lag, per operator (now minus its output watermark)',
    unit: 'ms',
    legend: 'operator_name',
    scope: 'job',
    query: (s) =>
      `max by (operator_name) (time() * 1000 - (flink_taskmanager_job_task_operator_currentOutputWatermark{${s}} > 0))`,
  },
  {
    id: 'kafka-lag',
    title: 'Kafka consumer lag, per source operator (its most behind subtask)',
    unit: 'count',
    legend: 'operator_name',
    scope: 'job',
    query: (s) => kafkaLagQuery('operator_name', s),
  },
  {
    id: 'kafka-partition-lag',
    title: "Kafka lag per partition (the broker's end minus Flink's position, live)",
    unit: 'count',
    legend: 'topic_partition',
    scope: 'job',
    perPartition: true,
    query: kafkaPartitionLagQuery,
  },
  {
    // The group's committed offsets, which Flink moves at each completed checkpoint.
    id: 'kafka-partition-committed-lag',
    title: "Kafka lag per partition by the group's committed offsets (at the last checkpoint)",
    unit: 'count',
    legend: 'topic_partition',
    scope: 'job',
    perPartition: true,
    query: (s) => byPartition(`max by (topic, partition) (${SLUICE_KAFKA_SERIES.consumerLag}{${s}})`),
  },
  {
    id: 'heap',
    title: 'JVM heap used, per process',
    unit: 'bytes',
    legend: 'process',
    scope: 'processes',
    query: jvm('Memory_Heap_Used'),
  },
  {
    id: 'gc',
    title: 'JVM garbage collection time per second, per process',
    unit: 'ms/s',
    legend: 'process',
    scope: 'processes',
    query: jvm('GarbageCollector_All_TimeMsPerSecond'),
  },
  {
    id: 'cpu',
    title: 'JVM CPU load, per process',
    unit: 'ratio',
    legend: 'process',
    scope: 'processes',
    query: jvm('CPU_Load'),
  },
];

/** The ids of the catalog's panels, in their order (those per partition included). */
export const JOB_PANEL_IDS = PANELS.map((p) => p.id);

/**
 * The job's panels with their queries over its series; those per Kafka partition only when asked
 * (a job reads many partitions: their lines are on demand); with `perSubtask`, the records,
 * backpressure and busy panels draw a line per subtask instead (same ids: the same charts, finer).
 */
export function jobPanels(
  scope: JobMetricsScope,
  opts: { perPartition?: boolean; perSubtask?: boolean } = {},
): JobPanel[] {
  const selectors = { job: jobSelector(scope), processes: processSelector(scope) };
  return PANELS.filter((p) => opts.perPartition || !p.perPartition).map(({ query, subtasks, ...p }) =>
    opts.perSubtask && subtasks
      ? {
          ...p,
          title: subtasks.title,
          legend: 'subtask',
          perSubtask: true,
          query: subtasks.query(selectors[p.scope]),
        }
      : { ...p, query: query(selectors[p.scope]) },
  );
}

/** The name of one line of a panel: its legend label's value, else the panel's title. */
export const lineName = (panel: Pick<JobPanel, 'legend' | 'title'>, labels: Record<string, string>) =>
  panel.legend === null ? panel.title : (labels[panel.legend] ?? panel.title);

import { byJobName, FLINK_SERIES, SLUICE_SCRAPE, type JobPanel } from './job-panels.ts';

/**
 * The platform's charts: Sluice's own series (its /metrics, scraped as job "sluice") and Flink's of
 * every job, each job's line named by Sluice's job name (joined on its current Flink job id through
 * `sluice_job_info`, as the alert rules are). The console's Platform page and the platform's Grafana
 * dashboard both take their queries from here.
 */

const sluice = (metric: string) => `${metric}{${SLUICE_SCRAPE}}`;
/** Prometheus's rate and increase windows: a few scrapes at the default 15 s interval. */
const WINDOW = '5m';
const p95Ms = (histogram: string, by: string) =>
  `1000 * histogram_quantile(0.95, sum by (${by}) (rate(${sluice(`${histogram}_bucket`)}[${WINDOW}])))`;
const perJob = (byJobId: string) => `sum by (exported_job) (${byJobName(byJobId)})`;

const PANELS: JobPanel[] = (
  [
    {
      id: 'jobs-by-state',
      title: 'Jobs by state',
      unit: 'count',
      legend: 'state',
      // Every state has a series, 0 when empty: only the states that hold jobs draw a line.
      query: `sum by (state) (${sluice('sluice_jobs')} > 0)`,
    },
    {
      id: 'submissions',
      title: `Submissions ended per ${WINDOW}, by outcome`,
      unit: 'count',
      legend: 'outcome',
      query: `sum by (outcome) (increase(${sluice('sluice_submissions_total')}[${WINDOW}]))`,
    },
    {
      id: 'api-latency',
      title: 'API answer time (95th percentile), per route',
      unit: 'ms',
      legend: 'route',
      query: p95Ms('sluice_http_request_duration_seconds', 'le, route'),
    },
    {
      id: 'tracker-rounds',
      title: `Tracker rounds per ${WINDOW}`,
      unit: 'count',
      legend: null,
      query: `sum(increase(${sluice('sluice_tracker_rounds_total')}[${WINDOW}]))`,
    },
    {
      id: 'tracker-round-duration',
      title: 'Tracker round time (95th percentile)',
      unit: 'ms',
      legend: null,
      query: p95Ms('sluice_tracker_round_duration_seconds', 'le'),
    },
    {
      id: 'records-in-by-job',
      title: 'Records in per second, per job',
      unit: 'records/s',
      legend: 'exported_job',
      query: perJob(`sum by (job_id) (${FLINK_SERIES.recordsIn})`),
    },
    {
      id: 'records-out-by-job',
      title: 'Records out per second, per job',
      unit: 'records/s',
      legend: 'exported_job',
      query: perJob(`sum by (job_id) (${FLINK_SERIES.recordsOut})`),
    },
    {
      id: 'backpressure-by-job',
      title: 'Back-pressured time per second, per job (its busiest subtask)',
      unit: 'ms/s',
      legend: 'exported_job',
      query: perJob(`max by (job_id) (${FLINK_SERIES.backPressured})`),
    },
    {
      id: 'checkpoint-failures-by-job',
      title: 'Failed checkpoints (since each run started), per job',
      unit: 'count',
      legend: 'exported_job',
      query: perJob(`max by (job_id) (${FLINK_SERIES.failedCheckpoints})`),
    },
    {
      id: 'restarts-by-job',
      title: 'Restarts (since each run started), per job',
      unit: 'count',
      legend: 'exported_job',
      query: perJob(`max by (job_id) (${FLINK_SERIES.restarts})`),
    },
  ] satisfies Omit<JobPanel, 'scope'>[]
).map((p) => ({ ...p, scope: 'platform' as const }));

/** The platform's panels with their queries. */
export const platformPanels = (): JobPanel[] => PANELS.map((p) => ({ ...p }));

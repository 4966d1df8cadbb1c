import { describe, expect, it } from 'vitest';
import type { LifecycleState } from '../../domain/jobs/lifecycle.ts';
import { SluiceMetrics } from './sluice-metrics.ts';

type JobRow = {
  name: string;
  target: string;
  space: string;
  state: LifecycleState;
  flinkJobId: string | null;
  desiredState: 'running' | 'stopped';
};
const ID = 'a'.repeat(32);

/** The exposition's lines for one metric name (its samples, not HELP/TYPE). */
const samples = (text: string, name: string) =>
  text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe('Sluice metrics', () => {
  it('reads jobs at each scrape: one sluice_job_state series per job, every state counted', async () => {
    let jobs: JobRow[] = [
      {
        name: 'orders',
        target: 'local-1.20',
        space: 'default',
        state: 'RUNNING',
        flinkJobId: ID,
        desiredState: 'running',
      },
      {
        name: 'clicks',
        target: 'k8s',
        space: 'shop',
        state: 'RUNNING',
        flinkJobId: ID,
        desiredState: 'running',
      },
      {
        name: 'refunds',
        target: 'local-1.20',
        space: 'default',
        state: 'FAILED',
        flinkJobId: ID,
        desiredState: 'running',
      },
    ];
    const metrics = new SluiceMetrics(async () => jobs);
    let text = await metrics.exposition();
    expect(samples(text, 'sluice_job_state').sort()).toEqual([
      'sluice_job_state{job="clicks",space="shop",target="k8s",state="RUNNING"} 1',
      'sluice_job_state{job="orders",space="default",target="local-1.20",state="RUNNING"} 1',
      'sluice_job_state{job="refunds",space="default",target="local-1.20",state="FAILED"} 1',
    ]);
    expect(samples(text, 'sluice_jobs')).toContain('sluice_jobs{state="RUNNING"} 2');
    expect(samples(text, 'sluice_jobs')).toContain('sluice_jobs{state="FAILED"} 1');
    expect(samples(text, 'sluice_jobs')).toContain('sluice_jobs{state="CREATED"} 0');
    expect(samples(text, 'sluice_jobs')).toHaveLength(13);

    // A job that moved keeps one series, under its new state; a deleted job has none.
    jobs = [
      {
        name: 'orders',
        target: 'local-1.20',
        space: 'default',
        state: 'STOPPED',
        flinkJobId: null,
        desiredState: 'stopped',
      },
    ];
    text = await metrics.exposition();
    expect(samples(text, 'sluice_job_state')).toEqual([
      'sluice_job_state{job="orders",space="default",target="local-1.20",state="STOPPED"} 1',
    ]);
    expect(samples(text, 'sluice_jobs')).toContain('sluice_jobs{state="RUNNING"} 0');
    // The Flink job id alert rules join Flink's series on, and what the job is asked to be.
    expect(samples(text, 'sluice_job_info')).toEqual([
      'sluice_job_info{job="orders",space="default",target="local-1.20",flink_job_id="",desired_state="stopped"} 1',
    ]);
  });

  it("serves each job's Pending pods where a pod watch counts them, no series where none does", async () => {
    const OTHER = 'b'.repeat(32);
    const jobs: JobRow[] = [
      {
        name: 'orders',
        target: 'k8s',
        space: 'default',
        state: 'RUNNING',
        flinkJobId: ID,
        desiredState: 'running',
      },
      {
        name: 'clicks',
        target: 'k8s',
        space: 'shop',
        state: 'RUNNING',
        flinkJobId: OTHER,
        desiredState: 'running',
      },
      {
        name: 'refunds',
        target: 'local-1.20',
        space: 'default',
        state: 'RUNNING',
        flinkJobId: ID,
        desiredState: 'running',
      },
      {
        name: 'idle',
        target: 'k8s',
        space: 'default',
        state: 'STOPPED',
        flinkJobId: null,
        desiredState: 'stopped',
      },
    ];
    const asked: string[] = [];
    const metrics = new SluiceMetrics(
      async () => jobs,
      (target, id) => {
        asked.push(`${target}/${id}`);
        if (target !== 'k8s') return null;
        return id === ID ? 2 : 0;
      },
    );
    expect(samples(await metrics.exposition(), 'sluice_job_pods_pending').sort()).toEqual([
      'sluice_job_pods_pending{job="clicks",space="shop",target="k8s"} 0',
      'sluice_job_pods_pending{job="orders",space="default",target="k8s"} 2',
    ]);
    // A job with no run is not asked about.
    expect(asked.sort()).toEqual([`k8s/${ID}`, `k8s/${OTHER}`, `local-1.20/${ID}`]);
  });

  it("serves the last sample of the running jobs' Kafka partitions, the group's lag where it is known", async () => {
    let sampled = [
      {
        job: 'views',
        space: 'web',
        flinkJobId: ID,
        connection: 'local',
        topic: 'page-views',
        partition: 0,
        end: 120,
        group: 'g',
        lag: 20,
      },
      // A JAR job's group is not known: its end only.
      {
        job: 'jar',
        space: 'default',
        flinkJobId: ID,
        connection: 'local',
        topic: 'page.views',
        partition: 1,
        end: 7,
        group: null,
        lag: null,
      },
    ];
    const metrics = new SluiceMetrics(
      async () => [],
      () => null,
      () => sampled,
    );
    const text = await metrics.exposition();
    expect(samples(text, 'sluice_kafka_partition_end_offset')).toEqual([
      `sluice_kafka_partition_end_offset{job="views",space="web",job_id="${ID}",connection="local",topic="page-views",flink_topic="page_views",partition="0"} 120`,
      `sluice_kafka_partition_end_offset{job="jar",space="default",job_id="${ID}",connection="local",topic="page.views",flink_topic="page_views",partition="1"} 7`,
    ]);
    expect(samples(text, 'sluice_kafka_consumer_lag')).toEqual([
      `sluice_kafka_consumer_lag{job="views",space="web",job_id="${ID}",connection="local",topic="page-views",flink_topic="page_views",partition="0",group="g"} 20`,
    ]);
    // A job no longer sampled (stopped) leaves no series behind.
    sampled = [];
    expect(samples(await metrics.exposition(), 'sluice_kafka_partition_end_offset')).toEqual([]);
  });

  it('counts a submission once, when it ended, by kind and outcome', async () => {
    const metrics = new SluiceMetrics(async () => []);
    metrics.observeSubmission({ id: 's1', kind: 'start', status: 'running' });
    metrics.observeSubmission({ id: 's1', kind: 'start', status: 'succeeded' });
    metrics.observeSubmission({ id: 's1', kind: 'start', status: 'succeeded' }); // saved again
    metrics.observeSubmission({ id: 's2', kind: 'start', status: 'rolled_back' });
    metrics.observeSubmission({ id: 's3', kind: 'stop', status: 'failed' });
    const text = await metrics.exposition();
    expect(samples(text, 'sluice_submissions_total').sort()).toEqual([
      'sluice_submissions_total{kind="start",outcome="rolled_back"} 1',
      'sluice_submissions_total{kind="start",outcome="succeeded"} 1',
      'sluice_submissions_total{kind="stop",outcome="failed"} 1',
    ]);
  });

  it('counts tracker rounds with their time, and API answers by route and status', async () => {
    const metrics = new SluiceMetrics(async () => []);
    metrics.observeTrackerRound(0.02);
    metrics.observeTrackerRound(0.3);
    metrics.observeHttp('GET', '/api/v1/jobs/:name', 404, 0.004);
    const text = await metrics.exposition();
    expect(samples(text, 'sluice_tracker_rounds_total')).toEqual(['sluice_tracker_rounds_total 2']);
    expect(samples(text, 'sluice_tracker_round_duration_seconds_count')).toEqual([
      'sluice_tracker_round_duration_seconds_count 2',
    ]);
    expect(samples(text, 'sluice_tracker_round_duration_seconds_bucket')).toContain(
      'sluice_tracker_round_duration_seconds_bucket{le="0.05"} 1',
    );
    expect(samples(text, 'sluice_http_request_duration_seconds_count')).toEqual([
      'sluice_http_request_duration_seconds_count{method="GET",route="/api/v1/jobs/:name",status_code="404"} 1',
    ]);
  });

  it('keeps each platform in its own registry', async () => {
    const a = new SluiceMetrics(async () => []);
    const b = new SluiceMetrics(async () => []);
    a.observeTrackerRound(0.1);
    expect(samples(await b.exposition(), 'sluice_tracker_rounds_total')).toEqual([
      'sluice_tracker_rounds_total 0',
    ]);
  });
});

import type { Job } from '../domain/jobs/job.ts';
import { nextStateForObservation } from '../domain/jobs/lifecycle.ts';
import { message } from '../domain/messages.ts';
import {
  TargetUnreachable,
  type DeploymentTarget,
  type ObservedJob,
} from '../domain/targets/deployment-target.ts';
import type { MetadataStore } from './ports/store.ts';
import type { JobStates } from './job-states.ts';

export interface TrackerTargets {
  target(clusterName: string): Promise<DeploymentTarget>;
}

/**
 * Watches every deployed job. One request per cluster per interval (`/jobs/overview`), whatever the
 * number of jobs; exceptions are read only when a job turns FAILED. A cluster that does not answer
 * makes its jobs UNKNOWN with the last state kept, never FAILED: tracking never gives up.
 */
export class Tracker {
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    private readonly store: MetadataStore,
    private readonly states: JobStates,
    private readonly targets: TrackerTargets,
    private readonly hooks: {
      /** Flink gave up on the job (the resubmit policy listens). */
      onFailed?: (job: Job) => void;
      /** The Flink job ended without the platform asking: its retained checkpoint is worth recording. */
      onEnded?: (job: Job) => Promise<void>;
    } = {},
  ) {}

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round over every tracked job; overlapping rounds are skipped, not queued. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const byCluster = new Map<string, Job[]>();
      for (const job of await this.store.jobs.tracked()) {
        if (job.operation) continue; // a submission in flight drives its own job
        byCluster.set(job.clusterName, [...(byCluster.get(job.clusterName) ?? []), job]);
      }
      await Promise.all([...byCluster].map(([cluster, jobs]) => this.observeCluster(cluster, jobs)));
    } finally {
      this.ticking = false;
    }
  }

  private async observeCluster(clusterName: string, jobs: Job[]): Promise<void> {
    let target: DeploymentTarget;
    let observed: Map<string, ObservedJob>;
    try {
      target = await this.targets.target(clusterName);
      observed = await target.observer.observe();
    } catch (e) {
      const detail = e instanceof TargetUnreachable ? e.detail : (e as Error).message;
      for (const job of jobs)
        if (job.state !== 'UNKNOWN')
          await this.states.move(
            job,
            'UNKNOWN',
            message('tracker.clusterSilent', { cluster: clusterName, detail, state: job.state }),
            'platform',
          );
      return;
    }
    for (const job of jobs) {
      const seen = observed.get(job.flinkJobId!);
      // Most rounds change nothing: only a job about to move is read again before it moves.
      if (seen && !nextStateForObservation(job.state, seen.state, null, seen.allTasksRunning)) continue;
      const fresh = await this.store.jobs.getById(job.id);
      if (!fresh || fresh.operation || fresh.flinkJobId !== job.flinkJobId) continue; // changed meanwhile
      if (!seen) {
        await this.states.move(
          fresh,
          'FAILED',
          message('tracker.jobGone', { flinkJobId: job.flinkJobId!, cluster: clusterName }),
          'platform',
        );
        continue;
      }
      const next = nextStateForObservation(fresh.state, seen.state, null, seen.allTasksRunning);
      if (!next) continue;
      const flinkState = seen.state;
      let reason =
        flinkState === 'RUNNING'
          ? message('tracker.reportsTasks', { flinkState, tasks: seen.tasks })
          : message('tracker.reports', { flinkState });
      if (next === 'FAILED' || next === 'NOT_RUNNING') {
        const cause = await target.observer.failureCause(job.flinkJobId!);
        if (cause) reason = message('tracker.reportsCause', { flinkState, cause: cause.rootCause });
      }
      // No operation is in flight (those jobs are skipped): a cancel seen here was made behind Sluice's back.
      if (next === 'CANCELLED' || next === 'CANCELLING')
        reason = message('tracker.cancelledBehind', { flinkState });
      if (fresh.state === 'UNKNOWN')
        reason = message('tracker.answersAgain', { reason, cluster: clusterName });
      if (next === 'FAILED' || next === 'CANCELLED') await this.hooks.onEnded?.(fresh).catch(() => undefined);
      const moved = await this.states.move(fresh, next, reason, 'flink');
      if (next === 'FAILED') this.hooks.onFailed?.(moved);
    }
  }
}

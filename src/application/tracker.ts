import type { Job } from '../domain/jobs/job.ts';
import { nextStateForObservation } from '../domain/jobs/lifecycle.ts';
import { message } from '../domain/messages.ts';
import {
  TargetUnreachable,
  type DeploymentTarget,
  type ObservedJob,
  type Observer,
} from '../domain/targets/deployment-target.ts';
import type { MetadataStore } from './ports/store.ts';
import type { JobStates } from './job-states.ts';

export interface TrackerTargets {
  target(target: string): Promise<DeploymentTarget>;
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
        if (job.submissionInFlight) continue; // a submission in flight drives its own job
        byCluster.set(job.target, [...(byCluster.get(job.target) ?? []), job]);
      }
      await Promise.all(
        [...byCluster].map(async ([cluster, jobs]) => {
          const target = await this.targets.target(cluster).catch(() => null);
          // A job in a cluster of its own is observed in that cluster: one request per cluster.
          if (target?.applications) {
            const apps = target.applications;
            await Promise.all(
              jobs.map((job) =>
                this.observeCluster(cluster, [job], target, apps.observerOf(job.flinkJobId!)),
              ),
            );
          } else await this.observeCluster(cluster, jobs, target);
        }),
      );
    } finally {
      this.ticking = false;
    }
  }

  /** A job that ended no longer needs a cluster of its own: it goes (its files stay for the logs). */
  private async release(target: DeploymentTarget, flinkJobId: string): Promise<void> {
    await target.applications?.release(flinkJobId, () => {}).catch(() => undefined);
  }

  private async observeCluster(
    targetName: string,
    jobs: Job[],
    known: DeploymentTarget | null,
    own: Observer | null = null,
  ): Promise<void> {
    let target: DeploymentTarget;
    let observer: Observer;
    let observed: Map<string, ObservedJob>;
    try {
      target = known ?? (await this.targets.target(targetName));
      observer = own ?? target.observer;
      observed = await observer.observe();
    } catch (e) {
      const detail = e instanceof TargetUnreachable ? e.detail : (e as Error).message;
      for (const job of jobs)
        if (job.state !== 'UNKNOWN')
          await this.states.move(
            job,
            'UNKNOWN',
            message('tracker.clusterSilent', { cluster: targetName, detail, state: job.state }),
            'platform',
          );
      return;
    }
    for (const job of jobs) {
      const seen = observed.get(job.flinkJobId!);
      // Most rounds change nothing: only a job about to move is read again before it moves.
      if (seen && !nextStateForObservation(job.state, seen.state, null, seen.allTasksRunning)) continue;
      const fresh = await this.store.jobs.getById(job.id);
      if (!fresh || fresh.submissionInFlight || fresh.flinkJobId !== job.flinkJobId) continue; // changed meanwhile
      if (!seen) {
        // A job's own cluster whose JobManager died is said with what its log says.
        const facts = await target.applications?.facts(job.flinkJobId!).catch(() => null);
        await this.release(target, job.flinkJobId!);
        await this.states.move(
          fresh,
          'FAILED',
          facts?.failing && !facts.failing.restartable
            ? message('tracker.jobManagerExited', {
                flinkJobId: job.flinkJobId!,
                cluster: targetName,
                log: facts.failing.log,
              })
            : message('tracker.jobGone', { flinkJobId: job.flinkJobId!, cluster: targetName }),
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
        const cause = await observer.failureCause(job.flinkJobId!);
        if (cause) reason = message('tracker.reportsCause', { flinkState, cause: cause.rootCause });
      }
      // No submission is in flight (those jobs are skipped): a cancel seen here was made behind Sluice's back.
      if (next === 'CANCELLED' || next === 'CANCELLING')
        reason = message('tracker.cancelledBehind', { flinkState });
      if (fresh.state === 'UNKNOWN')
        reason = message('tracker.answersAgain', { reason, cluster: targetName });
      if (next === 'FAILED' || next === 'CANCELLED') await this.hooks.onEnded?.(fresh).catch(() => undefined);
      // A job's own cluster is gone before its job is said to have ended.
      if (next === 'FAILED' || next === 'CANCELLED' || next === 'FINISHED')
        await this.release(target, job.flinkJobId!);
      const moved = await this.states.move(fresh, next, reason, 'flink');
      if (next === 'FAILED') this.hooks.onFailed?.(moved);
    }
  }
}

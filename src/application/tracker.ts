import type { Job } from '../domain/jobs/job.ts';
import {
  keepsMilestoneWhileStarting,
  nextStateForObservation,
  podTroubleRestatesReason,
} from '../domain/jobs/lifecycle.ts';
import { message, renderMessage, type Message } from '../domain/messages.ts';
import {
  ClusterStarting,
  TargetUnreachable,
  type ApplicationClusters,
  type DeploymentTarget,
  type PodTrouble,
  type ObservedJob,
  type Observer,
} from '../domain/targets/deployment-target.ts';
import type { MetadataStore } from './ports/store.ts';
import type { JobStates } from './job-states.ts';

/** A pod change is looked at this long after it came (its burst of updates is one look). */
const WAKE_DELAY_MS = 200;

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
  /** Targets whose pod watch already pushes changes here. */
  private readonly subscribed = new WeakSet<ApplicationClusters>();
  /** Jobs being looked at now (a round and a pushed change do not look at one job together). */
  private readonly observing = new Set<string>();
  private readonly woken = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: MetadataStore,
    private readonly states: JobStates,
    private readonly targets: TrackerTargets,
    private readonly hooks: {
      /** Flink gave up on the job (the resubmit policy listens). */
      onFailed?: (job: Job) => void;
      /** The Flink job ended without the platform asking: its retained checkpoint is worth recording. */
      onEnded?: (job: Job) => Promise<void>;
      /** A round ended, after this many seconds (the metrics count rounds and their time). */
      onRound?: (seconds: number) => void;
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
    const began = performance.now();
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
            this.subscribe(cluster, apps);
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
      this.hooks.onRound?.((performance.now() - began) / 1000);
    }
  }

  /** A target that watches its pods wakes the tracker for the one job whose pod changed. */
  private subscribe(cluster: string, apps: ApplicationClusters): void {
    if (!apps.onPodChange || this.subscribed.has(apps)) return;
    this.subscribed.add(apps);
    apps.onPodChange((flinkJobId) => {
      // A pod change comes in bursts (status, conditions, container states): looked at once, just after.
      if (this.woken.has(flinkJobId)) return;
      const t = setTimeout(() => {
        this.woken.delete(flinkJobId);
        void this.wake(cluster, flinkJobId).catch(() => undefined);
      }, WAKE_DELAY_MS);
      t.unref();
      this.woken.set(flinkJobId, t);
    });
  }

  private async wake(cluster: string, flinkJobId: string): Promise<void> {
    if (!this.timer) return; // not tracking (stopped, or tests driving tick() by hand)
    const job = (await this.store.jobs.tracked()).find(
      (j) => j.flinkJobId === flinkJobId && j.target === cluster && !j.submissionInFlight,
    );
    const target = job ? await this.targets.target(cluster) : null;
    if (!job || !target?.applications) return;
    await this.observeCluster(cluster, [job], target, target.applications.observerOf(flinkJobId));
  }

  /**
   * A job that ended no longer needs a cluster of its own: it goes (its files stay for the logs). On
   * a session cluster whose logs go with its pods, they are kept for the run.
   */
  private async release(target: DeploymentTarget, flinkJobId: string, jobName: string): Promise<void> {
    if (!target.applications)
      return target.logs?.keep?.(jobName, flinkJobId, () => {}).catch(() => undefined);
    await target.applications.release(flinkJobId, () => {}).catch(() => undefined);
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
        if (
          job.state !== 'UNKNOWN' &&
          !(e instanceof ClusterStarting && keepsMilestoneWhileStarting(job.state))
        )
          await this.states.move(
            job,
            'UNKNOWN',
            message('tracker.clusterSilent', { cluster: targetName, detail, state: job.state }),
            'platform',
          );
      return;
    }
    for (const job of jobs) {
      if (this.observing.has(job.id)) continue;
      this.observing.add(job.id);
      try {
        await this.observeJob(targetName, job, target, observer, observed.get(job.flinkJobId!));
      } finally {
        this.observing.delete(job.id);
      }
    }
  }

  private async observeJob(
    targetName: string,
    job: Job,
    target: DeploymentTarget,
    observer: Observer,
    seen: ObservedJob | undefined,
  ): Promise<void> {
    // Kubernetes: a pod of the job's cluster that cannot run, from the target's watch (no request).
    const trouble = seen
      ? ((await target.applications?.podTrouble?.(job.flinkJobId!).catch(() => null)) ?? null)
      : null;
    const troubleReason = trouble && seen ? podFailing(trouble, job.flinkJobId!, targetName, seen) : null;
    const restate =
      !!troubleReason &&
      podTroubleRestatesReason(job.state, true) &&
      job.stateReason !== renderMessage(troubleReason);
    // Most rounds change nothing: only a job about to move is read again before it moves.
    if (
      seen &&
      !restate &&
      !nextStateForObservation(job.state, seen.state, null, seen.allTasksRunning, !!trouble)
    )
      return;
    const fresh = await this.store.jobs.getById(job.id);
    if (!fresh || fresh.submissionInFlight || fresh.flinkJobId !== job.flinkJobId) return; // changed meanwhile
    if (!seen) {
      // A job's own cluster whose JobManager died is said with what its log says.
      const facts = await target.applications?.facts(job.flinkJobId!).catch(() => null);
      await this.release(target, job.flinkJobId!, job.name);
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
      return;
    }
    const next = nextStateForObservation(fresh.state, seen.state, null, seen.allTasksRunning, !!trouble);
    if (!next) {
      // Still NOT_RUNNING: the pod that cannot come back says why.
      if (troubleReason && podTroubleRestatesReason(fresh.state, true))
        await this.states.move(fresh, fresh.state, troubleReason, 'platform', {
          patch: { stateReason: renderMessage(troubleReason), stateReasonMessage: troubleReason },
        });
      return;
    }
    const flinkState = seen.state;
    let reason =
      flinkState === 'RUNNING'
        ? message('tracker.reportsTasks', { flinkState, tasks: seen.tasks })
        : message('tracker.reports', { flinkState });
    if (next === 'NOT_RUNNING' && troubleReason) reason = troubleReason;
    else if (next === 'FAILED' || next === 'NOT_RUNNING') {
      const cause = await observer.failureCause(job.flinkJobId!);
      if (cause) reason = message('tracker.reportsCause', { flinkState, cause: cause.rootCause });
    }
    // No submission is in flight (those jobs are skipped): a cancel seen here was made behind Sluice's back.
    if (next === 'CANCELLED' || next === 'CANCELLING')
      reason = message('tracker.cancelledBehind', { flinkState });
    if (fresh.state === 'UNKNOWN') reason = message('tracker.answersAgain', { reason, cluster: targetName });
    if (next === 'FAILED' || next === 'CANCELLED') await this.hooks.onEnded?.(fresh).catch(() => undefined);
    // A job's own cluster is gone before its job is said to have ended.
    if (next === 'FAILED' || next === 'CANCELLED' || next === 'FINISHED')
      await this.release(target, job.flinkJobId!, job.name);
    const moved = await this.states.move(fresh, next, reason, 'flink');
    if (next === 'FAILED') this.hooks.onFailed?.(moved);
  }
}

function podFailing(trouble: PodTrouble, flinkJobId: string, cluster: string, seen: ObservedJob): Message {
  return message('tracker.podFailing', { ...trouble, flinkJobId, cluster, flinkState: seen.state });
}

import { SluiceError } from '../domain/errors.ts';
import { message, renderMessage, type Message } from '../domain/messages.ts';
import {
  maskExceptionHistory,
  rootCauseFirst,
  type FlinkFailure,
  type RootCause,
} from '../domain/logs/exception-history.ts';
import { TargetUnreachable } from '../domain/targets/deployment-target.ts';
import type { Submission } from '../domain/jobs/submission.ts';
import type { MetadataStore } from './ports/store.ts';
import { maskKnownSecrets } from './secret-masking.ts';
import type { TargetService } from './target-service.ts';

/** A job's exceptions as Flink recorded them for one run, root cause first; secrets masked. */
export interface JobExceptionsView {
  job: string;
  target: string;
  /** The run (Flink job id) whose exceptions these are; null before the job ever ran. */
  run: string | null;
  /**
   * flink: read from the run's cluster now; recorded: the cluster no longer knows the run and this is
   * the root cause Sluice recorded when it failed; none: neither is there.
   */
  source: 'flink' | 'recorded' | 'none';
  /** Why there is no exception history from Flink (the run's cluster is gone, it never ran). */
  note: string | null;
  noteMessage: Message | null;
  rootCause: RootCause | null;
  /** Flink's failures of the run, newest first, each with its concurrent exceptions. */
  failures: FlinkFailure[];
  truncated: boolean;
}

/**
 * Flink's exception history of a job's run (GET /jobs/:jobid/exceptions), asked through the observer
 * of the job's deployment target, so that it goes where the tracker goes: the session cluster, the
 * job's own application cluster, or the JobManager behind the Kubernetes API server's proxy.
 */
export class JobExceptionsService {
  constructor(
    private readonly store: MetadataStore,
    private readonly targets: TargetService,
  ) {}

  async exceptions(jobName: string, asked?: string): Promise<JobExceptionsView> {
    const job = await this.store.jobs.getByName(jobName);
    if (!job) throw new SluiceError('not_found', message('job.notFound', { job: jobName }), { job: jobName });
    const submissions = await this.store.lifecycle.submissions(job.id);
    const runs = new Set([job.flinkJobId, ...submissions.map((s) => s.flinkJobId)].filter((r) => r !== null));
    // Only the job's own runs: on a shared session cluster another job's history is not this job's.
    if (asked && !runs.has(asked))
      throw new SluiceError('not_found', message('exceptions.noRun', { job: job.name, run: asked }), {
        run: asked,
      });
    const run =
      asked ?? job.flinkJobId ?? [...submissions].reverse().find((s) => s.flinkJobId)?.flinkJobId ?? null;
    const base = { job: job.name, target: job.target, run, truncated: false };
    if (!run)
      return { ...base, ...noted(message('exceptions.notRunYet', { job: job.name })), source: 'none' };
    const target = await this.targets.target(job.target);
    const history = await askCluster(target.name, run, () => target.observer.exceptions(run));
    if (history !== 'absent') {
      const masked = maskExceptionHistory(history, maskKnownSecrets);
      return {
        ...base,
        source: 'flink',
        note: null,
        noteMessage: null,
        rootCause: rootCauseFirst(masked),
        failures: masked.failures,
        truncated: masked.truncated,
      };
    }
    // The cluster is gone with the history: what Sluice recorded of the run's failure, newest first.
    const recorded = await this.recorded(job.id, submissions, run);
    if (!recorded) return { ...base, ...noted(message('exceptions.clusterGone', { run })), source: 'none' };
    return {
      ...base,
      ...noted(message('exceptions.recorded', { run })),
      source: 'recorded',
      rootCause: {
        text: maskKnownSecrets(recorded.text),
        exception: null,
        reported: recorded.reported === null ? null : maskKnownSecrets(recorded.reported),
        at: recorded.at,
        task: null,
        location: null,
      },
    };
  }

  /**
   * The run's failure as Sluice recorded it: the tracker's FAILED event (Flink's cause, read when the
   * job failed), else the failed submission's root cause.
   */
  private async recorded(
    jobId: string,
    submissions: Submission[],
    run: string,
  ): Promise<{ text: string; reported: string | null; at: string | null } | null> {
    const ofRun = submissions.filter((s) => s.flinkJobId === run);
    const first = ofRun[0];
    if (!first) return null;
    // The tracker's events carry no submission: the run's are those after its first submission and
    // before the next submission of another run.
    const next = submissions.find((s) => s.number > first.number && s.flinkJobId !== run);
    const failed = (await this.store.lifecycle.events(jobId))
      .filter((e) => e.to === 'FAILED' && e.at >= first.createdAt && (!next || e.at < next.createdAt))
      .at(-1);
    if (failed) {
      const cause = failed.reasonMessage?.params.cause;
      return {
        text: typeof cause === 'string' ? cause : failed.reason,
        reported: failed.reason,
        at: failed.at,
      };
    }
    const s = [...ofRun].reverse().find((x) => x.rootCause);
    return s ? { text: s.rootCause!, reported: s.error, at: s.finishedAt } : null;
  }
}

/**
 * A question to the cluster of a job's run; a cluster that does not answer is the platform's state,
 * not the request's fault: 503 naming the run and the target.
 */
export async function askCluster<T>(target: string, run: string, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (e) {
    if (!(e instanceof TargetUnreachable)) throw e;
    throw new SluiceError(
      'engine_unavailable',
      message('exceptions.clusterSilent', { run, target, detail: e.detail }),
      { run },
    );
  }
}

function noted(m: Message): { note: string; noteMessage: Message; rootCause: null; failures: [] } {
  return { note: renderMessage(m), noteMessage: m, rootCause: null, failures: [] };
}

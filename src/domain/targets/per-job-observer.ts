import type { FlinkJobState } from '../jobs/job.ts';
import type { ExceptionHistory } from '../logs/exception-history.ts';
import type { FlinkJobGraphAnswers } from '../metrics/job-graph.ts';
import type { ClusterFacts, JobFailure, ObservedJob, Observer, RuntimeDetails } from './deployment-target.ts';

/**
 * The observer of a target whose jobs each run in a cluster of their own (application clusters, local
 * or on Kubernetes): every question about a job goes to that job's cluster, and the target as a whole
 * knows the jobs its live clusters know, each asked on its own so that one silent cluster hides no other.
 */
export abstract class PerJobClusterObserver implements Observer {
  /** The observer of the job's own cluster. */
  abstract observerOf(flinkJobId: string): Observer;
  /** The Flink job ids whose clusters run now. */
  protected abstract liveJobIds(): Iterable<string>;
  /** A target of per-job clusters has no cluster of its own: each says so in its words. */
  abstract cluster(): Promise<ClusterFacts>;

  async observe(): Promise<Map<string, ObservedJob>> {
    const all = new Map<string, ObservedJob>();
    await Promise.all(
      [...this.liveJobIds()].map(async (id) => {
        const seen = await this.observerOf(id)
          .observe()
          .catch(() => new Map<string, ObservedJob>());
        for (const [k, v] of seen) all.set(k, v);
      }),
    );
    return all;
  }

  jobState(flinkJobId: string): Promise<FlinkJobState | 'absent'> {
    return this.observerOf(flinkJobId).jobState(flinkJobId);
  }

  observeJob(flinkJobId: string): Promise<ObservedJob | 'absent'> {
    return this.observerOf(flinkJobId).observeJob(flinkJobId);
  }

  failureCause(flinkJobId: string): Promise<{ rootCause: string; trace: string } | null> {
    return this.observerOf(flinkJobId).failureCause(flinkJobId);
  }

  failures(flinkJobId: string): Promise<JobFailure[]> {
    return this.observerOf(flinkJobId).failures(flinkJobId);
  }

  exceptions(flinkJobId: string): Promise<ExceptionHistory | 'absent'> {
    return this.observerOf(flinkJobId).exceptions(flinkJobId);
  }

  jobGraph(flinkJobId: string): Promise<FlinkJobGraphAnswers | 'absent'> {
    return this.observerOf(flinkJobId).jobGraph(flinkJobId);
  }

  runtimeDetails(flinkJobId: string): Promise<RuntimeDetails> {
    return this.observerOf(flinkJobId).runtimeDetails(flinkJobId);
  }

  latestSavepoint(flinkJobId: string): Promise<string | null> {
    return this.observerOf(flinkJobId).latestSavepoint(flinkJobId);
  }

  latestCheckpoint(flinkJobId: string): Promise<string | null> {
    return this.observerOf(flinkJobId).latestCheckpoint(flinkJobId);
  }
}

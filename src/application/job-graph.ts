import { SluiceError } from '../domain/errors.ts';
import { isEnded } from '../domain/jobs/lifecycle.ts';
import { message } from '../domain/messages.ts';
import { jobGraphOf, type JobGraph } from '../domain/metrics/job-graph.ts';
import { askCluster } from './job-exceptions.ts';
import type { MetadataStore } from './ports/store.ts';
import { maskKnownSecrets } from './secret-masking.ts';
import type { TargetService } from './target-service.ts';

export interface JobGraphView extends JobGraph {
  job: string;
  target: string;
  /** The run (Flink job id) whose graph this is. */
  run: string;
  /** When the JobManager was asked. */
  at: string;
}

/**
 * A running job's graph as its cluster runs it, each vertex with its backpressure by Flink's thresholds,
 * asked through the observer of the job's deployment target (where the tracker goes: the session
 * cluster, the job's own application cluster, the JobManager behind the Kubernetes API server's proxy).
 */
export class JobGraphService {
  constructor(
    private readonly store: Pick<MetadataStore, 'jobs'>,
    private readonly targets: Pick<TargetService, 'target'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async graph(jobName: string): Promise<JobGraphView> {
    const job = await this.store.jobs.getByName(jobName);
    if (!job) throw new SluiceError('not_found', message('job.notFound', { job: jobName }), { job: jobName });
    const run = job.flinkJobId;
    if (!run || isEnded(job.state) || job.state === 'CREATED')
      throw new SluiceError('conflict', message('graph.notRunning', { job: job.name, state: job.state }), {
        job: job.name,
        state: job.state,
      });
    const target = await this.targets.target(job.target);
    const at = this.now().toISOString();
    const answers = await askCluster(target.name, run, () => target.observer.jobGraph(run));
    if (answers === 'absent')
      throw new SluiceError('conflict', message('graph.clusterGone', { run, target: target.name }), { run });
    const graph = jobGraphOf(answers);
    return {
      job: job.name,
      target: job.target,
      run,
      at,
      // Operator names carry what the SQL said; a secret written there is masked as everywhere else.
      vertices: graph.vertices.map((v) => ({ ...v, name: maskKnownSecrets(v.name) })),
      edges: graph.edges,
    };
  }
}

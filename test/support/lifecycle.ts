import type { SluiceConfig } from '../../src/application/config.ts';
import type { Submission } from '../../src/domain/jobs/submission.ts';
import { servedPlatform } from './cli.ts';
import type { TestPlatform } from './platform.ts';

/**
 * A served platform with its local cluster `local-1.20` started (unless `clusterStopped`) and tracking
 * on, for lifecycle tests. With `sharedLocalCluster`, `local-1.20` is the run's shared cluster (see
 * servedPlatform), for files that run jobs on it but never stop, restart or reconfigure it; its jobs
 * are cancelled at `close`.
 */
export interface LifecycleHarness {
  t: TestPlatform;
  url: string;
  /** The job service of the platform. */
  jobs(): TestPlatform['platform']['jobs'];
  /** Flink's REST client of the cluster. */
  rest(): Promise<Awaited<ReturnType<TestPlatform['platform']['targets']['cluster']>>['rest']>;
  /** The submission once it has ended, as stored. */
  settled(s: Submission): Promise<Submission>;
  /** One step's log lines as one text. */
  stepLog(s: Submission, step: string): string;
  /** Flink jobs of that name that have not ended. */
  liveFlinkJobs(name: string): Promise<{ jid: string; name: string; state: string }[]>;
  close(): Promise<void>;
}

export async function lifecycleHarness(
  config: Partial<SluiceConfig> = {},
  opts: {
    sharedLocalCluster?: boolean;
    /** Leaves `local-1.20` stopped: the file's first job start starts it (its "prepare cluster" step). */
    clusterStopped?: boolean;
  } = {},
): Promise<LifecycleHarness> {
  const { t, url, close } = await servedPlatform({
    config: { trackerIntervalMs: 500, ...config },
    sharedLocalCluster: opts.sharedLocalCluster,
  });
  if (!opts.clusterStopped) await t.platform.targets.start('local-1.20', () => {});
  await t.platform.boot();
  const rest = async () => (await t.platform.targets.cluster('local-1.20')).rest;
  return {
    t,
    url,
    jobs: () => t.platform.jobs,
    rest,
    settled: async (s) => {
      await t.platform.submissions.wait(s.id);
      return (await t.platform.store.lifecycle.submission(s.id))!;
    },
    stepLog: (s, step) => s.steps.find((x) => x.name === step)?.log.join('\n') ?? '',
    liveFlinkJobs: async (name) =>
      (await (await rest()).jobs()).filter(
        (j) => j.name === name && !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state),
      ),
    close,
  };
}

/**
 * How a submission ended, for an assertion's message: the step that failed, the error and its root
 * cause, then the last lines of that step's log, each cut short. A whole step as JSON (a JobManager's
 * log included) was one line too long for CI's output, which cut the part that said what failed.
 */
export function howItEnded(s: Submission, lines = 25): string {
  const step = s.steps.find((x) => x.name === s.failedStep) ?? s.steps.at(-1);
  const cut = (l: string, n = 400) => (l.length > n ? `${l.slice(0, n)}...` : l);
  return [
    `submission ${s.number} ${s.status}${step ? ` at step "${step.name}" (${step.status})` : ''}`,
    ...(s.error ? [`error: ${cut(s.error, 2000)}`] : []),
    ...(s.rootCause ? [`root cause: ${cut(s.rootCause)}`] : []),
    ...(step?.log.length
      ? [`last lines of its log:`, ...step.log.slice(-lines).map((l) => `  ${cut(l)}`)]
      : []),
  ].join('\n');
}

import {
  scrapeTargetGroups,
  type ScrapeTargetGroup,
  type SpacesOf,
} from '../domain/metrics/scrape-targets.ts';
import {
  podScrapeTargetGroups,
  type PodScrapeTargetGroup,
  type SluiceAddress,
} from '../domain/metrics/pod-scrape-targets.ts';
import type { SpaceStore } from './ports/spaces.ts';
import type { JobStore } from './ports/store.ts';
import type { PodMetricsService } from './pod-metrics-service.ts';
import type { TargetService } from './target-service.ts';

/**
 * What Prometheus's HTTP service discovery asks Sluice for: every running JobManager and TaskManager
 * of the clusters the platform runs, with the labels of its target and space and, for a job's own
 * cluster, of the job and the version deployed.
 */
export async function prometheusTargets(
  targets: Pick<TargetService, 'metricsEndpoints'>,
  jobs: Pick<JobStore, 'list'>,
  spaces: Pick<SpaceStore, 'spacesOf'>,
): Promise<ScrapeTargetGroup[]> {
  const [endpoints, known] = await Promise.all([targets.metricsEndpoints(), labelSources(jobs, spaces)]);
  return scrapeTargetGroups(endpoints, known.deployedVersion, known.spaces);
}

/**
 * The HTTP service discovery of the pods of Kubernetes targets: each pod a group addressed to Sluice
 * (`sluice`: as the Prometheus asking reached it) whose metrics path is Sluice's proxy of that pod,
 * with the same labels a local process of the same kind has.
 */
export async function prometheusPodTargets(
  pods: Pick<PodMetricsService, 'endpoints'>,
  jobs: Pick<JobStore, 'list'>,
  spaces: Pick<SpaceStore, 'spacesOf'>,
  sluice: SluiceAddress,
): Promise<PodScrapeTargetGroup[]> {
  const [endpoints, known] = await Promise.all([pods.endpoints(), labelSources(jobs, spaces)]);
  return podScrapeTargetGroups(endpoints, sluice, known.deployedVersion, known.spaces);
}

/** What the labels of a process take from the store: its job's deployed version, its job's or target's space. */
async function labelSources(
  jobs: Pick<JobStore, 'list'>,
  spaces: Pick<SpaceStore, 'spacesOf'>,
): Promise<{ deployedVersion: (jobName: string) => number | null; spaces: SpacesOf }> {
  const [all, jobSpaces, targetSpaces] = await Promise.all([
    jobs.list(),
    spaces.spacesOf('job'),
    spaces.spacesOf('target'),
  ]);
  const deployed = new Map(all.map((j) => [j.name, j.deployedVersion]));
  return {
    deployedVersion: (name) => deployed.get(name) ?? null,
    spaces: { job: (name) => jobSpaces.get(name), target: (name) => targetSpaces.get(name) },
  };
}

import {
  scrapeLabelsOf,
  type FlinkMetricsEndpoint,
  type FlinkProcessRole,
  type ScrapeLabels,
  type SpacesOf,
} from './scrape-targets.ts';

/**
 * The JobManager and TaskManager pods of Kubernetes targets, scraped by a Prometheus through Sluice:
 * the pod network is seldom reachable from where Sluice (and its Prometheus) runs, so each pod is a
 * target group whose address is Sluice itself and whose metrics path is Sluice's route that proxies
 * the pod's reporter through the Kubernetes API server (`/api/v1/namespaces/{ns}/pods/{pod}:{port}/proxy/metrics`).
 * Prometheus takes `__metrics_path__` and `__scheme__` from a group's labels without relabelling.
 */

/** What Sluice's Kubernetes adapters read of a pod of one of its clusters (its labels and annotations). */
export interface FlinkPod {
  name: string;
  namespace: string;
  /** The pod's phase: Pending, Running, Succeeded, Failed, Unknown. */
  phase: string;
  /** Its Ready condition is True (every container started and passed its readiness probe). */
  ready: boolean;
  /** Being deleted (a deletion timestamp). */
  terminating: boolean;
  /** `app.kubernetes.io/component`: jobmanager, taskmanager (config for none). */
  component: string | undefined;
  /** `sluice.dev/job` and `sluice.dev/flink-job-id`: on a job's own pods; a session's pods have neither. */
  job: string | undefined;
  flinkJobId: string | undefined;
  /** The reporter's port as its annotations say it (`prometheus.io/port`, when `prometheus.io/scrape` is "true"). */
  annotatedPort: string | undefined;
  /** The port of a container port named `metrics` (for a PodMonitor), when one is. */
  namedPort: number | null;
}

/** A pod whose Flink process answers Prometheus now: the process's labels, and where its reporter listens. */
export interface PodMetricsEndpoint extends Omit<FlinkMetricsEndpoint, 'address'> {
  namespace: string;
  /** The pod's name (also the process's, `process`). */
  pod: string;
  port: number;
}

const ROLES: readonly string[] = ['jobmanager', 'taskmanager'] satisfies FlinkProcessRole[];
const PORT = /^\d{1,5}$/;

/** The reporter's port of a pod: its annotation (the renderers write the job's own port there), else its named port. */
function reporterPortOf(pod: FlinkPod): number | null {
  const annotated = pod.annotatedPort?.trim();
  if (annotated && PORT.test(annotated) && Number(annotated) > 0 && Number(annotated) < 65536)
    return Number(annotated);
  return pod.namedPort;
}

/**
 * The pods of one target whose reporter can be scraped now: Running and Ready, not being deleted, a
 * JobManager or TaskManager, with a reporter port (pods of a cluster started before the reporter have
 * none and are left out rather than listed down). A job's own pods carry their job; a session's none.
 */
export function reportingPods(target: string, engineVersion: string, pods: FlinkPod[]): PodMetricsEndpoint[] {
  const out: PodMetricsEndpoint[] = [];
  for (const p of pods) {
    if (p.phase !== 'Running' || !p.ready || p.terminating) continue;
    if (!p.component || !ROLES.includes(p.component)) continue;
    const port = reporterPortOf(p);
    if (port === null) continue;
    out.push({
      target,
      engineVersion,
      role: p.component as FlinkProcessRole,
      process: p.name,
      namespace: p.namespace,
      pod: p.name,
      port,
      job: p.job && p.flinkJobId ? { name: p.job, flinkJobId: p.flinkJobId } : null,
    });
  }
  return out;
}

/** Sluice's route that answers with a pod's metrics (src/http/routes/prometheus.ts). */
export const podMetricsPath = (target: string, pod: string): string =>
  `/api/v1/prometheus/pods/${encodeURIComponent(target)}/${encodeURIComponent(pod)}/metrics`;

/** Sluice as the Prometheus asking reaches it: `host:port` and scheme. */
export interface SluiceAddress {
  address: string;
  scheme: 'http' | 'https';
}

/** A group of the pods' discovery: the process's labels, and Prometheus's own for where to scrape. */
export interface PodScrapeTargetGroup {
  targets: string[];
  labels: ScrapeLabels & {
    /** The pod's reporter, `namespace/pod:port`: one instance per pod, not Sluice's address for all. */
    instance: string;
    __metrics_path__: string;
    __scheme__: 'http' | 'https';
  };
}

/**
 * One group per pod, addressed to Sluice, with the same labels as a local process of the same kind
 * (target, engine version, role, process, space; a job's pods their job, version and Flink job id):
 * the charts and alert rules select Kubernetes jobs as they select local ones.
 */
export function podScrapeTargetGroups(
  endpoints: PodMetricsEndpoint[],
  sluice: SluiceAddress,
  deployedVersion: (jobName: string) => number | null,
  spaces: SpacesOf,
): PodScrapeTargetGroup[] {
  return [...endpoints]
    .sort((a, b) => a.target.localeCompare(b.target) || a.pod.localeCompare(b.pod))
    .map((e) => ({
      targets: [sluice.address],
      labels: {
        ...scrapeLabelsOf(e, deployedVersion, spaces),
        instance: `${e.namespace}/${e.pod}:${e.port}`,
        __metrics_path__: podMetricsPath(e.target, e.pod),
        __scheme__: sluice.scheme,
      },
    }));
}

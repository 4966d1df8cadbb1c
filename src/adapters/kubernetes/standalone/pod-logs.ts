import fs from 'node:fs';
import path from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type {
  JobLogs,
  LogBytes,
  LogRange,
  LogRun,
  LogRole,
  LogRunRef,
  LogSource,
} from '../../../domain/logs/job-logs.ts';
import type { KubeApi } from './kube-api.ts';
import type { PodWatch } from './pod-watch.ts';
import { retentionText, runsBeyondRetention, type LogRetention } from '../../../domain/logs/log-retention.ts';
import { LABELS } from './standalone-manifests.ts';

/**
 * The logs of a job's standalone cluster are its pods' logs, as the kubelet keeps them: one source per
 * pod (`--source <pod>`), named `jobmanager`, `taskmanager-1`, ... by role. Flink logs to the console
 * in these pods, so a pod's log holds both Flink's log and the process's stdout (a print sink's rows).
 * When a run's cluster is released, its pods' logs are kept by the archive (PodLogArchive) and read
 * from there afterwards (`--run <flinkJobId>`). The kubelet serves a log from its beginning or its last lines, not
 * from a byte offset: a read takes the whole log and cuts it.
 */
export class PodLogs implements JobLogs {
  readonly scope = 'job' as const;

  constructor(
    private readonly api: KubeApi,
    private readonly watch: PodWatch,
    /** The job's runs whose clusters this target knows, with when they were applied. */
    private readonly runsOf: (jobName: string) => { flinkJobId: string; appliedAt: number }[],
    private readonly archive: PodLogArchive | null = null,
  ) {}

  async runs(jobName: string): Promise<LogRun[]> {
    const live = this.runsOf(jobName)
      .sort((a, b) => b.appliedAt - a.appliedAt)
      .map((r) => ({ flinkJobId: r.flinkJobId, at: new Date(r.appliedAt).toISOString(), live: true }));
    const kept = (this.archive?.runs(jobName) ?? []).filter(
      (k) => !live.some((l) => l.flinkJobId === k.flinkJobId),
    );
    return [...live, ...kept];
  }

  /** The run asked for, or the newest; whether its pods still run (else its logs are the archive's). */
  private async runOf(ref: LogRunRef): Promise<{ id: string; live: boolean } | null> {
    const all = await this.runs(ref.jobName);
    const found = ref.flinkJobId ? all.find((r) => r.flinkJobId === ref.flinkJobId) : all[0];
    if (found) return { id: found.flinkJobId, live: found.live };
    return ref.flinkJobId ? { id: ref.flinkJobId, live: true } : null;
  }

  private async podsOf(ref: LogRunRef): Promise<PodLogEntry[]> {
    const id = ref.flinkJobId ?? (await this.runs(ref.jobName))[0]?.flinkJobId;
    if (!id) return [];
    return podLogEntries(await this.watch.pods(id));
  }

  async sources(ref: LogRunRef): Promise<LogSource[]> {
    const run = await this.runOf(ref);
    if (run && !run.live && this.archive) return this.archive.sources(ref.jobName, run.id);
    return liveSources(await this.podsOf(ref));
  }

  async read(ref: LogRunRef, sourceId: string, range: LogRange): Promise<LogBytes> {
    const run = await this.runOf(ref);
    if (run && !run.live && this.archive)
      return cut(this.archive.bytes(ref.jobName, run.id, sourceId), range, false);
    return readLivePodLog(this.api, await this.podsOf(ref), sourceId, range);
  }
}

/**
 * The logs of a Kubernetes session cluster (any of the three ways): its pods' logs, one source per
 * pod named by pod as a job's own cluster names its own, shared by every job on the session (scope
 * `cluster`). When a job's run on the session ends, the session's pod logs as they are then are kept
 * for that run by the same archive as a released application cluster's (`keep`), so that they are
 * still read (`--run <flinkJobId>`) once the session's pods are gone.
 */
export class SessionPodLogs implements JobLogs {
  readonly scope = 'cluster' as const;

  constructor(
    private readonly api: KubeApi,
    /** The label selector of the session's pods. */
    private readonly selector: string,
    readonly archive: PodLogArchive,
  ) {}

  async runs(jobName: string): Promise<LogRun[]> {
    return this.archive.runs(jobName);
  }

  private async entries(): Promise<PodLogEntry[]> {
    return podLogEntries(await this.api.pods(this.selector));
  }

  /** The session's pods now, or a kept run's logs when one is asked for. */
  async sources(ref: LogRunRef): Promise<LogSource[]> {
    if (ref.flinkJobId) return this.archive.sources(ref.jobName, ref.flinkJobId);
    return liveSources(await this.entries());
  }

  async read(ref: LogRunRef, sourceId: string, range: LogRange): Promise<LogBytes> {
    if (ref.flinkJobId) return cut(this.archive.bytes(ref.jobName, ref.flinkJobId, sourceId), range, false);
    return readLivePodLog(this.api, await this.entries(), sourceId, range);
  }

  /** Keeps the session's pod logs as they are now for a run of a job that ended on it; said in `log`. */
  async keep(jobName: string, flinkJobId: string, log: (line: string) => void): Promise<void> {
    try {
      const pods = await this.api.pods(this.selector);
      if (!pods.length) return;
      const kept = await this.archive.keep(this.api, jobName, flinkJobId, pods);
      log(
        `kept the session's pod logs (shared by every job on it) as they are at the end of Flink job ${flinkJobId}: ${keptSummary(kept, this.archive.retention)}`,
      );
    } catch (e) {
      log(`the session's pod logs are not kept for Flink job ${flinkJobId}: ${(e as Error).message}`);
    }
  }
}

/** What `PodLogArchive.keep` kept, in a line of a step's log. */
export function keptSummary(
  kept: { dir: string; pods: number; files: number; bytes: number; failed: string[]; pruned: number },
  retention: LogRetention,
): string {
  return `${kept.pods} pod(s), ${kept.files} file(s), ${kept.bytes} bytes in ${kept.dir}${kept.failed.length ? `; not read: ${kept.failed.join('; ')}` : ''}${kept.pruned ? `; ${kept.pruned} older run(s) of the job dropped (${retentionText(retention)})` : ''}`;
}

/**
 * One log of a pod: its Flink container's (Sluice's own pods name it after the role, Flink's native
 * and the operator's pods `flink-main-container`), or the SQL Gateway's beside a session's JobManager.
 */
export interface PodLogEntry {
  id: string;
  pod: V1Pod;
  container: string;
  process: string;
  role: LogRole;
}

const GATEWAY_CONTAINER = 'sql-gateway';

/**
 * The logs of a set of pods as sources named by pod: the JobManager's first (`jobmanager`), then the
 * TaskManagers' (`taskmanager-1`, ... by pod name), and a SQL Gateway container's as `<pod>.sql-gateway`.
 */
export function podLogEntries(pods: V1Pod[]): PodLogEntry[] {
  const role = (p: V1Pod) =>
    p.metadata?.labels?.[LABELS.component] === 'jobmanager'
      ? ('jobmanager' as const)
      : ('taskmanager' as const);
  const sorted = [...pods].sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
  const ordered = [
    ...sorted.filter((p) => role(p) === 'jobmanager'),
    ...sorted.filter((p) => role(p) !== 'jobmanager'),
  ];
  let tm = 0;
  return ordered.flatMap((pod) => {
    const name = pod.metadata!.name!;
    const r = role(pod);
    const containers = pod.spec?.containers ?? [];
    const flink =
      containers.find((c) => c.name === r || c.name === 'flink-main-container') ??
      containers.find((c) => c.name !== GATEWAY_CONTAINER);
    const main: PodLogEntry = {
      id: name,
      pod,
      container: flink?.name ?? r,
      process: r === 'jobmanager' ? 'jobmanager' : `taskmanager-${++tm}`,
      role: r,
    };
    const gateway = containers.some((c) => c.name === GATEWAY_CONTAINER)
      ? [
          {
            id: `${name}.${GATEWAY_CONTAINER}`,
            pod,
            container: GATEWAY_CONTAINER,
            process: 'sql-gateway',
            role: 'sql-gateway' as const,
          },
        ]
      : [];
    return [main, ...gateway];
  });
}

/** The sources of running pods: sizes unknown (the kubelet says none without reading the log). */
export function liveSources(entries: PodLogEntry[]): LogSource[] {
  return entries.map(({ id, pod, process, role }) => ({
    id,
    process,
    role,
    stream: 'log' as const,
    size: null,
    live: pod.status?.phase === 'Running',
  }));
}

/** A pod's log as the kubelet keeps it, cut to the range asked (nothing when no such source runs). */
export async function readLivePodLog(
  api: KubeApi,
  entries: PodLogEntry[],
  sourceId: string,
  range: LogRange,
): Promise<LogBytes> {
  const found = entries.find((e) => e.id === sourceId);
  if (!found) return { bytes: new Uint8Array(), from: 0, size: 0, live: false };
  let text: string;
  try {
    text = await api.core.readNamespacedPodLog({
      name: found.pod.metadata!.name!,
      namespace: api.namespace,
      container: found.container,
    });
  } catch (e) {
    throw api.refused(`read the log of pod ${found.pod.metadata!.name} (container ${found.container})`, e);
  }
  return cut(Buffer.from(text, 'utf8'), range, found.pod.status?.phase === 'Running');
}

/** The part of a whole log a range asks for. */
function cut(all: Buffer, range: LogRange, live: boolean): LogBytes {
  const size = all.length;
  const from = 'tailBytes' in range ? Math.max(0, size - range.tailBytes) : Math.min(range.fromOffset, size);
  const to =
    'fromOffset' in range && range.maxBytes !== undefined ? Math.min(size, from + range.maxBytes) : size;
  return { bytes: new Uint8Array(all.subarray(from, to)), from, size, live };
}

/** What is kept of one run: its pods' log files, with the process and role each belonged to. */
interface KeptRun {
  at: string;
  sources: { id: string; process: string; role: LogRole; pod: string }[];
}

const RUN_ID = /^[0-9a-f]{32}$/;
const SAFE = /^[a-z0-9][a-z0-9.-]*$/;

/**
 * The pod logs of a target's released runs, per job and run: `<home>/pod-logs/<target>/<job>/<flinkJobId>/`,
 * one file per pod (`<pod>.log`) and, after a restart, its previous container's (`<pod>.previous.log`),
 * with `run.json` naming each. The newest `retention.runs` runs of each job are kept, none kept longer
 * than `retention.maxAge`; others are deleted when a newer run is kept, at the platform's start and
 * hourly.
 */
export class PodLogArchive {
  readonly root: string;

  constructor(
    home: string,
    target: string,
    readonly retention: LogRetention,
  ) {
    this.root = path.join(home, 'pod-logs', target);
  }

  private dirOf(jobName: string, flinkJobId?: string): string {
    if (!SAFE.test(jobName)) throw new Error(`not a job name: ${jobName}`);
    if (flinkJobId !== undefined && !RUN_ID.test(flinkJobId)) throw new Error(`not a run: ${flinkJobId}`);
    return flinkJobId ? path.join(this.root, jobName, flinkJobId) : path.join(this.root, jobName);
  }

  private kept(jobName: string, flinkJobId: string): KeptRun | null {
    try {
      return JSON.parse(
        fs.readFileSync(path.join(this.dirOf(jobName, flinkJobId), 'run.json'), 'utf8'),
      ) as KeptRun;
    } catch {
      return null;
    }
  }

  /** Reads and writes every pod's log (and previous container's), then drops the oldest runs beyond the limit. */
  async keep(
    api: KubeApi,
    jobName: string,
    flinkJobId: string,
    pods: V1Pod[],
  ): Promise<{ dir: string; pods: number; files: number; bytes: number; failed: string[]; pruned: number }> {
    const dir = this.dirOf(jobName, flinkJobId);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const entries = podLogEntries(pods);
    const run: KeptRun = { at: new Date().toISOString(), sources: [] };
    const failed: string[] = [];
    let bytes = 0;
    for (const e of entries) {
      const name = e.pod.metadata!.name!;
      const restarted =
        (e.pod.status?.containerStatuses?.find((c) => c.name === e.container)?.restartCount ?? 0) > 0;
      for (const previous of restarted ? [false, true] : [false]) {
        const id = previous ? `${e.id}.previous` : e.id;
        try {
          const text = await api.core.readNamespacedPodLog({
            name,
            namespace: api.namespace,
            container: e.container,
            ...(previous ? { previous: true } : {}),
          });
          fs.writeFileSync(path.join(dir, `${id}.log`), text, { mode: 0o600 });
          bytes += Buffer.byteLength(text);
          run.sources.push({ id, process: e.process, role: e.role, pod: name });
        } catch (err) {
          failed.push(`${id}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(run, null, 2));
    return {
      dir,
      pods: pods.length,
      files: run.sources.length,
      bytes,
      failed,
      pruned: this.prune(jobName),
    };
  }

  /** Deletes the job's kept runs beyond the retention (every run here has ended: kept when it was). */
  prune(jobName: string): number {
    const old = runsBeyondRetention(
      this.runs(jobName).map((r) => ({ id: r.flinkJobId, at: Date.parse(r.at), live: false })),
      this.retention,
      Date.now(),
    );
    for (const id of old) fs.rmSync(this.dirOf(jobName, id), { recursive: true, force: true });
    return old.length;
  }

  /** Applies retention to every job's kept runs (at start: the setting may have been lowered). */
  pruneAll(): { job: string; pruned: number }[] {
    let jobs: string[];
    try {
      jobs = fs.readdirSync(this.root).filter((d) => SAFE.test(d));
    } catch {
      return [];
    }
    return jobs.map((job) => ({ job, pruned: this.prune(job) })).filter((j) => j.pruned > 0);
  }

  /** The kept runs of a job, newest first. */
  runs(jobName: string): LogRun[] {
    let dirs: string[];
    try {
      dirs = fs.readdirSync(this.dirOf(jobName)).filter((d) => RUN_ID.test(d));
    } catch {
      return [];
    }
    return dirs
      .flatMap((d) => {
        const k = this.kept(jobName, d);
        return k ? [{ flinkJobId: d, at: k.at, live: false }] : [];
      })
      .sort((a, b) => b.at.localeCompare(a.at));
  }

  sources(jobName: string, flinkJobId: string): LogSource[] {
    const k = this.kept(jobName, flinkJobId);
    if (!k) return [];
    return k.sources.map((s) => ({
      id: s.id,
      process: s.process,
      role: s.role,
      stream: 'log' as const,
      size:
        fs.statSync(path.join(this.dirOf(jobName, flinkJobId), `${s.id}.log`), { throwIfNoEntry: false })
          ?.size ?? 0,
      live: false,
    }));
  }

  bytes(jobName: string, flinkJobId: string, sourceId: string): Buffer {
    const k = this.kept(jobName, flinkJobId);
    if (!k?.sources.some((s) => s.id === sourceId)) return Buffer.alloc(0);
    return fs.readFileSync(path.join(this.dirOf(jobName, flinkJobId), `${sourceId}.log`));
  }
}

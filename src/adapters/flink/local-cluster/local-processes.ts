import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { processArgs, processesWithArg, signal, tail } from './os-processes.ts';
import { makesArchive, publishArchive, withClassSharing } from '../../system/class-sharing.ts';
import type { ClusterProcessStatus } from '../../../application/ports/clusters.ts';

export type ClusterEventKind = 'started' | 'adopted' | 'exited' | 'restarted' | 'stopped' | 'orphan-killed';
export type ClusterEventSink = (processId: string, kind: ClusterEventKind, detail: string) => void;

export type { ClusterProcessStatus };

/** One JVM of a local cluster: what it is, and whether supervision starts it again when it dies. */
export interface LocalProcessSpec<Role extends string = string> {
  id: string;
  role: Role;
  /**
   * False for a process whose restart would not bring back what died: an application cluster's
   * JobManager runs its job's main() once; restarted, it would start the job again from scratch.
   */
  restartable: boolean;
}

/** What a process's command is made from: its spec and the port its Prometheus reporter listens on. */
export type LaunchedProcess<Role extends string> = LocalProcessSpec<Role> & { metricsPort: number | null };

interface ManagedProcess<Role extends string> extends LaunchedProcess<Role> {
  pid: number | null;
  child: ChildProcess | null;
  adopted: boolean;
  restarts: number;
  startedAt: number | null;
  /** Consecutive crashes; reset once a process has stayed up for a minute. */
  crashes: number;
  restartAt: number | null;
  lastExit: string | null;
}

const SUPERVISE_INTERVAL_MS = 500;

/**
 * The JVMs of one local Flink cluster, whatever its kind: each process has a pid file and carries two
 * marker arguments in its command line, so a platform restarted after being killed adopts the
 * processes it left (or kills duplicates) instead of starting a second cluster on the same ports.
 * Dead processes are started again with back-off; every step is reported to `onEvent`.
 */
export class LocalFlinkProcesses<Role extends string> {
  private readonly procs: ManagedProcess<Role>[];
  private desired: 'running' | 'stopped' = 'stopped';
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly root: string,
    private readonly dirs: { log: string; run: string },
    specs: LocalProcessSpec<Role>[],
    private readonly java: string,
    /** The JVM arguments of a process (everything after `java`), asked at each (re)start. */
    private readonly command: (p: LaunchedProcess<Role>, logFile: string) => string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly onEvent: ClusterEventSink = () => {},
  ) {
    this.procs = specs.map((s) => ({
      ...s,
      metricsPort: null,
      pid: null,
      child: null,
      adopted: false,
      restarts: 0,
      startedAt: null,
      crashes: 0,
      restartAt: null,
      lastExit: null,
    }));
  }

  /** True when any process carrying the marker of this cluster folder is alive. */
  static anyAlive(root: string): boolean {
    return processesWithArg(markerOf(root)).length > 0;
  }

  /** Re-attaches to processes named in pid files that are still ours; kills any other process of this cluster. */
  adoptOrClean(progress: (line: string) => void): void {
    for (const p of this.procs) {
      if (this.isAlive(p)) continue;
      const file = this.pidFile(p);
      if (!fs.existsSync(file)) continue;
      try {
        const { pid, startedAt, metricsPort } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
          pid: number;
          startedAt: number;
          metricsPort?: number | null;
        };
        if (this.ownsPid(p.id, pid)) {
          Object.assign(p, {
            pid,
            child: null,
            adopted: true,
            startedAt,
            restartAt: null,
            metricsPort: metricsPort ?? null,
          });
          this.onEvent(p.id, 'adopted', `pid ${pid} left running by an earlier platform process`);
          progress(`adopted ${p.id} (pid ${pid})`);
          continue;
        }
      } catch {
        /* unreadable pid file: treated as absent */
      }
      fs.rmSync(file, { force: true });
    }
    const known = new Set(this.procs.map((p) => p.pid));
    for (const { pid, args } of processesWithArg(markerOf(this.root))) {
      if (known.has(pid)) continue;
      const id = args.find((a) => a.startsWith('-Dsluice.process.id='))?.split('=')[1] ?? 'unknown';
      signal(pid, 'SIGKILL');
      this.onEvent(id, 'orphan-killed', `pid ${pid} carried this cluster's marker but no pid file named it`);
      progress(`killed stray ${id} process (pid ${pid})`);
    }
  }

  /**
   * Gives each process of these roles that is not alive a free port for its Prometheus reporter (one
   * port per JVM: they share one configuration file, so the port is a dynamic property of each). A
   * restarted process keeps its port; an adopted one keeps the port its pid file names.
   */
  async reserveMetricsPorts(roles: Role[]): Promise<void> {
    for (const p of this.procs)
      if (roles.includes(p.role) && !this.isAlive(p) && p.metricsPort === null)
        p.metricsPort = await freeMetricsPort();
  }

  /** Starts every process that is not alive (those adopted stay), then supervises them. */
  startMissing(progress: (line: string) => void): void {
    this.desired = 'running';
    this.stopping = false;
    for (const p of this.procs.filter((x) => !this.isAlive(x))) {
      this.spawnProcess(p);
      this.onEvent(p.id, 'started', `pid ${p.pid}`);
      progress(`started ${p.id} (pid ${p.pid})`);
    }
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), SUPERVISE_INTERVAL_MS);
      this.timer.unref();
    }
  }

  alive(role?: Role): boolean {
    return this.procs.filter((p) => !role || p.role === role).every((p) => this.isAlive(p));
  }

  aliveIds(): string[] {
    return this.procs.filter((p) => this.isAlive(p)).map((p) => p.id);
  }

  /** Stops processes in the given role order (each role's processes together), then any stray of this cluster. */
  async stop(order: Role[]): Promise<void> {
    this.desired = 'stopped';
    this.stopping = true;
    this.clearTimer();
    for (const role of order)
      await Promise.all(this.procs.filter((p) => p.role === role).map((p) => this.terminate(p)));
    await Promise.all(this.procs.map((p) => this.terminate(p)));
    // Anything else carrying this cluster's marker (a duplicate from an earlier crash) goes too.
    for (const { pid } of processesWithArg(markerOf(this.root))) await killAndWait(pid);
    this.stopping = false;
  }

  /** Stops supervising but leaves the processes running, for the next platform process to adopt. */
  detach(): void {
    this.desired = 'stopped';
    this.clearTimer();
  }

  statuses(): ClusterProcessStatus[] {
    return this.procs.map((p) => ({
      id: p.id,
      role: p.role,
      pid: p.pid,
      alive: this.isAlive(p),
      adopted: p.adopted,
      restarts: p.restarts,
      startedAt: p.startedAt ? new Date(p.startedAt).toISOString() : null,
      logFile: this.logFile(p),
      metricsPort: this.isAlive(p) ? p.metricsPort : null,
    }));
  }

  /**
   * A process that keeps dying (three crashes in a row), or one that is not restarted and has died,
   * with what its log says: a start waiting for the cluster gives up on it at once.
   */
  failing(): { id: string; restartable: boolean; crashes: number; log: string; logFile: string } | null {
    const p =
      this.procs.find((x) => x.crashes >= 3) ??
      this.procs.find((x) => !x.restartable && x.startedAt !== null && !this.isAlive(x) && !x.child);
    return p
      ? {
          id: p.id,
          restartable: p.restartable,
          crashes: Math.max(1, p.crashes),
          log: this.logTail(p),
          logFile: this.logFile(p),
        }
      : null;
  }

  logTail(p: { id: string }): string {
    const lines = [...tail(this.logFile(p), 40), ...tail(path.join(this.dirs.log, `${p.id}.out`), 10)];
    const important = lines.filter((l) => /ERROR|Exception|Caused by|Error:/.test(l));
    return (important.length ? important : lines).slice(-12).join('\n');
  }

  logFile(p: { id: string }): string {
    return path.join(this.dirs.log, `${p.id}.log`);
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private spawnProcess(p: ManagedProcess<Role>): void {
    const out = fs.openSync(path.join(this.dirs.log, `${p.id}.out`), 'a');
    try {
      const args = withClassSharing(
        { java: this.java, args: [...markerArgs(this.root, p.id), ...this.command(p, this.logFile(p))] },
        this.env,
      );
      // Detached: the JVMs outlive a killed platform and are adopted at its next start.
      const child = spawn(this.java, args, {
        detached: true,
        stdio: ['ignore', out, out],
        env: this.env,
        cwd: this.root,
      });
      child.unref();
      if (!child.pid) throw new SluiceError('internal', message('cluster.noPid', { process: p.id }));
      Object.assign(p, { pid: child.pid, child, adopted: false, startedAt: Date.now(), restartAt: null });
      child.on('exit', (code, sig) => {
        // A JVM that was making its kind's class-data archive wrote it as it exited.
        publishArchive(args);
        if (p.child === child) {
          p.lastExit = sig ? `killed by ${sig}` : `exit code ${code}`;
          p.child = null;
          setImmediate(() => this.tick());
        }
      });
      fs.writeFileSync(
        this.pidFile(p),
        JSON.stringify({ pid: child.pid, startedAt: p.startedAt, metricsPort: p.metricsPort }),
      );
    } finally {
      fs.closeSync(out);
    }
  }

  /** Restarts dead processes with exponential back-off (1 s, 2 s, ... 30 s), recording each step. */
  private tick(): void {
    if (this.desired !== 'running' || this.stopping) return;
    const now = Date.now();
    for (const p of this.procs) {
      if (this.isAlive(p)) continue;
      // A child of this process that died is reported by its exit event, with its exit code or signal.
      // Until Node reaps it, it is a zombie whose empty command line reads as "gone" with no reason.
      if (p.child) continue;
      if (p.restartAt === null) {
        const uptime = p.startedAt ? now - p.startedAt : 0;
        p.crashes = uptime > 60_000 ? 1 : p.crashes + 1;
        const why = p.lastExit ?? (p.adopted ? `adopted pid ${p.pid} is gone` : `pid ${p.pid} is gone`);
        const lastLines = tail(path.join(this.dirs.log, `${p.id}.out`), 3).join(' | ');
        this.onEvent(p.id, 'exited', `${why}${lastLines ? `; last output: ${lastLines}` : ''}`);
        p.restartAt = p.restartable ? now + Math.min(30_000, 1000 * 2 ** (p.crashes - 1)) : Infinity;
        p.lastExit = null;
      } else if (now >= p.restartAt) {
        try {
          this.spawnProcess(p);
          p.restarts++;
          this.onEvent(
            p.id,
            'restarted',
            `pid ${p.pid}, restart ${p.restarts} (crash ${p.crashes} in a row)`,
          );
        } catch (e) {
          p.restartAt = now + 5000;
          this.onEvent(p.id, 'exited', `restart failed: ${(e as Error).message}`);
        }
      }
    }
  }

  private async terminate(p: ManagedProcess<Role>): Promise<void> {
    const pid = this.isAlive(p) ? p.pid : null;
    if (pid) {
      const args = processArgs(pid) ?? [];
      // A JVM making its class-data archive writes it after SIGTERM (~3 s for a JobManager, several
      // times that on a loaded machine): SIGKILL in the middle would waste the whole making.
      await killAndWait(pid, makesArchive(args) ? 60_000 : 15_000);
      // An adopted JVM's exit is seen by no exit event: its archive, if it made one, is published here.
      if (!p.child) publishArchive(args);
      this.onEvent(p.id, 'stopped', `pid ${pid}`);
    }
    Object.assign(p, {
      pid: null,
      child: null,
      adopted: false,
      restartAt: null,
      crashes: 0,
      metricsPort: null,
    });
    fs.rmSync(this.pidFile(p), { force: true });
  }

  private isAlive(p: ManagedProcess<Role>): boolean {
    return p.pid !== null && this.ownsPid(p.id, p.pid);
  }

  /** A pid is ours only while its command line carries this cluster's marker for this process. */
  private ownsPid(id: string, pid: number): boolean {
    const args = processArgs(pid);
    return !!args && markerArgs(this.root, id).every((m) => args.includes(m));
  }

  private pidFile(p: { id: string }): string {
    return path.join(this.dirs.run, `${p.id}.pid`);
  }
}

/**
 * Where local clusters' Prometheus reporters listen: Flink's customary reporter ports (9249 and up),
 * below the kernel's ephemeral range so an outgoing connection does not take a port between its choice
 * and the JVM binding it. Flink's reporter binds every interface (it has no host option).
 */
export const METRICS_PORTS = { first: 9250, last: 9999 };
/** Ports handed out by this platform process recently: two clusters starting at once get different ones. */
const handedOut = new Map<number, number>();

/**
 * A port no one listens on, from a random point of the range (platforms on one machine seldom collide),
 * and not one this process handed out in the last minute (its JVM may not have bound it yet).
 */
async function freeMetricsPort(): Promise<number> {
  const size = METRICS_PORTS.last - METRICS_PORTS.first + 1;
  const start = Math.floor(Math.random() * size);
  const now = Date.now();
  for (const [port, at] of handedOut) if (now - at > 60_000) handedOut.delete(port);
  for (let i = 0; i < size; i++) {
    const port = METRICS_PORTS.first + ((start + i) % size);
    if (handedOut.has(port) || !(await listenable(port))) continue;
    handedOut.set(port, now);
    return port;
  }
  throw new SluiceError(
    'precondition_failed',
    message('cluster.noMetricsPort', { first: METRICS_PORTS.first, last: METRICS_PORTS.last }),
  );
}

/** True when a server can listen on the port on every interface, as Flink's reporter does. */
function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

const markerOf = (root: string) => `-Dsluice.cluster.dir=${root}`;
const markerArgs = (root: string, id: string) => [markerOf(root), `-Dsluice.process.id=${id}`];

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function killAndWait(pid: number, graceMs = 15_000): Promise<void> {
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processArgs(pid) && Date.now() < deadline) await sleep(100);
  if (processArgs(pid)) {
    signal(pid, 'SIGKILL');
    while (processArgs(pid)) await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

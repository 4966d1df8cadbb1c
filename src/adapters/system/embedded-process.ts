import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { SluiceError, saidBy } from '../../domain/errors.ts';
import { message, type Message } from '../../domain/messages.ts';
import { signal, tail } from '../flink/local-cluster/os-processes.ts';
import { killAndWait } from '../flink/local-cluster/local-processes.ts';
import {
  nextRestartDelay,
  RESTARTS_KEPT,
  type EmbeddedRestarts,
  type ProcessRestart,
  type RestartBackoff,
} from '../../domain/supervision/restart-backoff.ts';

/** Where an embedded server says what happened to it (Sluice's own log). */
export interface EmbeddedLog {
  info(line: string): void;
  warn(line: string): void;
}

/** The servers Sluice runs as its children; their message codes share these names. */
export type EmbeddedServerName = 'prometheus' | 'alertmanager';

/** What a server Sluice does not run says of its restarts: none it knows of. */
export const NO_RESTARTS: EmbeddedRestarts = { count: 0, recent: [] };

/** How long health waits for /-/ready: a hung server must not hang health. */
export const PROBE_TIMEOUT_MS = 2_000;

/** Why a fetch failed, in the words of its cause (ECONNREFUSED ...) rather than "fetch failed". */
export const fetchProblem = (e: unknown): string => {
  const cause = (e as { cause?: { message?: string } }).cause;
  return cause?.message ?? (e as Error).message;
};

/** Null when the Prometheus (or Alertmanager) at `url` answers /-/ready, else why not. */
export async function readiness(url: string): Promise<string | null> {
  try {
    const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (res.ok) return null;
    return `/-/ready answered ${res.status}: ${(await res.text()).trim().slice(0, 300)}`;
  } catch (e) {
    return fetchProblem(e);
  }
}

/** Null when the Prometheus (or Alertmanager) at `url` took its configuration again, else why not. */
export async function reloadProblem(url: string): Promise<string | null> {
  try {
    const res = await fetch(`${url}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    if (res.ok) return null;
    return `${res.status}: ${(await res.text()).trim()}`;
  } catch (e) {
    return fetchProblem(e);
  }
}

/** SIGTERM to a child's process group, SIGKILL after `timeoutMs`; resolves once the child is gone. */
export async function stopProcessGroup(child: ChildProcess, timeoutMs: number): Promise<void> {
  const pid = child.pid!;
  const exited = new Promise<void>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });
  signal(-pid, 'SIGTERM');
  const timer = setTimeout(() => signal(-pid, 'SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

type EmbeddedState =
  | { kind: 'not-started' }
  | { kind: 'starting' }
  | { kind: 'ready' }
  | { kind: 'restarting'; problem: Message }
  | { kind: 'failed'; problem: Message };

/** What to run, asked again before each (re)start so that its owner writes its configuration first. */
export interface EmbeddedLaunch {
  program: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The life of one server Sluice runs as its child (the embedded Prometheus and Alertmanager): started
 * in a process group of its own with its output in its log file, ready when it answers /-/ready,
 * failed with its own message code (`<server>.cannotStart`, `.exited`, `.notReady`...), and stopped
 * with Sluice. Once it has been ready, it is supervised: an unexpected exit (OOM, kill) restarts it on
 * the same port and data after a backoff (src/domain/supervision/restart-backoff.ts), its configuration
 * written again by its owner's launch, and health says so meanwhile. A first start that never gets
 * ready stays failed: a wrong configuration or a port taken would fail again at each restart. What it
 * runs and how it is configured is its owner's.
 */
export class EmbeddedProcess {
  private state: EmbeddedState = { kind: 'not-started' };
  private child: ChildProcess | null = null;
  private startup: Promise<void> | null = null;
  private stopping = false;
  /** Set once it has been ready: what to run again when it exits. */
  private supervised: (() => EmbeddedLaunch) | null = null;
  private lastDelayMs: number | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private restartCount = 0;
  private recentRestarts: ProcessRestart[] = [];
  /** A configuration written while it restarted, after its launch read it: reloaded once it answers. */
  private reloadPending: string | null = null;
  /** Where it answers, once a port is chosen (kept across restarts). */
  base: string | null = null;

  constructor(
    private readonly o: {
      server: EmbeddedServerName;
      /** Its name in log lines: "Prometheus", "Alertmanager". */
      title: string;
      logFile: string;
      readyTimeoutMs: number;
      stopTimeoutMs: number;
      log: EmbeddedLog;
      /**
       * Its processes a killed Sluice left running on the same files (found by its configuration file
       * in their arguments), and where, for the log line saying they are stopped.
       */
      leftovers: () => { pid: number }[];
      leftoversWhere: string;
      backoff?: RestartBackoff;
    },
  ) {}

  get started(): boolean {
    return this.startup !== null;
  }

  get ready(): boolean {
    return this.state.kind === 'ready';
  }

  /** It exited on its own and is being started again. */
  get restarting(): boolean {
    return this.state.kind === 'restarting';
  }

  /** Runs `run` once (later calls get the same promise); what it throws fails the server. */
  begin(run: () => Promise<void>): Promise<void> {
    this.startup ??= run().catch((e: unknown) => this.cannotStart(e));
    return this.startup;
  }

  /** Resolves once its start has run (at once when it was never started). */
  async settled(): Promise<void> {
    await this.startup;
  }

  cannotStart(e: unknown): void {
    this.fail(message(`${this.o.server}.cannotStart`, { detail: saidBy(e) }));
  }

  /**
   * Stops those a killed Sluice left running on the same files (both would hold the same data); with
   * its own child already stopped, any left are such leftovers too.
   */
  async stopLeftovers(): Promise<void> {
    for (const { pid } of this.o.leftovers()) {
      this.o.log.warn(
        `stopping the ${this.o.title} (pid ${pid}) a previous Sluice left running ${this.o.leftoversWhere}`,
      );
      await killAndWait(pid);
    }
  }

  /**
   * Spawns what `launch` names and waits until it answers; from then on, restarts it with `launch`
   * again whenever it exits unexpectedly. True once ready; false when it failed or is stopping.
   */
  async spawnUntilReady(launch: () => EmbeddedLaunch): Promise<boolean> {
    if (this.stopping) return false;
    this.state = { kind: 'starting' };
    const ready = await this.spawnAndWait(launch(), false);
    if (ready) this.supervised = launch;
    return ready;
  }

  /**
   * Spawns it in a process group of its own (a terminal's Ctrl-C reaches Sluice, which stops it; a stop
   * reaches all of it) and waits until it answers. The previous start's log is kept beside this one's:
   * enough to see why it ended, never growing. A restart that does not get ready in time is killed,
   * which restarts it again later.
   */
  private async spawnAndWait(l: EmbeddedLaunch, restart: boolean): Promise<boolean> {
    const logFile = this.o.logFile;
    if (fs.existsSync(logFile)) fs.renameSync(logFile, `${logFile}.1`);
    const out = fs.openSync(logFile, 'a');
    // Its launch has just written its configuration: only what is written from now on needs a reload.
    this.reloadPending = null;
    const spawnedAt = Date.now();
    const child = spawn(l.program, l.args, {
      cwd: l.cwd,
      env: l.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    this.child = child;
    const server = this.o.server;
    let ended = false;
    const end = (status: string) => {
      if (ended) return;
      ended = true;
      if (this.child === child) this.child = null;
      if (this.stopping) return;
      if (this.supervised) return this.scheduleRestart(status, Date.now() - spawnedAt);
      this.fail(message(`${server}.exited`, { status, logFile, log: tail(logFile, 15).join('\n') }));
    };
    child.once('error', (e) => {
      if (this.supervised) end(`cannot be spawned: ${e.message}`);
      else this.fail(message(`${server}.cannotStart`, { detail: e.message }));
    });
    child.once('exit', (code, sig) => end(sig ? `signal ${sig}` : `exit code ${code}`));
    const deadline = Date.now() + this.o.readyTimeoutMs;
    for (;;) {
      // The exit and error handlers may have failed it (or scheduled its next restart) meanwhile.
      if (this.stopping || ended || (this.state as EmbeddedState).kind === 'failed') return false;
      const problem = await readiness(this.base!);
      if (!problem) break;
      if (Date.now() > deadline) {
        if (restart) {
          this.o.log.warn(
            `the restarted ${this.o.title} did not answer within ${this.o.readyTimeoutMs / 1000} s (${problem}): killing it`,
          );
          if (child.pid) signal(-child.pid, 'SIGKILL');
        } else this.fail(message(`${server}.notReady`, { url: this.base!, detail: problem }));
        return false;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (this.stopping || ended) return false;
    this.state = { kind: 'ready' };
    return true;
  }

  /** It exited on its own after having been ready: waits the backoff's delay, then starts it again. */
  private scheduleRestart(exit: string, ranForMs: number): void {
    const delayMs = nextRestartDelay(this.lastDelayMs, ranForMs, this.o.backoff);
    this.lastDelayMs = delayMs;
    this.restartCount++;
    this.recentRestarts = [
      {
        exitedAt: new Date().toISOString(),
        exit,
        ranSeconds: Math.round(ranForMs / 1000),
        delaySeconds: delayMs / 1000,
      },
      ...this.recentRestarts,
    ].slice(0, RESTARTS_KEPT);
    const logFile = this.o.logFile;
    const problem = message(`${this.o.server}.restarting`, {
      status: exit,
      url: this.base ?? '',
      seconds: String(delayMs / 1000),
      count: String(this.restartCount),
      logFile,
      log: tail(logFile, 15).join('\n'),
    });
    this.state = { kind: 'restarting', problem };
    this.o.log.warn(new SluiceError('internal', problem).message);
    this.restartTimer = setTimeout(() => void this.restart(), delayMs);
  }

  private async restart(): Promise<void> {
    this.restartTimer = null;
    if (this.stopping || !this.supervised) return;
    let ready: boolean;
    try {
      ready = await this.spawnAndWait(this.supervised(), true);
    } catch (e) {
      // Its launch could not even be written (a full disk...): tried again later, like an exit.
      if (!this.stopping) this.scheduleRestart(`cannot be started again: ${saidBy(e)}`, 0);
      return;
    }
    if (!ready) return;
    this.o.log.info(
      `the embedded ${this.o.title} answers again at ${this.base} (pid ${this.child?.pid}, restart ${this.restartCount})`,
    );
    const pending = this.reloadPending;
    this.reloadPending = null;
    if (pending) await this.reload(pending).catch((e: unknown) => this.o.log.warn((e as Error).message));
  }

  private fail(problem: Message): void {
    if (this.state.kind === 'failed') return;
    this.state = { kind: 'failed', problem };
    this.o.log.warn(new SluiceError('internal', problem).message);
  }

  /** The process id while it runs (tests check it is gone after a stop). */
  pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Its unexpected exits and the restarts they led to, newest first (the last RESTARTS_KEPT). */
  restarts(): EmbeddedRestarts {
    return { count: this.restartCount, recent: [...this.recentRestarts] };
  }

  /** Whether it is ready, asked of it now when it was; else why not, in its own words. */
  async health(): Promise<{ ready: boolean; problem: Message | null }> {
    const s = this.state;
    const server = this.o.server;
    if (s.kind !== 'ready') {
      const problem =
        s.kind === 'failed' || s.kind === 'restarting'
          ? s.problem
          : s.kind === 'starting'
            ? message(`${server}.starting`, { url: this.base ?? '' })
            : message(`${server}.notStarted`);
      return { ready: false, problem };
    }
    const problem = await readiness(this.base!);
    return {
      ready: !problem,
      problem: problem ? message(`${server}.notReady`, { url: this.base!, detail: problem }) : null,
    };
  }

  /**
   * Has it read its configuration file again; its refusal is an error naming the file. While it
   * restarts, it reads the file once it answers.
   */
  async reload(configFile: string): Promise<void> {
    if (this.restarting) {
      this.reloadPending = configFile;
      return;
    }
    const detail = await reloadProblem(this.base!);
    if (detail === null) return;
    throw new SluiceError('internal', message(`${this.o.server}.reloadRefused`, { configFile, detail }));
  }

  /**
   * SIGTERM to its process group, SIGKILL after the stop timeout; resolves once it is gone. No restart
   * follows, nor one that was waiting its backoff. One a killed Sluice left is stopped too: a Sluice
   * started again and stopped before it started its own (its start comes after boot, in the
   * background) must not leave that one running with nobody to stop it.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.startup;
    const child = this.child;
    if (child?.pid) {
      await stopProcessGroup(child, this.o.stopTimeoutMs);
      this.o.log.info(`the embedded ${this.o.title} (pid ${child.pid}) stopped`);
    }
    await this.stopLeftovers();
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { SluiceError, saidBy } from '../../domain/errors.ts';
import { message, type Message } from '../../domain/messages.ts';
import { signal, tail } from '../flink/local-cluster/os-processes.ts';
import { killAndWait } from '../flink/local-cluster/local-processes.ts';

/** Where an embedded server says what happened to it (Sluice's own log). */
export interface EmbeddedLog {
  info(line: string): void;
  warn(line: string): void;
}

/** The servers Sluice runs as its children; their message codes share these names. */
export type EmbeddedServerName = 'prometheus' | 'alertmanager';

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
  { kind: 'not-started' } | { kind: 'starting' } | { kind: 'ready' } | { kind: 'failed'; problem: Message };

/**
 * The life of one server Sluice runs as its child (the embedded Prometheus and Alertmanager): started
 * once, in a process group of its own with its output in its log file, ready when it answers
 * /-/ready, failed with its own message code (`<server>.cannotStart`, `.exited`, `.notReady`...), and
 * stopped with Sluice. What it runs and how it is configured is its owner's.
 */
export class EmbeddedProcess {
  private state: EmbeddedState = { kind: 'not-started' };
  private child: ChildProcess | null = null;
  private startup: Promise<void> | null = null;
  private stopping = false;
  /** Where it answers, once a port is chosen. */
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
    },
  ) {}

  get started(): boolean {
    return this.startup !== null;
  }

  get ready(): boolean {
    return this.state.kind === 'ready';
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

  /** Stops those a killed Sluice left running on the same files (both would hold the same data). */
  async stopLeftovers(processes: { pid: number }[], where: string): Promise<void> {
    for (const { pid } of processes) {
      this.o.log.warn(`stopping the ${this.o.title} (pid ${pid}) a previous Sluice left running ${where}`);
      await killAndWait(pid);
    }
  }

  /**
   * Spawns it in a process group of its own (a terminal's Ctrl-C reaches Sluice, which stops it; a stop
   * reaches all of it) and waits until it answers. The previous start's log is kept beside this one's:
   * enough to see why it ended, never growing. True once ready; false when it failed or is stopping.
   */
  async spawnUntilReady(
    program: string,
    args: string[],
    o: { cwd: string; env: NodeJS.ProcessEnv },
  ): Promise<boolean> {
    if (this.stopping) return false;
    const logFile = this.o.logFile;
    if (fs.existsSync(logFile)) fs.renameSync(logFile, `${logFile}.1`);
    const out = fs.openSync(logFile, 'a');
    const child = spawn(program, args, { ...o, detached: true, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.child = child;
    this.state = { kind: 'starting' };
    const server = this.o.server;
    child.once('error', (e) => this.fail(message(`${server}.cannotStart`, { detail: e.message })));
    child.once('exit', (code, sig) => {
      this.child = null;
      if (this.stopping) return;
      this.fail(
        message(`${server}.exited`, {
          status: sig ? `signal ${sig}` : `exit code ${code}`,
          logFile,
          log: tail(logFile, 15).join('\n'),
        }),
      );
    });
    const deadline = Date.now() + this.o.readyTimeoutMs;
    for (;;) {
      // The exit and error handlers may have failed it meanwhile.
      if (this.stopping || (this.state as EmbeddedState).kind === 'failed') return false;
      const problem = await readiness(this.base!);
      if (!problem) break;
      if (Date.now() > deadline) {
        this.fail(message(`${server}.notReady`, { url: this.base!, detail: problem }));
        return false;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    this.state = { kind: 'ready' };
    return true;
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

  /** Whether it is ready, asked of it now when it was; else why not, in its own words. */
  async health(): Promise<{ ready: boolean; problem: Message | null }> {
    const s = this.state;
    const server = this.o.server;
    if (s.kind !== 'ready') {
      const problem =
        s.kind === 'failed'
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

  /** Has it read its configuration file again; its refusal is an error naming the file. */
  async reload(configFile: string): Promise<void> {
    const detail = await reloadProblem(this.base!);
    if (detail === null) return;
    throw new SluiceError('internal', message(`${this.o.server}.reloadRefused`, { configFile, detail }));
  }

  /** SIGTERM to its process group, SIGKILL after the stop timeout; resolves once it is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.startup;
    const child = this.child;
    if (!child?.pid) return;
    await stopProcessGroup(child, this.o.stopTimeoutMs);
    this.o.log.info(`the embedded ${this.o.title} (pid ${child.pid}) stopped`);
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SluiceError, saidBy } from '../../domain/errors.ts';
import { message, type Message } from '../../domain/messages.ts';
import type { PrometheusSettings } from '../../domain/metrics/prometheus-settings.ts';
import type { PrometheusServer, PrometheusStatus } from '../../application/ports/prometheus.ts';
import { processesWithArg, signal, tail } from '../flink/local-cluster/os-processes.ts';
import { killAndWait } from '../flink/local-cluster/local-processes.ts';
import { findPrometheus } from '../system/prerequisites.ts';
import { freePorts } from '../system/free-ports.ts';
import { renderPrometheusConfig, type PrometheusAlerting } from './prometheus-config.ts';

export interface PrometheusLog {
  info(line: string): void;
  warn(line: string): void;
}

/** How long the embedded Prometheus may take to answer /-/ready (it replays its WAL first). */
const READY_TIMEOUT_MS = 120_000;
/** How long health waits for /-/ready: a hung Prometheus must not hang health. */
const PROBE_TIMEOUT_MS = 2_000;
/** After SIGTERM, how long Prometheus may take to flush its head block before SIGKILL. */
const STOP_TIMEOUT_MS = 15_000;

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

/**
 * Watches an embedded Prometheus' or Alertmanager's child until it answers /-/ready: an error spawning
 * it, its exit (with its log's end) or no answer within `timeoutMs` fail it with the server's own
 * message. Resolves true once it answers; false when it failed or is being stopped.
 */
export async function untilEmbeddedReady(
  child: ChildProcess,
  o: {
    server: 'prometheus' | 'alertmanager';
    url: string;
    logFile: string;
    timeoutMs: number;
    stopping: () => boolean;
    failed: () => boolean;
    fail: (problem: Message) => void;
    exited: () => void;
  },
): Promise<boolean> {
  child.once('error', (e) => o.fail(message(`${o.server}.cannotStart`, { detail: e.message })));
  child.once('exit', (code, sig) => {
    o.exited();
    if (o.stopping()) return;
    o.fail(
      message(`${o.server}.exited`, {
        status: sig ? `signal ${sig}` : `exit code ${code}`,
        logFile: o.logFile,
        log: tail(o.logFile, 15).join('\n'),
      }),
    );
  });
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    // The exit and error handlers may have failed it meanwhile.
    if (o.stopping() || o.failed()) return false;
    const problem = await readiness(o.url);
    if (!problem) return true;
    if (Date.now() > deadline) {
      o.fail(message(`${o.server}.notReady`, { url: o.url, detail: problem }));
      return false;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The Prometheus the settings name: run here, the user's, or none. */
export function prometheusServer(
  settings: PrometheusSettings,
  home: string,
  log: PrometheusLog,
  alerting: () => PrometheusAlerting | undefined = () => undefined,
): PrometheusServer {
  if (settings.mode === 'embedded') return new EmbeddedPrometheus(settings, home, log, process.env, alerting);
  if (settings.mode === 'external') return new ExternalPrometheus(settings.url, log);
  return offPrometheus;
}

const offPrometheus: PrometheusServer = {
  start: async () => {},
  url: () => null,
  status: async () => ({ mode: 'off', url: null, ready: false, retention: null, problem: null }),
  reload: async () => {
    throw new SluiceError('precondition_failed', message('prometheus.off'));
  },
  stop: async () => {},
};

/** The user's Prometheus (SLUICE_PROMETHEUS_URL): checked, never configured nor stopped by Sluice. */
class ExternalPrometheus implements PrometheusServer {
  constructor(
    private readonly base: string,
    private readonly log: PrometheusLog,
  ) {}

  async start(): Promise<void> {
    const problem = await readiness(this.base);
    if (problem) this.log.warn(`Prometheus at ${this.base} (SLUICE_PROMETHEUS_URL) is not ready: ${problem}`);
    else this.log.info(`metrics are kept by the Prometheus at ${this.base} (SLUICE_PROMETHEUS_URL)`);
  }

  url(): string {
    return this.base;
  }

  async status(): Promise<PrometheusStatus> {
    const problem = await readiness(this.base);
    return {
      mode: 'external',
      url: this.base,
      ready: !problem,
      retention: problem ? null : await this.retention(),
      problem: problem ? message('prometheus.notReady', { url: this.base, detail: problem }) : null,
    };
  }

  /** Its retention as its own flags say (null when it does not say). */
  private async retention(): Promise<string | null> {
    try {
      const res = await fetch(`${this.base}/api/v1/status/flags`, {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      const body = (await res.json()) as { data?: Record<string, string> };
      return body.data?.['storage.tsdb.retention.time'] ?? null;
    } catch {
      return null;
    }
  }

  async reload(): Promise<void> {
    throw new SluiceError('precondition_failed', message('prometheus.reloadNotOurs', { url: this.base }));
  }

  async stop(): Promise<void> {}
}

/** The folder of the embedded Prometheus: its configuration, data and log. */
const prometheusDir = (home: string) => path.join(home, 'prometheus');

/**
 * The embedded Prometheus processes of a Sluice home, found by the configuration file in their
 * arguments: whatever a killed Sluice left running there.
 */
export const embeddedPrometheusProcesses = (home: string): { pid: number }[] =>
  processesWithArg(`--config.file=${path.join(prometheusDir(home), 'prometheus.yml')}`);

type EmbeddedState =
  { kind: 'not-started' } | { kind: 'starting' } | { kind: 'ready' } | { kind: 'failed'; problem: Message };

/**
 * Debian's `prometheus` run as Sluice's child: its configuration, data and log under
 * `<home>/prometheus`, listening on 127.0.0.1, in a process group of its own that Sluice stops with
 * itself. One a killed Sluice left behind (found by its configuration file in its arguments) is
 * stopped before a new one starts, since both would hold the same data folder.
 */
export class EmbeddedPrometheus implements PrometheusServer {
  readonly dir: string;
  readonly configFile: string;
  readonly dataDir: string;
  readonly logFile: string;
  private state: EmbeddedState = { kind: 'not-started' };
  private child: ChildProcess | null = null;
  private base: string | null = null;
  private sluiceUrl: string | null = null;
  private startup: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly settings: Extract<PrometheusSettings, { mode: 'embedded' }>,
    private readonly home: string,
    private readonly log: PrometheusLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Read at each (re)load: the alert rule file and the Alertmanager, once Sluice knows it. */
    private readonly alerting: () => PrometheusAlerting | undefined = () => undefined,
  ) {
    this.dir = prometheusDir(home);
    this.configFile = path.join(this.dir, 'prometheus.yml');
    this.dataDir = path.join(this.dir, 'data');
    this.logFile = path.join(this.dir, 'prometheus.log');
  }

  start(sluiceUrl: string): Promise<void> {
    this.startup ??= this.run(sluiceUrl).catch((e: unknown) => {
      this.fail(message('prometheus.cannotStart', { detail: saidBy(e) }));
    });
    return this.startup;
  }

  private async run(sluiceUrl: string): Promise<void> {
    const program = findPrometheus(this.env);
    fs.mkdirSync(this.dataDir, { recursive: true });
    for (const { pid } of embeddedPrometheusProcesses(this.home)) {
      this.log.warn(`stopping the Prometheus (pid ${pid}) a previous Sluice left running on ${this.dir}`);
      await killAndWait(pid);
    }
    if (this.stopping) return;
    this.sluiceUrl = sluiceUrl;
    this.writeConfig();
    const port = this.settings.port || (await freePorts(1))[0]!;
    this.base = `http://127.0.0.1:${port}`;
    // The previous start's log is kept beside this one's: enough to see why it ended, never growing.
    if (fs.existsSync(this.logFile)) fs.renameSync(this.logFile, `${this.logFile}.1`);
    const out = fs.openSync(this.logFile, 'a');
    if (this.stopping) return fs.closeSync(out);
    const child = spawn(
      program,
      [
        `--config.file=${this.configFile}`,
        `--storage.tsdb.path=${this.dataDir}`,
        `--storage.tsdb.retention.time=${this.settings.retention}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // POST /-/reload: Sluice rewrites the configuration (alert rules) without a restart.
        '--web.enable-lifecycle',
      ],
      // Its own process group: a terminal's Ctrl-C reaches Sluice, which stops it; a stop reaches all of it.
      { cwd: this.dir, detached: true, stdio: ['ignore', out, out], env: this.env },
    );
    fs.closeSync(out);
    this.child = child;
    this.state = { kind: 'starting' };
    const ready = await untilEmbeddedReady(child, {
      server: 'prometheus',
      url: this.base,
      logFile: this.logFile,
      timeoutMs: READY_TIMEOUT_MS,
      stopping: () => this.stopping,
      failed: () => (this.state as EmbeddedState).kind === 'failed',
      fail: (problem) => this.fail(problem),
      exited: () => (this.child = null),
    });
    if (!ready) return;
    this.state = { kind: 'ready' };
    this.log.info(
      `the embedded Prometheus answers at ${this.base} (retention ${this.settings.retention}, data in ${this.dataDir})`,
    );
  }

  private fail(problem: Message): void {
    if (this.state.kind === 'failed') return;
    this.state = { kind: 'failed', problem };
    this.log.warn(new SluiceError('internal', problem).message);
  }

  private writeConfig(): void {
    fs.writeFileSync(
      this.configFile,
      renderPrometheusConfig({
        sluiceUrl: this.sluiceUrl!,
        scrapeInterval: this.settings.scrapeInterval,
        alerting: this.alerting(),
      }),
    );
  }

  url(): string | null {
    return this.base;
  }

  /** The process id while it runs (tests check it is gone after a stop). */
  pid(): number | null {
    return this.child?.pid ?? null;
  }

  async status(): Promise<PrometheusStatus> {
    const status = { mode: 'embedded' as const, url: this.base, retention: this.settings.retention };
    const s = this.state;
    if (s.kind !== 'ready') {
      const problem =
        s.kind === 'failed'
          ? s.problem
          : s.kind === 'starting'
            ? message('prometheus.starting', { url: this.base ?? '' })
            : message('prometheus.notStarted');
      return { ...status, ready: false, problem };
    }
    const problem = await readiness(this.base!);
    return {
      ...status,
      ready: !problem,
      problem: problem ? message('prometheus.notReady', { url: this.base!, detail: problem }) : null,
    };
  }

  async reload(): Promise<void> {
    const { problem } = await this.status();
    if (problem) throw new SluiceError('precondition_failed', problem);
    this.writeConfig();
    const detail = await reloadProblem(this.base!);
    if (detail === null) return;
    throw new SluiceError(
      'internal',
      message('prometheus.reloadRefused', { configFile: this.configFile, detail }),
    );
  }

  /** SIGTERM to its process group (it flushes its data), SIGKILL after 15 s; resolves once it is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.startup;
    const child = this.child;
    if (!child?.pid) return;
    await stopProcessGroup(child, STOP_TIMEOUT_MS);
    this.log.info(`the embedded Prometheus (pid ${child.pid}) stopped`);
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

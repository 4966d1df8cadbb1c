import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SluiceError, saidBy } from '../../domain/errors.ts';
import { message, type Message } from '../../domain/messages.ts';
import type { AlertRule } from '../../domain/alerts/alert-rules.ts';
import type { AlertmanagerSettings } from '../../domain/alerts/alertmanager-settings.ts';
import { renderAlertmanagerConfig } from '../../domain/alerts/alertmanager-config.ts';
import type { AlertmanagerServer, AlertmanagerStatus } from '../../application/ports/alerts.ts';
import { processesWithArg } from '../flink/local-cluster/os-processes.ts';
import { killAndWait } from '../flink/local-cluster/local-processes.ts';
import { findAlertmanager } from '../system/prerequisites.ts';
import { freePorts } from '../system/free-ports.ts';
import {
  readiness,
  reloadProblem,
  untilEmbeddedReady,
  stopProcessGroup,
  type PrometheusLog,
} from '../metrics/prometheus-server.ts';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** The folder of Sluice's Alertmanager configuration (and, embedded, its data and log). */
export const alertmanagerDir = (home: string) => path.join(home, 'alertmanager');

/** The embedded Alertmanager processes of a Sluice home: whatever a killed Sluice left running. */
export const embeddedAlertmanagerProcesses = (home: string): { pid: number }[] =>
  processesWithArg(`--config.file=${path.join(alertmanagerDir(home), 'alertmanager.yml')}`);

/** The Alertmanager the settings name: run here, the user's, or none. */
export function alertmanagerServer(
  settings: AlertmanagerSettings,
  home: string,
  log: PrometheusLog,
): AlertmanagerServer {
  if (settings.mode === 'embedded') return new EmbeddedAlertmanager(settings, home, log);
  if (settings.mode === 'external') return new ExternalAlertmanager(settings, home, log);
  return {
    start: async () => {},
    url: () => null,
    status: async () => ({ mode: 'off', url: null, ready: false, problem: null }),
    configure: async () => {},
    configFile: null,
    stop: async () => {},
  };
}

/** Writes the configuration Sluice's rules need, for the process Sluice runs or for the user to give theirs. */
class ConfigWriter {
  readonly configFile: string;
  protected sluiceUrl: string | null = null;
  protected rules: AlertRule[] = [];

  constructor(
    protected readonly settings: AlertmanagerSettings,
    home: string,
  ) {
    this.configFile = path.join(alertmanagerDir(home), 'alertmanager.yml');
  }

  protected write(): void {
    fs.mkdirSync(path.dirname(this.configFile), { recursive: true });
    fs.writeFileSync(
      this.configFile,
      renderAlertmanagerConfig({
        sluiceUrl: this.sluiceUrl ?? 'http://127.0.0.1:8080',
        channels: this.rules.map((r) => r.channel),
        routing: this.settings.routing,
      }),
    );
  }
}

/** The user's Alertmanager (SLUICE_ALERTMANAGER_URL): read, never configured; Sluice writes what to give it. */
class ExternalAlertmanager extends ConfigWriter implements AlertmanagerServer {
  constructor(
    settings: Extract<AlertmanagerSettings, { mode: 'external' }>,
    home: string,
    private readonly log: PrometheusLog,
  ) {
    super(settings, home);
  }

  private get base(): string {
    return (this.settings as { url: string }).url;
  }

  async start(sluiceUrl: string): Promise<void> {
    this.sluiceUrl = sluiceUrl;
    const problem = await readiness(this.base);
    if (problem)
      this.log.warn(`Alertmanager at ${this.base} (SLUICE_ALERTMANAGER_URL) is not ready: ${problem}`);
    else
      this.log.info(
        `alerts are routed by the Alertmanager at ${this.base}: give it the configuration Sluice writes to ${this.configFile}`,
      );
  }

  url(): string {
    return this.base;
  }

  async status(): Promise<AlertmanagerStatus> {
    const problem = await readiness(this.base);
    return {
      mode: 'external',
      url: this.base,
      ready: !problem,
      problem: problem ? message('alertmanager.notReady', { url: this.base, detail: problem }) : null,
    };
  }

  async configure(rules: AlertRule[]): Promise<void> {
    this.rules = rules;
    this.write();
  }

  async stop(): Promise<void> {}
}

type EmbeddedState =
  { kind: 'not-started' } | { kind: 'starting' } | { kind: 'ready' } | { kind: 'failed'; problem: Message };

/**
 * Debian's `prometheus-alertmanager` run as Sluice's child: configuration, data and log under
 * `<home>/alertmanager`, its API on 127.0.0.1 and its cluster (gossip) port off, in a process group
 * of its own that Sluice stops with itself.
 */
export class EmbeddedAlertmanager extends ConfigWriter implements AlertmanagerServer {
  readonly dataDir: string;
  readonly logFile: string;
  private state: EmbeddedState = { kind: 'not-started' };
  private child: ChildProcess | null = null;
  private base: string | null = null;
  private startup: Promise<void> | null = null;
  private stopping = false;

  constructor(
    settings: Extract<AlertmanagerSettings, { mode: 'embedded' }>,
    private readonly home: string,
    private readonly log: PrometheusLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super(settings, home);
    this.dataDir = path.join(alertmanagerDir(home), 'data');
    this.logFile = path.join(alertmanagerDir(home), 'alertmanager.log');
  }

  /** Picks its port at once (Prometheus is configured with its URL), then waits for it in the background. */
  async start(sluiceUrl: string): Promise<void> {
    if (this.startup) return;
    this.sluiceUrl = sluiceUrl;
    try {
      const port = (this.settings as { port: number }).port || (await freePorts(1))[0]!;
      this.base = `http://127.0.0.1:${port}`;
    } catch (e) {
      return this.fail(message('alertmanager.cannotStart', { detail: saidBy(e) }));
    }
    this.startup = this.run().catch((e: unknown) =>
      this.fail(message('alertmanager.cannotStart', { detail: saidBy(e) })),
    );
  }

  private async run(): Promise<void> {
    const program = findAlertmanager(this.env);
    fs.mkdirSync(this.dataDir, { recursive: true });
    for (const { pid } of embeddedAlertmanagerProcesses(this.home)) {
      this.log.warn(`stopping the Alertmanager (pid ${pid}) a previous Sluice left running`);
      await killAndWait(pid);
    }
    if (this.stopping) return;
    this.write();
    if (fs.existsSync(this.logFile)) fs.renameSync(this.logFile, `${this.logFile}.1`);
    const out = fs.openSync(this.logFile, 'a');
    const child = spawn(
      program,
      [
        `--config.file=${this.configFile}`,
        `--storage.path=${this.dataDir}`,
        `--web.listen-address=${new URL(this.base!).host}`,
        // Its high-availability gossip listens on every address by default: one instance needs none.
        '--cluster.listen-address=',
      ],
      { cwd: alertmanagerDir(this.home), detached: true, stdio: ['ignore', out, out], env: this.env },
    );
    fs.closeSync(out);
    this.child = child;
    this.state = { kind: 'starting' };
    const ready = await untilEmbeddedReady(child, {
      server: 'alertmanager',
      url: this.base!,
      logFile: this.logFile,
      timeoutMs: READY_TIMEOUT_MS,
      stopping: () => this.stopping,
      failed: () => (this.state as EmbeddedState).kind === 'failed',
      fail: (problem) => this.fail(problem),
      exited: () => (this.child = null),
    });
    if (!ready) return;
    this.state = { kind: 'ready' };
    this.log.info(`the embedded Alertmanager answers at ${this.base} (configuration ${this.configFile})`);
  }

  private fail(problem: Message): void {
    if (this.state.kind === 'failed') return;
    this.state = { kind: 'failed', problem };
    this.log.warn(new SluiceError('internal', problem).message);
  }

  url(): string | null {
    return this.base;
  }

  pid(): number | null {
    return this.child?.pid ?? null;
  }

  async status(): Promise<AlertmanagerStatus> {
    const s = this.state;
    const status = { mode: 'embedded' as const, url: this.base };
    if (s.kind !== 'ready') {
      const problem =
        s.kind === 'failed'
          ? s.problem
          : s.kind === 'starting'
            ? message('alertmanager.starting', { url: this.base ?? '' })
            : message('alertmanager.notStarted');
      return { ...status, ready: false, problem };
    }
    const problem = await readiness(this.base!);
    return {
      ...status,
      ready: !problem,
      problem: problem ? message('alertmanager.notReady', { url: this.base!, detail: problem }) : null,
    };
  }

  /** Writes the configuration; once it runs, has it reload (before, it reads the file when it starts). */
  async configure(rules: AlertRule[]): Promise<void> {
    this.rules = rules;
    await this.startup;
    this.write();
    if (this.state.kind !== 'ready') return;
    const detail = await reloadProblem(this.base!);
    if (detail === null) return;
    throw new SluiceError(
      'internal',
      message('alertmanager.reloadRefused', { configFile: this.configFile, detail }),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.startup;
    const child = this.child;
    if (!child?.pid) return;
    await stopProcessGroup(child, STOP_TIMEOUT_MS);
    this.log.info(`the embedded Alertmanager (pid ${child.pid}) stopped`);
  }
}

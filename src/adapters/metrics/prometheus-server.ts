import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type { PrometheusSettings } from '../../domain/metrics/prometheus-settings.ts';
import type { PrometheusServer, PrometheusStatus } from '../../application/ports/prometheus.ts';
import { processesWithArg } from '../flink/local-cluster/os-processes.ts';
import { findPrometheus } from '../system/prerequisites.ts';
import { freePorts } from '../system/free-ports.ts';
import {
  EmbeddedProcess,
  NO_RESTARTS,
  PROBE_TIMEOUT_MS,
  readiness,
  type EmbeddedLog,
} from '../system/embedded-process.ts';
import { serviceTokenFile } from '../../application/service-tokens.ts';
import { renderPrometheusConfig, type PrometheusAlerting } from './prometheus-config.ts';

/** How long the embedded Prometheus may take to answer /-/ready (it replays its WAL first). */
const READY_TIMEOUT_MS = 120_000;
/** After SIGTERM, how long Prometheus may take to flush its head block before SIGKILL. */
const STOP_TIMEOUT_MS = 15_000;

/** The Prometheus the settings name: run here, the user's, or none. */
export function prometheusServer(
  settings: PrometheusSettings,
  home: string,
  log: EmbeddedLog,
  alerting: () => PrometheusAlerting | undefined = () => undefined,
): PrometheusServer {
  if (settings.mode === 'embedded') return new EmbeddedPrometheus(settings, home, log, process.env, alerting);
  if (settings.mode === 'external') return new ExternalPrometheus(settings.url, log);
  return offPrometheus;
}

const offPrometheus: PrometheusServer = {
  start: async () => {},
  url: () => null,
  status: async () => ({
    mode: 'off',
    url: null,
    ready: false,
    retention: null,
    problem: null,
    restarts: NO_RESTARTS,
  }),
  reload: async () => {
    throw new SluiceError('precondition_failed', message('prometheus.off'));
  },
  stop: async () => {},
};

/** The user's Prometheus (SLUICE_PROMETHEUS_URL): checked, never configured nor stopped by Sluice. */
class ExternalPrometheus implements PrometheusServer {
  constructor(
    private readonly base: string,
    private readonly log: EmbeddedLog,
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
      restarts: NO_RESTARTS,
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

/**
 * Debian's `prometheus` run as Sluice's child: its configuration, data and log under
 * `<home>/prometheus`, listening on 127.0.0.1, in a process group of its own that Sluice stops with
 * itself and restarts when it exits on its own (same port, same data, its configuration written
 * again). One a killed Sluice left behind (found by its configuration file in its arguments) is
 * stopped before a new one starts, since both would hold the same data folder.
 */
export class EmbeddedPrometheus implements PrometheusServer {
  readonly dir: string;
  readonly configFile: string;
  readonly dataDir: string;
  readonly logFile: string;
  private readonly process: EmbeddedProcess;
  private sluiceUrl: string | null = null;

  constructor(
    private readonly settings: Extract<PrometheusSettings, { mode: 'embedded' }>,
    private readonly home: string,
    private readonly log: EmbeddedLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Read at each (re)load: the alert rule file and the Alertmanager, once Sluice knows it. */
    private readonly alerting: () => PrometheusAlerting | undefined = () => undefined,
  ) {
    this.dir = prometheusDir(home);
    this.configFile = path.join(this.dir, 'prometheus.yml');
    this.dataDir = path.join(this.dir, 'data');
    this.logFile = path.join(this.dir, 'prometheus.log');
    this.process = new EmbeddedProcess({
      server: 'prometheus',
      title: 'Prometheus',
      logFile: this.logFile,
      readyTimeoutMs: READY_TIMEOUT_MS,
      stopTimeoutMs: STOP_TIMEOUT_MS,
      log,
      leftovers: () => embeddedPrometheusProcesses(home),
      leftoversWhere: `on ${this.dir}`,
    });
  }

  start(sluiceUrl: string): Promise<void> {
    return this.process.begin(() => this.run(sluiceUrl));
  }

  private async run(sluiceUrl: string): Promise<void> {
    const program = findPrometheus(this.env);
    fs.mkdirSync(this.dataDir, { recursive: true });
    await this.process.stopLeftovers();
    this.sluiceUrl = sluiceUrl;
    // Chosen once: a restart listens on the same port, so its URL stays what health and queries know.
    const port = this.settings.port || (await freePorts(1))[0]!;
    this.process.base = `http://127.0.0.1:${port}`;
    const args = [
      `--config.file=${this.configFile}`,
      `--storage.tsdb.path=${this.dataDir}`,
      `--storage.tsdb.retention.time=${this.settings.retention}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // POST /-/reload: Sluice rewrites the configuration (alert rules) without a restart.
      '--web.enable-lifecycle',
    ];
    // Written again before each (re)start: a restarted Prometheus scrapes and evaluates what Sluice has now.
    const launch = () => {
      this.writeConfig();
      return { program, args, cwd: this.dir, env: this.env };
    };
    if (!(await this.process.spawnUntilReady(launch))) return;
    this.log.info(
      `the embedded Prometheus answers at ${this.process.base} (retention ${this.settings.retention}, data in ${this.dataDir})`,
    );
  }

  private writeConfig(): void {
    fs.writeFileSync(
      this.configFile,
      renderPrometheusConfig({
        sluiceUrl: this.sluiceUrl!,
        scrapeInterval: this.settings.scrapeInterval,
        alerting: this.alerting(),
        credentialsFile: serviceTokenFile(this.home, 'prometheus'),
      }),
    );
  }

  url(): string | null {
    return this.process.base;
  }

  /** The process id while it runs (tests check it is gone after a stop). */
  pid(): number | null {
    return this.process.pid();
  }

  async status(): Promise<PrometheusStatus> {
    const status = {
      mode: 'embedded' as const,
      url: this.process.base,
      retention: this.settings.retention,
      restarts: this.process.restarts(),
    };
    return { ...status, ...(await this.process.health()) };
  }

  /** While it restarts, the configuration is written and read once it answers again. */
  async reload(): Promise<void> {
    const { problem } = await this.status();
    if (problem && !this.process.restarting) throw new SluiceError('precondition_failed', problem);
    this.writeConfig();
    await this.process.reload(this.configFile);
  }

  /** SIGTERM to its process group (it flushes its data), SIGKILL after 15 s; resolves once it is gone. */
  stop(): Promise<void> {
    return this.process.stop();
  }
}

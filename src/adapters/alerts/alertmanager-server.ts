import fs from 'node:fs';
import path from 'node:path';
import { message } from '../../domain/messages.ts';
import type { AlertRule } from '../../domain/alerts/alert-rules.ts';
import type { AlertmanagerSettings } from '../../domain/alerts/alertmanager-settings.ts';
import { serviceTokenFile } from '../../application/service-tokens.ts';
import { renderAlertmanagerConfig } from '../../domain/alerts/alertmanager-config.ts';
import type { AlertmanagerServer, AlertmanagerStatus } from '../../application/ports/alerts.ts';
import { processesWithArg } from '../flink/local-cluster/os-processes.ts';
import { findAlertmanager } from '../system/prerequisites.ts';
import { freePorts } from '../system/free-ports.ts';
import { EmbeddedProcess, NO_RESTARTS, readiness, type EmbeddedLog } from '../system/embedded-process.ts';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** The folder of Sluice's Alertmanager configuration (and, embedded, its data and log). */
export const alertmanagerDir = (home: string) => path.join(home, 'alertmanager');

/** How often the embedded Alertmanager writes its silences and notification log to its data folder. */
export const SNAPSHOT_INTERVAL = '10s';

/** The embedded Alertmanager processes of a Sluice home: whatever a killed Sluice left running. */
export const embeddedAlertmanagerProcesses = (home: string): { pid: number }[] =>
  processesWithArg(`--config.file=${path.join(alertmanagerDir(home), 'alertmanager.yml')}`);

/** The Alertmanager the settings name: run here, the user's, or none. */
export function alertmanagerServer(
  settings: AlertmanagerSettings,
  home: string,
  log: EmbeddedLog,
): AlertmanagerServer {
  if (settings.mode === 'embedded') return new EmbeddedAlertmanager(settings, home, log);
  if (settings.mode === 'external') return new ExternalAlertmanager(settings, home, log);
  return {
    start: async () => {},
    url: () => null,
    status: async () => ({ mode: 'off', url: null, ready: false, problem: null, restarts: NO_RESTARTS }),
    configure: async () => {},
    configFile: null,
    stop: async () => {},
  };
}

/** Writes the configuration Sluice's rules need, for the process Sluice runs or for the user to give theirs. */
class ConfigWriter {
  readonly configFile: string;
  /** The API token its webhook sends (Sluice writes it at each start of its alerting). */
  readonly credentialsFile: string;
  protected sluiceUrl: string | null = null;
  protected rules: AlertRule[] = [];

  constructor(
    protected readonly settings: AlertmanagerSettings,
    home: string,
  ) {
    this.configFile = path.join(alertmanagerDir(home), 'alertmanager.yml');
    this.credentialsFile = serviceTokenFile(home, 'alertmanager');
  }

  protected write(): void {
    fs.mkdirSync(path.dirname(this.configFile), { recursive: true });
    fs.writeFileSync(
      this.configFile,
      renderAlertmanagerConfig({
        sluiceUrl: this.sluiceUrl ?? 'http://127.0.0.1:8080',
        channels: this.rules.map((r) => r.channel),
        routing: this.settings.routing,
        credentialsFile: this.credentialsFile,
      }),
    );
  }
}

/** The user's Alertmanager (SLUICE_ALERTMANAGER_URL): read, never configured; Sluice writes what to give it. */
class ExternalAlertmanager extends ConfigWriter implements AlertmanagerServer {
  constructor(
    settings: Extract<AlertmanagerSettings, { mode: 'external' }>,
    home: string,
    private readonly log: EmbeddedLog,
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
      restarts: NO_RESTARTS,
    };
  }

  async configure(rules: AlertRule[]): Promise<void> {
    this.rules = rules;
    this.write();
  }

  async stop(): Promise<void> {}
}

/**
 * Debian's `prometheus-alertmanager` run as Sluice's child: configuration, data and log under
 * `<home>/alertmanager`, its API on 127.0.0.1 and its cluster (gossip) port off, in a process group
 * of its own that Sluice stops with itself and restarts when it exits on its own (same port, same data
 * with its silences, its configuration written again from the rules).
 */
export class EmbeddedAlertmanager extends ConfigWriter implements AlertmanagerServer {
  readonly dataDir: string;
  readonly logFile: string;
  private readonly process: EmbeddedProcess;

  constructor(
    settings: Extract<AlertmanagerSettings, { mode: 'embedded' }>,
    private readonly home: string,
    private readonly log: EmbeddedLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super(settings, home);
    this.dataDir = path.join(alertmanagerDir(home), 'data');
    this.logFile = path.join(alertmanagerDir(home), 'alertmanager.log');
    this.process = new EmbeddedProcess({
      server: 'alertmanager',
      title: 'Alertmanager',
      logFile: this.logFile,
      readyTimeoutMs: READY_TIMEOUT_MS,
      stopTimeoutMs: STOP_TIMEOUT_MS,
      log,
      leftovers: () => embeddedAlertmanagerProcesses(home),
      leftoversWhere: 'on this home',
    });
  }

  /** Picks its port at once (Prometheus is configured with its URL), then waits for it in the background. */
  async start(sluiceUrl: string): Promise<void> {
    if (this.process.started) return;
    this.sluiceUrl = sluiceUrl;
    try {
      const port = (this.settings as { port: number }).port || (await freePorts(1))[0]!;
      this.process.base = `http://127.0.0.1:${port}`;
    } catch (e) {
      return this.process.cannotStart(e);
    }
    void this.process.begin(() => this.run());
  }

  private async run(): Promise<void> {
    const program = findAlertmanager(this.env);
    fs.mkdirSync(this.dataDir, { recursive: true });
    await this.process.stopLeftovers();
    const args = [
      `--config.file=${this.configFile}`,
      `--storage.path=${this.dataDir}`,
      `--web.listen-address=${new URL(this.process.base!).host}`,
      // Its high-availability gossip listens on every address by default: one instance needs none.
      '--cluster.listen-address=',
      // Silences and the notification log reach its data folder only at this interval (15m by
      // default) and at a clean stop: a silence must survive an Alertmanager killed with SIGKILL.
      `--data.maintenance-interval=${SNAPSHOT_INTERVAL}`,
    ];
    const cwd = alertmanagerDir(this.home);
    // Written again before each (re)start: a restarted Alertmanager routes to the channels of the rules now.
    const launch = () => {
      this.write();
      return { program, args, cwd, env: this.env };
    };
    if (!(await this.process.spawnUntilReady(launch))) return;
    this.log.info(
      `the embedded Alertmanager answers at ${this.process.base} (configuration ${this.configFile})`,
    );
  }

  url(): string | null {
    return this.process.base;
  }

  pid(): number | null {
    return this.process.pid();
  }

  async status(): Promise<AlertmanagerStatus> {
    return {
      mode: 'embedded' as const,
      url: this.process.base,
      restarts: this.process.restarts(),
      ...(await this.process.health()),
    };
  }

  /** Writes the configuration; once it runs, has it reload (before, it reads the file when it starts). */
  async configure(rules: AlertRule[]): Promise<void> {
    this.rules = rules;
    await this.process.settled();
    this.write();
    // Restarting: it reads the file when it starts, or once it answers when it read it already.
    if (this.process.ready || this.process.restarting) await this.process.reload(this.configFile);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

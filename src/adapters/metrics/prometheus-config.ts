/** Where Sluice's own API is and how often Prometheus asks it. */
export interface PrometheusConfigInput {
  /** Sluice's API as Prometheus reaches it: `http://127.0.0.1:8080`. */
  sluiceUrl: string;
  /** A Prometheus duration: the scrape interval, and how often the scrape targets are asked for. */
  scrapeInterval: string;
  /** Sluice's alert rules: their rule file, and the Alertmanager Prometheus sends alerts to (if any). */
  alerting?: PrometheusAlerting | undefined;
  /** The file with the API token Prometheus sends to Sluice's /metrics and scrape targets (owner-only). */
  credentialsFile: string;
}

export interface PrometheusAlerting {
  ruleFile: string;
  /** Its base URL, or null when alerts go nowhere (SLUICE_ALERTMANAGER=off). */
  alertmanagerUrl: string | null;
}

/** The path of Sluice's Prometheus HTTP service discovery (the Flink processes of its jobs). */
export const PROMETHEUS_SD_PATH = '/api/v1/prometheus/targets';
/** The discovery of Kubernetes targets' pods, each scraped at Sluice, which proxies it through the API server. */
export const PROMETHEUS_POD_SD_PATH = '/api/v1/prometheus/pod-targets';

// A YAML scalar: JSON's double-quoted strings are YAML's too, so no value needs escaping rules of its own.
const q = (s: string) => JSON.stringify(s);

/**
 * The embedded Prometheus's prometheus.yml: Sluice's own /metrics (job `sluice`), and the Flink
 * processes Sluice runs, found through its HTTP service discovery (job `flink`; each target's own
 * labels, such as its job's name, come from Sluice), the pods of its Kubernetes targets scraped
 * through Sluice (job `flink-kubernetes`); with alerting, Sluice's alert rules and where their alerts go.
 */
export function renderPrometheusConfig(i: PrometheusConfigInput): string {
  const sluice = new URL(i.sluiceUrl);
  const base = i.sluiceUrl.replace(/\/+$/, '');
  return [
    '# Written by Sluice at each start of its embedded Prometheus: edits here are overwritten.',
    'global:',
    `  scrape_interval: ${q(i.scrapeInterval)}`,
    `  evaluation_interval: ${q(i.scrapeInterval)}`,
    'scrape_configs:',
    `  - job_name: "sluice"`,
    `    scheme: ${q(sluice.protocol.replace(':', ''))}`,
    `    metrics_path: "/metrics"`,
    '    authorization:',
    '      type: "Bearer"',
    `      credentials_file: ${q(i.credentialsFile)}`,
    '    static_configs:',
    `      - targets: [${q(sluice.host)}]`,
    `  - job_name: "flink"`,
    '    http_sd_configs:',
    `      - url: ${q(`${base}${PROMETHEUS_SD_PATH}`)}`,
    `        refresh_interval: ${q(i.scrapeInterval)}`,
    // The type said, not left to its default: Prometheus 2.42 (Debian 12) applies the default
    // `Bearer` to scrapes but not to HTTP service discovery, which then sends the bare token (401).
    '        authorization:',
    '          type: "Bearer"',
    `          credentials_file: ${q(i.credentialsFile)}`,
    // A job of its own: its scrapes go to Sluice and carry Sluice's token, which the local Flink
    // processes of job `flink` must not be sent. Each group names its pod's path (__metrics_path__)
    // and Sluice's scheme (__scheme__).
    `  - job_name: "flink-kubernetes"`,
    '    authorization:',
    '      type: "Bearer"',
    `      credentials_file: ${q(i.credentialsFile)}`,
    '    http_sd_configs:',
    `      - url: ${q(`${base}${PROMETHEUS_POD_SD_PATH}`)}`,
    `        refresh_interval: ${q(i.scrapeInterval)}`,
    '        authorization:',
    '          type: "Bearer"',
    `          credentials_file: ${q(i.credentialsFile)}`,
    ...alertingLines(i.alerting),
    '',
  ].join('\n');
}

/** The rule file of Sluice's alert rules and the Alertmanager their alerts go to. */
function alertingLines(a: PrometheusAlerting | undefined): string[] {
  if (!a) return [];
  const lines = ['rule_files:', `  - ${q(a.ruleFile)}`];
  if (!a.alertmanagerUrl) return lines;
  const am = new URL(a.alertmanagerUrl);
  return [
    ...lines,
    'alerting:',
    '  alertmanagers:',
    `    - scheme: ${q(am.protocol.replace(':', ''))}`,
    ...(am.pathname !== '/' ? [`      path_prefix: ${q(am.pathname)}`] : []),
    '      static_configs:',
    `        - targets: [${q(am.host)}]`,
  ];
}

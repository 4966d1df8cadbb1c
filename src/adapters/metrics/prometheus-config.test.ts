import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePorts } from '../system/free-ports.ts';
import { which } from '../system/prerequisites.ts';
import { renderPrometheusConfig } from './prometheus-config.ts';

describe('renderPrometheusConfig', () => {
  // promtool checks that the token file exists: one for the whole file, removed by the OS's tmp cleanup.
  const credentialsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-token-')), 'prometheus');
  fs.writeFileSync(credentialsFile, 'slu_test', { mode: 0o600 });
  const yml = renderPrometheusConfig({
    sluiceUrl: 'http://127.0.0.1:8080',
    scrapeInterval: '15s',
    credentialsFile,
  });

  it("scrapes Sluice's own /metrics, the targets Sluice's HTTP service discovery names, and the Kubernetes pods at Sluice with its own token", () => {
    expect(yml).toBe(
      [
        '# Written by Sluice at each start of its embedded Prometheus: edits here are overwritten.',
        'global:',
        '  scrape_interval: "15s"',
        '  evaluation_interval: "15s"',
        'scrape_configs:',
        '  - job_name: "sluice"',
        '    scheme: "http"',
        '    metrics_path: "/metrics"',
        '    authorization:',
        '      type: "Bearer"',
        `      credentials_file: ${JSON.stringify(credentialsFile)}`,
        '    static_configs:',
        '      - targets: ["127.0.0.1:8080"]',
        '  - job_name: "flink"',
        '    http_sd_configs:',
        '      - url: "http://127.0.0.1:8080/api/v1/prometheus/targets"',
        '        refresh_interval: "15s"',
        '        authorization:',
        '          type: "Bearer"',
        `          credentials_file: ${JSON.stringify(credentialsFile)}`,
        '  - job_name: "flink-kubernetes"',
        '    authorization:',
        '      type: "Bearer"',
        `      credentials_file: ${JSON.stringify(credentialsFile)}`,
        '    http_sd_configs:',
        '      - url: "http://127.0.0.1:8080/api/v1/prometheus/pod-targets"',
        '        refresh_interval: "15s"',
        '        authorization:',
        '          type: "Bearer"',
        `          credentials_file: ${JSON.stringify(credentialsFile)}`,
        '',
      ].join('\n'),
    );
  });

  it("is a configuration Prometheus's own promtool accepts", () => {
    // promtool comes with Debian's prometheus package, which scripts/prerequisites.sh installs.
    const promtool = which('promtool');
    expect(promtool, 'promtool (Debian package prometheus) is not on the PATH').toBeDefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-promtool-'));
    try {
      const file = path.join(dir, 'prometheus.yml');
      fs.writeFileSync(file, yml);
      const r = spawnSync(promtool!, ['check', 'config', file], { encoding: 'utf8' });
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes the real Prometheus send its token as a Bearer credential to the scrapes and the service discoveries, and scrape a pod at the path its group names', async () => {
    // What Sluice's authentication takes: `Bearer slu_...`. Debian's Prometheus 2.42 sent the bare
    // token to the service discovery when the type was left to its default (every SD ask was a 401).
    const seen = new Map<string, string | undefined>();
    const POD_PATH = '/api/v1/prometheus/pods/k8s/flink-orders-jm/metrics';
    const sluice = http.createServer((req, res) => {
      seen.set(req.url ?? '', req.headers.authorization);
      const text = req.url === '/metrics' || req.url === POD_PATH;
      res.setHeader('content-type', text ? 'text/plain' : 'application/json');
      if (req.url === '/api/v1/prometheus/pod-targets') {
        // A pod's group as Sluice lists it: addressed to Sluice, the pod's path and scheme as labels.
        const { port } = sluice.address() as { port: number };
        res.end(
          JSON.stringify([
            {
              targets: [`127.0.0.1:${port}`],
              labels: { process: 'flink-orders-jm', __metrics_path__: POD_PATH, __scheme__: 'http' },
            },
          ]),
        );
      } else res.end(text ? '' : '[]');
    });
    await new Promise<void>((r) => sluice.listen(0, '127.0.0.1', r));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-prometheus-'));
    const [port] = await freePorts(1);
    const { port: sluicePort } = sluice.address() as { port: number };
    const file = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(
      file,
      renderPrometheusConfig({
        sluiceUrl: `http://127.0.0.1:${sluicePort}`,
        scrapeInterval: '1s',
        credentialsFile,
      }),
    );
    const prometheus = spawn(
      which('prometheus')!,
      [`--config.file=${file}`, `--storage.tsdb.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    try {
      const deadline = Date.now() + 30_000;
      while (seen.size < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(Object.fromEntries(seen)).toEqual({
        '/metrics': 'Bearer slu_test',
        '/api/v1/prometheus/targets': 'Bearer slu_test',
        '/api/v1/prometheus/pod-targets': 'Bearer slu_test',
        [POD_PATH]: 'Bearer slu_test',
      });
    } finally {
      prometheus.kill('SIGKILL');
      await new Promise<void>((r) => sluice.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("evaluates Sluice's alert rules and sends their alerts to the Alertmanager in use, as promtool accepts", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-promtool-'));
    try {
      const ruleFile = path.join(dir, 'alert-rules.yml');
      fs.writeFileSync(ruleFile, 'groups: []\n');
      const withAlerts = renderPrometheusConfig({
        sluiceUrl: 'http://127.0.0.1:8080',
        scrapeInterval: '15s',
        alerting: { ruleFile, alertmanagerUrl: 'http://127.0.0.1:9193' },
        credentialsFile,
      });
      expect(withAlerts.split('\n').slice(30)).toEqual([
        'rule_files:',
        `  - ${JSON.stringify(ruleFile)}`,
        'alerting:',
        '  alertmanagers:',
        '    - scheme: "http"',
        '      static_configs:',
        '        - targets: ["127.0.0.1:9193"]',
        '',
      ]);
      const file = path.join(dir, 'prometheus.yml');
      fs.writeFileSync(file, withAlerts);
      const r = spawnSync(which('promtool')!, ['check', 'config', file], { encoding: 'utf8' });
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
      // Without an Alertmanager (SLUICE_ALERTMANAGER=off) the rules are still evaluated, their alerts kept.
      const alone = renderPrometheusConfig({
        sluiceUrl: 'http://127.0.0.1:8080',
        scrapeInterval: '15s',
        alerting: { ruleFile, alertmanagerUrl: null },
        credentialsFile,
      });
      expect(alone).toContain('rule_files:');
      expect(alone).not.toContain('alerting:');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

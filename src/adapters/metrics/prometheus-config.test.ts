import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it("scrapes Sluice's own /metrics and the targets Sluice's HTTP service discovery names, with its own token", () => {
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
        `      credentials_file: ${JSON.stringify(credentialsFile)}`,
        '    static_configs:',
        '      - targets: ["127.0.0.1:8080"]',
        '  - job_name: "flink"',
        '    http_sd_configs:',
        '      - url: "http://127.0.0.1:8080/api/v1/prometheus/targets"',
        '        refresh_interval: "15s"',
        '        authorization:',
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
      expect(withAlerts.split('\n').slice(18)).toEqual([
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

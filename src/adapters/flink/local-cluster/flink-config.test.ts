import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  clusterDirs,
  flinkConfiguration,
  hasPrometheusReporter,
  metricsPortProperty,
  renderConfig,
  writeClusterFiles,
} from './flink-config.ts';
import type { FlinkRestTls } from './rest-tls.ts';
import { taskManagerArgs } from './jvm.ts';

const spec = {
  restPort: 8081,
  rpcPort: 6123,
  jobManagerMemory: '1024m',
  taskManagerMemory: '1536m',
  slotsPerTaskManager: 2,
  flinkConfig: {},
};
const dirs = clusterDirs('/tmp/c');

describe("a local cluster's Prometheus reporter", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-reporter-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("names Flink's reporter factory when the engine carries the plugin, and no port (each process has its own)", () => {
    const config = flinkConfiguration({ ...spec, prometheusReporter: true }, dirs);
    expect(config['metrics.reporter.prom.factory.class']).toBe(
      'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
    );
    expect(config).not.toHaveProperty('metrics.reporter.prom.port');
    expect(renderConfig(config)).toContain(
      'metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory\n',
    );
    expect(flinkConfiguration(spec, dirs)).not.toHaveProperty('metrics.reporter.prom.factory.class');
  });

  it('gives each JVM its port as a dynamic property, after the memory ones', () => {
    expect(metricsPortProperty(9311)).toEqual(['-D', 'metrics.reporter.prom.port=9311']);
    expect(metricsPortProperty(null)).toEqual([]);
    const args = taskManagerArgs(
      { jvmArgs: ['-Xmx1g'], dynamicProperties: ['-D', 'taskmanager.memory.network.min=64mb'] },
      {},
      '/tmp/c/conf',
      '/tmp/c/log/taskmanager-1.log',
      ['/e/lib/a.jar'],
      9311,
    );
    expect(args.slice(-6)).toEqual([
      '--configDir',
      '/tmp/c/conf',
      '-D',
      'taskmanager.memory.network.min=64mb',
      '-D',
      'metrics.reporter.prom.port=9311',
    ]);
  });

  it('is on only for an engine whose plugins/metrics-prometheus holds a jar', () => {
    expect(hasPrometheusReporter(scratch)).toBe(false);
    const dir = path.join(scratch, 'plugins', 'metrics-prometheus');
    fs.mkdirSync(dir, { recursive: true });
    expect(hasPrometheusReporter(scratch)).toBe(false);
    fs.writeFileSync(path.join(dir, 'flink-metrics-prometheus-1.20.3.jar'), 'jar');
    expect(hasPrometheusReporter(scratch)).toBe(true);
  });
});

describe("a local cluster's REST doors", () => {
  const tls: FlinkRestTls = {
    dir: '/home/u/.sluice/flink-tls',
    keystore: '/home/u/.sluice/flink-tls/flink.p12',
    truststore: '/home/u/.sluice/flink-tls/truststore.p12',
    password: 'pw',
    caPem: '',
  };

  it("serve TLS with mutual authentication with the home's keys, whatever the cluster's own options say", () => {
    const config = flinkConfiguration(
      {
        ...spec,
        flinkConfig: { 'security.ssl.rest.enabled': 'false', 'taskmanager.numberOfTaskSlots': '3' },
        restTls: tls,
      },
      dirs,
    );
    expect(config).toMatchObject({
      'security.ssl.rest.enabled': 'true',
      'security.ssl.rest.authentication-enabled': 'true',
      'security.ssl.rest.keystore': tls.keystore,
      'security.ssl.rest.keystore-password': 'pw',
      'security.ssl.rest.key-password': 'pw',
      'security.ssl.rest.truststore': tls.truststore,
      'security.ssl.rest.truststore-password': 'pw',
      // The cluster's other options still apply.
      'taskmanager.numberOfTaskSlots': '3',
    });
  });

  it('are plain HTTP without keys: no security.ssl option at all', () => {
    for (const restTls of [undefined, null])
      expect(
        Object.keys(flinkConfiguration({ ...spec, restTls }, dirs)).filter((k) =>
          k.startsWith('security.ssl'),
        ),
      ).toEqual([]);
  });

  it("are written in a configuration file only its owner reads (it holds the keys' password)", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-doors-'));
    try {
      const d = clusterDirs(root);
      writeClusterFiles(d, '1.20.3', flinkConfiguration({ ...spec, restTls: tls }, d));
      const file = path.join(d.conf, 'config.yaml');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, 'utf8')).toContain('security.ssl.rest.authentication-enabled: true\n');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

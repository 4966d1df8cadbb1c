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
} from './flink-config.ts';
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

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  flinkLabelValue,
  JOB_PANEL_IDS,
  jobPanels,
  jobSelector,
  kafkaLagQuery,
  lineName,
  processSelector,
} from './job-panels.ts';

const A = '0123456789abcdef0123456789abcdef';
const B = 'fedcba9876543210fedcba9876543210';

describe('the catalog of a job’s panels', () => {
  it('asks every job-scoped panel over each Flink job id the job had, never by its rewritten name', () => {
    const panels = jobPanels({ flinkJobIds: [A, B], target: 'local-1.20' }, { perPartition: true });
    expect(panels.map((p) => p.id)).toEqual(JOB_PANEL_IDS);
    for (const p of panels.filter((p) => p.scope === 'job')) {
      expect(p.query).toContain(`job_id=~"${A}|${B}"`);
      expect(p.query).not.toContain('job_name');
    }
    const byId = Object.fromEntries(panels.map((p) => [p.id, p]));
    expect(byId['records-out']!.query).toBe(
      `sum by (operator_name) (flink_taskmanager_job_task_operator_numRecordsOutPerSecond{job_id=~"${A}|${B}"})`,
    );
    expect(byId['backpressure']!.query).toContain('flink_taskmanager_job_task_backPressuredTimeMsPerSecond');
    // -1 until a checkpoint completes: left out.
    expect(byId['checkpoint-duration']!.query).toBe(
      `max(flink_jobmanager_job_lastCheckpointDuration{job_id=~"${A}|${B}"} >= 0)`,
    );
    expect(byId['restarts']!.query).toContain('flink_jobmanager_job_numRestarts');
    // A watermark not yet set (Long.MIN_VALUE) is left out, not charted as a lag of 292 million years.
    expect(byId['watermark-lag']!.query).toContain(
      'currentOutputWatermark{' + `job_id=~"${A}|${B}"` + '} > 0',
    );
    // The lag the `lag` alert rule compares (per job there), per source operator here.
    expect(byId['kafka-lag']!.query).toBe(
      `max by (operator_name) ({__name__=~"flink_taskmanager_job_task_operator_(pendingRecords|KafkaSourceReader_KafkaConsumer_records_lag_max)", job_id=~"${A}|${B}"})`,
    );
    expect(kafkaLagQuery('job_id')).toBe(
      'max by (job_id) ({__name__=~"flink_taskmanager_job_task_operator_(pendingRecords|KafkaSourceReader_KafkaConsumer_records_lag_max)"})',
    );
  });

  it('draws the lines per Kafka partition only when asked', () => {
    const scope = { flinkJobIds: [A], target: 'local-1.20' };
    const plain = jobPanels(scope).map((p) => p.id);
    expect(plain).not.toContain('kafka-partition-lag');
    expect(plain).toContain('kafka-lag');
    const asked = jobPanels(scope, { perPartition: true }).filter((p) => p.perPartition);
    expect(asked.map((p) => [p.id, p.legend, p.scope])).toEqual([
      ['kafka-partition-lag', 'topic_partition', 'job'],
      ['kafka-partition-committed-lag', 'topic_partition', 'job'],
    ]);
    for (const p of asked) expect(p.query).toContain(`job_id=~"${A}"`);
  });

  it('draws records, backpressure and busy time per subtask when asked, each line named by its operator and index', () => {
    const scope = { flinkJobIds: [A], target: 'local-1.20' };
    const plain = Object.fromEntries(jobPanels(scope).map((p) => [p.id, p]));
    const fine = jobPanels(scope, { perSubtask: true });
    // The same panels, in the same order: four of them finer.
    expect(fine.map((p) => p.id)).toEqual(Object.keys(plain));
    expect(fine.filter((p) => p.perSubtask).map((p) => [p.id, p.legend])).toEqual([
      ['records-in', 'subtask'],
      ['records-out', 'subtask'],
      ['backpressure', 'subtask'],
      ['busy', 'subtask'],
    ]);
    const byId = Object.fromEntries(fine.map((p) => [p.id, p]));
    expect(byId['backpressure']!.query).toBe(
      `label_join(max by (task_name, subtask_index) (flink_taskmanager_job_task_backPressuredTimeMsPerSecond{job_id=~"${A}"}), "subtask", " #", "task_name", "subtask_index")`,
    );
    expect(byId['records-out']!.title).toBe('Records out per second, per subtask');
    expect(byId['heap']).toEqual(plain['heap']);
    expect(plain['busy']!.perSubtask).toBeUndefined();
  });

  it('gives one line per subtask, as promtool evaluates it', () => {
    const pressed = jobPanels({ flinkJobIds: [A], target: 't' }, { perSubtask: true }).find(
      (p) => p.id === 'backpressure',
    )!;
    const series = (subtask: number, tm: string, v: string) => ({
      series: `flink_taskmanager_job_task_backPressuredTimeMsPerSecond{job="flink", job_id="${A}", task_name="Source: src", task_id="v1", subtask_index="${subtask}", tm_id="${tm}"}`,
      values: v,
    });
    const tests = {
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            series(0, 'tm1', '900x5'),
            series(1, 'tm1', '100x5'),
            // Subtask 1 after a restart on another TaskManager: still one line, its highest.
            series(1, 'tm2', '300x5'),
            {
              series: `flink_taskmanager_job_task_backPressuredTimeMsPerSecond{job_id="${B}", task_name="Source: src", subtask_index="0"}`,
              values: '1000x5',
            },
          ],
          promql_expr_test: [
            {
              expr: pressed.query,
              eval_time: '2m',
              exp_samples: [
                {
                  labels: '{task_name="Source: src", subtask_index="0", subtask="Source: src #0"}',
                  value: 900,
                },
                {
                  labels: '{task_name="Source: src", subtask_index="1", subtask="Source: src #1"}',
                  value: 300,
                },
              ],
            },
          ],
        },
      ],
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-promql-'));
    try {
      fs.writeFileSync(path.join(dir, 'test.yml'), JSON.stringify(tests));
      const r = spawnSync('promtool', ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' });
      expect(r.error?.message, 'promtool (Debian package prometheus) is not on the PATH').toBeUndefined();
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes label values as Flink’s reporter does: anything but [a-zA-Z0-9:_] as _', () => {
    expect(flinkLabelValue('page-views')).toBe('page_views');
    expect(flinkLabelValue('shop.orders:v2')).toBe('shop_orders:v2');
  });

  it('joins the broker’s end to Flink’s position per partition, as promtool evaluates it', () => {
    const [lag, committed] = jobPanels({ flinkJobIds: [A], target: 't' }, { perPartition: true }).filter(
      (p) => p.perPartition,
    );
    const end = (p: number, v: string) => ({
      series: `sluice_kafka_partition_end_offset{job="sluice", exported_job="views", job_id="${A}", connection="local", topic="page-views", flink_topic="page_views", partition="${p}"}`,
      values: v,
    });
    const current = (p: number, subtask: number, v: string) => ({
      series: `flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_currentOffset{job="flink", job_id="${A}", operator_name="Source: views", subtask_index="${subtask}", topic="page_views", partition="${p}"}`,
      values: v,
    });
    const tests = {
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            end(0, '100x5'),
            end(1, '40x5'),
            end(2, '7x5'),
            // Partition 0 read up to offset 89 (next: 90), 1 to its end; 2 not read yet (-1): no line.
            current(0, 0, '89x5'),
            current(1, 1, '39x5'),
            current(2, 0, '-1x5'),
            // Another job's series of the same topic are not this job's.
            {
              series: `sluice_kafka_partition_end_offset{job_id="${B}", topic="page-views", flink_topic="page_views", partition="0"}`,
              values: '999x5',
            },
            {
              series: `sluice_kafka_consumer_lag{job="sluice", exported_job="views", job_id="${A}", connection="local", topic="page-views", flink_topic="page_views", partition="0", group="g"}`,
              values: '25x5',
            },
          ],
          promql_expr_test: [
            {
              expr: lag!.query,
              eval_time: '2m',
              exp_samples: [
                {
                  labels:
                    '{topic="page-views", flink_topic="page_views", partition="0", topic_partition="page-views/0"}',
                  value: 10,
                },
                {
                  labels:
                    '{topic="page-views", flink_topic="page_views", partition="1", topic_partition="page-views/1"}',
                  value: 0,
                },
              ],
            },
            {
              expr: committed!.query,
              eval_time: '2m',
              exp_samples: [
                { labels: '{topic="page-views", partition="0", topic_partition="page-views/0"}', value: 25 },
              ],
            },
          ],
        },
      ],
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-promql-'));
    try {
      fs.writeFileSync(path.join(dir, 'test.yml'), JSON.stringify(tests));
      const r = spawnSync('promtool', ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' });
      expect(r.error?.message, 'promtool (Debian package prometheus) is not on the PATH').toBeUndefined();
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('picks the JVM series by the discovery labels: the job’s own cluster or its session cluster', () => {
    const heap = jobPanels({ flinkJobIds: [A], target: 'local-application-1.20' }).find(
      (p) => p.id === 'heap',
    )!;
    expect(heap.scope).toBe('processes');
    expect(heap.legend).toBe('process');
    expect(heap.query).toBe(
      `max by (process) ({__name__=~"flink_(jobmanager|taskmanager)_Status_JVM_Memory_Heap_Used", target="local-application-1.20", flink_job_id=~"${A}|"})`,
    );
    expect(processSelector({ flinkJobIds: [A], target: 'a"b\\c' })).toBe(
      `target="a\\"b\\\\c", flink_job_id=~"${A}|"`,
    );
  });

  it('refuses a job without a Flink job id, and anything that is not one', () => {
    expect(() => jobSelector({ flinkJobIds: [], target: 't' })).toThrow(/no series/);
    expect(() => jobSelector({ flinkJobIds: ['.*'], target: 't' })).toThrow(/not a Flink job id/);
  });

  it('names a line by its legend label, else by the panel', () => {
    expect(lineName({ legend: 'operator_name', title: 'T' }, { operator_name: 'Source: orders' })).toBe(
      'Source: orders',
    );
    expect(lineName({ legend: null, title: 'Restarts' }, { job_id: A })).toBe('Restarts');
  });

  it("is PromQL Prometheus's own promtool parses: every query, as a recording rule", () => {
    // promtool comes with Debian's prometheus package, which scripts/prerequisites.sh installs.
    const scope = { flinkJobIds: [A, B], target: 'local-application-1.20' };
    const panels = [
      ...jobPanels(scope, { perPartition: true }),
      ...jobPanels(scope, { perSubtask: true })
        .filter((p) => p.perSubtask)
        .map((p) => ({ ...p, id: `${p.id}-per-subtask` })),
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-promql-'));
    try {
      const file = path.join(dir, 'rules.yml');
      const rules = panels.map(
        (p) => `      - record: sluice:${p.id.replace(/-/g, '_')}\n        expr: ${JSON.stringify(p.query)}`,
      );
      fs.writeFileSync(file, `groups:\n  - name: job\n    rules:\n${rules.join('\n')}\n`);
      const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(r.error?.message, 'promtool (Debian package prometheus) is not on the PATH').toBeUndefined();
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(`${panels.length} rules found`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

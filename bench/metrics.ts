import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseAlertmanagerSettings } from '../src/domain/alerts/alertmanager-settings.ts';
import { parsePrometheusSettings } from '../src/domain/metrics/prometheus-settings.ts';
import type { FlinkMetricsEndpoint } from '../src/domain/metrics/scrape-targets.ts';
import { freePort } from '../test/support/ports.ts';
import { benchPlatform, median, secs, servedBenchPlatform } from './platform.ts';
import { storedSqlContent } from '../test/support/job-content.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p99 = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
};
const flinkJobId = (i: number) => i.toString(16).padStart(32, '0');
const CONTENT = storedSqlContent({ parallelism: 2, target: 'bench' });

/** Settings of the embedded Prometheus and (off) Alertmanager for a bench platform. */
const embedded = (scrapeInterval: string) => {
  const prometheus = parsePrometheusSettings({
    ...process.env,
    SLUICE_PROMETHEUS_PORT: '0',
    SLUICE_PROMETHEUS_SCRAPE_INTERVAL: scrapeInterval,
  });
  if (prometheus.mode !== 'embedded')
    throw new Error('the metrics benches run their own Prometheus: unset SLUICE_PROMETHEUS*');
  return { prometheus, alertmanager: parseAlertmanagerSettings({ SLUICE_ALERTMANAGER: 'off' }) };
};

/** Prometheus's own answer to an instant query: the first sample's value. */
async function instant(promUrl: string, query: string): Promise<number> {
  const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await r.json()) as { data?: { result?: { value: [number, string] }[] } };
  return Number(body.data?.result?.[0]?.value[1] ?? NaN);
}

// ---------------------------------------------------------------------------------------------------
// metrics-sd

/**
 * What a TaskManager's Flink Prometheus reporter answers, shaped like Flink 1.20's: its names and
 * labels, for one job of 3 operators in 2 tasks at parallelism 2, and the TaskManager's JVM and
 * Status series (about 300 series).
 */
function reporterText(tm: number, jobId: string): string {
  const host = '127.0.0.1';
  const tmId = `127.0.0.1:${40000 + tm}-${tm.toString(16).padStart(6, '0')}`;
  const lines: string[] = [];
  const family = (name: string, help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, v] of samples) lines.push(`${name}{${labels}} ${v}`);
  };
  const base = `host="${host}",tm_id="${tmId}"`;
  const tasks = [
    { task: 'Source__src', ops: ['Source__src', 'Calc'] },
    { task: 'Sink__dst', ops: ['Sink__dst'] },
  ];
  const taskLabels: string[] = [];
  const opLabels: string[] = [];
  tasks.forEach((t, ti) => {
    for (let s = 0; s < 2; s++) {
      const task = `${base},job_id="${jobId}",task_id="${ti}${jobId.slice(1)}",task_attempt_id="${s}${ti}${jobId.slice(2)}",task_name="${t.task}",task_attempt_num="0",job_name="job_${tm}",subtask_index="${s}"`;
      taskLabels.push(task);
      t.ops.forEach((op, oi) =>
        opLabels.push(`${task},operator_id="${oi}${ti}${jobId.slice(2)}",operator_name="${op}"`),
      );
    }
  });
  const OPERATOR = [
    'numRecordsIn',
    'numRecordsInPerSecond',
    'numRecordsOut',
    'numRecordsOutPerSecond',
    'numBytesIn',
    'numBytesOut',
    'currentInputWatermark',
    'currentOutputWatermark',
    'numLateRecordsDropped',
    'numSplitsProcessed',
    'pendingRecords',
    'sourceIdleTime',
    'watermarkAlignmentDrift',
    'numRecordsSend',
    'numRecordsSendErrors',
    'numBytesSend',
    'currentEmitEventTimeLag',
    'currentFetchEventTimeLag',
    'numRecordsInErrors',
    'lastCheckpointDuration',
  ];
  const TASK = [
    'busyTimeMsPerSecond',
    'idleTimeMsPerSecond',
    'backPressuredTimeMsPerSecond',
    'softBackPressuredTimeMsPerSecond',
    'hardBackPressuredTimeMsPerSecond',
    'maxSoftBackPressureTimeMs',
    'maxHardBackPressureTimeMs',
    'accumulatedBusyTimeMs',
    'accumulatedIdleTimeMs',
    'accumulatedBackPressuredTimeMs',
    'numRecordsIn',
    'numRecordsOut',
    'numRecordsInPerSecond',
    'numRecordsOutPerSecond',
    'numBytesIn',
    'numBytesOut',
    'numBytesInPerSecond',
    'numBytesOutPerSecond',
    'isBackPressured',
    'checkpointStartDelayNanos',
    'Shuffle_Netty_Input_Buffers_inPoolUsage',
    'Shuffle_Netty_Output_Buffers_outPoolUsage',
    'Shuffle_Netty_Input_Buffers_inputQueueLength',
    'Shuffle_Netty_Output_Buffers_outputQueueLength',
    'mailboxMailsPerSecond',
    'mailboxLatencyMs',
    'mailboxQueueSize',
  ];
  for (const m of OPERATOR)
    family(
      `flink_taskmanager_job_task_operator_${m}`,
      m,
      opLabels.map((l, i) => [l, (tm * 7 + i) % 1000]),
    );
  for (const m of TASK)
    family(
      `flink_taskmanager_job_task_${m}`,
      m,
      taskLabels.map((l, i) => [l, (tm * 3 + i) % 1000]),
    );
  const JVM = [
    'Status_JVM_CPU_Load',
    'Status_JVM_CPU_Time',
    'Status_JVM_Memory_Heap_Used',
    'Status_JVM_Memory_Heap_Committed',
    'Status_JVM_Memory_Heap_Max',
    'Status_JVM_Memory_NonHeap_Used',
    'Status_JVM_Memory_NonHeap_Committed',
    'Status_JVM_Memory_NonHeap_Max',
    'Status_JVM_Memory_Metaspace_Used',
    'Status_JVM_Memory_Metaspace_Committed',
    'Status_JVM_Memory_Metaspace_Max',
    'Status_JVM_Memory_Direct_Count',
    'Status_JVM_Memory_Direct_MemoryUsed',
    'Status_JVM_Memory_Direct_TotalCapacity',
    'Status_JVM_Memory_Mapped_Count',
    'Status_JVM_Memory_Mapped_MemoryUsed',
    'Status_JVM_Memory_Mapped_TotalCapacity',
    'Status_JVM_Threads_Count',
    'Status_JVM_ClassLoader_ClassesLoaded',
    'Status_JVM_ClassLoader_ClassesUnloaded',
    'Status_JVM_GarbageCollector_G1_Young_Generation_Count',
    'Status_JVM_GarbageCollector_G1_Young_Generation_Time',
    'Status_JVM_GarbageCollector_G1_Old_Generation_Count',
    'Status_JVM_GarbageCollector_G1_Old_Generation_Time',
    'Status_JVM_GarbageCollector_All_Count',
    'Status_JVM_GarbageCollector_All_Time',
    'Status_JVM_GarbageCollector_All_TimeMsPerSecond',
    'Status_Flink_Memory_Managed_Used',
    'Status_Flink_Memory_Managed_Total',
    'Status_Shuffle_Netty_AvailableMemorySegments',
    'Status_Shuffle_Netty_UsedMemorySegments',
    'Status_Shuffle_Netty_TotalMemorySegments',
    'Status_Shuffle_Netty_AvailableMemory',
    'Status_Shuffle_Netty_UsedMemory',
    'Status_Shuffle_Netty_TotalMemory',
    'Status_Network_AvailableMemorySegments',
    'Status_Network_TotalMemorySegments',
  ];
  for (const m of JVM) family(`flink_taskmanager_${m}`, m, [[base, tm * 1000 + m.length]]);
  return `${lines.join('\n')}\n`;
}

/** SIMULATED TaskManager reporters: one HTTP server per port, each answering its reporter text. */
async function simulatedReporters(
  n: number,
): Promise<{ ports: number[]; series: number; close: () => void }> {
  const servers: http.Server[] = [];
  const ports: number[] = [];
  let series = 0;
  for (let i = 0; i < n; i++) {
    const text = reporterText(i, flinkJobId(i + 1));
    if (i === 0) series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(text);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    ports.push((server.address() as { port: number }).port);
  }
  return { ports, series, close: () => servers.forEach((s) => s.close()) };
}

/** CPU seconds (user + system) of a process so far, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

const SD_SCRAPE_INTERVAL = '5s';
const WARM_UP_MS = 10_000;
const WINDOW_MS = 60_000;

/**
 * A Prometheus scraping `jobs` targets, measured over the window once every target answered. Its
 * targets are chosen by `role`: the discovery's `job` label (the job's name) replaces the scrape job's.
 */
async function scrapeCost(promUrl: string, pid: number, jobs: number): Promise<string> {
  const end = Date.now() + 120_000;
  while ((await instant(promUrl, 'sum(up{role="taskmanager"})')) !== jobs) {
    if (Date.now() > end) throw new Error(`Prometheus at ${promUrl} does not scrape all ${jobs} targets`);
    await sleep(1000);
  }
  await sleep(WARM_UP_MS);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(WINDOW_MS);
  const cpu = cpuSeconds(pid) - cpu0;
  const minutes = (performance.now() - t0) / 60_000;
  const scrape = await instant(
    promUrl,
    'avg(avg_over_time(scrape_duration_seconds{role="taskmanager"}[1m]))',
  );
  const scrapeMax = await instant(
    promUrl,
    'max(max_over_time(scrape_duration_seconds{role="taskmanager"}[1m]))',
  );
  const samples = await instant(promUrl, 'sum(scrape_samples_scraped{role="taskmanager"})');
  return `${(cpu / minutes).toFixed(2)} CPU s per minute, ${rssMb(pid).toFixed(0)} MB resident, scrape duration avg ${(scrape * 1000).toFixed(1)} ms, max ${(scrapeMax * 1000).toFixed(1)} ms, ${samples} samples per round`;
}

/**
 * `npm run bench metrics-sd`: Sluice's Prometheus HTTP service discovery with 100 and 1,000 jobs, and
 * the embedded Prometheus scraping their (SIMULATED) TaskManagers through it, beside the same
 * Prometheus scraping the same targets from static_configs.
 */
export async function metricsServiceDiscovery(scratch: string): Promise<void> {
  console.log(
    `\n== Prometheus service discovery and scrape cost (SIMULATED Flink reporters, scrape interval ${SD_SCRAPE_INTERVAL}) ==`,
  );
  for (const jobs of [100, 1000]) {
    const reporters = await simulatedReporters(jobs);
    const platform = await benchPlatform(scratch, `sd-${jobs}`, {}, embedded(SD_SCRAPE_INTERVAL));
    const { app, base } = await servedBenchPlatform(platform);
    let baseline: ChildProcess | null = null;
    try {
      if (jobs === 100)
        console.log(
          `each SIMULATED TaskManager answers ${reporters.series} series (Flink 1.20 reporter names and labels: one job, 3 operators in 2 tasks at parallelism 2, JVM and Status)`,
        );
      // Every job RUNNING on its own (application) cluster of one TaskManager, whose reporter the
      // simulated server answers: the discovery reads the jobs from the store and the endpoints from
      // the targets, here the simulated ones in place of live clusters' processes.
      const endpoints: FlinkMetricsEndpoint[] = [];
      for (let i = 0; i < jobs; i++) {
        const name = `job-${String(i).padStart(4, '0')}`;
        const job = await platform.store.jobs.create(name, CONTENT, 'bench', 'bench');
        await platform.store.jobs.updateRuntime(job.id, { flinkJobId: flinkJobId(i + 1), state: 'RUNNING' });
        endpoints.push({
          address: `127.0.0.1:${reporters.ports[i]}`,
          target: `app-${name}`,
          engineVersion: '1.20',
          role: 'taskmanager',
          process: 'taskmanager-1',
          job: { name, flinkJobId: flinkJobId(i + 1) },
        });
      }
      platform.targets.metricsEndpoints = () => Promise.resolve(endpoints);
      const token = (
        await platform.access.createToken('admin', { name: 'bench', scopes: ['read'], expiresAt: null })
      ).secret;
      const sd = async () => {
        const r = await fetch(`${base}/api/v1/prometheus/targets`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const groups = (await r.json()) as unknown[];
        if (groups.length !== jobs)
          throw new Error(`the discovery gave ${groups.length} groups, not ${jobs}`);
        return groups;
      };
      for (let i = 0; i < 10; i++) await sd();
      const runs: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        await sd();
        runs.push(performance.now() - t0);
      }
      const bytes = JSON.stringify(await sd()).length;
      console.log(
        `${String(jobs).padStart(5)} jobs: GET /api/v1/prometheus/targets median ${median(runs).toFixed(1)} ms, p99 ${p99(runs).toFixed(1)} ms (${jobs} target groups, ${(bytes / 1024).toFixed(0)} KB)`,
      );

      await platform.startPrometheus(base);
      const promUrl = platform.prometheus.url();
      const pid = (platform.prometheus as unknown as { pid: () => number | null }).pid();
      if (!promUrl || !pid) throw new Error('the embedded Prometheus did not start');
      console.log(
        `${String(jobs).padStart(5)} targets, embedded Prometheus through Sluice's discovery: ${await scrapeCost(promUrl, pid, jobs)}`,
      );
      await platform.prometheus.stop();

      // The baseline: the same Prometheus binary scraping the same targets from static_configs.
      const dir = path.join(scratch, `static-${jobs}`);
      fs.mkdirSync(dir, { recursive: true });
      const config = [
        'global:',
        `  scrape_interval: "${SD_SCRAPE_INTERVAL}"`,
        `  evaluation_interval: "${SD_SCRAPE_INTERVAL}"`,
        'scrape_configs:',
        '  - job_name: "flink"',
        '    static_configs:',
        ...endpoints.flatMap((e) => [
          `      - targets: ["${e.address}"]`,
          `        labels: {target: "${e.target}", engine_version: "1.20", role: "taskmanager", process: "${e.process}", job: "${e.job!.name}", flink_job_id: "${e.job!.flinkJobId}"}`,
        ]),
        '',
      ].join('\n');
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
      const port = await freePort();
      const child = spawn(
        'prometheus',
        [
          `--config.file=${path.join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: 'ignore' },
      );
      baseline = child;
      const staticUrl = `http://127.0.0.1:${port}`;
      const end = Date.now() + 60_000;
      while (
        !(await fetch(`${staticUrl}/-/ready`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (Date.now() > end) throw new Error('the baseline Prometheus did not get ready');
        await sleep(200);
      }
      console.log(
        `${String(jobs).padStart(5)} targets, baseline, same Prometheus from static_configs: ${await scrapeCost(staticUrl, child.pid!, jobs)}`,
      );
    } finally {
      if (baseline && baseline.exitCode === null) {
        const exited = new Promise((r) => baseline!.once('exit', r));
        baseline.kill('SIGTERM');
        await exited;
      }
      await app.close();
      await platform.close();
      reporters.close();
    }
  }
  console.log(
    "the discovery's own cost is its answer (the store's jobs and the targets' processes, read at each refresh); the scrapes themselves are the same work either way",
  );
}

// ---------------------------------------------------------------------------------------------------
// metrics-charts

const CHART_JOB = 'charted';
const CHART_JOB_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const DAY_S = 86_400;
const BACKFILL_STEP_S = 15;

/**
 * 24 hours of one job's series, every 15 s as the embedded Prometheus scrapes, in OpenMetrics text:
 * the names and labels the job's panels ask for (job-panels.ts), for a job of 3 operators in 2 tasks at
 * parallelism 2 on the session cluster `bench` (its JobManager and 2 TaskManagers).
 */
function backfillText(endS: number): { text: string; series: number } {
  const startS = endS - DAY_S;
  const families = new Map<string, { labels: string; value: (t: number) => number }[]>();
  const add = (name: string, labels: string, value: (t: number) => number) => {
    const list = families.get(name) ?? [];
    list.push({ labels, value });
    families.set(name, list);
  };
  const wave = (t: number, period: number, lo: number, hi: number) =>
    lo + ((hi - lo) * (1 + Math.sin((2 * Math.PI * t) / period))) / 2;
  const job = `job_id="${CHART_JOB_ID}",job_name="${CHART_JOB}"`;
  const tasks = [
    { task: 'Source__src', ops: ['Source__src', 'Calc'] },
    { task: 'Sink__dst', ops: ['Sink__dst'] },
  ];
  for (const [ti, t] of tasks.entries())
    for (let s = 0; s < 2; s++) {
      const task = `${job},task_name="${t.task}",subtask_index="${s}",tm_id="tm-${s + 1}"`;
      add('flink_taskmanager_job_task_backPressuredTimeMsPerSecond', task, (x) =>
        wave(x + ti * 900, 3600, 0, 400),
      );
      add('flink_taskmanager_job_task_busyTimeMsPerSecond', task, (x) => wave(x + s * 600, 7200, 100, 900));
      for (const op of t.ops) {
        const o = `${task},operator_name="${op}"`;
        add('flink_taskmanager_job_task_operator_numRecordsInPerSecond', o, (x) =>
          wave(x, 21_600, 500, 2000),
        );
        add('flink_taskmanager_job_task_operator_numRecordsOutPerSecond', o, (x) =>
          wave(x, 21_600, 480, 1990),
        );
        add(
          'flink_taskmanager_job_task_operator_currentOutputWatermark',
          o,
          (x) => x * 1000 - wave(x, 1800, 1000, 9000),
        );
        if (ti === 0 && op === 'Source__src')
          add('flink_taskmanager_job_task_operator_pendingRecords', o, (x) =>
            Math.round(wave(x, 10_800, 0, 50_000)),
          );
      }
    }
  add('flink_jobmanager_job_lastCheckpointDuration', job, (x) => Math.round(wave(x, 900, 200, 1500)));
  add('flink_jobmanager_job_lastCheckpointSize', job, (x) => Math.round(wave(x, 43_200, 1e7, 5e7)));
  add('flink_jobmanager_job_numberOfFailedCheckpoints', job, (x) => Math.floor((x - startS) / 21_600));
  add('flink_jobmanager_job_numRestarts', job, (x) => Math.floor((x - startS) / 43_200));
  for (const [role, proc] of [
    ['jobmanager', 'jobmanager'],
    ['taskmanager', 'taskmanager-1'],
    ['taskmanager', 'taskmanager-2'],
  ] as const) {
    const p = `target="bench",role="${role}",process="${proc}",engine_version="1.20"`;
    add(`flink_${role}_Status_JVM_Memory_Heap_Used`, p, (x) => Math.round(wave(x, 600, 1e8, 4e8)));
    add(`flink_${role}_Status_JVM_GarbageCollector_All_TimeMsPerSecond`, p, (x) => wave(x, 300, 0, 30));
    add(`flink_${role}_Status_JVM_CPU_Load`, p, (x) => wave(x, 1200, 0.05, 0.6));
  }
  const out: string[] = [];
  let series = 0;
  for (const [name, list] of families) {
    out.push(`# TYPE ${name} gauge`);
    for (const { labels, value } of list) {
      series++;
      for (let t = startS; t <= endS; t += BACKFILL_STEP_S) out.push(`${name}{${labels}} ${value(t)} ${t}`);
    }
  }
  out.push('# EOF', '');
  return { text: out.join('\n'), series };
}

/**
 * `npm run bench metrics-charts`: a job's charts over 24 hours from the embedded Prometheus filled by
 * backfilling (promtool), through the API beside the same PromQL straight to Prometheus, and in the
 * console (Debian's Chromium) from the Metrics tab clicked to every panel drawn.
 */
export async function metricsCharts(scratch: string, root: string): Promise<void> {
  console.log('\n== chart load time, one job over 24 hours (backfilled Prometheus) ==');
  if (!fs.existsSync(path.join(root, 'dist/web/index.html')))
    throw new Error('build the console first: npm run build:web');
  const platform = await benchPlatform(scratch, 'charts-home', {}, embedded('15s'));
  const { app, base } = await servedBenchPlatform(platform);
  const { chromium } = await import('playwright-core');
  let browser: import('playwright-core').Browser | null = null;
  try {
    const job = await platform.store.jobs.create(CHART_JOB, CONTENT, 'bench', 'bench');
    await platform.store.jobs.updateRuntime(job.id, { flinkJobId: CHART_JOB_ID, state: 'RUNNING' });
    const nowS = Math.floor(Date.now() / 1000) - 60;
    const { text, series } = backfillText(nowS);
    const file = path.join(scratch, 'charted.om');
    fs.writeFileSync(file, text);
    const dataDir = path.join(scratch, 'charts-home', 'prometheus', 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    const t0 = performance.now();
    const made = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], {
      encoding: 'utf8',
    });
    if (made.status !== 0) throw new Error(`promtool could not backfill: ${made.stderr}`);
    console.log(
      `backfilled ${series} series x ${DAY_S / BACKFILL_STEP_S + 1} samples (every ${BACKFILL_STEP_S} s for 24 h, ${(text.length / 1e6).toFixed(0)} MB of OpenMetrics) with promtool in ${secs(performance.now() - t0)}`,
    );
    fs.rmSync(file);
    await platform.startPrometheus(base);
    const promUrl = platform.prometheus.url();
    if (!promUrl) throw new Error('the embedded Prometheus did not start');
    const token = (
      await platform.access.createToken('admin', {
        name: 'bench',
        scopes: ['read', 'write'],
        expiresAt: null,
      })
    ).secret;
    const auth = { authorization: `Bearer ${token}` };

    // (a) The API for a range ending now, 24 h long (the step the server picks: about 300 points).
    const range = () => {
      const to = new Date();
      return { from: new Date(to.getTime() - DAY_S * 1000).toISOString(), to: to.toISOString() };
    };
    type View = {
      stepSeconds: number;
      panels: { id: string; query: string; lines: { points: unknown[] }[] }[];
    };
    const api = async () => {
      const r = range();
      const res = await fetch(`${base}/api/v1/jobs/${CHART_JOB}/metrics?from=${r.from}&to=${r.to}`, {
        headers: auth,
      });
      if (!res.ok) throw new Error(`GET metrics: ${res.status} ${await res.text()}`);
      return (await res.json()) as View;
    };
    const first = await api();
    const empty = first.panels.filter((p) => p.lines.length === 0).map((p) => p.id);
    if (empty.length) throw new Error(`panels without lines after the backfill: ${empty.join(', ')}`);
    const direct = async () => {
      const r = range();
      const step = first.stepSeconds;
      await Promise.all(
        first.panels.map(async (p) => {
          const q = new URLSearchParams({ query: p.query, start: r.from, end: r.to, step: String(step) });
          const res = await fetch(`${promUrl}/api/v1/query_range?${q}`);
          if (!res.ok) throw new Error(`query_range: ${res.status}`);
          await res.json();
        }),
      );
    };
    const runs = { api: [] as number[], direct: [] as number[] };
    for (let i = 0; i < 3; i++) {
      await api();
      await direct();
    }
    for (let i = 0; i < 10; i++) {
      let s = performance.now();
      await api();
      runs.api.push(performance.now() - s);
      s = performance.now();
      await direct();
      runs.direct.push(performance.now() - s);
    }
    const points = first.panels.reduce((n, p) => n + p.lines.reduce((m, l) => m + l.points.length, 0), 0);
    console.log(
      `GET /api/v1/jobs/${CHART_JOB}/metrics, 24 h (${first.panels.length} panels, step ${first.stepSeconds} s, ${points} points): median ${median(runs.api).toFixed(0)} ms of ${runs.api.length}`,
    );
    console.log(
      `baseline, the same ${first.panels.length} PromQL queries straight to Prometheus's /api/v1/query_range (in parallel): median ${median(runs.direct).toFixed(0)} ms of ${runs.direct.length}`,
    );

    // (b) The console in Chromium: the Metrics tab clicked, its 24 hours chosen, every panel drawn.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const panels = first.panels.length;
    const dayText = `a point every ${first.stepSeconds} s`;
    /** A signed-in page of a fresh context on the job, its Metrics tab not opened yet. */
    const jobPage = async () => {
      const context = await browser!.newContext({
        viewport: { width: 1400, height: 900 },
        extraHTTPHeaders: auth,
      });
      const page = await context.newPage();
      await page.goto(`${base}/jobs/${CHART_JOB}`);
      const tab = page.getByRole('tab', { name: 'Metrics' });
      await tab.waitFor();
      // Every panel's canvas there, then two frames: ECharts draws on the frame after its setOption.
      const allDrawn = () =>
        page.waitForFunction(
          (n) =>
            document.querySelectorAll('[data-testid^="metric-panel-"] canvas').length >= n &&
            new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))),
          panels,
          { timeout: 120_000 },
        );
      // The 24 h answer rendered: the board says its step (the 1 h view's is 15 s).
      const dayShown = () => page.getByText(dayText).waitFor({ timeout: 120_000 });
      const range = () => page.getByTestId('metrics-range').getByText('24 hours');
      return { context, tab, allDrawn, dayShown, range };
    };
    const runs24: number[] = [];
    const tabRuns: number[] = [];
    const dayRuns: number[] = [];
    for (let i = 0; i < 4; i++) {
      // As a user does it: the tab clicked, 24 hours chosen as soon as the range shows, all drawn.
      const p = await jobPage();
      let s = performance.now();
      await p.tab.click();
      await p.range().click();
      await p.dayShown();
      await p.allDrawn();
      runs24.push(performance.now() - s);
      await p.context.close();
      // Its two parts: the tab with its default hour drawn, then the 24 hours drawn.
      const q = await jobPage();
      s = performance.now();
      await q.tab.click();
      await q.allDrawn();
      tabRuns.push(performance.now() - s);
      s = performance.now();
      await q.range().click();
      await q.dayShown();
      await q.allDrawn();
      dayRuns.push(performance.now() - s);
      await q.context.close();
    }
    // The first round warms Chromium (its code cache of the chart bundle): left out of the medians.
    const warm = (xs: number[]) =>
      `median ${secs(median(xs.slice(1)))} of ${xs.slice(1).map(secs).join(', ')} (first, cold: ${secs(xs[0]!)})`;
    console.log(
      `console (Chromium): Metrics tab clicked, "24 hours" chosen, to all ${panels} panels drawn with the 24 h answer: ${warm(runs24)}`,
    );
    console.log(`  of which: the tab clicked to its panels drawn with its default 1 h: ${warm(tabRuns)}`);
    console.log(`  and: "24 hours" clicked on the drawn tab to the 24 h answer drawn: ${warm(dayRuns)}`);
  } finally {
    await browser?.close();
    await app.close();
    await platform.close();
  }
}

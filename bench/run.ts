/**
 * `npm run bench [provisioning|startup|job]`: measures and prints; asserts nothing.
 *  - provisioning: cold (an empty Maven cache, real downloads from Maven Central) and warm, for each
 *    engine Sluice can assemble (1.19, 1.20, 2.2).
 *  - startup: local cluster start to healthy; platform start to API ready with Flink provisioned.
 *  - job (bench/job.ts): start to RUNNING through the API, through the CLI and straight to the SQL
 *    Gateway, the CLI's own start-up, and where the API's time goes.
 *  - detection: time from a change made in Flink (a cancel behind the platform's back) to the event.
 *  - syntax: grammar validation of scripts of 50, 500 and 5,000 lines (median, p99).
 *  - lineage: table and column lineage of the same sizes, beside dt-sql-parser's entity collection.
 *  - debug: a debug run's time to first row with a cold and a warm sandbox, beside the same query
 *    sent straight to the SQL Gateway.
 *  - console: the web console's bundle sizes, first load with a cold browser cache to interactive
 *    beside the same for Flink's own Web UI (the baseline, direct and through Sluice's proxy), and
 *    the job list with 1,000 jobs, in Debian's Chromium.
 *  - cds (bench/cds.ts): a local cluster start's CPU (JobManager, TaskManager, SQL Gateway, Flink's
 *    memory calculation) without class-data sharing, at the first start with it and with its archives.
 *  - application (bench/application.ts): a SQL job's start to RUNNING on a warm session, on the
 *    local-application target (a new cluster per start), and Flink's own standalone application start.
 *  - k8s-standalone (bench/kubernetes-standalone.ts, only when named: it needs root and the local
 *    Kubernetes): a SQL job's start to RUNNING on a standalone Kubernetes target through the API,
 *    beside a plain kubectl apply of the same rendered manifests.
 *  - k8s-operator (bench/kubernetes-operator.ts, only when named): with jobs RUNNING on an operator
 *    target, the watch latency from a pod change to Sluice's pod watch (median, p99) and the API
 *    requests per minute per job (measured on a few jobs; 10 and 100 jobs computed).
 *  - k8s-requests (bench/kubernetes-requests.ts, only when named): the API requests per minute
 *    measured with 10 and 100 real SQL jobs RUNNING on a Kubernetes session target, and with 10 jobs
 *    on application clusters of the standalone way.
 *  - k8s-native (bench/kubernetes-native.ts, only when named, as k8s-standalone): a SQL job's start to
 *    RUNNING on a native Kubernetes target (Flink's own client) beside a standalone one, same cluster.
 *  - cli (bench/cli.ts): the CLI's start-up through tsx (before) and from its bundle (now), CPU and
 *    wall, with no server, without a request and against a running server.
 *  - alerts (bench/alerts.ts): the alert latency from a job failing to a webhook receiver getting the
 *    message through the embedded Prometheus and Alertmanager (median), beside the sum of the
 *    configured scrape, evaluation and group_wait intervals that bound it.
 *  - metrics-sd (bench/metrics.ts): Sluice's Prometheus HTTP service discovery (GET
 *    /api/v1/prometheus/targets) latency (median, p99) with 100 and 1,000 jobs, and the embedded
 *    Prometheus's scrape cost (CPU seconds per minute, resident memory, its scrape_duration_seconds)
 *    scraping their TaskManagers through it, beside the same Prometheus scraping the same targets from
 *    static_configs. The TaskManagers are SIMULATED: HTTP servers here answering Flink reporter text.
 *  - metrics-charts (bench/metrics.ts): a job's charts over 24 hours from the embedded Prometheus
 *    backfilled with promtool: GET /api/v1/jobs/{name}/metrics beside the same PromQL straight to
 *    Prometheus's query_range, and in Debian's Chromium the Metrics tab clicked with 24 hours chosen to
 *    every panel drawn (needs npm run build:web).
 *  - tracking: the tracker's CPU and requests with 1, 100 and 1,000 jobs over 1 and 10 clusters,
 *    against a SIMULATED Flink REST endpoint (a small HTTP server here that answers /jobs/overview).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/application/config.ts';
import { Platform } from '../src/composition/platform.ts';
import { provisionFlink } from '../src/adapters/flink/provisioning/maven-provisioner.ts';
import { supportedEngineVersions } from '../src/domain/engines/flink-distribution.ts';
import { SqlGatewayClient } from '../src/adapters/flink/sql-gateway/sql-gateway-client.ts';
import http from 'node:http';
import { buildServer } from '../src/http/server.ts';
import { checkSyntax, warmUpSyntaxChecker } from '../src/domain/sql/syntax.ts';
import { analyzeLineage } from '../src/domain/sql/lineage.ts';
import { splitStatements } from '../src/domain/sql/statements.ts';
import { FlinkSQL } from 'dt-sql-parser';
import { freePort } from '../test/support/ports.ts';
import { BENCH_JOB_SQL, benchPlatform, median, secs } from './platform.ts';
import { validation } from './validation.ts';
import { storedSqlContent } from '../test/support/job-content.ts';
import { flinkFetch } from '../src/adapters/flink/rest/flink-fetch.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-'));
const enginesDir = path.join(scratch, 'engines');
const sections = process.argv.slice(2);
const want = (s: string) => sections.length === 0 || sections.includes(s);
const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
};

/** Each engine Sluice can assemble, one after the other (each from its own empty Maven cache). */
async function provisioning(): Promise<void> {
  for (const version of supportedEngineVersions()) await provisioningOf(version);
}

async function provisioningOf(version: string): Promise<void> {
  console.log(`\n== engine provisioning (Flink ${version}) ==`);
  const coldRepo = path.join(scratch, 'cold-m2');
  const [cold, r] = await time(() =>
    provisionFlink({
      enginesDir: path.join(scratch, 'cold'),
      version,
      mavenLocalRepository: coldRepo,
    }),
  );
  const mb = (spawnSync('du', ['-sm', coldRepo], { encoding: 'utf8' }).stdout.split('\t')[0] ?? '?').trim();
  console.log(
    `cold, empty Maven cache, from Maven Central: ${secs(cold)} (${r.downloaded} files, ${mb} MB downloaded)`,
  );
  fs.rmSync(path.join(scratch, 'cold'), { recursive: true, force: true });
  const [warm, w] = await time(() =>
    provisionFlink({
      enginesDir: path.join(scratch, 'cold'),
      version,
      mavenLocalRepository: coldRepo,
    }),
  );
  console.log(`warm, cached, assembling the installation: ${secs(warm)} (${w.downloaded} files downloaded)`);
  const [again] = await time(() =>
    provisionFlink({
      enginesDir: path.join(scratch, 'cold'),
      version,
      mavenLocalRepository: coldRepo,
    }),
  );
  console.log(`re-run on an installed engine (verify only, no Maven): ${secs(again)}`);
  fs.rmSync(coldRepo, { recursive: true, force: true });
}

async function startup(): Promise<void> {
  console.log('\n== start-up ==');
  const platform = await benchPlatform(scratch, 'home');
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [ms] = await time(() => platform.targets.start('bench', () => {}));
    runs.push(ms);
    await platform.targets.stop('bench');
  }
  console.log(
    `local cluster start to healthy (JM + 1 TM + SQL Gateway): median ${secs(median(runs))} of ${runs.map(secs).join(', ')}`,
  );
  await platform.close();

  // The platform as users start it: `sluice server`, Flink provisioned, cluster already defined.
  const port = await freePort();
  const env = {
    ...process.env,
    SLUICE_HOME: path.join(scratch, 'home'),
    SLUICE_PORT: String(port),
    SLUICE_AUTO_START: 'false',
  };
  const apiRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const child = spawn(path.join(ROOT, 'bin/sluice'), ['server'], { env, stdio: 'ignore' });
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    apiRuns.push(performance.now() - t0);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  console.log(
    `platform start (\`sluice server\`) to API ready: median ${secs(median(apiRuns))} of ${apiRuns.map(secs).join(', ')}`,
  );
}

async function detection(): Promise<void> {
  console.log('\n== state-change detection (local target, tracker interval 1 s) ==');
  const platform = await benchPlatform(scratch, 'home');
  try {
    await platform.targets.start('bench', () => {});
    platform.tracker.start(platform.config.trackerIntervalMs);
    const cluster = await platform.targets.cluster('bench');
    const latencies: number[] = [];
    for (let i = 0; i < 12; i++) {
      const name = `detect-${i}`;
      await platform.jobs.create({ name, sql: BENCH_JOB_SQL(i), target: 'bench' }, 'bench');
      const sub = await platform.jobs.start(name, {}, 'bench');
      await platform.submissions.wait(sub.id);
      const { flinkJobId } = await platform.jobs.get(name);
      // Jitter so the change does not always land at the same point of the tracker's interval.
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      const seen = new Promise<number>((resolve, reject) => {
        // A pending timer keeps Node alive while waiting (the tracker's own timer is unref'd).
        const timeout = setTimeout(
          () => reject(new Error(`no CANCELLED event for ${name} within 30 s`)),
          30_000,
        );
        const off = platform.bus.subscribe((e) => {
          if (e.type === 'job.state' && e.jobName === name && e.event.to === 'CANCELLED') {
            clearTimeout(timeout);
            off();
            resolve(performance.now());
          }
        });
      });
      const t0 = performance.now();
      await flinkFetch(`${cluster.restUrl}/jobs/${flinkJobId}?mode=cancel`, { method: 'PATCH' });
      latencies.push((await seen) - t0);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
    console.log(
      `cancel in Flink -> CANCELLED event: median ${secs(median(latencies))}, p99 ${secs(p99)}, max ${secs(sorted.at(-1)!)} over ${latencies.length} changes`,
    );
  } finally {
    await platform.close();
  }
}

/** A SIMULATED Flink REST endpoint: /overview and /jobs/overview for a fixed set of RUNNING jobs. */
function simulatedFlink(
  jobIds: string[],
): Promise<{ url: string; requests: () => number; close: () => void }> {
  let requests = 0;
  const body = JSON.stringify({
    jobs: jobIds.map((jid) => ({
      jid,
      name: jid,
      state: 'RUNNING',
      'start-time': 0,
      'end-time': -1,
      tasks: { total: 2, running: 2, finished: 0 },
    })),
  });
  const server = http.createServer((req, res) => {
    requests++;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/jobs/overview') res.end(body);
    else
      res.end(
        JSON.stringify({
          taskmanagers: 1,
          'slots-total': 4,
          'slots-available': 4,
          'jobs-running': jobIds.length,
          'flink-version': '1.20.3',
        }),
      );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        requests: () => requests,
        close: () => server.close(),
      }),
    ),
  );
}

async function tracking(): Promise<void> {
  console.log('\n== tracking cost (SIMULATED Flink REST endpoints; one tracker round per second) ==');
  const engine = await provisionFlink({ enginesDir, version: '1.20' });
  for (const [jobCount, clusterCount] of [
    [1, 1],
    [100, 1],
    [1000, 1],
    [1000, 10],
  ] as const) {
    const home = path.join(scratch, `track-${jobCount}-${clusterCount}`);
    const platform = await Platform.open(
      { ...loadConfig({ SLUICE_HOME: home }), autoStart: false },
      pino({ level: 'silent' }),
    );
    await platform.engines.register(engine.home);
    const sims = [];
    for (let c = 0; c < clusterCount; c++) {
      const ids = Array.from(
        { length: jobCount / clusterCount },
        (_, i) => `${String(c).padStart(4, '0')}${String(i).padStart(28, '0')}`,
      );
      const sim = await simulatedFlink(ids);
      sims.push(sim);
      await platform.targets.registerRemote({
        name: `sim-${c}`,
        restUrl: sim.url,
        gatewayUrl: null,
        engineVersion: '',
      });
      for (const id of ids) {
        const job = await platform.store.jobs.create(
          `j-${c}-${id.slice(-6)}`,
          {
            kind: 'sql',
            description: '',
            sql: 'INSERT INTO a SELECT 1',
            options: {},
            parallelism: 1,
            engineVersion: '1.20',
            target: `sim-${c}`,
            restartPolicy: { kind: 'none' },
            resubmitPolicy: { kind: 'none' },
            catalogs: [],
            artifacts: [],
          },
          'bench',
          'bench',
        );
        await platform.store.jobs.updateRuntime(job.id, { flinkJobId: id, state: 'RUNNING' });
      }
    }
    await platform.tracker.tick(); // warm-up
    const before = sims.reduce((n, s) => n + s.requests(), 0);
    const rounds = 20;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) await platform.tracker.tick();
    const wall = (performance.now() - t0) / rounds;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / rounds;
    const requests = (sims.reduce((n, s) => n + s.requests(), 0) - before) / rounds;
    console.log(
      `${String(jobCount).padStart(5)} jobs on ${String(clusterCount).padStart(2)} cluster(s): ${requests} requests per round (= per second at 1 s), ${cpuMs.toFixed(1)} ms CPU and ${wall.toFixed(1)} ms wall per round (${(cpuMs / 10).toFixed(1)}% of one core at 1 s)`,
    );
    sims.forEach((s) => s.close());
    await platform.close();
  }
  console.log(
    'cost grows with clusters (one request each) and with jobs (one store query for all tracked jobs, the JSON of the overview); only a job whose state changes is read again',
  );
}

function syntax(): void {
  console.log('\n== syntax validation (dt-sql-parser Flink grammar, statement by statement) ==');
  const block = (i: number) => `-- block ${i}
CREATE TABLE src_${i} (
  id BIGINT, city STRING, amount DOUBLE, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
INSERT INTO sink_${i}
SELECT window_start, city, SUM(amount) FROM TABLE(TUMBLE(TABLE src_${i}, DESCRIPTOR(ts), INTERVAL '1' MINUTES))
GROUP BY window_start, window_end, city;
`;
  const t0 = performance.now();
  warmUpSyntaxChecker();
  console.log(
    `first call in a process (warm-up, done at server start): ${(performance.now() - t0).toFixed(0)} ms`,
  );
  for (const lines of [50, 500, 5000]) {
    const perBlock = block(0).split('\n').length - 1;
    const script = Array.from({ length: Math.ceil(lines / perBlock) }, (_, i) => block(i)).join('');
    const broken = script.replace('SELECT window_start', 'SELEC window_start');
    for (const [label, text] of [
      ['valid', script],
      ['one error', broken],
    ] as const) {
      for (let w = 0; w < 3; w++) checkSyntax(`${text}-- warm-up ${w}\n`); // JIT for this size
      const runs: number[] = [];
      for (let r = 0; r < (lines >= 5000 ? 5 : 20); r++) {
        // A new string each run: dt-sql-parser caches identical input.
        const input = `${text}-- run ${r}\n`;
        const s0 = performance.now();
        checkSyntax(input);
        runs.push(performance.now() - s0);
      }
      const sorted = [...runs].sort((a, b) => a - b);
      const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
      console.log(
        `${String(text.split('\n').length).padStart(5)} lines, ${label.padEnd(9)}: median ${median(runs).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
      );
    }
  }
  console.log('parsing dominates (ANTLR, one parse per statement); splitting and positions are negligible');
}

/** Runs `fn` on a fresh copy of the script each time (parsers cache identical input): median, p99. */
function measure(script: string, fn: (s: string) => unknown, runs: number): { median: number; p99: number } {
  for (let w = 0; w < 3; w++) fn(`${script}-- warm-up ${w}\n`);
  const xs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const input = `${script}-- run ${r}\n`;
    const s0 = performance.now();
    fn(input);
    xs.push(performance.now() - s0);
  }
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    median: median(xs),
    p99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!,
  };
}

function lineage(): void {
  console.log('\n== lineage (tables and columns) beside dt-sql-parser entity collection (tables only) ==');
  const block = (i: number) => `-- block ${i}
CREATE TABLE orders_${i} (
  id BIGINT, product INT, city STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'orders-${i}', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE TABLE products_${i} (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED)
  WITH ('connector' = 'jdbc', 'url' = 'jdbc:postgresql://db/shop', 'table-name' = 'products_${i}');
CREATE TABLE revenue_${i} (window_start TIMESTAMP(3), city STRING, name STRING, revenue DECIMAL(38, 2))
  WITH ('connector' = 'kafka', 'topic' = 'revenue-${i}', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE VIEW named_${i} AS
SELECT o.id, o.city, o.amount, o.ts, p.name FROM orders_${i} AS o JOIN products_${i} AS p ON o.product = p.id;
INSERT INTO revenue_${i}
SELECT window_start, city, name, SUM(amount) FROM TABLE(TUMBLE(TABLE named_${i}, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, city, name;
`;
  const grammar = new FlinkSQL();
  for (const lines of [50, 500, 5000]) {
    const perBlock = block(0).split('\n').length - 1;
    const script = Array.from({ length: Math.ceil(lines / perBlock) }, (_, i) => block(i)).join('');
    const n = script.split('\n').length;
    const runs = lines >= 5000 ? 5 : 20;
    const ours = measure(script, analyzeLineage, runs);
    const split = measure(script, splitStatements, runs);
    const theirs = measure(script, (s) => grammar.getAllEntities(s), lines >= 5000 ? 3 : 10);
    console.log(
      `${String(n).padStart(5)} lines: lineage median ${ours.median.toFixed(1)} ms, p99 ${ours.p99.toFixed(1)} ms (splitting ${split.median.toFixed(1)} ms of it); dt-sql-parser getAllEntities median ${theirs.median.toFixed(1)} ms, p99 ${theirs.p99.toFixed(1)} ms`,
    );
  }
  console.log(
    'reading queries and resolving columns dominates; splitting into statements is about a fifth of it',
  );
}

/** A simple query: generated rows, a filter, a projection. */
const DEBUG_SQL = `CREATE TABLE clicks (user_id INT, url STRING, ts TIMESTAMP(3)) WITH ('connector' = 'kafka', 'topic' = 'clicks', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE TABLE out_topic (user_id INT, url STRING) WITH ('connector' = 'kafka', 'topic' = 'out', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
INSERT INTO out_topic SELECT user_id, UPPER(url) FROM clicks WHERE user_id > 2;`;

async function debugRuns(): Promise<void> {
  console.log('\n== debug run: time to first row ==');
  const platform = await benchPlatform(scratch, 'home');
  const keepAlive = setInterval(() => {}, 1000);
  try {
    const firstRow = async () => {
      const run = await platform.debug.start({
        sql: DEBUG_SQL,
        target: 'bench',
        rowLimit: 1,
        rowsPerSecond: 100,
      });
      const done = await platform.debug.settled(run.id);
      if (!done.firstRowAt) throw new Error(`no row: ${done.reason}`);
      lastLog = done.log.map((l) => {
        const [at, ...rest] = l.split(' ');
        return `  +${secs(Date.parse(at!) - Date.parse(done.startedAt))} ${rest.join(' ')}`;
      });
      return Date.parse(done.firstRowAt) - Date.parse(done.startedAt);
    };
    let lastLog: string[] = [];
    const t0 = performance.now();
    const cold = await firstRow();
    console.log(lastLog.join('\n'));
    console.log(
      `cold sandbox (cluster stopped; start, first planning, first job): ${secs(cold)} to first row, ${secs(performance.now() - t0)} in all`,
    );
    await platform.targets.stop('bench');
    await platform.targets.start('bench', () => {});
    const [warmUp] = await time(() => platform.debug.warmUp('bench'));
    const afterStart = await firstRow();
    console.log(
      `cluster just started, sandbox warmed (${secs(warmUp)} warm-up, done at server start): ${secs(afterStart)} to first row`,
    );
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await firstRow());
    console.log(`warm sandbox: median ${secs(median(warm))} of ${warm.map(secs).join(', ')}`);

    // Baseline: the rewritten statements sent straight to the gateway, no platform in between.
    const cluster = await platform.targets.cluster('bench');
    const gw = new SqlGatewayClient(cluster.gatewayUrl);
    const direct: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s0 = performance.now();
      const session = await gw.openSession({}, 'bench-direct');
      await gw.execute(session, "SET 'parallelism.default' = '1'");
      await gw.execute(
        session,
        "CREATE TEMPORARY TABLE clicks (user_id INT, url STRING, ts TIMESTAMP(3)) WITH ('connector' = 'datagen', 'rows-per-second' = '100', 'fields.user_id.min' = '1', 'fields.user_id.max' = '10', 'fields.url.length' = '6')",
      );
      const op = await gw.submit(session, 'SELECT user_id, UPPER(url) FROM clicks WHERE user_id > 2');
      for (let token: number | null = 0; token !== null;) {
        const page = await gw.fetchResult(session, op, token);
        if (page.rows.length) break;
        token = page.nextToken;
        await new Promise((r) => setTimeout(r, 20));
      }
      direct.push(performance.now() - s0);
      await gw.closeOperation(session, op);
      await gw.closeSession(session);
    }
    console.log(
      `same query straight to the SQL Gateway: median ${secs(median(direct))} of ${direct.map(secs).join(', ')}`,
    );
  } finally {
    clearInterval(keepAlive);
    await platform.close();
  }
}

async function consoleLoad(): Promise<void> {
  console.log('\n== web console ==');
  const dist = path.join(ROOT, 'dist/web');
  if (!fs.existsSync(path.join(dist, 'index.html')))
    throw new Error('build the console first: npm run build:web');
  const assets = fs.readdirSync(path.join(dist, 'assets')).map((f) => ({
    f,
    kb: fs.statSync(path.join(dist, 'assets', f)).size / 1024,
  }));
  const index = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = assets.filter((a) => index.includes(a.f));
  const sum = (xs: { kb: number }[]) => xs.reduce((n, a) => n + a.kb, 0).toFixed(0);
  console.log(
    `bundle: ${sum(assets.filter((a) => a.f.endsWith('.js')))} KB of JS (${sum(initial.filter((a) => a.f.endsWith('.js')))} KB loaded by the first page; the editor, Monaco and its Flink SQL worker load with the editor page), ${sum(assets.filter((a) => a.f.endsWith('.css')))} KB of CSS`,
  );
  const { chromium } = await import('playwright-core');
  const platform = await benchPlatform(scratch, 'home');
  const app = await buildServer(platform);
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  // A fresh browser profile per load: nothing cached. Time to the first interactive element, and the
  // JavaScript the page fetched (decoded bytes, as the browser parses them).
  const coldLoad = async (url: string, ready: (page: import('playwright-core').Page) => Promise<unknown>) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(url);
    await ready(page);
    const ms = performance.now() - t0;
    const jsKb = await page.evaluate(
      () =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((r) => r.name.endsWith('.js') || r.initiatorType === 'script')
          .reduce((n, r) => n + r.decodedBodySize, 0) / 1024,
    );
    await context.close();
    return { ms, jsKb };
  };
  const report = (what: string, runs: { ms: number; jsKb: number }[]) =>
    console.log(
      `${what}: median ${secs(median(runs.map((r) => r.ms)))} of ${runs.map((r) => secs(r.ms)).join(', ')}; ${runs[0]!.jsKb.toFixed(0)} KB of JS fetched`,
    );
  try {
    const sluice = [];
    for (let i = 0; i < 5; i++)
      sluice.push(
        await coldLoad(`http://127.0.0.1:${port}/jobs`, (p) =>
          p.getByTestId('create-from-example').waitFor(),
        ),
      );
    report('Sluice console, first load, cold cache, to the interactive jobs page', sluice);
    // The baseline: Flink's own Web UI (Angular, served by the JobManager) to its overview with the
    // cluster's slots shown, straight from the JobManager and through Sluice's proxy.
    const cluster = await platform.targets.cluster('bench');
    await platform.targets.start('bench', () => {});
    // Its overview answered: the slot count drawn, as the jobs page above waits for its list.
    const flinkReady = (p: import('playwright-core').Page) =>
      p.waitForFunction(() => /Total Task Slots\s*\d/.test(document.body.innerText), null, {
        timeout: 60_000,
      });
    const direct = [];
    const proxied = [];
    for (let i = 0; i < 5; i++) {
      direct.push(await coldLoad(`${cluster.restUrl}/#/overview`, flinkReady));
      proxied.push(await coldLoad(`http://127.0.0.1:${port}/flink/bench/#/overview`, flinkReady));
    }
    report("baseline: Flink's Web UI from the JobManager, first load, cold cache, to its overview", direct);
    report("Flink's Web UI through Sluice's proxy (/flink/bench/), the same", proxied);
    await platform.targets.stop('bench');
    const content = storedSqlContent({
      sql: "CREATE TABLE s (id INT) WITH ('connector' = 'datagen');\nCREATE TABLE d (id INT) WITH ('connector' = 'blackhole');\nINSERT INTO d SELECT id FROM s;",
      target: 'bench',
    });
    for (let i = 0; i < 1000; i++)
      await platform.store.jobs.create(`job-${String(i).padStart(4, '0')}`, content, 'bench', 'created');
    const render: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/jobs`);
      await page.getByText('job-0000').waitFor();
      // From the list's data arriving to the table drawn and its filters answering.
      const t0 = performance.now();
      await page.getByPlaceholder('Search by name').fill('job-0999');
      await page.getByText('job-0999').waitFor();
      render.push(performance.now() - t0);
      const load = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return nav.loadEventEnd - nav.startTime;
      });
      if (i === 0) console.log(`jobs page with 1,000 jobs, warm cache: load event after ${secs(load)}`);
      await page.close();
    }
    const t0 = performance.now();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/jobs`);
    await page.getByText('job-0049').waitFor();
    console.log(
      `jobs page with 1,000 jobs, navigation to the first 50 rows drawn: ${secs(performance.now() - t0)}`,
    );
    console.log(`search among 1,000 jobs, typed to the match drawn: median ${secs(median(render))}`);
  } finally {
    await browser.close();
    await app.close();
    await platform.close();
  }
}

try {
  if (want('provisioning')) await provisioning();
  if (want('startup')) await startup();
  if (want('job')) await (await import('./job.ts')).job(scratch);
  if (want('detection')) await detection();
  if (want('tracking')) await tracking();
  if (want('syntax')) syntax();
  if (want('validation')) await validation(scratch);
  if (want('options')) await (await import('./options.ts')).options(scratch);
  if (want('lineage')) lineage();
  if (want('debug')) await debugRuns();
  if (want('console')) await consoleLoad();
  if (want('contract')) await (await import('./contract.ts')).contract(scratch);
  if (want('unit')) await (await import('./unit.ts')).unit(scratch);
  if (want('artifacts')) await (await import('./artifacts.ts')).artifacts(scratch);
  if (want('application')) await (await import('./application.ts')).application(scratch);
  if (want('cds')) await (await import('./cds.ts')).cds(scratch);
  if (sections.includes('k8s-standalone'))
    await (await import('./kubernetes-standalone.ts')).kubernetesStandalone(scratch);
  if (sections.includes('k8s-operator'))
    await (await import('./kubernetes-operator.ts')).kubernetesOperator(scratch);
  if (sections.includes('k8s-native'))
    await (await import('./kubernetes-native.ts')).kubernetesNative(scratch);
  if (sections.includes('k8s-requests'))
    await (await import('./kubernetes-requests.ts')).kubernetesRequests(scratch);
  if (want('cli')) await (await import('./cli.ts')).cli(scratch);
  if (want('alerts')) await (await import('./alerts.ts')).alertLatency(scratch);
  if (want('metrics-sd')) await (await import('./metrics.ts')).metricsServiceDiscovery(scratch);
  if (want('metrics-charts')) await (await import('./metrics.ts')).metricsCharts(scratch, ROOT);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

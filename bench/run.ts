/**
 * `npm run bench [provisioning|startup|job]`: measures and prints; asserts nothing.
 *  - provisioning: cold (an empty Maven cache, real downloads from Maven Central) and warm.
 *  - startup: local cluster start to healthy; platform start to API ready with Flink provisioned.
 *  - job: `sluice job start` to RUNNING next to the same statements sent straight to the SQL Gateway.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/application/config.ts';
import { Platform } from '../src/application/platform.ts';
import { provisionFlink } from '../src/adapters/flink/provisioning/maven-provisioner.ts';
import { SqlGatewayClient } from '../src/adapters/flink/sql-gateway/sql-gateway-client.ts';
import { FlinkRestClient } from '../src/adapters/flink/rest/flink-rest-client.ts';
import { buildServer } from '../src/http/server.ts';
import { freePort } from '../test/support/ports.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-'));
const enginesDir = path.join(scratch, 'engines');
const sections = process.argv.slice(2);
const want = (s: string) => sections.length === 0 || sections.includes(s);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
};

async function provisioning(): Promise<void> {
  console.log('\n== engine provisioning (Flink 1.20) ==');
  const coldRepo = path.join(scratch, 'cold-m2');
  const [cold, r] = await time(() =>
    provisionFlink({
      enginesDir: path.join(scratch, 'cold'),
      version: '1.20',
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
      version: '1.20',
      mavenLocalRepository: coldRepo,
    }),
  );
  console.log(`warm, cached, assembling the installation: ${secs(warm)} (${w.downloaded} files downloaded)`);
  const [again] = await time(() =>
    provisionFlink({
      enginesDir: path.join(scratch, 'cold'),
      version: '1.20',
      mavenLocalRepository: coldRepo,
    }),
  );
  console.log(`re-run on an installed engine (verify only, no Maven): ${secs(again)}`);
  fs.rmSync(coldRepo, { recursive: true, force: true });
}

async function benchPlatform(): Promise<Platform> {
  const home = path.join(scratch, 'home');
  const platform = await Platform.open(
    { ...loadConfig({}), home, autoStart: false },
    pino({ level: 'silent' }),
  );
  const engine = await provisionFlink({ enginesDir, version: '1.20' });
  await platform.engines.register(engine.home);
  await platform.clusters.define({
    name: 'bench',
    engineVersion: '1.20',
    restPort: await freePort(),
    rpcPort: await freePort(),
    gatewayPort: await freePort(),
  });
  return platform;
}

async function startup(): Promise<void> {
  console.log('\n== start-up ==');
  const platform = await benchPlatform();
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [ms] = await time(() => platform.clusters.start('bench', () => {}));
    runs.push(ms);
    await platform.clusters.stop('bench');
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

const JOB_SQL = (n: number) => `
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
CREATE TABLE dst (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO dst SELECT id FROM src WHERE id > ${n};`;

async function job(): Promise<void> {
  console.log('\n== job start to RUNNING ==');
  const platform = await benchPlatform();
  const app = await buildServer(platform);
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  try {
    const cluster = await platform.clusters.cluster('bench');
    await platform.clusters.start('bench', () => {});
    const rest = new FlinkRestClient(cluster.restUrl);
    const gateway = new SqlGatewayClient(cluster.gatewayUrl);
    const waitRunning = async (jid: string) => {
      while ((await rest.job(jid)).state !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
    };
    const waitEnded = async (name: string) => {
      while ((await platform.jobs.get(name)).state !== 'CANCELLED') await new Promise((r) => setTimeout(r, 50));
    };
    const cancel = (jid: string) => fetch(`${cluster.restUrl}/jobs/${jid}?mode=cancel`, { method: 'PATCH' });
    const viaSluice: number[] = [];
    const direct: number[] = [];
    const rounds = 5;
    for (let i = 0; i < rounds; i++) {
      const name = `bench-${i}`;
      const sqlFile = path.join(scratch, `${name}.sql`);
      fs.writeFileSync(sqlFile, JOB_SQL(i));
      await platform.jobs.create({ name, sql: JOB_SQL(i), clusterName: 'bench' }, 'bench');
      const t0 = performance.now();
      // Asynchronous: this process serves the API the CLI talks to.
      const r = await runCli(['job', 'start', name], { SLUICE_URL: `http://127.0.0.1:${port}` });
      viaSluice.push(performance.now() - t0);
      if (r.code !== 0) throw new Error(r.stderr);
      await cancel((await platform.jobs.get(name)).flinkJobId!);
      await waitEnded(name);

      const t1 = performance.now();
      const session = await gateway.openSession({ 'pipeline.name': `direct-${i}` });
      const [ddl1, ddl2, insert] = JOB_SQL(i).trim().split(';\n');
      await gateway.execute(session, ddl1!);
      await gateway.execute(session, ddl2!);
      const res = await gateway.execute(
        session,
        `EXECUTE STATEMENT SET BEGIN ${insert!.replace(/;$/, '')}; END`,
      );
      await waitRunning(res.jobId!);
      direct.push(performance.now() - t1);
      await gateway.closeSession(session);
      await cancel(res.jobId!);
    }
    const a = median(viaSluice);
    const b = median(direct);
    console.log(
      `sluice job start (CLI process, API, steps, wait RUNNING): median ${secs(a)} of ${viaSluice.map(secs).join(', ')}`,
    );
    console.log(
      `same statements straight to the SQL Gateway, then poll REST: median ${secs(b)} of ${direct.map(secs).join(', ')}`,
    );
    console.log(`ratio sluice / direct: ${(a / b).toFixed(2)}`);
  } finally {
    await app.close();
    await platform.close();
  }
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'bin/sluice'), args, { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

try {
  if (want('provisioning')) await provisioning();
  if (want('startup')) await startup();
  if (want('job')) await job();
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

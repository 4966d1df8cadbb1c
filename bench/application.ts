/**
 * `npm run bench application`: one SQL job's start to RUNNING (Flink reports it RUNNING with all of
 * its tasks running), the median of ROUNDS, three ways:
 *  - on a warm local session cluster, through the API (as the console does);
 *  - on the local-application target, through the API: each start runs a new Flink application
 *    cluster for the job (SQL runner jar + the job's plan), so the JVMs' start is part of it;
 *  - Flink's own standalone application start of the same jar and plan, done here without the
 *    platform: the standalone application entry point and one TaskManager, the two processes
 *    `standalone-job.sh` and `taskmanager.sh` start (Sluice's process adapter only spawns them),
 *    the same memory sizes, REST polled every 20 ms. The ratio says what the platform adds.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspectDistribution } from '../src/adapters/flink/distribution.ts';
import { LocalApplicationCluster } from '../src/adapters/flink/local-cluster/local-application-cluster.ts';
import { FlinkRestClient } from '../src/adapters/flink/rest/flink-rest-client.ts';
import { ensureSqlRunnerJar } from '../src/adapters/flink/sql-runner/sql-runner-build.ts';
import { sqlRunnerScript, writeSqlRunnerScript } from '../src/adapters/flink/sql-runner/sql-runner-script.ts';
import { applicationResources } from '../src/domain/clusters/application-resources.ts';
import { planSqlDeployment } from '../src/domain/sql/deployment-plan.ts';
import {
  BENCH_JOB_SQL,
  benchPlatform,
  listSeconds,
  median,
  rounds,
  secs,
  servedBenchPlatform,
  startThroughApi,
  untilJobState,
} from './platform.ts';
import { freePort } from '../test/support/ports.ts';

const ROUNDS = rounds(3);

export async function application(scratch: string): Promise<void> {
  console.log('\n== SQL job start to RUNNING: warm session vs its own application cluster ==');
  const platform = await benchPlatform(scratch, 'application-home');
  platform.tracker.start(platform.config.trackerIntervalMs);
  const { app, base } = await servedBenchPlatform(platform);
  const session: number[] = [];
  const own: number[] = [];
  const flinkOwn: number[] = [];
  try {
    await platform.targets.start('bench', () => {});
    const cancel = async (name: string) => {
      const res = await fetch(`${base}/api/v1/jobs/${name}/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!res.ok) throw new Error(`cancel ${name}: ${res.status} ${await res.text()}`);
      await untilJobState(platform, name, 'CANCELLED', 20);
    };

    // Flink's own start needs the same jar the target runs: the SQL runner of this engine.
    const engine = await platform.engines.get('1.20');
    const dist = inspectDistribution(engine.home);
    const runner = await ensureSqlRunnerJar({
      flinkVersion: dist.flinkVersion,
      sluiceHome: platform.config.home,
    });
    const resources = applicationResources(1, {});

    // One warm-up round of each (first planning, classes in the page cache), not counted.
    for (let i = -1; i < ROUNDS; i++) {
      const s = `session-${i + 1}`;
      await platform.jobs.create({ name: s, sql: BENCH_JOB_SQL(i + 1), target: 'bench' }, 'bench');
      const sessionMs = (await startThroughApi(base, s, { fromSavepoint: 'none' })).ms;
      await cancel(s);

      const a = `application-${i + 1}`;
      await platform.jobs.create(
        { name: a, sql: BENCH_JOB_SQL(i + 1), target: 'local-application-1.20' },
        'bench',
      );
      const ownMs = (await startThroughApi(base, a, { fromSavepoint: 'none' })).ms;
      await cancel(a);

      const root = path.join(scratch, 'flink-own', String(i + 1));
      fs.mkdirSync(root, { recursive: true });
      const script = path.join(root, 'script.json');
      const jobId = randomBytes(16).toString('hex');
      writeSqlRunnerScript(
        script,
        sqlRunnerScript(planSqlDeployment(BENCH_JOB_SQL(i + 1), { 'pipeline.name': `flink-own-${i + 1}` })),
      );
      const [restPort, rpcPort] = [await freePort(), await freePort()];
      const cluster = new LocalApplicationCluster(
        {
          name: `flink-own-${i + 1}`,
          restPort,
          rpcPort,
          taskManagers: resources.taskManagers,
          slotsPerTaskManager: resources.slotsPerTaskManager,
          jobManagerMemory: resources.jobManagerMemory,
          taskManagerMemory: resources.taskManagerMemory,
          flinkConfig: {},
          program: {
            jars: [runner.jar],
            entryClass: runner.mainClass,
            args: [script],
            jobId,
            savepointPath: null,
            allowNonRestoredState: false,
          },
        },
        dist,
        'java',
        root,
      );
      const rest = new FlinkRestClient(cluster.restUrl);
      const t0 = performance.now();
      let flinkMs: number;
      try {
        await cluster.start();
        for (;;) {
          const j = (await rest.jobs().catch(() => [])).find((x) => x.jid === jobId);
          if (j?.state === 'RUNNING' && j.tasks && j.tasks.running === j.tasks.total) break;
          if (j?.state === 'FAILED') throw new Error(`Flink's own start of the SQL runner failed (${root})`);
          await new Promise((r) => setTimeout(r, 20));
        }
        flinkMs = performance.now() - t0;
      } finally {
        await cluster.stop();
      }
      if (i < 0) continue;
      session.push(sessionMs);
      own.push(ownMs);
      flinkOwn.push(flinkMs);
    }
  } finally {
    await app.close();
    await platform.close();
  }
  console.log(`rounds: ${ROUNDS} (after one warm-up round of each)`);
  console.log(
    `warm local session, through the API:            ${secs(median(session))} (${listSeconds(session)})`,
  );
  console.log(`local-application target, through the API:      ${secs(median(own))} (${listSeconds(own)})`);
  console.log(
    `Flink's own standalone application start:       ${secs(median(flinkOwn))} (${listSeconds(flinkOwn)})`,
  );
  console.log(
    `ratio local-application / Flink's own start:    ${(median(own) / median(flinkOwn)).toFixed(2)}`,
  );
  console.log(
    `ratio local-application / warm session:         ${(median(own) / median(session)).toFixed(2)}`,
  );
}

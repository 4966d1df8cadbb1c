/**
 * `npm run bench job`: a job's start to RUNNING (Flink reports the job RUNNING with all of its tasks
 * running), three ways, each the median of ROUNDS:
 *  - through the API, as the console does: POST /jobs/{name}/start, then the events stream until the
 *    platform says RUNNING (no CLI process);
 *  - the same statements sent straight to the SQL Gateway, then Flink's REST polled every 20 ms, and
 *    the same again with every option Sluice sets given when the session opens;
 *  - the CLI's own start-up (`sluice --version` against the server, one request), and `sluice job
 *    start` as a user runs it.
 * Prints the ratios API / gateway and CLI start-up / gateway, and where the API's time goes: the
 * median of each submission step (steps are stored with their start and end).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FlinkRestClient } from '../src/adapters/flink/rest/flink-rest-client.ts';
import { SqlGatewayClient } from '../src/adapters/flink/sql-gateway/sql-gateway-client.ts';
import {
  BENCH_JOB_SQL,
  benchPlatform,
  median,
  rounds,
  servedBenchPlatform,
  startThroughApi,
} from './platform.ts';
import { flinkFetch } from '../src/adapters/flink/rest/flink-fetch.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ROUNDS = rounds(7);
const ms = (x: number) => `${Math.round(x)} ms`;
const list = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'bin/sluice'), args, { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

export async function job(scratch: string): Promise<void> {
  console.log('\n== job start to RUNNING ==');
  const platform = await benchPlatform(scratch, 'job-home');
  platform.tracker.start(platform.config.trackerIntervalMs);
  const { app, base } = await servedBenchPlatform(platform);
  try {
    const cluster = await platform.targets.cluster('bench');
    await platform.targets.start('bench', () => {});
    const rest = new FlinkRestClient(cluster.restUrl);
    const gateway = new SqlGatewayClient(cluster.gatewayUrl);
    // The same definition of running as Sluice's: the job RUNNING with all of its tasks running.
    const waitRunning = async (jid: string) => {
      for (;;) {
        const j = (await rest.jobs()).find((x) => x.jid === jid);
        if (j?.state === 'RUNNING' && j.tasks && j.tasks.running === j.tasks.total) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const cancelled = async (name: string) => {
      await flinkFetch(`${cluster.restUrl}/jobs/${(await platform.jobs.get(name)).flinkJobId}?mode=cancel`, {
        method: 'PATCH',
      });
      while ((await platform.jobs.get(name)).state !== 'CANCELLED')
        await new Promise((r) => setTimeout(r, 50));
    };
    const viaApi: number[] = [];
    const viaCli: number[] = [];
    const direct: number[] = [];
    const withOptions: number[] = [];
    const startup: number[] = [];
    const noRequest: number[] = [];
    const outside: number[] = [];
    const directPhases = new Map<string, number[]>();
    const steps = new Map<string, number[]>();
    const again: number[] = [];
    // One warm-up of each path (first planning in the gateway, first classes loaded), not counted.
    for (let i = -1; i < ROUNDS; i++) {
      const name = `bench-${i + 1}`;
      await platform.jobs.create({ name, sql: BENCH_JOB_SQL(i + 1), target: 'bench' }, 'bench');

      // Through the API: the stream is open before the POST, as the console and the CLI do.
      const first = await startThroughApi(base, name);
      const apiMs = first.ms;
      const record = await platform.jobs.submission(name, first.number);
      await cancelled(name);
      // The same version started again: Flink planned it once, the plan step does not ask again.
      const secondStart = await startThroughApi(base, name);
      await cancelled(name);

      // The CLI as users run it, on a copy of the same job.
      const cliName = `${name}-cli`;
      await platform.jobs.create({ name: cliName, sql: BENCH_JOB_SQL(i + 1), target: 'bench' }, 'bench');
      const t1 = performance.now();
      const r = await runCli(['job', 'start', cliName], { SLUICE_URL: base });
      const cliMs = performance.now() - t1;
      if (r.code !== 0) throw new Error(r.stderr);
      await cancelled(cliName);

      // Straight to the SQL Gateway, each phase timed as the API's steps are.
      const t2 = performance.now();
      const session = await gateway.openSession({ 'pipeline.name': `direct-${i + 1}` });
      const opened = performance.now();
      const [ddl1, ddl2, insert] = BENCH_JOB_SQL(i + 1)
        .trim()
        .split(';\n');
      await gateway.execute(session, ddl1!);
      await gateway.execute(session, ddl2!);
      const created = performance.now();
      const run = await gateway.execute(
        session,
        `EXECUTE STATEMENT SET BEGIN ${insert!.replace(/;$/, '')}; END`,
      );
      const submitted = performance.now();
      await waitRunning(run.jobId!);
      const directMs = performance.now() - t2;
      const phases = {
        'open SQL session': opened - t2,
        'create tables': created - opened,
        submit: submitted - created,
        'wait until running': t2 + directMs - submitted,
      };
      await gateway.closeSession(session);
      await flinkFetch(`${cluster.restUrl}/jobs/${run.jobId}?mode=cancel`, { method: 'PATCH' });

      // The same, with every option Sluice sets (and the job id it chooses) given when the session
      // opens, in one request, instead of one SET statement each: what the API's steps could do.
      const jobId = randomBytes(16).toString('hex');
      const t3 = performance.now();
      const session2 = await gateway.openSession({
        'pipeline.name': `direct-options-${i + 1}`,
        'parallelism.default': '1',
        'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
        '$internal.pipeline.job-id': jobId,
      });
      await gateway.execute(session2, ddl1!);
      await gateway.execute(session2, ddl2!);
      const run2 = await gateway.execute(
        session2,
        `EXECUTE STATEMENT SET BEGIN ${insert!.replace(/;$/, '')}; END`,
      );
      if (run2.jobId !== jobId) throw new Error(`the gateway ignored the job id: ${run2.jobId}`);
      await waitRunning(jobId);
      const optionsMs = performance.now() - t3;
      await gateway.closeSession(session2);
      await flinkFetch(`${cluster.restUrl}/jobs/${jobId}?mode=cancel`, { method: 'PATCH' });

      // The CLI's own start-up in the same round: with one request (`--version` asks /health) and
      // with none (`--help`).
      const t4 = performance.now();
      const v = await runCli(['--version'], { SLUICE_URL: base });
      const versionMs = performance.now() - t4;
      if (v.code !== 0) throw new Error(v.stderr);
      const t5 = performance.now();
      await runCli(['--help'], { SLUICE_URL: base });
      const helpMs = performance.now() - t5;

      if (i < 0) continue;
      startup.push(versionMs);
      noRequest.push(helpMs);
      for (const [phase, x] of Object.entries(phases))
        directPhases.set(phase, [...(directPhases.get(phase) ?? []), x]);
      const stepped = record.steps.filter((x) => x.endedAt);
      if (stepped.length)
        outside.push(apiMs - (Date.parse(stepped.at(-1)!.endedAt!) - Date.parse(stepped[0]!.startedAt)));
      withOptions.push(optionsMs);
      viaApi.push(apiMs);
      again.push(secondStart.ms);
      viaCli.push(cliMs);
      direct.push(directMs);
      for (const s of record.steps)
        if (s.endedAt)
          steps.set(s.name, [...(steps.get(s.name) ?? []), Date.parse(s.endedAt) - Date.parse(s.startedAt)]);
    }

    const [a, c, g, s] = [median(viaApi), median(viaCli), median(direct), median(startup)];
    console.log(`rounds: ${ROUNDS} (after one warm-up round), medians`);
    console.log(`through the API (POST start, events until RUNNING): ${ms(a)}  [${list(viaApi)}]`);
    console.log(
      `the same job started again (planned before, so not planned twice): ${ms(median(again))}  [${list(again)}]`,
    );
    console.log(
      `same statements straight to the SQL Gateway, until all tasks run: ${ms(g)}  [${list(direct)}]`,
    );
    console.log(
      `the same with Sluice's options and job id given at session open: ${ms(median(withOptions))}  [${list(withOptions)}]`,
    );
    console.log(`CLI start-up (\`sluice --version\`, one request): ${ms(s)}  [${list(startup)}]`);
    console.log(
      `CLI start-up without a request (\`sluice --help\`): ${ms(median(noRequest))}  [${list(noRequest)}]`,
    );
    console.log(`\`sluice job start\` (CLI process, API, steps, RUNNING): ${ms(c)}  [${list(viaCli)}]`);
    console.log(
      `ratio API / gateway: ${(a / g).toFixed(2)} (the platform adds ${Math.round(((a - g) / g) * 100)}%); started again: ${(median(again) / g).toFixed(2)}`,
    );
    console.log(`ratio CLI start-up / gateway: ${(s / g).toFixed(2)}`);
    console.log(`ratio sluice job start / gateway: ${(c / g).toFixed(2)}`);
    console.log(
      'where the time goes (median ms): submission steps through the API | the same phase straight to the gateway',
    );
    let sum = 0;
    for (const [step, xs] of steps) {
      sum += median(xs);
      const d = directPhases.get(step);
      console.log(
        `  ${step.padEnd(20)} ${String(median(xs)).padStart(5)}  [${list(xs)}]${d ? `  | ${Math.round(median(d))}  [${list(d)}]` : ''}`,
      );
    }
    console.log(`  ${'sum of step medians'.padEnd(20)} ${String(sum).padStart(5)}`);
    console.log(
      `  ${'outside the steps'.padEnd(20)} ${String(Math.round(median(outside))).padStart(5)}  [${list(outside)}] (POST, submission record, event delivery)`,
    );
  } finally {
    await app.close();
    await platform.close();
    fs.rmSync(path.join(scratch, 'job-home'), { recursive: true, force: true });
  }
}

/**
 * `npm run bench cli`: the CLI's start-up (and `sluice server`'s, below), through tsx's loader (how bin/sluice ran it before the
 * bundle: every module transformed at each start) and as bin/sluice runs it now (the bundle
 * dist/cli/sluice.mjs, after its freshness check). Three commands: `--version` with no server
 * answering (a refused connection), `--help` (no request) and `job list` against a running
 * `sluice server` (one request). CPU is the child's user + system time (bash's `times`), wall the
 * whole process; medians of ROUNDS runs, the two ways taking turns.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../test/support/ports.ts';
import { median } from './platform.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.SLUICE_BENCH_ROUNDS ?? 7);
const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

const WAYS = {
  'through tsx (before)': [
    'node',
    '--import',
    `file://${ROOT}/node_modules/tsx/dist/loader.mjs`,
    path.join(ROOT, 'src/cli/main.ts'),
  ],
  'bin/sluice, bundled (now)': [path.join(ROOT, 'bin/sluice')],
};

/** One run: wall time, and the CPU of the process and its children as bash's `times` counts them. */
function run(command: string[], env: NodeJS.ProcessEnv): { cpu: number; wall: number } {
  const script = `${command.map(quote).join(' ')} >/dev/null 2>&1; echo "exit=$?"; times`;
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = performance.now() - t0;
  // The second line of `times`: the children's user and system time, e.g. "0m0.110s 0m0.020s".
  const lines = r.stdout.trim().split('\n');
  const exit = /exit=(\d+)/.exec(lines[0] ?? '')?.[1];
  const children = [...(lines.at(-1) ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map(
    ([, m, s]) => Number(m) * 60 + Number(s),
  );
  if (children.length !== 2) throw new Error(`no times from bash: ${r.stdout}${r.stderr}`);
  // A run that failed measures nothing worth printing.
  if (exit !== '0') throw new Error(`${command.join(' ')} exited with ${exit}`);
  return { cpu: (children[0]! + children[1]!) * 1000, wall };
}

/** `sluice server` on a home of its own (the CLI runs read its token there), without Flink. */
async function startServer(home: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(ROOT, 'bin/sluice'), ['server', '--no-auto-start'], {
    env: { ...process.env, SLUICE_HOME: home, SLUICE_PORT: String(port) },
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`sluice server exited with ${child.exitCode}`);
      if (
        await fetch(`${url}/api/v1/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error(`sluice server not ready at ${url} within 120 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}

export async function cli(scratch: string): Promise<void> {
  console.log('\n== CLI start-up ==');
  // The bundle as bin/sluice would make it, so that no run below includes its build.
  const build = spawnSync('node', [path.join(ROOT, 'scripts/build-cli.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the CLI's bundle failed: ${build.stderr}`);
  const nowhere = `http://127.0.0.1:${await freePort()}`;
  const home = path.join(scratch, 'cli-home');
  const server = await startServer(home);
  try {
    const cases: [string, string[], string][] = [
      ['`sluice --version`, no server answering', ['--version'], nowhere],
      ['`sluice --help`, no request', ['--help'], nowhere],
      ['`sluice job list` against a running server', ['job', 'list'], server.url],
    ];
    console.log(`medians of ${ROUNDS} runs; CPU is user + system`);
    for (const [label, args, url] of cases) {
      const runs = new Map<string, { cpu: number; wall: number }[]>();
      for (let i = 0; i < ROUNDS; i++)
        for (const [way, command] of Object.entries(WAYS))
          runs.set(way, [
            ...(runs.get(way) ?? []),
            run([...command, ...args], { SLUICE_URL: url, SLUICE_HOME: home }),
          ]);
      console.log(label);
      for (const [way, xs] of runs) {
        const cpu = median(xs.map((x) => x.cpu));
        const wall = median(xs.map((x) => x.wall));
        console.log(`  ${way.padEnd(26)} CPU ${Math.round(cpu)} ms, wall ${Math.round(wall)} ms`);
      }
    }
  } finally {
    await server.stop();
  }
  await serverStart(scratch);
}

/**
 * `sluice server` on a fresh home (no Flink) until its first /api/v1/health answer, then stopped: wall
 * time to that answer, CPU of the whole process (start, answer, stop), through tsx (before) and from
 * its bundle dist/server/sluice.mjs (now), taking turns.
 */
async function serverStart(scratch: string): Promise<void> {
  const build = spawnSync('node', [path.join(ROOT, 'scripts/build-cli.mjs'), 'server'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the server's bundle failed: ${build.stderr}`);
  const rounds = Math.min(ROUNDS, 5);
  const runs = new Map<string, { cpu: number; wall: number }[]>();
  for (let i = 0; i < rounds; i++)
    for (const [way, command] of Object.entries(WAYS)) {
      const port = await freePort();
      const home = path.join(scratch, `server-home-${i}-${way.length}`);
      const script = [
        `${command.map(quote).join(' ')} server >/dev/null 2>&1 & p=$!`,
        `until curl -sf http://127.0.0.1:${port}/api/v1/health >/dev/null; do kill -0 $p 2>/dev/null || exit 1; sleep 0.02; done`,
        // The answer's moment in ms, read by the bench; then the server's stop and its CPU.
        'date +%s%3N; kill $p; wait $p; times',
      ].join('\n');
      const t0 = Date.now();
      const r = spawnSync('bash', ['-c', script], {
        env: {
          ...process.env,
          SLUICE_HOME: home,
          SLUICE_PORT: String(port),
          SLUICE_AUTO_START: 'false',
          SLUICE_PROMETHEUS: 'off',
          SLUICE_ALERTMANAGER: 'off',
        },
        encoding: 'utf8',
      });
      const lines = r.stdout.trim().split('\n');
      const children = [...(lines.at(-1) ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map(
        ([, m, s]) => Number(m) * 60 + Number(s),
      );
      if (r.status !== 0 || children.length !== 2)
        throw new Error(`sluice server (${way}) did not answer: ${r.stdout}${r.stderr}`);
      runs.set(way, [
        ...(runs.get(way) ?? []),
        { cpu: (children[0]! + children[1]!) * 1000, wall: Number(lines[0]) - t0 },
      ]);
    }
  console.log(`\`sluice server\` to its first /api/v1/health answer, no Flink (medians of ${rounds})`);
  for (const [way, xs] of runs) {
    const cpu = median(xs.map((x) => x.cpu));
    const wall = median(xs.map((x) => x.wall));
    console.log(`  ${way.padEnd(26)} CPU ${Math.round(cpu)} ms (with its stop), wall ${Math.round(wall)} ms`);
  }
}

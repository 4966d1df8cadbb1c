/**
 * `npm run bench contract`: schemathesis over every operation of /api/openapi.json against a real
 * `sluice server` with its local cluster and a running job (as test/e2e/api-contract.test.ts does),
 * a few runs of different seeds: cases, failures and time per run. Prints, asserts nothing.
 */
import path from 'node:path';
import { provisionFlink } from '../src/adapters/flink/provisioning/maven-provisioner.ts';
import { contractServer, runContract } from '../test/support/contract.ts';

const RUNS = 3;
const MAX_EXAMPLES = 10;

export async function contract(scratch: string): Promise<void> {
  console.log(`\n== API contract: schemathesis, ${MAX_EXAMPLES} examples per operation and phase ==`);
  const engine = await provisionFlink({ enginesDir: path.join(scratch, 'engines'), version: '1.20' });
  const c = await contractServer('bench-contract', engine.home);
  try {
    for (let i = 1; i <= RUNS; i++) {
      const r = await runContract(c.server.base, MAX_EXAMPLES);
      const seed = /Seed: (\d+)/.exec(r.output)?.[1] ?? '?';
      console.log(
        `run ${i}: ${r.cases} cases over ${r.operations.tested}/${r.operations.total} operations, ` +
          `${r.failures} failed (${r.uniqueFailures} unique), ${r.errors} errors, ${r.seconds.toFixed(1)} s, seed ${seed}`,
      );
      if (r.failures || r.errors) console.log(r.output.slice(r.output.indexOf('FAILURES')));
    }
    console.log(
      `Flink jobs running after the runs, the job orders among them: ${(await c.liveFlinkJobs()).length} (cancelled at the end)`,
    );
  } finally {
    await c.close();
  }
}

import type { Command } from 'commander';
import type { TargetQuota, TargetQuotaInput } from '../../contract/targets.ts';
import {
  formatAmount,
  JOB_RANGES,
  QUOTA_FLAGS,
  QUOTA_RESOURCES,
  type JobRange,
  type QuotaResource,
} from '../../domain/quotas/quota.ts';
import type { SluiceApi } from '../client.ts';
import { printJson, table } from '../output.ts';

const amount = (r: QuotaResource | JobRange, n: number | null) =>
  n === null ? 'no limit' : formatAmount(r, n);

/** `sluice target quota NAME`: each resource's use against its limit, by which jobs, and the per-job ranges. */
export function printQuota(q: TargetQuota): void {
  console.log(
    `target ${q.target} (${q.targetKind}), quota ${q.set ? `set by ${q.updatedBy} at ${q.updatedAt}` : 'not set'}`,
  );
  console.log(
    table(
      q.usage.map((u) => ({
        resource: u.resource,
        used: formatAmount(u.resource, u.used),
        limit: amount(u.resource, u.limit),
        jobs: u.jobs.map((j) => `${j.job} (${formatAmount(u.resource, j.amount)})`).join(', ') || '-',
      })),
      ['resource', 'used', 'limit', 'jobs'],
    ),
  );
  if (q.notPerJob.length)
    console.log(`not requested per job on this kind (no quota): ${q.notPerJob.join(', ')}`);
  console.log(`per job: ${q.ranges.map((r) => `${r} ${amount(r, q.perJob[r])}`).join(', ')}`);
}

const FIELDS = [...QUOTA_RESOURCES, ...JOB_RANGES];
/** commander's camel-cased name of each flag (`--task-managers` is `taskManagers`). */
const optionKey = (flag: string) => flag.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** `sluice target quota NAME [--cpu 8 --memory 32g ...] [--clear]`. */
export function quotaCommand(target: Command, api: () => SluiceApi): void {
  const cmd = target
    .command('quota <name>')
    .description(
      "show or set a target's quota (what its jobs may hold together: checked at each start and upgrade) and the per-job ranges; the flags given change those limits, the others stay; 'none' removes one",
    );
  for (const f of FIELDS)
    cmd.option(
      `${QUOTA_FLAGS[f]} <amount>`,
      `limit ${f}${f.includes('emory') ? ' (a Flink size such as 32g)' : ''}`,
    );
  cmd
    .option('--clear', 'remove the quota and ranges')
    .option('--json', 'print JSON')
    .action(async (name: string, o: Record<string, string | boolean | undefined>) => {
      const client = api();
      if (o.clear) {
        await client.targets.clearQuota(name);
        console.log(`quota of target ${name} removed`);
        return;
      }
      const given = FIELDS.filter((f) => typeof o[optionKey(QUOTA_FLAGS[f])] === 'string');
      let q = await client.targets.quota(name);
      if (given.length) {
        const input: Record<string, number | string | null> = {};
        for (const f of FIELDS)
          input[f] = (QUOTA_RESOURCES as readonly string[]).includes(f)
            ? q.limits[f as QuotaResource]
            : q.perJob[f as JobRange];
        for (const f of given) {
          const text = String(o[optionKey(QUOTA_FLAGS[f])]).trim();
          // A count that is not a number goes as written: the API refuses it, naming the field.
          const n = Number(text);
          const size = f === 'memory' || f === 'maxTaskManagerMemory';
          input[f] = text === 'none' ? null : size || !Number.isFinite(n) ? text : n;
        }
        q = await client.targets.setQuota(name, input as TargetQuotaInput);
      }
      if (o.json) return printJson(q);
      printQuota(q);
    });
}
